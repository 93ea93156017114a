"""The weekly summary e-mail (issue 9, item 4): on Monday morning, each unit leader gets the
last ISO week's case figures of the units they lead (received, answered, answered on time) and
what is overdue now, each overdue case by its reference with a link; the department's leaders and
coordinators get the department's figures and the units with most overdue cases.

Sent by `ketnoi tick` (ketnoi.jobs) from Monday 07:00 in Vietnam's time, once per ISO week per
recipient however often the tick runs, or two at the same moment: the `WeeklySummary` row of
(user, week) is written first, under a unique key, and only the tick that wrote it sends. Only on
Monday: a leader appointed on a Thursday is not sent the week before's figures out of the blue;
when the server was down all Monday, `ketnoi report weekly` sends them (once, by the same key),
and `--dry-run` shows who would get what first.

Who is told what: a leader's section holds the cases of the units they lead and of the units
below them only (a team's under its branch), never another unit's; the department's section,
for its leaders and the coordinators, names units with their counts, no case. E-mails and the
in-app notification are in each recipient's language (notifications.notify).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ketnoi.accounts.models import Role, RoleAssignment, User
from ketnoi.cases.models import OPEN_STATUSES, Case
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.notifications.services import notify
from ketnoi.org.models import Unit

from .selectors import CaseFigures, case_figures

SEND_FROM = time(7, 0)  # Monday, Vietnam's time: before the working day starts
MAX_LISTED = 20  # overdue cases listed by reference in a section; the others are counted
TOP_UNITS = 5  # units with most overdue cases in the department's section
TEMPLATE = "reports/weekly"


def last_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week before the one ``today`` is in."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


@dataclass
class OverdueCase:
    reference: str
    subject: str
    due_at: datetime
    url: str


@dataclass
class UnitSection:
    unit: Unit
    figures: CaseFigures
    overdue_cases: list[OverdueCase]
    url: str

    @property
    def more_overdue(self) -> int:
        return self.figures.overdue - len(self.overdue_cases)

    @property
    def on_time_percent(self) -> float | None:
        rate = self.figures.on_time_rate
        return None if rate is None else 100 * rate


@dataclass
class UnitOverdue:
    unit: Unit | None  # None: the department coordinators' queue
    overdue: int
    open: int


@dataclass
class DepartmentSection:
    figures: CaseFigures
    worst_units: list[UnitOverdue]
    url: str

    @property
    def on_time_percent(self) -> float | None:
        rate = self.figures.on_time_rate
        return None if rate is None else 100 * rate


@dataclass
class Summary:
    user: User
    week_start: date
    week_end: date
    department: DepartmentSection | None = None
    units: list[UnitSection] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where the e-mail's button leads: the department's dashboard, or the first unit's."""
        if self.department is not None:
            return self.department.url
        return self.units[0].url if self.units else reverse("reports:department")


# --- who gets what ---------------------------------------------------------------------------

def _subtrees(units: list[Unit]) -> dict[int, list[int]]:
    """Each unit's id with the ids of every unit below it (the tree is small: read once)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found = {}
    for unit in units:
        ids, stack = [], [unit.pk]
        while stack:
            pk = stack.pop()
            if pk not in ids:
                ids.append(pk)
                stack += children.get(pk, [])
        found[unit.pk] = ids
    return found


def recipients(*, today: date) -> dict[int, tuple[User, bool, list[Unit]]]:
    """user id → (user, whether they get the department's section, the units they lead): the
    active leaders of units open today, the department's leaders and the coordinators."""
    found: dict[int, tuple[User, bool, list[Unit]]] = {}
    leading = (RoleAssignment.objects.filter(role=Role.LEADER, user__is_active=True)
               .select_related("user", "unit").order_by("unit__kind", "unit__code", "unit__name_vi", "user_id"))
    for assignment in leading:
        unit, user = assignment.unit, assignment.user
        if not unit.is_active_on(today):
            continue
        _user, department, units = found.get(user.pk, (user, False, []))
        if unit.kind == Unit.Kind.DEPARTMENT:
            department = True
        else:
            units = [*units, unit]
        found[user.pk] = (user, department, units)
    for user in User.objects.filter(role_assignments__role=Role.COORDINATOR, is_active=True).distinct():
        _user, _department, units = found.get(user.pk, (user, True, []))
        found[user.pk] = (user, True, units)
    return found


def _overdue_cases(unit_ids: list[int], now: datetime) -> list[OverdueCase]:
    """The longest overdue first: open, not waiting for the business, past the answer due
    (what selectors.case_figures counts as overdue)."""
    rows = (Case.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATUSES, paused_at__isnull=True,
                                due_at__lt=now)
            .order_by("due_at", "id").values_list("reference", "subject", "due_at")[:MAX_LISTED])
    return [OverdueCase(reference=reference, subject=subject, due_at=due_at,
                        url=reverse("cases:detail", args=[reference])) for reference, subject, due_at in rows]


