"""case_answer, answer_save_draft, answer_decide: answers, and a leader's approval where the
topic requires it (answers written by a leader or a coordinator need none)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases import services
from ketnoi.cases.models import Answer, CaseEvent, Status

from .core_helpers import assert_state_is_replayable, file_case, fresh, kinds, mail_to

pytestmark = pytest.mark.django_db

BODY = "Căn cứ Thông tư 38/2015/TT-BTC, Công ty nộp bổ sung bảng kê theo mẫu số 01."


@pytest.fixture
def plain(w):
    return file_case(w, topic="thu-tuc")  # answers need no approval


@pytest.fixture
def approval(w):
    return file_case(w, topic="thue")  # answers need a leader's approval


def test_an_answer_on_a_plain_topic_is_sent_at_once(w, plain, commit):
    with commit():
        services.case_answer(case=plain, body=BODY, by=w.officer)
    case = fresh(plain)
    assert case.status == Status.ANSWERED and case.answered_at is not None and case.acknowledged_at is not None
    answer = case.answers.get()
    assert (answer.state, answer.author, answer.decided_by) == (Answer.State.SENT, w.officer, w.officer)
    assert answer.body == BODY
    answered = case.events.get(kind=CaseEvent.Kind.ANSWERED)
    assert answered.public and answered.body == BODY
    assert len(mail_to(w.business)) == 1 and BODY in mail_to(w.business)[0].body
    assert_state_is_replayable(case)


def test_an_officers_answer_on_an_approval_topic_waits_for_a_leader(w, approval, commit):
    with commit():
        services.case_answer(case=approval, body=BODY, by=w.officer)
    case = fresh(approval)
    assert case.status == Status.PENDING_APPROVAL and case.answered_at is None
    assert case.answers.get().state == Answer.State.SUBMITTED
    assert not case.events.get(kind=CaseEvent.Kind.ANSWER_SUBMITTED).public
    assert mail_to(w.business) == []
    assert len(mail_to(w.leader)) == 1 and mail_to(w.other_leader) == []


@pytest.mark.parametrize("who", ["leader", "coordinator"])
def test_a_leaders_or_coordinators_answer_needs_no_approval(w, approval, who):
    services.case_answer(case=approval, body=BODY, by=getattr(w, who))
    assert fresh(approval).status == Status.ANSWERED


def test_an_answer_a_leader_already_approved_is_sent_at_once(w, approval, commit):
    """E.g. given publicly at a dialogue session the unit's leader chaired."""
    with commit():
        services.case_answer(case=approval, body=BODY, by=w.officer, approved_by=w.leader)
    case = fresh(approval)
    assert case.status == Status.ANSWERED
    answer = case.answers.get()
    assert (answer.state, answer.author, answer.decided_by) == (Answer.State.SENT, w.officer, w.leader)
    assert case.events.get(kind=CaseEvent.Kind.ANSWERED).data["approved_by"] == w.leader.pk
    assert len(mail_to(w.business)) == 1
    assert_state_is_replayable(case)


@pytest.mark.parametrize("who", ["officer2", "other_leader"])
def test_an_approval_by_someone_who_may_not_approve_counts_for_nothing(w, approval, who):
    services.case_answer(case=approval, body=BODY, by=w.officer, approved_by=getattr(w, who))
    case = fresh(approval)
    assert case.status == Status.PENDING_APPROVAL and case.answers.get().state == Answer.State.SUBMITTED


def test_a_leader_approves_and_the_business_gets_the_answer(w, approval, commit):
    services.case_answer(case=approval, body=BODY, by=w.officer)
    with commit():
        services.answer_decide(case=approval, approve=True, by=w.leader)
    case = fresh(approval)
    assert case.status == Status.ANSWERED
    answer = case.answers.get()
    assert (answer.state, answer.author, answer.decided_by) == (Answer.State.SENT, w.officer, w.leader)
    assert case.events.get(kind=CaseEvent.Kind.ANSWERED).actor == w.leader
    assert len(mail_to(w.business)) == 1
    assert_state_is_replayable(case)


