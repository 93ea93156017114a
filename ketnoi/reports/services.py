"""Writes of the reports: the case figures folded in as the cases change.

`reports_refresh` reads the cases changed since the last refresh, takes each one's previous
contribution out of the sums (its `CaseFact`) and adds its contribution as it is now. It is
idempotent (a case folded in again unchanged changes nothing) and serialised by the lock of the
one `RefreshState` row (PostgreSQL's row lock; SQLite's write lock, which every transaction of
ketnoi takes at BEGIN IMMEDIATE), so two app servers and the tick refreshing at once count each
change once. `case_figures` calls it before reading; `ketnoi tick` calls it too.

Which cases are read again: those whose `updated_at` (auto_now: every service that changes a
case saves it) is at or after the last one folded in minus SAFETY_MARGIN — transactions commit
out of order, so a case saved at 10:00:00 may become visible after one saved at 10:00:02 —, and
those with an id above the highest folded in (rows written in bulk with their past `updated_at`,
as the demo generator and the benchmarks do).
"""

import functools
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ketnoi.cases.models import OPEN_STATUSES, Case
from ketnoi.lib.workdays import TIMEZONE, workdays_between
from ketnoi.ops.replica import reading_from_primary

from .models import COORDINATORS, AnswerTime, CaseCount, CaseFact, Grain, RefreshState, TopicCount

# Longer than any transaction that saves a case (and any clock skew between app servers).
SAFETY_MARGIN = timedelta(minutes=10)
CHUNK = 20_000  # cases read and folded at a time
_CASE_FIELDS = ("id", "updated_at", "unit_id", "topic_id", "status", "received_at", "answered_at", "due_at",
                "paused_at", "resolved_at", "rated_at", "rating")
_FACT_FIELDS = ("case_id", "unit_key", "topic_id", "received_on", "answered_on", "answered_on_time",
                "answer_workdays", "resolved_on", "rated_on", "rating", "is_open", "due_at", "paused")
_COUNTERS = ("received", "answered", "answered_on_time", "resolved", "rated", "rating_sum")
_OPEN = frozenset(OPEN_STATUSES)


@dataclass(frozen=True)
class Refresh:
    read: int  # cases read
    changed: int  # cases whose contribution changed
    seconds: float


# What a case contributes, as CaseFact holds it (without the id): (unit_key, topic_id,
# received_on, answered_on, answered_on_time, answer_workdays, resolved_on, rated_on, rating,
# is_open, due_at, paused). The first nine are summed; the last three are read as they are.
Fact = tuple


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(TIMEZONE).date() if moment is not None else None


@functools.lru_cache(maxsize=1 << 16)
def _workdays(received_on: date, answered_on: date) -> int:
    return workdays_between(received_on, answered_on)


def fact_of(unit_id, topic_id, status, received_at, answered_at, due_at, paused_at, resolved_at, rated_at,
            rating) -> Fact:
    """What a case (its cached state) contributes to the figures; the same rules as the recount
    (selectors.case_figures_recount)."""
    received_on, answered_on = _local_day(received_at), _local_day(answered_at)
    on_time = answered_at is not None and (due_at is None or answered_at <= due_at)
    rated = rated_at is not None and rating is not None
    is_open = status in _OPEN
    return (unit_id if unit_id is not None else COORDINATORS, topic_id, received_on, answered_on, on_time,
            _workdays(received_on, answered_on) if answered_on is not None else None,
            _local_day(resolved_at), _local_day(rated_at) if rated else None, rating if rated else None,
            is_open, due_at if is_open else None, is_open and paused_at is not None)


def _grains(day: date, *, year: bool = True):
    yield Grain.DAY, day
    yield Grain.MONTH, day.replace(day=1)
    if year:
        yield Grain.YEAR, day.replace(month=1, day=1)


