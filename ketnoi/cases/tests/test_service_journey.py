"""One difficulty from intake to a rated answer, through the services only, with the clock
and the e-mails checked at every step."""

import re

import pytest
from django.core import mail

from ketnoi.accounts.access import principal_for
from ketnoi.cases import selectors, services
from ketnoi.cases.models import CaseEvent, Level, RoutingRule, Status, Topic

from .core_helpers import Clock, assert_state_is_replayable, at, build_world, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db

Kind = CaseEvent.Kind


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 6, 16))  # Friday afternoon


def test_a_difficulty_from_intake_to_a_rated_answer(db, clock, django_capture_on_commit_callbacks):
    def step():
        return django_capture_on_commit_callbacks(execute=True)

    w = build_world()
    RoutingRule.objects.create(topic=Topic.objects.get(code="thue"), named_unit=None, handling_unit=w.unit)

    # 1. The business files, naming another unit: the rule for the tax topic sends it to w.unit.
    with step():
        case = file_case(w, topic="thue", named_unit=w.other_unit, declaration_numbers=["104512345670"],
                         hs_codes=["8471.30.20"])
    case = fresh(case)
    assert (case.unit, case.named_unit, case.status) == (w.unit, w.other_unit, Status.NEW)
    assert (case.acknowledge_due_at, case.due_at) == (at(2026, 3, 9, 17), at(2026, 3, 20, 17))
    assert len(mail_to(w.business)) == 1 and len(mail_to(w.leader)) == 1 and mail_to(w.other_leader) == []

    # 2. Monday: the leader gives it to an officer, who asks for a document: the clock stops.
    clock.set(2026, 3, 9, 8)
    with step():
        services.case_assign(case=case, assignee=w.officer, by=w.leader)
    clock.set(2026, 3, 10, 10)
    with step():
        services.case_request_info(case=case, body="Đề nghị gửi hợp đồng mua bán.", by=w.officer)
    assert fresh(case).status == Status.WAITING and len(mail_to(w.business)) == 2

    # 3. Friday: the business replies; the three working days it took are given back.
    clock.set(2026, 3, 13, 10)
    with step():
        services.case_message(case=case, body="Hợp đồng số 05/2026 đính kèm.", by=w.business2)
    assert fresh(case).due_at == at(2026, 3, 25, 17)
    assert len(mail_to(w.officer)) == 2  # assigned, then the reply

    # 4. The officer's answer needs approval; the leader sends it back, then approves.
    clock.set(2026, 3, 16, 9)
    with step():
        services.case_answer(case=case, body="Dự thảo trả lời.", by=w.officer)
    assert fresh(case).status == Status.PENDING_APPROVAL and len(mail_to(w.business)) == 2
    with step():
        services.answer_decide(case=case, approve=False, reason="Trích dẫn Thông tư 39/2015/TT-BTC.", by=w.leader)
    clock.set(2026, 3, 17, 9)
    services.case_answer(case=case, body="Căn cứ Thông tư 39/2015/TT-BTC, trị giá tính thuế là ...", by=w.officer)
    with step():
        services.answer_decide(case=case, approve=True, by=w.leader)
    assert fresh(case).status == Status.ANSWERED and len(mail_to(w.business)) == 3

    # 5. The business asks for a precision: the case reopens; the leader answers directly.
    clock.set(2026, 3, 18, 9)
    services.case_message(case=case, body="Xin giải thích thêm về khoản phí vận chuyển.", by=w.business)
    assert fresh(case).status == Status.IN_PROGRESS
    services.case_answer(case=case, body="Phí vận chuyển quốc tế được cộng vào trị giá.", by=w.leader)
    assert fresh(case).status == Status.ANSWERED

    # 6. It accepts; the rating link comes by e-mail; a poor rating reopens for review.
    clock.set(2026, 3, 19, 9)
    mail.outbox.clear()
    with step():
        services.case_accept(case=case, by=w.business)
    token = re.search(r"/cases/rate/([^/\s]+)/", mail_to(w.business)[0].body).group(1)
    with step():
        services.case_rate(case=case, score=2, comment="Trả lời chậm.", token=token)
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.needs_review and case.rating == 2
    assert len(mail_to(w.leader)) == 1

    # 7. The leader reviews and answers; nobody replies; the tick resolves it a week later.
    services.case_answer(case=case, body="Chi cục xin lỗi vì chậm trễ; hướng dẫn bổ sung ...", by=w.leader)
    assert not fresh(case).needs_review
    with step():
        assert services.cases_tick(now=clock.set(2026, 3, 27, 9))["auto_resolved"] == 1
    case = fresh(case)
    assert case.status == Status.RESOLVED and case.level == Level.UNIT and case.rating == 2

    # The business saw only what was meant for it.
    public = [e.kind for e in selectors.timeline(case=case, p=principal_for(w.business))]
    assert public == [Kind.FILED, Kind.INFO_REQUESTED, Kind.BUSINESS_REPLIED, Kind.ANSWERED, Kind.BUSINESS_REPLIED,
                      Kind.REOPENED, Kind.ANSWERED, Kind.ACCEPTED, Kind.RESOLVED, Kind.RATED, Kind.REOPENED,
                      Kind.ANSWERED, Kind.ACCEPTED, Kind.RESOLVED]
    assert_state_is_replayable(case)
