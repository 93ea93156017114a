"""Reads of cases, always through what the principal may see."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
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


def topics() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True)


def case_queue(*, p: Principal, status: str | None = None, topic: str | None = None, unit: int | None = None,
               overdue: bool = False, due_soon: bool = False, enterprise: int | None = None, q: str = "",
               assignee: int | None = None, no_unit: bool = False, sort: str = "due",
               now: datetime | None = None) -> QuerySet[Case]:
    """The cases a user may see, filtered. `status` may be a status or "open"; `no_unit` is the
    department coordinators' queue (cases no unit handles yet)."""
    now = now or timezone.now()
    qs = access.visible_cases(p).select_related("topic", "enterprise", "unit", "assignee")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
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
        qs = qs.filter(status__in=OPEN_STATUSES, paused_at__isnull=True, due_at__lt=now)
    if due_soon:
        qs = qs.filter(status__in=OPEN_STATUSES, paused_at__isnull=True, due_at__gte=now,
                       due_at__lte=add_work_hours(now, DUE_SOON_WORK_HOURS))
    q = (q or "").strip()
    if q:
        reference = customs.parse_reference(q)
        if reference:
            qs = qs.filter(reference=customs.format_reference(*reference))
        else:
            qs = qs.filter(Q(subject__icontains=q) | Q(enterprise__name__icontains=q) | Q(enterprise__tax_code=q))
    return qs.order_by(*SORTS.get(sort, SORTS["due"]))


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
    """Published answers that look like `text`, offered while a business types its subject.

    The knowledge capability (issue #4) fills this in; until then there are none.
    """
    return []


def queue_counts(*, p: Principal, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    return access.visible_cases(p).filter(status__in=OPEN_STATUSES).aggregate(
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
