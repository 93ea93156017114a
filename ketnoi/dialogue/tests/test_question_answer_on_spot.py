import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases.models import Answer, CaseEvent, Status
from ketnoi.dialogue import selectors, services
from ketnoi.dialogue.models import Question

from .service_helpers import audit, clock, counts, fresh, mail_to, session_with_questions, w  # noqa: F401

ANSWER = ("Theo Điều 36 Nghị định 134/2016/NĐ-CP, hồ sơ hoàn thuế gồm công văn đề nghị, hợp đồng xuất khẩu "
          "và báo cáo tính thuế nguyên liệu; Chi cục hướng dẫn Công ty nộp qua Hệ thống xử lý dữ liệu điện tử.")


@pytest.fixture
def session(w, clock):
    session, morning = session_with_questions(w)
    clock.now = morning
    return session


def _question(session, topic):
    return next(q for q in selectors.agenda(session) if q.case.topic.code == topic)


def test_the_answer_given_at_the_session_answers_the_case_and_reaches_the_business(w, session, commit):
    question = _question(session, "thu-tuc")  # a topic whose answers need no approval
    with commit():
        services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)
    question = fresh(question)
    assert question.outcome == Question.Outcome.ANSWERED and question.answer_text == ANSWER
    assert question.recorded_by == w.officer and question.recorded_at is not None
    case = question.case
    assert case.status == Status.ANSWERED
    assert case.events.get(kind=CaseEvent.Kind.ANSWERED).body == ANSWER
    assert any(ANSWER in m.body for m in mail_to(w.business))
    assert len(audit("dialogue.answered_on_spot", question)) == 1


def test_on_an_approval_topic_the_chairs_presence_is_the_approval(w, session):
    services.agenda_save(session=session, by=w.leader, order=[], chair=w.leader)
    question = _question(session, "thue")
    services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)
    case = fresh(question).case
    assert case.status == Status.ANSWERED
    assert case.answers.get().decided_by == w.leader


def test_on_an_approval_topic_a_leaders_own_answer_needs_no_approval(w, session):
    question = _question(session, "thue")
    services.agenda_save(session=session, by=w.leader, order=[], answerers={question.pk: w.deputy.pk})
    services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)
    assert fresh(question).case.answers.get().decided_by == w.deputy


def test_without_a_leader_the_answer_on_an_approval_topic_waits_for_approval(w, session):
    question = _question(session, "thue")
    services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)
    assert fresh(question).outcome == Question.Outcome.ANSWERED
    case = fresh(question).case
    assert case.status == Status.PENDING_APPROVAL and case.answers.get().state == Answer.State.SUBMITTED


@pytest.mark.parametrize("user", ["business", "other_officer", "team_officer", "party", "nobody"])
def test_it_refuses_anyone_who_does_not_run_the_session(w, session, user):
    question = _question(session, "thu-tuc")
    before = counts()
    with pytest.raises(PermissionDenied):
        services.question_answer_on_spot(question=question, by=getattr(w, user), answer=ANSWER)
    assert counts() == before


def test_it_refuses_an_empty_answer(w, session):
    question = _question(session, "thu-tuc")
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.question_answer_on_spot(question=question, by=w.officer, answer="  ")
    assert "answer" in raised.value.message_dict and counts() == before


def test_it_refuses_twice(w, session):
    question = _question(session, "thu-tuc")
    services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)
    before = counts()
    with pytest.raises(ValidationError):
        services.question_answer_on_spot(question=question, by=w.officer, answer="Trả lời khác.")
    assert counts() == before


def test_it_refuses_before_the_sessions_day(w, session, clock):
    clock.set(2026, 3, 5, 16)
    question = _question(session, "thu-tuc")
    with pytest.raises(ValidationError):
        services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)


def test_it_refuses_when_the_case_was_answered_meanwhile(w, session):
    from ketnoi.cases import services as cases

    question = _question(session, "thu-tuc")
    cases.case_answer(case=question.case, body="Đã trả lời bằng văn bản.", by=w.officer)
    before = counts()
    with pytest.raises(ValidationError):
        services.question_answer_on_spot(question=question, by=w.officer, answer=ANSWER)
    assert counts() == before
