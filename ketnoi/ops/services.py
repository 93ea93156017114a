"""Writes of the operations app: the heartbeats of periodic work, the metric totals."""

from datetime import datetime

from django.db import connections, transaction
from django.utils import timezone

from .models import Heartbeat, MetricTotal
from .replica import DEFAULT

TICK = "tick"


def heartbeat_record(*, name: str, at: datetime | None = None) -> datetime:
    """Record that `name` ran to its end now (or `at`)."""
    at = at or timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"at": at})
    return at


def tick_heartbeat() -> str:
    """The last of the tick's jobs (ketnoi.jobs): the tick ran to its end."""
    return f"at {heartbeat_record(name=TICK).isoformat(timespec='seconds')}"


def metric_totals_add(*, deltas: dict[str, float]) -> None:
    """Add `deltas` to the running totals, in one transaction, each series in one statement
    that adds in the database (two processes adding at once both count). The series are
    written in the same order by every process, so two flushes cannot deadlock."""
    rows = [(series, float(value)) for series, value in sorted(deltas.items()) if value]
    if not rows:
        return
    connection = connections[DEFAULT]
    table = connection.ops.quote_name(MetricTotal._meta.db_table)
    # The same statement on SQLite (3.24+) and PostgreSQL.
    sql = (f"INSERT INTO {table} (series, value) VALUES (%s, %s) "
           f"ON CONFLICT (series) DO UPDATE SET value = {table}.value + excluded.value")
    with transaction.atomic(using=DEFAULT), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
