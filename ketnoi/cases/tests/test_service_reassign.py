"""case_reassign: a leader (or a coordinator) moves a case to another unit, with a reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.accounts.access import principal_for
from ketnoi.cases import access, services
from ketnoi.cases.models import CaseEvent, Status
from ketnoi.org.models import Unit
from ketnoi.org.services import unit_close
from ketnoi.testing import make_unit

from .core_helpers import assert_state_is_replayable, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db

REASON = "Hàng đã làm thủ tục tại Chi cục Khu vực II."


@pytest.fixture
def case(w):
    case = file_case(w)
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    return case


def test_a_leader_moves_the_case_with_a_reason(w, case, commit):
    with commit():
        services.case_reassign(case=case, unit=w.other_unit, reason=REASON, by=w.leader)
    case = fresh(case)
    assert case.unit == w.other_unit and case.assignee is None
    assert case.status == Status.IN_PROGRESS
    event = case.events.get(kind=CaseEvent.Kind.REASSIGNED)
    assert not event.public and event.body == REASON
    assert event.data == {"unit": w.other_unit.pk, "from": w.unit.pk}
    assert len(mail_to(w.other_leader)) == 1
    assert_state_is_replayable(case)
    # The old unit no longer sees it; the new one does.
    assert not access.may_view(principal_for(w.officer), case)
    assert access.may_handle(principal_for(w.other_officer), case)


def test_a_reason_is_required(w, case):
    with pytest.raises(ValidationError) as error:
        services.case_reassign(case=case, unit=w.other_unit, reason="  ", by=w.leader)
    assert "reason" in error.value.message_dict
    assert fresh(case).unit == w.unit


@pytest.mark.parametrize("who", ["officer", "other_leader", "other_officer", "business", "admin", "party"])
def test_only_the_units_leader_or_a_coordinator_moves_it(w, case, who):
    with pytest.raises(PermissionDenied):
        services.case_reassign(case=case, unit=w.other_unit, reason=REASON, by=getattr(w, who))
    assert fresh(case).unit == w.unit


def test_it_refuses_to_move_a_case_where_it_already_is(w, case):
    with pytest.raises(ValidationError):
        services.case_reassign(case=case, unit=w.unit, reason=REASON, by=w.leader)


def test_a_case_goes_back_to_the_coordinators_queue_and_out_of_it(w, case):
    services.case_reassign(case=case, unit=None, reason="Không thuộc đơn vị.", by=w.leader)
    assert fresh(case).unit is None
    with pytest.raises(ValidationError):
        services.case_reassign(case=case, unit=None, reason="Again.", by=w.coordinator)
    services.case_reassign(case=case, unit=w.other_unit, reason=REASON, by=w.coordinator)
    assert fresh(case).unit == w.other_unit
    assert case.events.filter(kind=CaseEvent.Kind.REASSIGNED).count() == 2


def test_a_closed_case_is_not_moved(w, case):
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_accept(case=case, by=w.business)
    with pytest.raises(ValidationError):
        services.case_reassign(case=case, unit=w.other_unit, reason=REASON, by=w.leader)


def test_a_case_moved_to_a_closed_unit_goes_to_its_successor(w, case):
    old = make_unit(valid_from=date(2020, 1, 1))
    unit_close(unit=old, on=timezone.localdate() - timedelta(days=1), change=Unit.Change.MERGED,
               successor=w.other_unit, by=None)
    services.case_reassign(case=case, unit=Unit.objects.get(pk=old.pk), reason=REASON, by=w.leader)
    assert fresh(case).unit == w.other_unit
