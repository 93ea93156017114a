"""case_set_due: the answer's due moment set by hand (e.g. promised at a dialogue session),
with its reason on the timeline the business reads; the tick then runs against it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Status
from ketnoi.lib.deadlines import end_of_workday

from .core_helpers import assert_state_is_replayable, at, file_case, fresh

pytestmark = pytest.mark.django_db

REASON = "Tại buổi Cà phê sáng ngày 06/03/2026, Chi cục hẹn trả lời sau khi xin ý kiến Cục."


def test_it_sets_the_due_moment_with_its_reason_on_the_public_timeline(w, clock):
    case = file_case(w)
    due = end_of_workday(at(2026, 3, 27).date())
    services.case_set_due(case=case, due_at=due, reason=REASON, by=w.officer)
    case = fresh(case)
    assert case.due_at == due and case.status == Status.NEW
    event = case.events.get(kind=CaseEvent.Kind.DUE_SET)
    assert event.public and event.body == REASON and event.actor == w.officer
    assert event.data["due"] == due.isoformat()
    assert AuditEvent.objects.filter(action="case.set_due", object_id=str(case.pk)).count() == 1
    assert_state_is_replayable(case)


def test_the_tick_breaches_against_the_new_moment(w, clock):
    case = file_case(w)
    services.case_set_due(case=case, due_at=at(2026, 3, 11, 17), reason=REASON, by=w.leader)
    clock.set(2026, 3, 12, 9)
    services.cases_tick()
    assert fresh(case).events.filter(kind=CaseEvent.Kind.BREACH, data__deadline="answer").exists()


@pytest.mark.parametrize("who", ["other_officer", "business", "party", "admin"])
def test_it_refuses_anyone_who_does_not_handle_the_case(w, clock, who):
    case = file_case(w)
    with pytest.raises(PermissionDenied):
        services.case_set_due(case=case, due_at=at(2026, 3, 27, 17), reason=REASON, by=getattr(w, who))
    assert not fresh(case).events.filter(kind=CaseEvent.Kind.DUE_SET).exists()


@pytest.mark.parametrize("due, reason, field", [
    (at(2026, 3, 1, 17), REASON, "due_at"), (None, REASON, "due_at"), (at(2026, 3, 27, 17), " ", "reason")])
def test_it_refuses_bad_input(w, clock, due, reason, field):
    case = file_case(w)
    before = fresh(case).due_at
    with pytest.raises(ValidationError) as raised:
        services.case_set_due(case=case, due_at=due, reason=reason, by=w.officer)
    assert field in raised.value.message_dict
    assert fresh(case).due_at == before and not AuditEvent.objects.filter(action="case.set_due").exists()


def test_it_refuses_a_closed_case(w, clock):
    case = file_case(w)
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    with pytest.raises(ValidationError):
        services.case_set_due(case=case, due_at=at(2026, 3, 27, 17), reason=REASON, by=w.officer)
