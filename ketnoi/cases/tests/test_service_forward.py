"""case_forward: outside the department's competence, forwarded within 5 working days
(Decree 20/2008/NĐ-CP Art. 9.1.d)."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Status

from .core_helpers import Clock, assert_state_is_replayable, at, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db

TO = "Sở Công Thương TP. Hồ Chí Minh"
REASON = "Giấy phép nhập khẩu thuộc thẩm quyền Bộ Công Thương."


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 6, 16))  # Friday


def test_a_leader_forwards_and_the_limit_is_recorded(w, clock, commit):
    case = file_case(w)
    clock.set(2026, 3, 12, 10)
    with commit():
        services.case_forward(case=case, to=TO, reason=REASON, by=w.leader)
    case = fresh(case)
    assert case.status == Status.FORWARDED and not case.is_open
    assert case.forwarded_to == TO
    assert case.forward_due_at == at(2026, 3, 13, 17)  # 5 working days after Friday 06/03
    event = case.events.get(kind=CaseEvent.Kind.FORWARDED)
    assert event.public and event.body == REASON
    assert event.data["on_time"] is True and datetime.fromisoformat(event.data["forward_due"]) == case.forward_due_at
    assert len(mail_to(w.business)) == 1 and TO in mail_to(w.business)[0].body
    assert_state_is_replayable(case)


def test_a_late_forward_is_recorded_as_late(w, clock):
    case = file_case(w)
    clock.set(2026, 3, 16, 9)
    services.case_forward(case=case, to=TO, reason=REASON, by=w.coordinator)
    assert case.events.get(kind=CaseEvent.Kind.FORWARDED).data["on_time"] is False


def test_a_case_forwarded_while_waiting_no_longer_waits(w, clock):
    case = file_case(w)
    services.case_request_info(case=case, body="Bổ sung giấy phép.", by=w.officer)
    services.case_forward(case=case, to=TO, reason=REASON, by=w.leader)
    assert fresh(case).paused_at is None
    assert_state_is_replayable(case)


@pytest.mark.parametrize("fields", [{"to": " "}, {"reason": ""}])
def test_it_needs_the_body_and_the_reason(w, clock, fields):
    case = file_case(w)
    with pytest.raises(ValidationError):
        services.case_forward(case=case, by=w.leader, **{"to": TO, "reason": REASON, **fields})
    assert fresh(case).status == Status.NEW


@pytest.mark.parametrize("who", ["officer", "other_leader", "business", "admin"])
def test_only_a_leader_of_the_unit_or_a_coordinator_forwards(w, clock, who):
    case = file_case(w)
    with pytest.raises(PermissionDenied):
        services.case_forward(case=case, to=TO, reason=REASON, by=getattr(w, who))


def test_a_forwarded_case_is_not_forwarded_again(w, clock):
    case = file_case(w)
    services.case_forward(case=case, to=TO, reason=REASON, by=w.leader)
    with pytest.raises(ValidationError):
        services.case_forward(case=case, to=TO, reason=REASON, by=w.leader)
