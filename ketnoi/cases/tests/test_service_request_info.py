"""case_request_info: asking the business for more stops the clock until it replies."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases import selectors, services
from ketnoi.cases.models import Answer, CaseEvent, Status
from ketnoi.accounts.access import principal_for
from ketnoi.lib.workdays import work_hours_between

from .core_helpers import assert_state_is_replayable, at, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db

ASK = "Đề nghị bổ sung bảng kê nguyên liệu nhập khẩu và hợp đồng gia công."
REPLY = "Công ty gửi bổ sung bảng kê và hợp đồng số 12/2025/HĐGC."


@pytest.fixture
def case(w, clock):
    case = file_case(w)  # Mon 09/03 09:00: due Mon 23/03 17:00
    assert fresh(case).due_at == at(2026, 3, 23, 17)
    return case


def test_it_pauses_the_clock_and_asks_the_business(w, clock, case, commit):
    clock.set(2026, 3, 10, 10)
    with commit():
        services.case_request_info(case=case, body=ASK, by=w.officer)
    case = fresh(case)
    assert case.status == Status.WAITING
    assert case.paused_at == at(2026, 3, 10, 10)
    assert case.acknowledged_at == at(2026, 3, 10, 10)
    event = case.events.get(kind=CaseEvent.Kind.INFO_REQUESTED)
    assert event.public and event.body == ASK
    assert len(mail_to(w.business)) == 1 and ASK in mail_to(w.business)[0].body
    assert_state_is_replayable(case)


def test_the_business_reply_resumes_the_clock_and_gives_back_the_paused_time(w, clock, case, commit):
    clock.set(2026, 3, 10, 10)
    services.case_request_info(case=case, body=ASK, by=w.officer)
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    clock.set(2026, 3, 13, 10)  # three working days later
    with commit():
        services.case_message(case=case, body=REPLY, by=w.business)
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.paused_at is None
    assert case.due_at == at(2026, 3, 26, 17)  # three working days later than 23/03
    assert work_hours_between(at(2026, 3, 13, 10), case.due_at) == work_hours_between(at(2026, 3, 10, 10),
                                                                                   at(2026, 3, 23, 17))
    reply = case.events.get(kind=CaseEvent.Kind.BUSINESS_REPLIED)
    assert reply.public and datetime.fromisoformat(reply.data["due"]) == case.due_at
    assert len(mail_to(w.officer)) == 1  # the assignee hears of the reply
    assert_state_is_replayable(case)


def test_a_reply_after_the_old_deadline_still_gets_the_time_that_was_left(w, clock, case):
    clock.set(2026, 3, 23, 13)  # 4 office hours left
    services.case_request_info(case=case, body=ASK, by=w.officer)
    clock.set(2026, 3, 30, 9)  # a week later
    services.case_message(case=case, body=REPLY, by=w.business)
    assert fresh(case).due_at == at(2026, 3, 30, 14, 30)


def test_a_case_already_overdue_when_paused_stays_overdue(w, clock, case):
    clock.set(2026, 3, 24, 9)
    services.case_request_info(case=case, body=ASK, by=w.officer)
    clock.set(2026, 3, 26, 9)
    services.case_message(case=case, body=REPLY, by=w.business)
    assert fresh(case).due_at == at(2026, 3, 23, 17)
    assert fresh(case).is_overdue


def test_a_waiting_case_is_not_overdue(w, clock, case):
    clock.set(2026, 3, 10, 10)
    services.case_request_info(case=case, body=ASK, by=w.officer)
    clock.set(2026, 4, 10, 10)
    case = fresh(case)
    assert not case.is_overdue
    assert not selectors.case_queue(p=principal_for(w.officer), overdue=True, now=clock.now).exists()
    assert selectors.work_hours_left(case, clock.now) == work_hours_between(at(2026, 3, 10, 10), at(2026, 3, 23, 17))


def test_it_refuses_to_ask_twice(w, case):
    services.case_request_info(case=case, body=ASK, by=w.officer)
    with pytest.raises(ValidationError):
        services.case_request_info(case=case, body=ASK, by=w.officer)
    assert case.events.filter(kind=CaseEvent.Kind.INFO_REQUESTED).count() == 1


def test_it_needs_the_question(w, case):
    with pytest.raises(ValidationError) as error:
        services.case_request_info(case=case, body="  ", by=w.officer)
    assert "body" in error.value.message_dict
    assert fresh(case).status == Status.NEW


def test_it_refuses_while_an_answer_awaits_approval(w, case):
    services.case_answer(case=case, body="Dự thảo trả lời.", by=w.officer)  # "thu-tuc": no approval
    other = file_case(w, topic="thue")
    services.case_answer(case=other, body="Dự thảo trả lời.", by=w.officer)
    assert fresh(other).status == Status.PENDING_APPROVAL
    with pytest.raises(ValidationError):
        services.case_request_info(case=other, body=ASK, by=w.officer)
    assert fresh(other).status == Status.PENDING_APPROVAL
    services.answer_decide(case=other, approve=True, by=w.leader)
    assert fresh(other).status == Status.ANSWERED


def test_an_answer_sent_while_waiting_ends_the_wait(w, clock, case):
    clock.set(2026, 3, 10, 10)
    services.case_request_info(case=case, body=ASK, by=w.officer)
    clock.set(2026, 3, 13, 10)
    services.case_answer(case=case, body="Trả lời luôn, không cần bổ sung.", by=w.officer)
    case = fresh(case)
    assert case.status == Status.ANSWERED and case.paused_at is None
    assert_state_is_replayable(case)


def test_an_answer_submitted_for_approval_while_waiting_restarts_the_clock(w, clock):
    case = file_case(w, topic="thue")
    clock.set(2026, 3, 10, 10)
    services.case_request_info(case=case, body=ASK, by=w.officer)
    clock.set(2026, 3, 13, 10)
    services.case_answer(case=case, body="Dự thảo trả lời.", by=w.officer)
    case = fresh(case)
    assert case.status == Status.PENDING_APPROVAL
    assert case.paused_at is None  # the leader's approval is customs' time, not the business's
    assert case.due_at == at(2026, 3, 26, 17)
    services.answer_decide(case=case, approve=False, reason="Thiếu căn cứ pháp lý.", by=w.leader)
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.paused_at is None
    clock.set(2026, 3, 27, 9)
    assert fresh(case).is_overdue
    assert_state_is_replayable(case)


@pytest.mark.parametrize("who", ["business", "other_officer", "shared_officer", "other_leader", "party", "admin"])
def test_only_the_handling_unit_asks(w, case, who):
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    with pytest.raises(PermissionDenied):
        services.case_request_info(case=case, body=ASK, by=getattr(w, who))
    assert fresh(case).status == Status.NEW


def test_a_closed_case_cannot_wait(w, case):
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_accept(case=case, by=w.business)
    with pytest.raises(ValidationError):
        services.case_request_info(case=case, body=ASK, by=w.officer)
    assert not Answer.objects.filter(case=case, state=Answer.State.SUBMITTED).exists()
