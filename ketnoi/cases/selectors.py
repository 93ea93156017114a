"""Reads of cases, always through what the principal may see."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Lookup, Q, QuerySet
from django.utils import timezone

from ketnoi.accounts.access import Principal
from ketnoi.lib import customs, deadlines
from ketnoi.lib.workdays import add_work_hours

from . import access
from .models import OPEN_STATUSES, Case, CaseEvent, Status, Topic

SORTS = {
    "due": ["due_at", "id"],
    "-due": ["-due_at", "-id"],
    "received": ["received_at", "id"],
    "-received": ["-received_at", "-id"],
    "reference": ["reference"],
    "-reference": ["-reference"],
}
DUE_SOON_WORK_HOURS = 16


class _WrittenIn(Lookup):
    """`field IN ('a', 'b')` with the values written into the SQL rather than bound.

    SQLite uses a partial index only when the query repeats the index's condition literally
    (the same values in the same order): with `status IN (?, ?, ?, ?)` it cannot use
    `case_open_queue`, reads every case of the unit and sorts the open ones (on the demo, a
    queue of 11 open cases among 1,962: 3.9 ms instead of 0.1 ms). For the app's own constants only.
    """
    lookup_name = "written_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = [str(value) for value in self.rhs]
        if not all(value.isascii() and value.replace("_", "").isalnum() for value in values):
            raise ValueError(f"not a constant that can be written into SQL: {values!r}")
        written = ", ".join("'" + value + "'" for value in values)
        return f"{lhs} IN ({written})", params


def _open() -> _WrittenIn:
    """Open cases, in the words of the `case_open_queue` index (Case.Meta)."""
    return _WrittenIn(F("status"), tuple(OPEN_STATUSES))


def topics() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True)


def case_queue(*, p: Principal, status: str | None = None, topic: str | None = None, unit: int | None = None,
               overdue: bool = False, due_soon: bool = False, enterprise: int | None = None, q: str = "",
               assignee: int | None = None, no_unit: bool = False, sort: str = "due",
               now: datetime | None = None) -> QuerySet[Case]:
    """The cases a user may see, filtered. `status` may be a status or "open"; `no_unit` is the
    department coordinators' queue (cases no unit handles yet)."""
    return _filtered(access.visible_cases(p), status=status, topic=topic, unit=unit, overdue=overdue,
                     due_soon=due_soon, enterprise=enterprise, q=q, assignee=assignee, no_unit=no_unit, sort=sort,
                     now=now)


def _filtered(qs: QuerySet[Case], *, status: str | None = None, topic: str | None = None, unit: int | None = None,
              overdue: bool = False, due_soon: bool = False, enterprise: int | None = None, q: str = "",
              assignee: int | None = None, no_unit: bool = False, sort: str = "due",
              now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    qs = qs.select_related("topic", "enterprise", "unit", "assignee")
    if status == "open":
        qs = qs.filter(_open())
    elif status in Status.values:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic__code=topic)
    if unit:
        qs = qs.filter(unit_id=unit)
    if no_unit:
        qs = qs.filter(unit__isnull=True)
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    if assignee:
        qs = qs.filter(assignee_id=assignee)
    if overdue:
        qs = qs.filter(_open(), paused_at__isnull=True, due_at__lt=now)
    if due_soon:
        qs = qs.filter(_open(), paused_at__isnull=True, due_at__gte=now,
                       due_at__lte=add_work_hours(now, DUE_SOON_WORK_HOURS))
    q = (q or "").strip()
    if q:
        reference = customs.parse_reference(q)
        if reference:
            qs = qs.filter(reference=customs.format_reference(*reference))
        else:
            qs = qs.filter(Q(subject__icontains=q) | Q(enterprise__name__icontains=q) | Q(enterprise__tax_code=q))
    return qs.order_by(*SORTS.get(sort, SORTS["due"]))


# What a row of the staff queue shows (templates/cases/queue.html): the queue reads these columns
# only, not the description (up to 20,000 characters) nor every column of the joined rows.
QUEUE_ROW_FIELDS = [
    "reference", "subject", "status", "received_at", "due_at", "paused_at",
    "topic__name_vi", "topic__name_en", "enterprise__name", "enterprise__tax_code",
    "unit__name_vi", "unit__name_en", "unit__short_name_vi", "unit__short_name_en",
    "assignee__full_name", "assignee__first_name", "assignee__last_name", "assignee__username",
]


@dataclass
class QueuePage:
    cases: list[Case]
    has_next: bool
    counts: dict  # of the open cases the user may see, whatever the filters


def queue_page(*, p: Principal, number: int = 1, size: int = 25, now: datetime | None = None,
               **filters) -> QueuePage:
    """One page of `case_queue` (same filters) with the counts on top of the staff queue.

    No COUNT(*) of the matches: on a department's million cases, counting every match for a page
    number costs more than the page itself. One row more than a page tells whether there is a next one.
    """
    now = now or timezone.now()
    visible = access.visible_cases(p)  # read once for the page and the counts
    cases = _filtered(visible, now=now, **filters).only(*QUEUE_ROW_FIELDS)
    start = (number - 1) * size
    rows = list(cases[start:start + size + 1])
    return QueuePage(cases=rows[:size], has_next=len(rows) > size, counts=_open_counts(visible, now))


def case_for(*, p: Principal, reference: str) -> Case | None:
    """The case with this reference if the user may see it; None otherwise (a 404 either way)."""
    parsed = customs.parse_reference(reference)
    if parsed is None:
        return None
    case = (Case.objects.select_related("topic", "enterprise", "unit", "named_unit", "assignee", "filed_by")
            .filter(reference=customs.format_reference(*parsed)).first())
    if case is None or not access.may_view(p, case):
        return None
    return case


def timeline(*, case: Case, p: Principal) -> QuerySet[CaseEvent]:
    """The case's events; a business sees the public ones only."""
    events = case.events.select_related("actor").prefetch_related("attachments")
    if access.is_business_party(p, case) or not p.is_staff_member:
        events = events.filter(public=True)
    return events


def attachments_visible(*, case: Case, p: Principal):
    qs = case.attachments.all()
    if access.is_business_party(p, case) or not p.is_staff_member:
        qs = qs.filter(public=True)
    return qs


def similar_answers(*, text: str, limit: int = 5) -> list:
    """Published Q&A articles that look like `text`, offered while a business types its
    difficulty (the knowledge capability's similar questions)."""
    from ketnoi.knowledge.selectors import similar_articles

    return [article for article, _score in similar_articles(text=text, limit=limit)]


def topic_suggestions(*, subject: str, description: str = "", k: int = 1) -> list:
    """The topics a new case is likely about, learned from resolved cases (`ketnoi
    train-topics`), each with the words that point to it; none before a model is trained."""
    from ketnoi.knowledge.suggest import suggestion_text, topic_suggest

    return topic_suggest(text=suggestion_text(subject=subject, description=description), k=k)


def queue_counts(*, p: Principal, now: datetime | None = None) -> dict:
    return _open_counts(access.visible_cases(p), now or timezone.now())


def _open_counts(visible: QuerySet[Case], now: datetime) -> dict:
    return visible.filter(_open()).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(paused_at__isnull=True, due_at__lt=now)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
    )


def work_hours_left(case: Case, now: datetime | None = None) -> float | None:
    """Office hours until the answer is due (negative once overdue); the clock stands still
    while the case waits for the business; None once the case is no longer open."""
    if not case.is_open or case.due_at is None:
        return None
    return deadlines.work_hours_left(case.due_at, case.paused_at or now or timezone.now())
