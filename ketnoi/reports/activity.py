"""Reads of the other capabilities for a period and a set of units, for the dashboards, the
public scorecard and the year-end review: dialogue sessions and their outcomes, price
commitments kept and broken, directives acknowledged. The cases' figures are R1's
(`reports.selectors.case_figures`).

A period is two local dates, both included (Asia/Ho_Chi_Minh). `unit_ids` are taken as given
(the caller adds the units below a unit when it wants them); None means every unit.

What the figures mean:
- dialogue: a session belongs to the period by the day it started (held) or was planned for
  (cancelled); its counts are those of the programme dashboard (`dialogue.dashboard`), read
  with the same grouped queries: businesses checked in, their people, questions raised
  (withdrawn ones left out), answered on the spot, followed up, follow-ups closed (on time or
  late, whenever), the survey's mean;
- prices: a commitment is in force in the period when its own period overlaps it; it is broken
  in the period when a breach of it was found in the period; kept when no breach of it was found
  up to the period's end; one broken before the period and not again is neither (counted apart).
  A unit's commitments are those whose baseline lists are of its facilities. Operators' and
  facilities' names are public (they are on the price board);
- directives: the versions issued in the period (local day) and sent to the units; each
  recipient unit's acknowledgement as `lib.directive_status` reads it at `now`, and the
  implementation reports asked of them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from ketnoi.lib import directive_status
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.org.models import Unit


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as [first moment, moment after the last day) in Vietnam's time."""
    return (datetime.combine(start, time.min, tzinfo=TIMEZONE),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=TIMEZONE))


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _unit_names(ids) -> dict[int, str]:
    return {unit.pk: unit.short_name for unit in Unit.objects.filter(pk__in=[i for i in ids if i is not None])}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- dialogue --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DialogueCounts:
    held: int = 0
    cancelled: int = 0
    businesses: int = 0           # registrations checked in (a business counted at each session it came to)
    attendees: int = 0            # their people
    questions: int = 0            # raised, withdrawn ones left out
    answered_on_spot: int = 0
    followed_up: int = 0
    follow_ups_closed: int = 0    # answered or resolved since, on time or late
    follow_ups_overdue: int = 0   # still open past their due date
    responses: int = 0            # survey answers
    satisfaction_total: int = 0

    @property
    def satisfaction(self) -> float | None:
        return self.satisfaction_total / self.responses if self.responses else None

    @property
    def answered_share(self) -> float | None:
        return _share(self.answered_on_spot, self.questions)


@dataclass(frozen=True)
class DialogueMonth(DialogueCounts):
    month: date = date.min


@dataclass(frozen=True)
class DialogueUnit(DialogueCounts):
    unit_id: int | None = None
    unit_name: str = ""


@dataclass(frozen=True)
class DialogueFigures(DialogueCounts):
    start: date = date.min
    end: date = date.min
    months: list[DialogueMonth] = field(default_factory=list)
    by_unit: list[DialogueUnit] = field(default_factory=list)


_DIALOGUE_KEYS = {"businesses": "attended", "attendees": "people", "questions": "questions",
                  "answered_on_spot": "answered", "followed_up": "follow_ups", "follow_ups_overdue": "overdue",
                  "responses": "responses", "satisfaction_total": "satisfaction_total"}


def _add(total: dict, counts: dict) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + (value or 0)


