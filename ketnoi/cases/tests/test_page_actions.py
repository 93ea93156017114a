"""Every action on the case page is a POST to its own address: it calls one service and comes
back to the case with a message; bad input re-renders the page (400) keeping what was typed;
a role that may not act gets 403, someone who may not see the case 404."""

import pytest

from ketnoi.cases import services
from ketnoi.cases.models import Answer, Case, CaseEvent, Status

from .page_helpers import page_text, upload, world

pytestmark = pytest.mark.django_db
Kind = CaseEvent.Kind

ACTIONS = ["assign", "message", "note", "request-info", "draft", "answer", "approve", "reject", "reassign", "share",
           "forward", "escalate", "reply", "accept", "rating"]


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    return w.case()


def post(client, user, case, action, data=None, **kwargs):
    client.force_login(user)
    return client.post(f"/cases/{case.reference}/{action}/", data or {}, **kwargs)


def fresh(case):
    return Case.objects.get(pk=case.pk)


def kinds(case):
    return list(fresh(case).events.values_list("kind", flat=True))


def answered(w, case):
    services.case_answer(case=case, body="Doanh nghiệp thực hiện theo Điều 16 Thông tư 38/2015/TT-BTC.", by=w.officer)
    return fresh(case)


def resolved(w, case):
    services.case_accept(case=answered(w, case), by=w.business)
    return fresh(case)


def pending(w):
    case = w.case(topic="thue")  # tax answers need a leader's approval
    services.case_answer(case=case, body="Dự thảo trả lời về hoàn thuế.", by=w.officer)
    return fresh(case)


# --- the method and who is asking ------------------------------------------------------------

@pytest.mark.parametrize("action", ACTIONS)
def test_it_rejects_get(client, w, case, action):
    client.force_login(w.coordinator)
    assert client.get(f"/cases/{case.reference}/{action}/").status_code == 405


