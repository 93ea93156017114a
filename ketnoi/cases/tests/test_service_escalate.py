"""case_escalate by hand: a leader (or coordinator) escalates with a reason, straight to the
department, which gets its own answer time."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.access import principal_for
from ketnoi.cases import access, services
from ketnoi.cases.models import CaseEvent, Level, Status

from .core_helpers import assert_state_is_replayable, at, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db

REASON = "Vướng mắc liên quan chính sách, cần Cục hướng dẫn."


@pytest.fixture
def case(w, clock):
    return file_case(w)  # due Mon 23/03/2026 17:00


def test_a_leader_escalates_to_the_department(w, clock, case, commit):
    with commit():
        services.case_escalate(case=case, by=w.leader, reason=REASON)
    escalated = fresh(case)
    assert escalated.escalation_step == 2 and escalated.level == Level.DEPARTMENT
    assert escalated.due_at == at(2026, 4, 6, 17)  # 10 more working days from the old deadline
    assert len(mail_to(w.coordinator)) == 1
    assert mail_to(w.leader) == []  # not to the leader who asked
    [event] = case.events.filter(kind=CaseEvent.Kind.ESCALATED)
    assert event.data["step"] == 2 and not event.public
    assert event.body == REASON and event.actor == w.leader
    assert_state_is_replayable(case)


def test_a_case_already_with_the_department_is_not_escalated_again(w, case):
    services.case_escalate(case=case, by=w.leader, reason=REASON)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.case_escalate(case=case, by=w.coordinator, reason=REASON)
    assert case.events.filter(kind=CaseEvent.Kind.ESCALATED).count() == 1


def test_after_escalation_the_department_leads_the_case(w, case):
    services.case_escalate(case=case, by=w.leader, reason=REASON)
    case = fresh(case)
    assert not access.may_lead(principal_for(w.leader), case)
    assert access.may_lead(principal_for(w.coordinator), case)
    assert access.may_handle(principal_for(w.officer), case)  # the unit still does the work


def test_a_reason_is_required(w, case):
    with pytest.raises(ValidationError) as error:
        services.case_escalate(case=case, by=w.leader, reason="")
    assert "reason" in error.value.message_dict
    assert fresh(case).escalation_step == 0


@pytest.mark.parametrize("who", ["officer", "other_leader", "business", "admin", "shared_officer"])
def test_only_a_leader_escalates_by_hand(w, case, who):
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    with pytest.raises(PermissionDenied):
        services.case_escalate(case=case, by=getattr(w, who), reason=REASON)
    assert fresh(case).escalation_step == 0


def test_a_coordinator_escalates_a_case_in_the_queue(w, clock):
    case = file_case(w, named_unit=None, enterprise=w.other_enterprise, by=w.other_business)
    services.case_escalate(case=case, by=w.coordinator, reason=REASON)
    assert fresh(case).escalation_step == 2


def test_a_closed_case_is_not_escalated(w, case):
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    with pytest.raises(ValidationError):
        services.case_escalate(case=case, by=w.leader, reason=REASON)
    assert fresh(case).status == Status.ANSWERED