def dialogue_figures(*, start: date, end: date, unit_ids: list[int] | None = None,
                     today: date | None = None) -> DialogueFigures:
    """Sessions held and cancelled in the period and what came of the held ones, in total, by
    month and by the programme's unit (six queries whatever the number of sessions; two when
    none was held)."""
    from ketnoi.dialogue import dashboard
    from ketnoi.dialogue.models import Session

    today = today or timezone.localdate()
    since, until = _bounds(start, end)
    sessions = Session.objects.all()
    if unit_ids is not None:
        sessions = sessions.filter(programme__unit_id__in=unit_ids)
    # Held sessions by the day they started, cancelled ones by the day they were planned for: one read.
    held_or_cancelled = sessions.filter(
        Q(status=Session.Status.HELD, starts_at__gte=since, starts_at__lt=until)
        | Q(status=Session.Status.CANCELLED, occurrence__gte=since, occurrence__lt=until))
    where, cancelled = {}, []
    for pk, status, unit_id, starts_at, occurrence in held_or_cancelled.values_list(
            "pk", "status", "programme__unit_id", "starts_at", "occurrence"):
        if status == Session.Status.HELD:
            where[pk] = (unit_id, timezone.localtime(starts_at, TIMEZONE).date().replace(day=1))
        else:
            cancelled.append((unit_id, occurrence))
    # The programme dashboard's own grouped counts, one row per held session (none to count
    # when no session was held).
    counts = dashboard._grouped(Session.objects.filter(pk__in=list(where)), "session", today) if where else {}

    total: dict = {}
    by_month: dict[date, dict] = {month: {} for month in _months(start, end)}
    by_unit: dict[int, dict] = {}
    for pk, (unit_id, month) in where.items():
        row = counts.get(pk, {})
        mapped = {mine: row.get(theirs) or 0 for mine, theirs in _DIALOGUE_KEYS.items()}
        mapped["follow_ups_closed"] = (row.get("on_time") or 0) + (row.get("late") or 0)
        mapped["held"] = 1
        for target in (total, by_month.setdefault(month, {}), by_unit.setdefault(unit_id, {})):
            _add(target, mapped)
    for unit_id, occurrence in cancelled:
        month = timezone.localtime(occurrence, TIMEZONE).date().replace(day=1)
        for target in (total, by_month.setdefault(month, {}), by_unit.setdefault(unit_id, {})):
            _add(target, {"cancelled": 1})

    names = _unit_names(by_unit)
    units = [DialogueUnit(unit_id=unit_id, unit_name=names.get(unit_id, ""), **values)
             for unit_id, values in by_unit.items()]
    units.sort(key=lambda u: (-u.held, -u.businesses, u.unit_name))
    return DialogueFigures(start=start, end=end, **total,
                           months=[DialogueMonth(month=month, **values) for month, values in sorted(by_month.items())],
                           by_unit=units)


# --- prices ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BreachRow:
    found_on: date
    operator: str
    facilities: str        # the facilities whose list raised prices (public names)
    services_raised: int
    follow_up: str         # the follow-up's label
    commitment_id: int


@dataclass(frozen=True)
class PriceUnit:
    unit_id: int
    unit_name: str
    in_force: int
    kept: int
    broken: int


@dataclass(frozen=True)
class PriceFigures:
    start: date
    end: date
    in_force: int          # commitments whose period overlaps the period
    kept: int              # of them, no breach found up to the period's end
    broken: int            # of them, a breach found in the period
    broken_before: int     # broken before the period, not again in it
    operators: int         # operators with a commitment in force
    facilities: int        # facilities their baselines cover
    breaches: list[BreachRow] = field(default_factory=list)
    by_unit: list[PriceUnit] = field(default_factory=list)

    @property
    def kept_share(self) -> float | None:
        return _share(self.kept, self.in_force)


