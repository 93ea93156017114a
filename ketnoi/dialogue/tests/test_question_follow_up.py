from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases import services as cases
from ketnoi.cases.models import CaseEvent, Status
from ketnoi.dialogue import selectors, services
from ketnoi.dialogue.models import Question
from ketnoi.testing import at

from .service_helpers import audit, clock, counts, fresh, mail_to, session_with_questions, w  # noqa: F401

NOTE = "Chi cục báo cáo Cục xin ý kiến Phòng Thuế xuất nhập khẩu, trả lời Công ty bằng văn bản."


@pytest.fixture
def session(w, clock):
    session, morning = session_with_questions(w)
    clock.now = morning
    return session


def _question(session, topic="thue"):
    return next(q for q in selectors.agenda(session) if q.case.topic.code == topic)


def test_the_case_stays_open_with_the_owner_and_the_due_day(w, session, commit):
    question = _question(session)
    with commit():
        services.question_follow_up(question=question, by=w.leader, owner=w.officer2, due=date(2026, 3, 20), note=NOTE)
    question = fresh(question)
    assert question.outcome == Question.Outcome.FOLLOW_UP
    assert (question.follow_up_owner, question.follow_up_due, question.follow_up_note) == (w.officer2, date(2026, 3, 20), NOTE)
    case = question.case
    assert case.is_open and case.assignee == w.officer2
    assert case.due_at == at(2026, 3, 20, 17)  # the end of that working day
    event = case.events.get(kind=CaseEvent.Kind.DUE_SET)
    assert event.public and event.body == NOTE
    assert mail_to(w.officer2)  # told the case is theirs
    assert len(audit("dialogue.follow_up", question)) == 1
    assert list(selectors.follow_ups(unit=w.branch)) == [question]


def test_when_the_case_is_answered_later_the_business_is_told_and_the_follow_up_closes(w, session, commit, clock):
    question = _question(session)
    services.question_follow_up(question=question, by=w.leader, owner=w.officer2, due=date(2026, 3, 20), note=NOTE)
    clock.set(2026, 3, 18, 10)
    with commit():
        cases.case_answer(case=question.case, body="Trả lời bằng văn bản số 125/HQCNC-NV.", by=w.leader)
    assert fresh(question).case.status == Status.ANSWERED
    assert any("125/HQCNC-NV" in m.body for m in mail_to(w.business))
    assert list(selectors.follow_ups(unit=w.branch)) == []
    assert list(selectors.follow_ups(unit=w.branch, open_only=False)) == [fresh(question)]


def test_an_officer_follows_a_question_up_themselves(w, session):
    question = _question(session)
    services.question_follow_up(question=question, by=w.officer, owner=w.officer, due=date(2026, 3, 20), note=NOTE)
    assert fresh(question).case.assignee == w.officer


def test_an_officer_cannot_give_the_follow_up_to_someone_else(w, session):
    question = _question(session)
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.question_follow_up(question=question, by=w.officer, owner=w.officer2, due=date(2026, 3, 20), note=NOTE)
    assert "owner" in raised.value.message_dict and counts() == before


@pytest.mark.parametrize("fields, field", [
    (dict(note=""), "note"), (dict(owner=None), "owner"), (dict(owner="other_officer"), "owner"),
    (dict(owner="business"), "owner"), (dict(due=date(2026, 3, 5)), "due"), (dict(due=date(2026, 3, 7)), "due"),
    (dict(due=None), "due"), (dict(due="20/03/2026"), "due"),
])
def test_it_refuses_bad_input_and_changes_nothing(w, session, fields, field):
    question = _question(session)
    if isinstance(fields.get("owner"), str):
        fields["owner"] = getattr(w, fields["owner"])
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.question_follow_up(**{"question": question, "by": w.leader, "owner": w.officer2,
                                       "due": date(2026, 3, 20), "note": NOTE, **fields})
    assert field in raised.value.message_dict and counts() == before
    assert fresh(question).case.assignee is None


@pytest.mark.parametrize("user", ["business", "other_leader", "nobody"])
def test_it_refuses_anyone_who_does_not_run_the_session(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.question_follow_up(question=_question(session), by=getattr(w, user), owner=w.officer2,
                                    due=date(2026, 3, 20), note=NOTE)
    assert counts() == before


def test_it_refuses_a_question_answered_on_the_spot(w, session):
    question = _question(session, "thu-tuc")
    services.question_answer_on_spot(question=question, by=w.leader, answer="Trả lời tại chỗ.")
    with pytest.raises(ValidationError):
        services.question_follow_up(question=question, by=w.leader, owner=w.officer2, due=date(2026, 3, 20), note=NOTE)
