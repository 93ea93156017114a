"""case_assign: an officer takes a case, or a leader gives it to an officer of the unit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Status

from .core_helpers import assert_state_is_replayable, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db


def test_an_officer_takes_a_case(w):
    case = file_case(w)
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    case = fresh(case)
    assert case.assignee == w.officer
    assert case.status == Status.IN_PROGRESS and case.acknowledged_at is not None
    event = case.events.get(kind=CaseEvent.Kind.ASSIGNED)
    assert not event.public and event.actor == w.officer
    assert AuditEvent.objects.filter(action="case.assign", object_id=str(case.pk)).count() == 1
    assert_state_is_replayable(case)


def test_a_leader_assigns_an_officer_who_is_told(w, commit):
    case = file_case(w)
    with commit():
        services.case_assign(case=case, assignee=w.officer2, by=w.leader)
    assert fresh(case).assignee == w.officer2
    assert len(mail_to(w.officer2)) == 1


def test_an_officer_cannot_assign_a_colleague(w):
    case = file_case(w)
    with pytest.raises(PermissionDenied):
        services.case_assign(case=case, assignee=w.officer2, by=w.officer)
    assert fresh(case).assignee is None


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "shared_officer", "business", "party", "admin"])
def test_outsiders_cannot_take_the_case(w, who):
    case = file_case(w)
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    with pytest.raises(PermissionDenied):
        services.case_assign(case=case, assignee=getattr(w, who), by=getattr(w, who))


def test_the_assignee_must_belong_to_the_handling_unit(w):
    case = file_case(w)
    with pytest.raises(ValidationError) as error:
        services.case_assign(case=case, assignee=w.other_officer, by=w.leader)
    assert "assignee" in error.value.message_dict
    assert not case.events.filter(kind=CaseEvent.Kind.ASSIGNED).exists()


def test_assigning_the_same_officer_again_records_nothing_more(w):
    case = file_case(w)
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    services.case_assign(case=case, assignee=w.officer, by=w.leader)
    assert case.events.filter(kind=CaseEvent.Kind.ASSIGNED).count() == 1


def test_a_closed_case_cannot_be_assigned(w):
    case = file_case(w)
    services.case_answer(case=case, body="Trả lời: nộp bổ sung bảng kê.", by=w.leader)
    services.case_accept(case=case, by=w.business)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, assignee=w.officer, by=w.officer)