def price_figures(*, start: date, end: date, unit_ids: list[int] | None = None) -> PriceFigures:
    """Commitments in force in the period, kept and broken, and the breaches found in it (four
    queries: the covered facilities, the breaches up to the period's end, the units' names)."""
    from ketnoi.prices.models import Breach, Commitment

    since, until = _bounds(start, end)
    commitments = Commitment.objects.filter(period_from__lte=end, period_to__gte=start)
    if unit_ids is not None:
        commitments = commitments.filter(baselines__facility__unit_id__in=unit_ids)
    # (commitment, operator, facility, unit) of every baseline list: a commitment covers several facilities.
    covered = list(Commitment.baselines.through.objects.filter(commitment_id__in=commitments.values("pk"))
                   .values_list("commitment_id", "commitment__operator_id", "pricelist__facility_id",
                                "pricelist__facility__unit_id"))
    if unit_ids is not None:
        covered = [row for row in covered if row[3] in unit_ids]
    ids = {commitment_id for commitment_id, _o, _f, _u in covered}
    if not ids:
        return PriceFigures(start=start, end=end, in_force=0, kept=0, broken=0, broken_before=0, operators=0,
                            facilities=0)
    breaches = Breach.objects.filter(commitment_id__in=ids, found_at__lt=until)
    if unit_ids is not None:
        breaches = breaches.filter(price_list__facility__unit_id__in=unit_ids)
    # Every breach up to the period's end, once (a commitment is broken a few times at most).
    found = list(breaches.select_related("commitment__operator", "price_list__facility")
                 .annotate(raised=Count("items")).order_by("found_at", "id"))
    in_period = [breach for breach in found if breach.found_at >= since]
    broken = {breach.commitment_id for breach in in_period}
    broken_by_end = {breach.commitment_id for breach in found}
    kept = ids - broken_by_end
    rows = [BreachRow(found_on=timezone.localtime(breach.found_at, TIMEZONE).date(),
                      operator=breach.commitment.operator.short_name or breach.commitment.operator.name,
                      facilities=breach.price_list.facility.name, services_raised=breach.raised,
                      follow_up=str(breach.get_follow_up_display()), commitment_id=breach.commitment_id)
            for breach in in_period]

    per_unit: dict[int, set[int]] = {}
    for commitment_id, _operator, _facility, unit_id in covered:
        per_unit.setdefault(unit_id, set()).add(commitment_id)
    broken_in_unit: dict[int, set[int]] = {}
    for breach in in_period:
        broken_in_unit.setdefault(breach.price_list.facility.unit_id, set()).add(breach.commitment_id)
    names = _unit_names(per_unit)
    units = [PriceUnit(unit_id=unit_id, unit_name=names.get(unit_id, ""), in_force=len(mine),
                       kept=len(mine & kept), broken=len(mine & broken_in_unit.get(unit_id, set())))
             for unit_id, mine in per_unit.items()]
    units.sort(key=lambda u: (-u.in_force, u.unit_name))
    return PriceFigures(start=start, end=end, in_force=len(ids), kept=len(kept), broken=len(broken),
                        broken_before=len((broken_by_end - broken) & ids),
                        operators=len({operator for _c, operator, _f, _u in covered}),
                        facilities=len({facility for _c, _o, facility, _u in covered}),
                        breaches=rows, by_unit=units)


# --- directives ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DirectiveCounts:
    recipients: int = 0            # (directive, unit) pairs
    acknowledged: int = 0
    acknowledged_on_time: int = 0  # by the deadline, or with none asked
    acknowledgement_overdue: int = 0  # asked, past due, not acknowledged (at `now`)
    reports_due: int = 0           # implementation reports asked for
    reports_received: int = 0
    reports_on_time: int = 0
    reports_overdue: int = 0       # asked, past due, not filed (at `now`)

    @property
    def acknowledged_share(self) -> float | None:
        return _share(self.acknowledged, self.recipients)

    @property
    def on_time_share(self) -> float | None:
        return _share(self.acknowledged_on_time, self.acknowledged)


@dataclass(frozen=True)
class DirectiveUnit(DirectiveCounts):
    unit_id: int = 0
    unit_name: str = ""


@dataclass(frozen=True)
class DirectiveFigures(DirectiveCounts):
    start: date = date.min
    end: date = date.min
    issued: int = 0                # versions issued in the period (sent to the units asked about)
    by_unit: list[DirectiveUnit] = field(default_factory=list)


