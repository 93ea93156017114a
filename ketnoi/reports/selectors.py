"""Reads of the reports: the case figures of the dashboards.

`case_figures` is what the dashboards, the scorecard, the year-end review and the weekly
e-mail read. `case_figures_recount` computes the same from the cases table alone: it is the
proof the tests compare the fast figures with, and the baseline the benchmark beats.

What each figure counts (every date is a local date, Asia/Ho_Chi_Minh):
- received: cases filed in the period (`received_at`);
- answered: cases whose answer was sent in the period (`answered_at`: a case reopened and
  answered again counts at its latest answer, as the case row keeps it);
- answered on time: of those, answered at or before their answer due moment (`due_at`, as it
  stands after extensions and escalations); a case with no due moment counts as on time;
- median answer time: working days (ketnoi.lib.workdays) from the day received to the day
  answered, of the cases answered in the period;
- resolved: cases resolved in the period; rated / satisfaction: ratings given in the period;
- open, overdue and the backlog are NOW figures, whatever the period.
A case counts for its current handling unit (None: the department coordinators' queue), so a
case moved to another unit takes its figures with it.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from ketnoi.cases.models import OPEN_STATUSES, Case, Topic
from ketnoi.lib.workdays import TIMEZONE, workdays_between
from ketnoi.org.models import Unit

from .models import COORDINATORS, AnswerTime, CaseCount, CaseFact, Grain, RefreshState, TopicCount
from .services import reports_refresh

TOP_TOPICS = 5
# Open cases by working days since received: (upper bound inclusive, label); None: no bound.
BACKLOG_BUCKETS: tuple[tuple[int | None, str], ...] = ((5, "0–5"), (10, "6–10"), (20, "11–20"), (None, "> 20"))


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    received: int
    answered: int
    answered_on_time: int
    resolved: int


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int | None  # None: the department coordinators' queue
    unit_name: str
    received: int
    answered: int
    answered_on_time: int
    on_time_rate: float | None
    median_answer_workdays: float | None
    rated: int
    satisfaction: float | None
    open: int
    overdue: int


@dataclass(frozen=True)
class CaseFigures:
    start: date
    end: date
    received: int
    answered: int
    answered_on_time: int
    on_time_rate: float | None
    median_answer_workdays: float | None
    resolved: int
    rated: int
    satisfaction: float | None
    open: int
    overdue: int
    top_topics: list[tuple[str, int]]
    backlog_by_age: list[tuple[str, int]]
    months: list[MonthFigures]
    by_unit: list[UnitFigures]


# --- the tally both ways fill ----------------------------------------------------------------

class _UnitTally:
    __slots__ = ("received", "answered", "on_time", "rated", "rating_sum", "answer_days", "open", "overdue")

    def __init__(self):
        self.received = self.answered = self.on_time = self.rated = self.rating_sum = 0
        self.open = self.overdue = 0
        self.answer_days: Counter[int] = Counter()


class _Tally:
    """Counters of a period, filled from the aggregates or from the cases, then read the same
    way: whatever fills it, `figures()` builds the answer."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self.months: dict[date, list[int]] = {m: [0, 0, 0, 0] for m in months_of(start, end)}
        self.units: dict[int | None, _UnitTally] = {}
        self.topics: Counter[int] = Counter()
        self.resolved = 0
        self.backlog = [0] * len(BACKLOG_BUCKETS)

    def unit(self, unit_id: int | None) -> _UnitTally:
        tally = self.units.get(unit_id)
        if tally is None:
            tally = self.units[unit_id] = _UnitTally()
        return tally

    def month(self, day: date) -> list[int]:
        return self.months[day.replace(day=1)]

    def add_backlog(self, workdays: int, n: int = 1) -> None:
        for index, (upto, _label) in enumerate(BACKLOG_BUCKETS):
            if upto is None or workdays <= upto:
                self.backlog[index] += n
                return

    def figures(self) -> CaseFigures:
        units = self.units.values()
        received = sum(u.received for u in units)
        answered = sum(u.answered for u in units)
        on_time = sum(u.on_time for u in units)
        rated = sum(u.rated for u in units)
        rating_sum = sum(u.rating_sum for u in units)
        answer_days: Counter[int] = Counter()
        for u in units:
            answer_days.update(u.answer_days)
        topic_names = {t.pk: t.name for t in Topic.objects.filter(pk__in=list(self.topics))}
        top = sorted(((topic_names.get(pk, "?"), n) for pk, n in self.topics.items() if n),
                     key=lambda item: (-item[1], item[0]))[:TOP_TOPICS]
        return CaseFigures(
            start=self.start, end=self.end, received=received, answered=answered, answered_on_time=on_time,
            on_time_rate=_ratio(on_time, answered), median_answer_workdays=median_of(answer_days),
            resolved=self.resolved, rated=rated, satisfaction=_ratio(rating_sum, rated),
            open=sum(u.open for u in units), overdue=sum(u.overdue for u in units),
            top_topics=top,
            backlog_by_age=[(gettext(label), n) for (_upto, label), n in zip(BACKLOG_BUCKETS, self.backlog)],
            months=[MonthFigures(month=m, received=v[0], answered=v[1], answered_on_time=v[2], resolved=v[3])
                    for m, v in sorted(self.months.items())],
            by_unit=self._by_unit(),
        )

    def _by_unit(self) -> list[UnitFigures]:
        shown = {k: u for k, u in self.units.items() if u.received or u.answered or u.rated or u.open}
        names = {unit.pk: unit.name for unit in Unit.objects.filter(pk__in=[k for k in shown if k is not None])}
        rows = [
            UnitFigures(
                unit_id=k, unit_name=names.get(k, "?") if k is not None else gettext("Department coordinators' queue"),
                received=u.received, answered=u.answered, answered_on_time=u.on_time,
                on_time_rate=_ratio(u.on_time, u.answered), median_answer_workdays=median_of(u.answer_days),
                rated=u.rated, satisfaction=_ratio(u.rating_sum, u.rated), open=u.open, overdue=u.overdue,
            )
            for k, u in shown.items()
        ]
        return sorted(rows, key=lambda r: (-r.received, -r.answered, -r.open, r.unit_name, r.unit_id or 0))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def median_of(histogram: Counter[int] | dict[int, int]) -> float | None:
    """The exact median of values given as {value: how many}."""
    total = sum(histogram.values())
    if not total:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle value(s)
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    return (lower + upper) / 2


