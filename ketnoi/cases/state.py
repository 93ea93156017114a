"""A case's state is derived from its timeline: `apply` folds one event into the cached fields
of the case row, `replay` rebuilds them from all events. Pure: no queries, no policy look-ups
(the deadlines an event set travel in its data)."""

from datetime import datetime

from .models import Case, CaseEvent, Level, Status

Kind = CaseEvent.Kind

CACHED_FIELDS = [
    "status", "level", "priority", "received_at", "acknowledge_due_at", "acknowledged_at", "due_at", "paused_at",
    "answered_at", "resolved_at", "escalation_step", "needs_review", "forwarded_to", "forward_due_at", "rating",
    "rating_comment", "rated_at", "unit_id", "assignee_id",
]


def _when(value) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def apply(case: Case, event: CaseEvent) -> None:
    kind, data, at = event.kind, event.data or {}, event.at
    if kind == Kind.FILED:
        case.status, case.level, case.received_at = Status.NEW, Level.UNIT, at
        case.priority = bool(data.get("priority"))
        case.acknowledge_due_at, case.due_at = _when(data.get("acknowledge_due")), _when(data.get("due"))
    elif kind in (Kind.ROUTED, Kind.REASSIGNED):
        case.unit_id = data.get("unit")
        if kind == Kind.REASSIGNED:
            case.assignee_id = None
    elif kind == Kind.ASSIGNED:
        case.assignee_id = data.get("assignee")
        _acknowledge(case, at)
    elif kind in (Kind.ACKNOWLEDGED, Kind.MESSAGE):
        _acknowledge(case, at)
    elif kind == Kind.INFO_REQUESTED:
        _acknowledge(case, at)
        case.status, case.paused_at = Status.WAITING, at
    elif kind == Kind.BUSINESS_REPLIED:
        if case.status == Status.WAITING:
            case.status, case.paused_at = Status.IN_PROGRESS, None
        if data.get("due"):
            case.due_at = _when(data["due"])
    elif kind == Kind.ANSWER_SUBMITTED:
        # Submitted while waiting for the business: the wait is over, the clock runs again.
        case.status, case.paused_at = Status.PENDING_APPROVAL, None
        if data.get("due"):
            case.due_at = _when(data["due"])
    elif kind == Kind.ANSWER_REJECTED:
        case.status = Status.IN_PROGRESS
    elif kind == Kind.ANSWERED:
        _acknowledge(case, at)
        case.status, case.answered_at, case.paused_at, case.needs_review = Status.ANSWERED, at, None, False
        if data.get("due"):
            case.due_at = _when(data["due"])
    elif kind == Kind.RESOLVED:
        case.status, case.resolved_at, case.paused_at = Status.RESOLVED, at, None
    elif kind == Kind.REOPENED:
        case.status, case.resolved_at, case.answered_at = Status.IN_PROGRESS, None, None
        case.needs_review = bool(data.get("review"))
        if data.get("due"):
            case.due_at = _when(data["due"])
    elif kind == Kind.RATED:
        case.rating, case.rating_comment, case.rated_at = data.get("score"), event.body, at
    elif kind == Kind.ESCALATED:
        case.escalation_step = max(case.escalation_step, int(data.get("step", case.escalation_step + 1)))
        if data.get("level"):
            case.level = data["level"]
        if data.get("due"):
            case.due_at = _when(data["due"])
    elif kind == Kind.DUE_SET:
        case.due_at = _when(data.get("due"))
    elif kind == Kind.FORWARDED:
        _acknowledge(case, at)
        case.status, case.forwarded_to, case.paused_at = Status.FORWARDED, data.get("to", ""), None
        case.forward_due_at = _when(data.get("forward_due"))
    # Notes, reminders, breaches, shares, drafts and acceptances change no cached field.


def _acknowledge(case: Case, at: datetime) -> None:
    if case.acknowledged_at is None:
        case.acknowledged_at = at
    if case.status == Status.NEW:
        case.status = Status.IN_PROGRESS


def replay(case: Case, events) -> Case:
    """A copy of `case` with its cached fields rebuilt from `events` (in timeline order)."""
    fresh = Case(pk=case.pk, reference=case.reference)
    for event in events:
        apply(fresh, event)
    return fresh


def cached_state(case: Case) -> dict:
    return {name: getattr(case, name) for name in CACHED_FIELDS}
