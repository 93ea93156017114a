"""Chains the events written before the hash chain, in the order of their ids.

A production trail may hold millions of events: they are read in batches by id (never one list
in memory), each batch written in a transaction of its own, so that an interrupted run goes on
from the last chained event when run again. A progress bar shows on a terminal."""

import sys

from django.db import migrations, transaction

BATCH = 2000
FIELDS = ("id", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "before",
          "after", "ip")


def chain_existing(apps, schema_editor):
    from ketnoi.lib import hashchain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    connection = schema_editor.connection
    events = AuditEvent.objects.using(connection.alias)
    done = events.exclude(hash="").order_by("-id").values_list("id", "hash").first()
    after_id, prev = done if done else (0, hashchain.GENESIS)
    todo = events.filter(id__gt=after_id).count()
    bar = None
    if todo and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=todo, unit=" events", desc="audit chain", file=sys.stderr)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    while True:
        rows = list(events.filter(id__gt=after_id).order_by("id").values(*FIELDS)[:BATCH])
        if not rows:
            break
        links = []
        for row in rows:
            fields = {"at": row["at"], "actor": row["actor_id"], "actor_label": row["actor_label"],
                      "action": row["action"], "object_type": row["object_type"], "object_id": row["object_id"],
                      "object_repr": row["object_repr"], "before": row["before"], "after": row["after"],
                      "ip": row["ip"]}
            digest = hashchain.link_hash(fields, prev)
            links.append((prev, digest, row["id"]))
            prev = digest
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", links)
        after_id = rows[-1]["id"]
        if bar is not None:
            bar.update(len(rows))
    if bar is not None:
        bar.close()
    last_id = after_id or None
    ChainHead.objects.using(connection.alias).update_or_create(pk=1, defaults={"last_id": last_id, "hash": prev})


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0002_hash_chain"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
    ]