@pytest.mark.parametrize("action", ACTIONS)
def test_it_sends_anonymous_visitors_to_log_in(client, case, action):
    response = client.post(f"/cases/{case.reference}/{action}/", {"body": "x", "reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ACTIONS)
def test_it_is_404_for_another_enterprise_and_another_unit(client, w, case, action):
    before = kinds(case)
    for user in (w.other_business, w.other_officer):
        assert post(client, user, case, action, {"body": "x", "reason": "x", "to": "x", "score": "5"}).status_code == 404
    assert kinds(case) == before


@pytest.mark.parametrize("action", ["assign", "message", "note", "request-info", "draft", "answer", "approve",
                                    "reject", "reassign", "share", "forward", "escalate"])
def test_the_business_may_not_do_staff_actions(client, w, case, action):
    before = kinds(case)
    response = post(client, w.business, case, action, {"body": "x", "reason": "x", "to": "x", "unit": w.other_unit.pk})
    assert response.status_code == 403
    assert kinds(case) == before


@pytest.mark.parametrize("action", ["reply", "accept", "rating"])
def test_staff_may_not_do_the_business_actions(client, w, case, action):
    before = kinds(case)
    assert post(client, w.officer, case, action, {"body": "x", "score": "5"}).status_code == 403
    assert kinds(case) == before


@pytest.mark.parametrize("action", ["approve", "reject", "reassign", "forward", "escalate"])
def test_an_officer_may_not_do_the_leaders_actions(client, w, case, action):
    before = kinds(case)
    response = post(client, w.officer, case, action, {"reason": "x", "to": "Sở Công Thương", "unit": w.other_unit.pk})
    assert response.status_code == 403
    assert kinds(case) == before


# --- assign -----------------------------------------------------------------------------

def test_an_officer_takes_the_case(client, w, case):
    response = post(client, w.officer, case, "assign")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert fresh(case).assignee == w.officer
    assert fresh(case).status == Status.IN_PROGRESS


def test_a_leader_assigns_an_officer_of_the_unit(client, w, case):
    response = post(client, w.leader, case, "assign", {"assignee": w.officer.pk}, follow=True)
    assert fresh(case).assignee == w.officer
    assert "The case is assigned to Lê Văn Hùng." in page_text(response)


def test_an_officer_may_not_assign_someone_else(client, w, case):
    assert post(client, w.officer, case, "assign", {"assignee": w.leader.pk}).status_code == 403
    assert fresh(case).assignee is None


def test_a_leader_may_not_assign_an_officer_of_another_unit(client, w, case):
    response = post(client, w.leader, case, "assign", {"assignee": w.other_officer.pk})
    assert response.status_code == 400  # not in the list of the unit's officers
    assert fresh(case).assignee is None


# --- messages and notes -------------------------------------------------------------------

def test_an_officer_writes_to_the_business(client, w, case):
    response = post(client, w.officer, case, "message", {"body": "Đề nghị bổ sung hợp đồng.", "attachments": [upload()]})
    assert response.status_code == 302
    event = fresh(case).events.get(kind=Kind.MESSAGE)
    assert event.public and event.body == "Đề nghị bổ sung hợp đồng."
    assert event.attachments.count() == 1


def test_an_empty_message_is_refused_and_nothing_is_written(client, w, case):
    response = post(client, w.officer, case, "message", {"body": "   "})
    assert response.status_code == 400
    assert "Write the message." in page_text(response)
    assert Kind.MESSAGE not in kinds(case)


def test_a_refused_message_keeps_what_was_typed(client, w, case):
    resolved(w, case)
    response = post(client, w.officer, case, "message", {"body": "Nội dung đã gõ dài."})
    assert response.status_code == 400
    assert "it cannot be changed that way" in page_text(response)
    assert "Nội dung đã gõ dài." in response.content.decode()


def test_a_shared_unit_adds_an_internal_note_but_may_not_write_to_the_business(client, w, case):
    services.case_share(case=case, unit=w.other_unit, by=w.officer)
    assert post(client, w.other_officer, case, "note", {"body": "Đơn vị phối hợp: đã kiểm tra."}).status_code == 302
    note = fresh(case).events.get(kind=Kind.NOTE)
    assert not note.public
    assert post(client, w.other_officer, case, "message", {"body": "x"}).status_code == 403


def test_an_internal_note_never_reaches_the_business_page(client, w, case):
    post(client, w.officer, case, "note", {"body": "Chỉ nội bộ biết."})
    client.force_login(w.business)
    assert "Chỉ nội bộ biết." not in client.get(f"/cases/{case.reference}/").content.decode()


# --- request information, reply -------------------------------------------------------------

def test_an_officer_asks_for_information_and_the_clock_stops(client, w, case):
    assert post(client, w.officer, case, "request-info", {"body": "Gửi bản sao hợp đồng."}).status_code == 302
    case = fresh(case)
    assert case.status == Status.WAITING and case.paused_at is not None


def test_asking_twice_is_refused(client, w, case):
    post(client, w.officer, case, "request-info", {"body": "Gửi hợp đồng."})
    client.force_login(w.officer)
    response = client.post(f"/cases/{case.reference}/request-info/", {"body": "Lần hai."})
    assert response.status_code == 400
    assert "The case already waits for the business." in page_text(response)


def test_the_business_replies_with_a_file_and_the_clock_resumes(client, w, case):
    services.case_request_info(case=case, body="Gửi hợp đồng.", by=w.officer)
    response = post(client, w.business, case, "reply", {"body": "Xin gửi hợp đồng.", "attachments": [upload("hop-dong.pdf")]})
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.paused_at is None
    assert case.events.get(kind=Kind.BUSINESS_REPLIED).attachments.get().original_name == "hop-dong.pdf"


def test_a_reply_to_an_answer_reopens_the_case(client, w, case):
    answered(w, case)
    post(client, w.business, case, "reply", {"body": "Câu trả lời chưa rõ."})
    assert fresh(case).status == Status.IN_PROGRESS


# --- answers -----------------------------------------------------------------------------

def test_an_officer_saves_a_draft_which_the_form_shows_again(client, w, case):
    response = post(client, w.officer, case, "draft", {"body": "Bản nháp trả lời."})
    assert response.status_code == 302
    assert Answer.objects.get(case=case).state == Answer.State.DRAFT
    assert fresh(case).status == Status.NEW  # nothing sent
    assert "Bản nháp trả lời." in client.get(f"/cases/{case.reference}/").content.decode()


def test_an_empty_draft_is_refused(client, w, case):
    response = post(client, w.officer, case, "draft", {"body": ""})
    assert response.status_code == 400
    assert "Write the answer." in page_text(response)


def test_an_officer_answers_a_topic_without_approval(client, w, case):
    response = post(client, w.officer, case, "answer", {"body": "Trả lời: theo Thông tư 38/2015/TT-BTC."}, follow=True)
    assert fresh(case).status == Status.ANSWERED
    assert "The answer was sent to the business." in page_text(response)


def test_an_officers_answer_on_a_tax_topic_awaits_approval(client, w):
    case = w.case(topic="thue")
    client.force_login(w.officer)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "need a unit leader’s approval" in page
    response = post(client, w.officer, case, "answer", {"body": "Dự thảo."}, follow=True)
    assert fresh(case).status == Status.PENDING_APPROVAL
    text = page_text(response)
    assert "awaits the approval of a unit leader" in text and "Answer awaiting approval" in text


def test_a_leaders_answer_needs_no_approval(client, w):
    case = w.case(topic="thue")
    post(client, w.leader, case, "answer", {"body": "Trả lời của lãnh đạo."})
    assert fresh(case).status == Status.ANSWERED


def test_a_leader_approves_the_answer(client, w):
    case = pending(w)
    client.force_login(w.leader)
    assert "Approve and send to the business" in client.get(f"/cases/{case.reference}/").content.decode()
    assert post(client, w.leader, case, "approve").status_code == 302
    assert fresh(case).status == Status.ANSWERED
    assert Answer.objects.get(case=case).state == Answer.State.SENT


def test_a_leader_sends_the_answer_back_with_a_reason(client, w):
    case = pending(w)
    assert post(client, w.leader, case, "reject", {"reason": "Bổ sung căn cứ pháp lý."}).status_code == 302
    assert fresh(case).status == Status.IN_PROGRESS
    assert Answer.objects.get(case=case).state == Answer.State.REJECTED


def test_sending_back_needs_a_reason(client, w):
    case = pending(w)
    response = post(client, w.leader, case, "reject", {"reason": ""})
    assert response.status_code == 400
    assert "Say what must change in the answer." in page_text(response)
    assert fresh(case).status == Status.PENDING_APPROVAL


def test_approving_when_nothing_waits_is_refused(client, w, case):
    response = post(client, w.leader, case, "approve")
    assert response.status_code == 400
    assert "No answer is waiting for approval" in page_text(response)


# --- moving the case -----------------------------------------------------------------------

def test_a_leader_moves_the_case_to_another_unit(client, w, case):
    response = post(client, w.leader, case, "reassign", {"unit": w.other_unit.pk, "reason": "Thuộc địa bàn Khu vực II."})
    assert response.status_code == 302
    assert response["Location"] == "/cases/queue/"  # the leader no longer sees it
    assert fresh(case).unit == w.other_unit


def test_a_coordinator_moves_the_case_back_to_the_department(client, w, case):
    response = post(client, w.coordinator, case, "reassign", {"unit": "", "reason": "Cần điều phối lại."})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert fresh(case).unit is None


def test_moving_needs_a_reason_and_keeps_the_choice(client, w, case):
    response = post(client, w.leader, case, "reassign", {"unit": w.other_unit.pk, "reason": ""})
    assert response.status_code == 400
    assert "Say why the case moves to another unit." in page_text(response)
    assert f'value="{w.other_unit.pk}" selected' in response.content.decode()
    assert fresh(case).unit == w.unit


def test_an_officer_shares_the_case_with_another_unit(client, w, case):
    assert post(client, w.officer, case, "share", {"unit": w.other_unit.pk}).status_code == 302
    assert list(fresh(case).shared_with.all()) == [w.other_unit]
    client.force_login(w.other_officer)
    assert client.get(f"/cases/{case.reference}/").status_code == 200


def test_a_leader_forwards_to_an_outside_body(client, w, case):
    response = post(client, w.leader, case, "forward", {"to": "Sở Công Thương TP. Hồ Chí Minh",
                                                         "reason": "Thuộc thẩm quyền cấp phép của Sở."})
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Status.FORWARDED and case.forwarded_to == "Sở Công Thương TP. Hồ Chí Minh"
    assert case.forward_due_at is not None
    page = page_text(client.get(f"/cases/{case.reference}/"))
    assert "Forwarded to Sở Công Thương TP. Hồ Chí Minh" in page and "to be forwarded by" in page


def test_forwarding_needs_the_body(client, w, case):
    response = post(client, w.leader, case, "forward", {"to": "", "reason": "x"})
    assert response.status_code == 400
    assert "Name the body the case is forwarded to." in page_text(response)


def test_a_leader_escalates_with_a_reason(client, w, case):
    assert post(client, w.leader, case, "escalate", {"reason": "Vướng mắc phức tạp."}).status_code == 302
    assert fresh(case).escalation_step == 2 and fresh(case).level == "department"


def test_escalating_needs_a_reason(client, w, case):
    response = post(client, w.leader, case, "escalate", {"reason": ""})
    assert response.status_code == 400
    assert fresh(case).escalation_step == 0


# --- accept and rate -------------------------------------------------------------------------

def test_the_business_accepts_the_answer(client, w, case):
    answered(w, case)
    response = post(client, w.business, case, "accept", follow=True)
    assert fresh(case).status == Status.RESOLVED
    text = page_text(response)
    assert "The case is resolved" in text and "Rate the answer" in text
    assert "1 – Very dissatisfied" in text and "5 – Very satisfied" in text


def test_accepting_an_unanswered_case_is_refused(client, w, case):
    response = post(client, w.business, case, "accept")
    assert response.status_code == 400
    assert "Only an answered case can be accepted." in page_text(response)


def test_the_business_rates_a_resolved_case(client, w, case):
    resolved(w, case)
    response = post(client, w.business, case, "rating", {"score": "4", "comment": "Trả lời nhanh."})
    assert response.status_code == 302
    case = fresh(case)
    assert (case.rating, case.rating_comment) == (4, "Trả lời nhanh.")


def test_rating_twice_is_refused(client, w, case):
    resolved(w, case)
    post(client, w.business, case, "rating", {"score": "4"})
    response = post(client, w.business, case, "rating", {"score": "5"})
    assert response.status_code == 400
    assert "already rated" in page_text(response)
    assert fresh(case).rating == 4


def test_a_rating_needs_a_score(client, w, case):
    resolved(w, case)
    response = post(client, w.business, case, "rating", {"score": "9"})
    assert response.status_code == 400
    assert "Choose a score from 1" in page_text(response)
    assert fresh(case).rating is None


def test_a_poor_rating_reopens_the_case(client, w, case):
    resolved(w, case)
    post(client, w.business, case, "rating", {"score": "1", "comment": "Không giải quyết được."})
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.needs_review
