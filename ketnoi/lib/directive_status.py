"""Where a unit stands with a directive: its acknowledgement and its implementation report.

Pure functions of the dates, so that the matrix page, the API, the export and the escalation
job say the same thing.
"""

from datetime import date, datetime, timedelta

# Acknowledgement
NOT_REQUIRED = "not_required"
PENDING = "pending"            # asked, not yet due
OVERDUE = "overdue"            # asked, past due, not acknowledged
ON_TIME = "on_time"            # acknowledged by the deadline
LATE = "late"                  # acknowledged after the deadline

# Implementation report (also NOT_REQUIRED, PENDING, OVERDUE, ON_TIME, LATE)

LATE_STATES = frozenset({OVERDUE, LATE})


def ack_due(issued_at: datetime, hours: int | None) -> datetime | None:
    """The moment a unit must have acknowledged: calendar hours after issue (an instruction in a
    crisis does not wait for Monday)."""
    return None if hours is None else issued_at + timedelta(hours=hours)


def acknowledgement(*, due_at: datetime | None, acknowledged_at: datetime | None, now: datetime) -> str:
    if acknowledged_at is not None:
        return LATE if due_at is not None and acknowledged_at > due_at else ON_TIME
    if due_at is None:
        return NOT_REQUIRED
    return OVERDUE if now > due_at else PENDING


def report(*, due: date | None, reported_on: date | None, today: date) -> str:
    """A report is due by the end of its day."""
    if reported_on is not None:
        return LATE if due is not None and reported_on > due else ON_TIME
    if due is None:
        return NOT_REQUIRED
    return OVERDUE if today > due else PENDING


def changes(before: dict, after: dict) -> tuple[list, list, list]:
    """What changed between two days' sets of directives in force, each given as {chain: version
    id}: the chains that came into force, the chains whose version changed (as (old, new) ids),
    and the chains no longer in force."""
    added = [after[c] for c in after if c not in before]
    replaced = [(before[c], after[c]) for c in after if c in before and before[c] != after[c]]
    ended = [before[c] for c in before if c not in after]
    return added, replaced, ended
