"""Reads of the dialogue programmes: the calendar, a programme's sessions, who registered, the
agenda, and the follow-ups still open."""

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ketnoi.cases.models import OPEN_STATUSES, Topic

from .models import Attendee, Programme, Question, Registration, Session

# Registrations in the order the staff read them: confirmed, then waiting (first come first
# served), then cancelled.
_STATUS_ORDER = {Registration.Status.CONFIRMED: 0, Registration.Status.WAITING: 1, Registration.Status.CANCELLED: 2}


def _with_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED),
                              distinct=True),
        waiting_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING),
                            distinct=True),
    )


def _units_and_below(unit) -> set[int]:
    from ketnoi.org.selectors import unit_descendant_ids

    return unit_descendant_ids(unit)


def _topic(topic) -> Topic | None:
    if topic is None or isinstance(topic, Topic):
        return topic
    return Topic.objects.filter(code=topic).first()


def upcoming_sessions(*, unit=None, topic=None, start: datetime | None = None,
                      end: datetime | None = None, include_held: bool = False) -> QuerySet[Session]:
    """Sessions that end after `start` (now by default) and start before `end`, of active
    programmes, each with `confirmed_count` and `waiting_count`. Cancelled sessions stay on the
    calendar (marked as such): people who noted the date must see that it will not take place.
    `unit` takes the unit's sessions and those of the units below it; `topic` is a Topic or its code.
    Held sessions are left out unless `include_held` (a period asked for in the past, e.g. by the API)."""
    start = start or timezone.now()
    qs = Session.objects.filter(programme__active=True, ends_at__gt=start)
    if not include_held:
        qs = qs.exclude(status=Session.Status.HELD)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    if unit is not None:
        qs = qs.filter(programme__unit_id__in=_units_and_below(unit))
    if topic is not None:
        found = _topic(topic)
        if found is None:
            return qs.none()
        qs = qs.filter(programme__topics=found)
    qs = Session.objects.filter(pk__in=qs.values("pk"))  # the topic join would repeat a session in the counts
    return _with_counts(qs).select_related("programme", "programme__unit").order_by("starts_at", "pk")


def programmes(*, unit=None, active_only: bool = True) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("unit").prefetch_related("topics", "hosts")
    if active_only:
        qs = qs.filter(active=True)
    if unit is not None:
        qs = qs.filter(unit_id__in=_units_and_below(unit))
    return qs.order_by("unit__code", "name", "pk")


def programme_sessions(programme: Programme) -> QuerySet[Session]:
    """Every session of the programme, past and future, with its registration counts."""
    return _with_counts(programme.sessions.all()).order_by("starts_at", "pk")


def session_registrations(session: Session) -> list[Registration]:
    """Confirmed, then waiting in the order they came, then cancelled; attendees and the
    enterprise read with them."""
    registrations = list(session.registrations.select_related("enterprise", "registered_by")
                         .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.order_by("id")))
                         .order_by("created_at", "id"))
    return sorted(registrations, key=lambda r: _STATUS_ORDER.get(r.status, 3))


def waiting_position(registration: Registration) -> int | None:
    """1 for the first registration on the waiting list; None when it is not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    return Registration.objects.filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk),
        session_id=registration.session_id, status=Registration.Status.WAITING).count() + 1


def enterprise_registrations(enterprise) -> QuerySet[Registration]:
    """An enterprise's registrations, the latest session first."""
    return (Registration.objects.filter(enterprise=enterprise)
            .select_related("session", "session__programme", "session__programme__unit")
            .prefetch_related("attendees", "questions__case")
            .order_by("-session__starts_at", "-id"))


def agenda(session: Session) -> QuerySet[Question]:
    """The session's questions in agenda order, with their case, topic, answerer and outcome.
    Withdrawn questions (of a cancelled registration) are left out: their cases stay with the unit."""
    return (session.questions.exclude(outcome=Question.Outcome.WITHDRAWN)
            .select_related("case", "case__topic", "case__enterprise", "answerer", "follow_up_owner",
                            "registration", "registration__enterprise")
            .order_by("agenda_position", "id"))


def follow_ups(*, unit=None, open_only: bool = True) -> QuerySet[Question]:
    """Questions left for follow-up, with their case's status and due date, the soonest due
    first. `unit`: the sessions of that unit and the units below it."""
    qs = Question.objects.filter(outcome=Question.Outcome.FOLLOW_UP)
    if unit is not None:
        qs = qs.filter(session__programme__unit_id__in=_units_and_below(unit))
    if open_only:
        qs = qs.filter(case__status__in=OPEN_STATUSES)
    return (qs.select_related("case", "case__topic", "case__enterprise", "follow_up_owner", "session",
                              "session__programme", "session__programme__unit")
            .order_by("follow_up_due", "id"))


def agenda_default(session: Session) -> list[Question]:
    """The agenda the leader starts from: the questions grouped by topic (in the topics' own
    order), each topic's questions in the order they came."""
    questions = list(agenda(session))
    return sorted(questions, key=lambda q: (q.case.topic.position, q.case.topic.code, q.case.received_at, q.pk))