def test_a_leader_sends_it_back_with_a_reason(w, approval, commit):
    services.case_answer(case=approval, body=BODY, by=w.officer)
    with commit():
        services.answer_decide(case=approval, approve=False, reason="Trích dẫn sai điều khoản.", by=w.leader)
    case = fresh(approval)
    assert case.status == Status.IN_PROGRESS
    assert case.answers.get().state == Answer.State.REJECTED
    rejected = case.events.get(kind=CaseEvent.Kind.ANSWER_REJECTED)
    assert not rejected.public and rejected.body == "Trích dẫn sai điều khoản."
    assert len(mail_to(w.officer)) == 1 and mail_to(w.business) == []
    # The officer corrects the same answer and submits it again.
    services.case_answer(case=approval, body=BODY + " (sửa)", by=w.officer)
    assert case.answers.count() == 1
    assert fresh(approval).status == Status.PENDING_APPROVAL
    assert_state_is_replayable(case)


def test_sending_back_needs_a_reason(w, approval):
    services.case_answer(case=approval, body=BODY, by=w.officer)
    with pytest.raises(ValidationError) as error:
        services.answer_decide(case=approval, approve=False, reason=" ", by=w.leader)
    assert "reason" in error.value.message_dict
    assert fresh(approval).status == Status.PENDING_APPROVAL
    assert approval.answers.get().state == Answer.State.SUBMITTED


@pytest.mark.parametrize("who", ["officer", "officer2", "other_leader", "business", "admin"])
def test_only_a_leader_of_the_unit_or_a_coordinator_decides(w, approval, who):
    services.case_answer(case=approval, body=BODY, by=w.officer)
    with pytest.raises(PermissionDenied):
        services.answer_decide(case=approval, approve=True, by=getattr(w, who))
    assert fresh(approval).status == Status.PENDING_APPROVAL


def test_a_coordinator_may_decide(w, approval):
    services.case_answer(case=approval, body=BODY, by=w.officer)
    services.answer_decide(case=approval, approve=True, by=w.coordinator)
    assert fresh(approval).status == Status.ANSWERED


def test_there_must_be_an_answer_to_decide_on(w, approval):
    with pytest.raises(ValidationError):
        services.answer_decide(case=approval, approve=True, by=w.leader)


def test_a_draft_is_kept_and_then_sent(w, plain):
    first = services.answer_save_draft(case=plain, body="Nháp 1", by=w.officer)
    second = services.answer_save_draft(case=plain, body="Nháp 2", by=w.officer)
    assert first.pk == second.pk and Answer.objects.get(pk=first.pk).body == "Nháp 2"
    assert kinds(plain).count(CaseEvent.Kind.ANSWER_DRAFTED) == 1
    assert fresh(plain).status == Status.NEW  # a draft tells the business nothing
    services.case_answer(case=plain, body=BODY, by=w.officer)
    answer = Answer.objects.get(pk=first.pk)
    assert answer.state == Answer.State.SENT and answer.body == BODY
    assert plain.answers.count() == 1


@pytest.mark.parametrize("status", ["pending", "answered"])
def test_it_cannot_answer_twice(w, approval, status):
    services.case_answer(case=approval, body=BODY, by=w.officer if status == "pending" else w.leader)
    with pytest.raises(ValidationError):
        services.case_answer(case=approval, body=BODY, by=w.leader)
    assert kinds(approval).count(CaseEvent.Kind.ANSWERED) == (1 if status == "answered" else 0)


@pytest.mark.parametrize("who", ["business", "other_officer", "other_leader", "shared_officer", "party", "admin"])
def test_only_the_handling_unit_answers(w, plain, who):
    services.case_share(case=plain, unit=w.shared_unit, by=w.officer)
    with pytest.raises(PermissionDenied):
        services.case_answer(case=plain, body=BODY, by=getattr(w, who))
    with pytest.raises(PermissionDenied):
        services.answer_save_draft(case=plain, body=BODY, by=getattr(w, who))
    assert not plain.answers.exists()


def test_an_empty_answer_is_refused(w, plain):
    with pytest.raises(ValidationError) as error:
        services.case_answer(case=plain, body="", by=w.officer)
    assert "body" in error.value.message_dict
    assert not plain.answers.exists()


def test_once_with_the_department_the_coordinators_approve(w, approval, commit):
    services.case_escalate(case=approval, by=w.leader, reason="Cần Cục hướng dẫn.")
    with commit():
        services.case_answer(case=approval, body=BODY, by=w.leader)  # no longer leads the case
    assert fresh(approval).status == Status.PENDING_APPROVAL
    assert len(mail_to(w.coordinator)) == 1 and mail_to(w.leader) == []
    with pytest.raises(PermissionDenied):
        services.answer_decide(case=approval, approve=True, by=w.leader)
    services.answer_decide(case=approval, approve=True, by=w.coordinator)
    assert fresh(approval).status == Status.ANSWERED