def months_of(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Vietnam's time."""
    return (datetime.combine(start, time.min, TIMEZONE), datetime.combine(end + timedelta(days=1), time.min, TIMEZONE))


def local_day(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


def answered_on_time(answered_at: datetime, due_at: datetime | None) -> bool:
    return due_at is None or answered_at <= due_at


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")


# --- the recount: the cases table alone ------------------------------------------------------

def case_figures_recount(*, start: date, end: date, unit_ids: list[int] | None = None,
                         now: datetime | None = None) -> CaseFigures:
    """The figures counted from the cases table alone (slow at a million cases: the proof)."""
    _check_period(start, end)
    now = now or timezone.now()
    lo, hi = local_bounds(start, end)
    cases = Case.objects.all()
    if unit_ids is not None:
        cases = _unit_filter(cases, unit_ids)
    tally = _Tally(start, end)
    for unit_id, topic_id, received_at in cases.filter(received_at__gte=lo, received_at__lt=hi).values_list(
            "unit_id", "topic_id", "received_at").iterator(chunk_size=20000):
        tally.unit(unit_id).received += 1
        tally.topics[topic_id] += 1
        tally.month(local_day(received_at))[0] += 1
    for unit_id, received_at, answered_at, due_at in cases.filter(answered_at__gte=lo, answered_at__lt=hi).values_list(
            "unit_id", "received_at", "answered_at", "due_at").iterator(chunk_size=20000):
        u = tally.unit(unit_id)
        month = tally.month(local_day(answered_at))
        u.answered += 1
        month[1] += 1
        if answered_on_time(answered_at, due_at):
            u.on_time += 1
            month[2] += 1
        u.answer_days[workdays_between(local_day(received_at), local_day(answered_at))] += 1
    for (resolved_at,) in cases.filter(resolved_at__gte=lo, resolved_at__lt=hi).values_list(
            "resolved_at").iterator(chunk_size=20000):
        tally.resolved += 1
        tally.month(local_day(resolved_at))[3] += 1
    for unit_id, rating in cases.filter(rated_at__gte=lo, rated_at__lt=hi, rating__isnull=False).values_list(
            "unit_id", "rating").iterator(chunk_size=20000):
        u = tally.unit(unit_id)
        u.rated += 1
        u.rating_sum += rating
    _count_open(tally, cases, now)
    return tally.figures()


def _count_open(tally: _Tally, cases, now: datetime) -> None:
    """Open and overdue cases per unit, and the backlog by age, as they stand at `now`."""
    today = local_day(now)
    for unit_id, received_at, due_at, paused_at in cases.filter(status__in=OPEN_STATUSES).values_list(
            "unit_id", "received_at", "due_at", "paused_at").iterator(chunk_size=20000):
        u = tally.unit(unit_id)
        u.open += 1
        if paused_at is None and due_at is not None and due_at < now:
            u.overdue += 1
        tally.add_backlog(workdays_between(local_day(received_at), today))


def case_figures(*, start: date, end: date, unit_ids: list[int] | None = None,
                 now: datetime | None = None) -> CaseFigures:
    """The case figures of a period (inclusive, local dates) for the given handling units (None:
    all, the coordinators' queue included): read from the sums services.reports_refresh keeps
    (refreshed first): the years the period covers whole from the yearly rows, the other whole
    months from the monthly ones, the other days from the daily ones; the NOW figures from the
    open cases' facts."""
    _check_period(start, end)
    now = now or timezone.now()
    reports_refresh()
    tally = _Tally(start, end)
    units = Q() if unit_ids is None else Q(unit_key__in=[COORDINATORS if u is None else u for u in unit_ids])
    spans = _spans(start, end)
    sums = [Sum(name) for name in ("received", "answered", "answered_on_time", "resolved", "rated", "rating_sum")]
    for unit_key, received, answered, on_time, _resolved, rated, rating_sum in (
            CaseCount.objects.filter(spans & units).values_list("unit_key").order_by().annotate(*sums)):
        u = tally.unit(None if unit_key == COORDINATORS else unit_key)
        u.received, u.answered, u.on_time, u.rated, u.rating_sum = received, answered, on_time, rated, rating_sum
    # The months: the monthly rows of the whole months, the daily rows of the others.
    for day, received, answered, on_time, resolved, _rated, _rating_sum in (
            CaseCount.objects.filter(_spans(start, end, years=False) & units).values_list("day").order_by()
            .annotate(*sums)):
        month = tally.month(day)
        month[0] += received
        month[1] += answered
        month[2] += on_time
        month[3] += resolved
        tally.resolved += resolved
    for topic_id, received in TopicCount.objects.filter(spans & units).values_list("topic_id").order_by().annotate(
            Sum("received")):
        tally.topics[topic_id] += received
    for unit_key, workdays, cases in (AnswerTime.objects.filter(spans & units).values_list("unit_key", "workdays")
                                      .order_by().annotate(Sum("cases"))):
        if cases:
            tally.unit(None if unit_key == COORDINATORS else unit_key).answer_days[workdays] += cases
    _count_open_facts(tally, units, now)
    return tally.figures()


def _spans(start: date, end: date, *, years: bool = True) -> Q:
    """The rows of the sums that make up [start, end]: those of the years the period covers
    whole (with `years`), of the other months it covers whole, and of the other days."""
    where = Q(pk__in=[])
    whole_years = [y for y in range(start.year, end.year + 1) if years and start <= date(y, 1, 1)
                   and date(y, 12, 31) <= end]
    if whole_years:  # consecutive
        where |= Q(grain=Grain.YEAR, day__gte=date(whole_years[0], 1, 1), day__lte=date(whole_years[-1], 1, 1))
    whole_months = []
    for month in months_of(start, end):
        if month.year in whole_years:
            continue
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if start <= month and last <= end:
            whole_months.append(month)
        else:
            where |= Q(grain=Grain.DAY, day__gte=max(start, month), day__lte=min(end, last))
    # Whole months outside whole years: at most two runs (before and after the years).
    runs: list[list[date]] = []
    for month in whole_months:
        if runs and (runs[-1][-1] + timedelta(days=32)).replace(day=1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    for run in runs:
        where |= Q(grain=Grain.MONTH, day__gte=run[0], day__lte=run[-1])
    return where


def _unit_filter(cases, unit_ids):
    units = [u for u in unit_ids if u is not None]
    where = Q(unit_id__in=units)
    if len(units) < len(unit_ids):
        where |= Q(unit_id__isnull=True)
    return cases.filter(where)


def _count_open_facts(tally: _Tally, units: Q, now: datetime) -> None:
    """As _count_open, from the facts of the open cases (their partial index covers the query)."""
    today = local_day(now)
    open_facts = CaseFact.objects.filter(Q(is_open=True) & units)
    for unit_key, n, late in open_facts.values_list("unit_key").order_by().annotate(
            n=Count("pk"), late=Count("pk", filter=Q(paused=False, due_at__lt=now))):
        u = tally.unit(None if unit_key == COORDINATORS else unit_key)
        u.open, u.overdue = n, late
    for day, n in open_facts.values_list("received_on").order_by().annotate(n=Count("pk")):
        tally.add_backlog(workdays_between(day, today), n)


def first_case_day() -> date | None:
    """The day the first case counted was received: where "all time" starts."""
    reports_refresh()
    return CaseCount.objects.filter(grain=Grain.DAY).order_by("day").values_list("day", flat=True).first()


def last_refresh() -> datetime | None:
    """When the sums were last brought up to date."""
    return RefreshState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