class _Sums:
    """Changes to the sums, keyed as their rows are."""

    def __init__(self):
        self.counts: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(_COUNTERS))
        self.topics: dict[tuple, int] = defaultdict(int)
        self.times: dict[tuple, int] = defaultdict(int)

    def add(self, fact: Fact, sign: int) -> None:
        unit, topic, received_on, answered_on, on_time, workdays, resolved_on, rated_on, rating = fact[:9]
        for grain, day in _grains(received_on):
            self.counts[(grain, day, unit)][0] += sign
            self.topics[(grain, day, unit, topic)] += sign
        if answered_on is not None:
            for grain, day in _grains(answered_on):
                row = self.counts[(grain, day, unit)]
                row[1] += sign
                if on_time:
                    row[2] += sign
                self.times[(grain, day, unit, workdays)] += sign
        if resolved_on is not None:
            for grain, day in _grains(resolved_on):
                self.counts[(grain, day, unit)][3] += sign
        if rated_on is not None:
            for grain, day in _grains(rated_on):
                row = self.counts[(grain, day, unit)]
                row[4] += sign
                row[5] += sign * rating

    def write(self) -> None:
        _merge(CaseCount, (), {key: delta for key, delta in self.counts.items() if any(delta)}, _COUNTERS)
        _merge(TopicCount, ("topic_id",), {key: [n] for key, n in self.topics.items() if n}, ("received",))
        _merge(AnswerTime, ("workdays",), {key: [n] for key, n in self.times.items() if n}, ("cases",))


def _merge(model, more_keys: tuple[str, ...], deltas: dict[tuple, list[int]], counters: tuple[str, ...]) -> None:
    """Add `deltas` to the rows of `model` keyed (grain, day, unit_key, *more_keys): the rows
    touched are read, deleted and written again with their new sums (not at all when all are 0)."""
    if not deltas:
        return
    keys = ("grain", "day", "unit_key", *more_keys)
    by_grain: dict[str, list[tuple]] = defaultdict(list)
    for key in deltas:
        by_grain[key[0]].append(key)
    merged = {key: list(delta) for key, delta in deltas.items()}
    stale: list[int] = []
    for grain, grain_keys in by_grain.items():
        days = sorted({k[1] for k in grain_keys})
        narrower = {f"{name}__in": sorted({k[i] for k in grain_keys}) for i, name in enumerate(keys[2:], start=2)}
        for first in range(0, len(days), 500):
            rows = model.objects.filter(grain=grain, day__in=days[first:first + 500], **narrower).values_list(
                "pk", *keys[1:], *counters)
            for pk, *values in rows:
                key = (grain, *values[:len(keys) - 1])
                if key in merged:
                    stale.append(pk)
                    merged[key] = [a + b for a, b in zip(merged[key], values[len(keys) - 1:])]
    for first in range(0, len(stale), 5000):
        model.objects.filter(pk__in=stale[first:first + 5000]).delete()
    _insert(model, (*keys, *counters), [(*key, *values) for key, values in merged.items() if any(values)])


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT rows in bulk: COPY on PostgreSQL, executemany on SQLite (a million facts in
    seconds, where bulk_create takes minutes)."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = []
        for name in fields:
            kind = model._meta.get_field(name).get_internal_type()
            adapt.append(ops.adapt_datefield_value if kind == "DateField" else
                         ops.adapt_datetimefield_value if kind == "DateTimeField" else None)
        marks = ", ".join(["%s"] * len(fields))
        for first in range(0, len(rows), 10_000):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", [
                tuple(f(v) if f is not None and v is not None else v for f, v in zip(adapt, row))
                for row in rows[first:first + 10_000]])


def _state() -> RefreshState:
    state = RefreshState.objects.filter(pk=1).first()
    if state is None:
        try:
            with transaction.atomic():
                state = RefreshState.objects.create(pk=1)
        except IntegrityError:  # made meanwhile by another refresh
            state = RefreshState.objects.get(pk=1)
    return state


def _suspects(state: RefreshState):
    """The cases of the window (see the module's docstring) that may have changed since they
    were folded in: those without a fact of their `updated_at` folded in after that moment. A
    case saved again at the very moment it was folded in (a test's frozen clock) stays a suspect
    and is compared field by field."""
    same = CaseFact.objects.filter(case_id=OuterRef("pk"), updated_at=OuterRef("updated_at"),
                                   folded_at__gt=OuterRef("updated_at"))
    return Case.objects.filter(updated_at__gte=state.watermark - SAFETY_MARGIN).exclude(Exists(same))


def _pending(state: RefreshState) -> bool:
    """Whether any case may have changed since the last refresh (read without the lock)."""
    if state.watermark is None:
        return Case.objects.exists()
    return Case.objects.filter(pk__gt=state.last_case_id).exists() or _suspects(state).exists()