class _Figures:
    """The figures of the week, each unit's read once however many leaders it has."""

    def __init__(self, start: date, end: date, now: datetime):
        self.start, self.end, self.now = start, end, now
        self._units: dict[int, UnitSection] = {}
        self._department: DepartmentSection | None = None
        self._subtrees: dict[int, list[int]] = {}

    def unit(self, unit: Unit) -> UnitSection:
        if unit.pk not in self._units:
            if unit.pk not in self._subtrees:
                self._subtrees.update(_subtrees([unit]))
            ids = self._subtrees[unit.pk]
            self._units[unit.pk] = UnitSection(
                unit=unit, figures=case_figures(start=self.start, end=self.end, unit_ids=ids, now=self.now),
                overdue_cases=_overdue_cases(ids, self.now), url=reverse("reports:unit", args=[unit.pk]))
        return self._units[unit.pk]

    def department(self) -> DepartmentSection:
        if self._department is None:
            figures = case_figures(start=self.start, end=self.end, now=self.now)
            self._department = DepartmentSection(figures=figures, url=reverse("reports:department"),
                                                 worst_units=_most_overdue(figures))
        return self._department


def _most_overdue(figures: CaseFigures) -> list[UnitOverdue]:
    """The units with most overdue cases, a team's counted with the branch or division it is
    part of (the units the department's leaders deal with)."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    departments = set(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).values_list("pk", flat=True))

    def top(unit_id: int | None) -> int | None:
        seen = set()
        while unit_id is not None and parents.get(unit_id) not in departments and parents.get(unit_id) is not None \
                and unit_id not in seen:
            seen.add(unit_id)
            unit_id = parents[unit_id]
        return unit_id

    counts: dict[int | None, list[int]] = {}
    for row in figures.by_unit:
        overdue_open = counts.setdefault(top(row.unit_id), [0, 0])
        overdue_open[0] += row.overdue
        overdue_open[1] += row.open
    worst = sorted(((key, n) for key, n in counts.items() if n[0]), key=lambda item: (-item[1][0], -item[1][1]))
    units = Unit.objects.in_bulk([key for key, _n in worst[:TOP_UNITS] if key is not None])
    return [UnitOverdue(unit=units.get(key), overdue=overdue, open=open_) for key, (overdue, open_) in worst[:TOP_UNITS]]


def summaries(*, now: datetime | None = None, pending_only: bool = True) -> list[Summary]:
    """The summaries of the last ISO week, one per recipient: those not yet sent this week
    (``pending_only``), or all of them."""
    from .models import WeeklySummary

    now = now or timezone.now()
    today = timezone.localtime(now, TIMEZONE).date()
    start, end = last_week(today)
    people = recipients(today=today)
    if pending_only:
        for user_id in WeeklySummary.objects.filter(week_start=start, user_id__in=people).values_list(
                "user_id", flat=True):
            people.pop(user_id, None)
    figures = _Figures(start, end, now)
    found = []
    for user, department, units in people.values():
        summary = Summary(user=user, week_start=start, week_end=end,
                          department=figures.department() if department else None,
                          units=[figures.unit(unit) for unit in units])
        found.append(summary)
    return found


def _send(summary: Summary) -> None:
    notify(user=summary.user, template=TEMPLATE, url=summary.url, context={"summary": summary})


def send_weekly(*, now: datetime | None = None) -> int:
    """Send the last week's summary to everyone who has not had it this week; the number sent.
    Each is claimed by its (user, week) row before it leaves, and sent after the claim commits."""
    from .models import WeeklySummary

    sent = 0
    for summary in summaries(now=now):
        try:
            with transaction.atomic():
                WeeklySummary.objects.create(user=summary.user, week_start=summary.week_start)
                _send(summary)
        except IntegrityError:  # another tick claimed it in the meantime: it sends
            continue
        sent += 1
    return sent


def weekly_tick(*, now: datetime | None = None) -> int:
    """The job of `ketnoi tick`: on Monday from 07:00 (Vietnam's time), the summaries not yet
    sent this week; any other time, nothing."""
    now = now or timezone.now()
    local = timezone.localtime(now, TIMEZONE)
    if local.weekday() != 0 or local.time() < SEND_FROM:
        return 0
    return send_weekly(now=now)