def directive_figures(*, start: date, end: date, unit_ids: list[int] | None = None,
                      now: datetime | None = None) -> DirectiveFigures:
    """The directives issued in the period and where their recipient units stand with them
    (four queries)."""
    from ketnoi.directives.models import Recipient

    now = now or timezone.now()
    today = timezone.localtime(now, TIMEZONE).date()
    since, until = _bounds(start, end)
    recipients = Recipient.objects.filter(directive__issued_at__gte=since, directive__issued_at__lt=until)
    if unit_ids is not None:
        recipients = recipients.filter(unit_id__in=unit_ids)
    acknowledged = Q(acknowledged_at__isnull=False)
    asked_report = Q(directive__report_due__isnull=False)
    reported = Q(reported_at__isnull=False)
    rows = (recipients.values("unit_id").order_by().annotate(
                recipients=Count("id"),
                acknowledged=Count("id", filter=acknowledged),
                acknowledged_on_time=Count("id", filter=acknowledged & (
                    Q(ack_due_at__isnull=True) | Q(acknowledged_at__lte=F("ack_due_at")))),
                acknowledgement_overdue=Count("id", filter=Q(acknowledged_at__isnull=True, ack_due_at__lt=now)),
                reports_due=Count("id", filter=asked_report),
                reports_received=Count("id", filter=asked_report & reported),
                reports_overdue=Count("id", filter=asked_report & Q(reported_at__isnull=True,
                                                                    directive__report_due__lt=today))))
    # A report is on time when filed by the end of its due day, Vietnam's time (lib.directive_status):
    # read here for the few reports filed, rather than converting every row's time in the database.
    on_time: dict[int, int] = {}
    for unit_id, reported_at, due in (recipients.filter(asked_report & reported)
                                      .values_list("unit_id", "reported_at", "directive__report_due")):
        state = directive_status.report(due=due, reported_on=timezone.localtime(reported_at, TIMEZONE).date(),
                                        today=today)
        on_time[unit_id] = on_time.get(unit_id, 0) + (state == directive_status.ON_TIME)
    total: dict = {}
    units = []
    per_unit = [{**row, "reports_on_time": on_time.get(row["unit_id"], 0)} for row in rows]
    names = _unit_names(row["unit_id"] for row in per_unit)
    for row in per_unit:
        unit_id = row.pop("unit_id")
        _add(total, row)
        units.append(DirectiveUnit(unit_id=unit_id, unit_name=names.get(unit_id, ""), **row))
    units.sort(key=lambda u: (-u.recipients, u.unit_name))
    issued = recipients.values("directive_id").distinct().count()
    return DirectiveFigures(start=start, end=end, issued=issued, by_unit=units, **total)


# --- the public scorecard --------------------------------------------------------------------------

# Below this many answered (or rated) cases a unit's rate says more about one business than about
# the unit, and could point at it: the scorecard shows "too few to measure" instead.
MIN_CASES = 5


@dataclass(frozen=True)
class ScorecardRow:
    unit_id: int | None        # None: the department's coordinators
    unit_name: str
    answered: int
    on_time_rate: float | None            # None when fewer than MIN_CASES answered
    median_answer_workdays: float | None  # likewise
    rated: int
    satisfaction: float | None            # None when fewer than MIN_CASES rated
    sessions_held: int

    @property
    def too_few_answered(self) -> bool:
        return self.answered < MIN_CASES

    @property
    def too_few_rated(self) -> bool:
        return self.rated < MIN_CASES


def scorecard(*, start: date, end: date) -> list[ScorecardRow]:
    """Per handling unit: its cases' on-time rate, median answer time and satisfaction, and the
    dialogue sessions its programmes held; aggregates only."""
    from ketnoi.reports.selectors import case_figures

    cases = case_figures(start=start, end=end)
    sessions = {row.unit_id: row.held for row in dialogue_figures(start=start, end=end).by_unit}
    rows = []
    for unit in cases.by_unit:
        enough, rated_enough = unit.answered >= MIN_CASES, unit.rated >= MIN_CASES
        rows.append(ScorecardRow(
            unit_id=unit.unit_id, unit_name=unit.unit_name, answered=unit.answered,
            on_time_rate=unit.on_time_rate if enough else None,
            median_answer_workdays=unit.median_answer_workdays if enough else None,
            rated=unit.rated, satisfaction=unit.satisfaction if rated_enough else None,
            sessions_held=sessions.pop(unit.unit_id, 0)))
    names = _unit_names(sessions)
    for unit_id, held in sessions.items():
        rows.append(ScorecardRow(unit_id=unit_id, unit_name=names.get(unit_id, ""), answered=0, on_time_rate=None,
                                 median_answer_workdays=None, rated=0, satisfaction=None, sessions_held=held))
    rows.sort(key=lambda r: r.unit_name.lower())
    return rows