# On the primary, even when a dashboard that reads from the replica calls it: it reads back the
# sums it writes (ketnoi/ops/replica.py).
@reading_from_primary()
def reports_refresh(*, full: bool = False) -> Refresh:
    """Fold the cases changed since the last refresh into the sums; cheap when none did.
    `full` reads every case again (after a change to the rules or a repair by hand)."""
    started = time.monotonic()
    if not full and not _pending(_state()):
        return Refresh(read=0, changed=0, seconds=time.monotonic() - started)
    with transaction.atomic():
        _state()
        state = RefreshState.objects.select_for_update().get(pk=1)  # waits for a refresh running elsewhere
        if full or state.watermark is None:
            read, changed, newest, last_id = _fold_all()
        else:
            ids = set(_suspects(state).values_list("pk", flat=True))
            ids.update(Case.objects.filter(pk__gt=state.last_case_id).values_list("pk", flat=True))
            read = changed = 0
            newest, last_id = state.watermark, state.last_case_id
            ordered = sorted(ids)
            for first in range(0, len(ordered), CHUNK):
                r, c, n, i = _fold(Case.objects.filter(pk__in=ordered[first:first + CHUNK]))
                read, changed = read + r, changed + c
                newest, last_id = _latest(newest, n), max(last_id, i)
        state.watermark, state.last_case_id, state.refreshed_at = newest, last_id, timezone.now()
        state.save()
    return Refresh(read=read, changed=changed, seconds=time.monotonic() - started)


def reports_rebuild() -> Refresh:
    """Forget the sums and fold every case in again."""
    with transaction.atomic():
        _state()
        RefreshState.objects.select_for_update().get(pk=1)
        for model in (CaseFact, CaseCount, TopicCount, AnswerTime):
            model.objects.all().delete()
        RefreshState.objects.filter(pk=1).update(watermark=None, last_case_id=0)
        return reports_refresh(full=True)


def _fold_all() -> tuple[int, int, datetime | None, int]:
    read = changed = 0
    newest, last_id, after = None, 0, 0
    while True:
        upto = next(iter(Case.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[CHUNK - 1:CHUNK]),
                    None)
        cases = Case.objects.filter(pk__gt=after) if upto is None else Case.objects.filter(pk__gt=after, pk__lte=upto)
        r, c, n, i = _fold(cases)
        read, changed = read + r, changed + c
        newest, last_id = _latest(newest, n), max(last_id, i)
        if upto is None:
            return read, changed, newest, last_id
        after = upto


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a is not None and b is not None else a or b


def _fold(cases) -> tuple[int, int, datetime | None, int]:
    """Fold `cases` in: (read, changed, newest updated_at, highest id)."""
    rows = list(cases.values_list(*_CASE_FIELDS))
    if not rows:
        return 0, 0, None, 0
    now = timezone.now()
    ids = [row[0] for row in rows]
    old: dict[int, tuple] = {}
    for first in range(0, len(ids), 5000):
        for case_id, *fact, updated_at, folded_at in CaseFact.objects.filter(
                case_id__in=ids[first:first + 5000]).values_list(*_FACT_FIELDS, "updated_at", "folded_at"):
            old[case_id] = (tuple(fact), updated_at, folded_at)
    sums = _Sums()
    rewrite: list[tuple] = []
    changed = 0
    for case_id, updated_at, *state in rows:
        fact = fact_of(*state)
        before, before_updated, before_folded = old.get(case_id, (None, None, None))
        if before == fact and before_updated == updated_at and before_folded is not None and before_folded > updated_at:
            continue  # folded in already
        if before != fact:
            changed += 1
            if before is None or before[:9] != fact[:9]:  # not only what an open case is now (its due moment)
                if before is not None:
                    sums.add(before, -1)
                sums.add(fact, +1)
        # Also a change the figures do not count (a note, an assignment): the fact then says so.
        rewrite.append((case_id, *fact, updated_at, now))
    stale = [row[0] for row in rewrite if row[0] in old]
    for first in range(0, len(stale), 5000):
        CaseFact.objects.filter(case_id__in=stale[first:first + 5000]).delete()
    _insert(CaseFact, (*_FACT_FIELDS, "updated_at", "folded_at"), rewrite)
    sums.write()
    return len(rows), changed, max(row[1] for row in rows), max(ids)
