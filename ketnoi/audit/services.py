"""The one helper that writes audit events, each a link of the audit hash chain."""

import datetime
import decimal
import json
import uuid

from django.db import connection, models, transaction
from django.utils import timezone

from ketnoi.lib import hashchain

from .models import AuditEvent, ChainHead

HEAD_ID = 1
# The advisory lock that serialises appends on PostgreSQL ("ketnoi" in ASCII).
CHAIN_LOCK = 0x6B65746E6F69


def snapshot(obj: models.Model | None) -> dict | None:
    """The concrete field values of a record, JSON-ready; secrets are left out."""
    if obj is None:
        return None
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"password"} or getattr(field, "audit_secret", False):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
            value = value.isoformat()
        elif isinstance(value, (decimal.Decimal, uuid.UUID)):
            value = str(value)
        elif isinstance(value, (bytes, memoryview)):
            value = f"<{len(value)} bytes>"
        elif hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
            value = value.name or ""
        data[field.name] = value
    return data


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj`, with its state before and after.

    Call it inside the service's transaction, so the event and the change land together.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)[:255]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "system")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        # As the database gives them back (tuples become lists, IPv6 is written one way), so
        # that the hash computed now is the hash computed again from the stored row.
        before=_as_stored_json(before),
        after=_as_stored_json(after),
        ip=AuditEvent._meta.get_field("ip").get_prep_value(ip) or None,
    )
    # savepoint=False: in the caller's transaction (the event lands with the change, and the
    # chain stays locked until that transaction ends); outside one, a transaction of its own.
    with transaction.atomic(savepoint=False):
        event.prev_hash = _locked_last_hash()
        event.at = timezone.now()
        event.hash = hashchain.link_hash(chain_fields(event), event.prev_hash)
        event.save(force_insert=True)
    return event


def chain_fields(event: AuditEvent) -> dict:
    """What an event's hash covers (with its prev_hash): every field but its id and hashes.

    The id is left out because the database gives it only once the row is written; the order
    of the chain is nonetheless the order of the ids, since appends are serialised."""
    return {
        "at": event.at, "actor": event.actor_id, "actor_label": event.actor_label, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id, "object_repr": event.object_repr,
        "before": event.before, "after": event.after, "ip": event.ip,
    }


def _as_stored_json(value):
    return None if value is None else json.loads(json.dumps(value))


def _locked_last_hash() -> str:
    """The hash of the chain's last event, the chain locked to the end of the transaction, so
    that two app servers never chain two events to the same one.

    PostgreSQL: a transaction-level advisory lock, then the last event read by its primary key
    (READ COMMITTED, Django's default: the read sees what the previous holder committed). Not a
    one-row "head" updated at every append: under a long transaction elsewhere (pg_dump, a
    report) its dead versions cannot be pruned and every append reads through all of them
    (bench/audit.py measured 1 → 17 ms an event). SQLite: the IMMEDIATE transaction already
    holds the only write lock. Ids are drawn inside the lock, so their order is the chain's."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else hashchain.GENESIS


def audit_checkpoint() -> ChainHead:
    """Write down the chain's last link (``ChainHead``, one row; `ketnoi tick` every few
    minutes): `ketnoi audit verify` then tells events removed from the end of the chain, which
    no later link can betray. Idempotent."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    head, _created = ChainHead.objects.update_or_create(
        pk=HEAD_ID, defaults={"last_id": last[0] if last else None, "hash": last[1] if last else hashchain.GENESIS})
    return head
