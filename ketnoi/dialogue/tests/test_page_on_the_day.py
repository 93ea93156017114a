"""On the day: for each question the answer given on the spot (it answers the case) or a
follow-up (owner, due day, note: the case stays open); a question raised at the session; and
closing the session."""

from datetime import date

import pytest
from django.core import mail

from ketnoi.cases.models import Case, Status
from ketnoi.dialogue import services
from ketnoi.dialogue.models import Question, Session

from .page_helpers import as_user, counts, error_summary, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def session(w, clock):
    session = first_session(make_programme(w))
    registration = services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành", "description": "Có phải kiểm tra không?"},
                   {"topic": "thue", "subject": "Hoàn thuế nguyên liệu", "description": "Hồ sơ hoàn thuế gồm gì?"}])
    clock.set(2026, 3, 6, 7, 20)
    services.registration_check_in(registration=registration, by=w.officer)
    clock.set(2026, 3, 6, 8, 0)
    return session


def url(session) -> str:
    return f"/doi-thoai/phien/{session.pk}/tai-phien/"


def question(session, topic) -> Question:
    return Question.objects.select_related("case").get(session=session, case__topic__code=topic)


def test_the_staff_see_each_question_with_its_forms(client, w, session):
    response = as_user(client, w.officer).get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    for q in Question.objects.filter(session=session):
        assert f'id="question-{q.pk}"' in html and f'name="q{q.pk}a-answer"' in html and f'name="q{q.pk}f-owner"' in html


def test_an_answer_on_the_spot_answers_the_case_and_the_business_is_told(client, w, session, commit):
    q = question(session, "thu-tuc")
    mail.outbox.clear()
    as_user(client, w.officer)
    with commit():
        response = client.post(f"/doi-thoai/cau-hoi/{q.pk}/", {
            "action": "answer", f"q{q.pk}a-answer": "Linh kiện đã qua sử dụng được kiểm tra sau thông quan."})
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{q.pk}")
    q.refresh_from_db()
    assert q.outcome == Question.Outcome.ANSWERED and Case.objects.get(pk=q.case_id).status == Status.ANSWERED
    assert any(w.business.email in m.to for m in mail.outbox)


def test_a_follow_up_keeps_the_case_open_with_its_owner_and_due_day(client, w, session):
    q = question(session, "thue")
    as_user(client, w.leader)
    response = client.post(f"/doi-thoai/cau-hoi/{q.pk}/", {
        "action": "follow_up", f"q{q.pk}f-owner": w.officer2.pk, f"q{q.pk}f-due": "13/03/2026",
        f"q{q.pk}f-note": "Tra cứu hồ sơ hoàn thuế kỳ trước."})
    assert response.status_code == 302
    q.refresh_from_db()
    case = Case.objects.get(pk=q.case_id)
    assert q.outcome == Question.Outcome.FOLLOW_UP and q.follow_up_owner == w.officer2 and q.follow_up_due == date(2026, 3, 13)
    assert case.is_open and case.assignee == w.officer2
    page = as_user(client, w.officer).get(url(session))
    assert "13/03/2026" in text(page) and "Tra cứu hồ sơ hoàn thuế kỳ trước." in text(page)


def test_an_empty_answer_is_a_400_and_nothing_written(client, w, session):
    q = question(session, "thu-tuc")
    as_user(client, w.officer, "en")
    before = counts()
    response = client.post(f"/doi-thoai/cau-hoi/{q.pk}/", {"action": "answer", f"q{q.pk}a-answer": ""})
    assert response.status_code == 400 and "Write the answer given at the session." in error_summary(response)
    assert counts() == before


def test_a_follow_up_without_owner_or_a_good_day_names_both(client, w, session):
    q = question(session, "thue")
    as_user(client, w.leader, "en")
    before = counts()
    response = client.post(f"/doi-thoai/cau-hoi/{q.pk}/", {"action": "follow_up", f"q{q.pk}f-owner": "",
                                                             f"q{q.pk}f-due": "13-03-2026", f"q{q.pk}f-note": "x"})
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Choose the officer who follows it up." in summary and "dd/mm/yyyy" in summary
    assert counts() == before


def test_a_due_day_that_is_not_a_working_day_is_refused_by_the_service(client, w, session):
    q = question(session, "thue")
    as_user(client, w.leader, "en")
    response = client.post(f"/doi-thoai/cau-hoi/{q.pk}/", {"action": "follow_up", f"q{q.pk}f-owner": w.officer.pk,
                                                             f"q{q.pk}f-due": "14/03/2026", f"q{q.pk}f-note": "x"})
    assert response.status_code == 400 and "is not a working day" in error_summary(response)
    assert question(session, "thue").outcome == Question.Outcome.PENDING


def test_an_unknown_action_is_a_400(client, w, session):
    q = question(session, "thue")
    assert as_user(client, w.officer).post(f"/doi-thoai/cau-hoi/{q.pk}/", {"action": "delete"}).status_code == 400


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "business", "operator", "party", "admin"])
def test_others_may_not_record(client, w, session, who):
    q = question(session, "thu-tuc")
    as_user(client, getattr(w, who))
    assert client.get(url(session)).status_code == 403
    assert client.post(f"/doi-thoai/cau-hoi/{q.pk}/", {"action": "answer", f"q{q.pk}a-answer": "x"}).status_code == 403
    assert question(session, "thu-tuc").outcome == Question.Outcome.PENDING


def test_a_question_raised_on_the_day_becomes_a_case_on_the_agenda(client, w, session):
    registration = session.registrations.get()
    as_user(client, w.officer)
    response = client.post(f"/doi-thoai/phien/{session.pk}/cau-hoi/moi/", {
        "registration": registration.pk, "topic": "xuat-xu", "subject": "C/O mẫu E nộp bản điện tử",
        "description": "Doanh nghiệp hỏi về việc nộp C/O mẫu E bản điện tử."})
    q = Question.objects.get(session=session, case__subject="C/O mẫu E nộp bản điện tử")
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{q.pk}")
    assert q.case.enterprise == w.enterprise and q.case.unit == w.branch


def test_a_raised_question_without_subject_is_a_400(client, w, session):
    as_user(client, w.officer, "en")
    before = counts()
    response = client.post(f"/doi-thoai/phien/{session.pk}/cau-hoi/moi/", {
        "registration": session.registrations.get().pk, "topic": "xuat-xu", "subject": "", "description": "x"})
    assert response.status_code == 400 and "Write a short subject." in error_summary(response)
    assert counts() == before


def test_the_leader_closes_the_session_and_the_survey_goes_out(client, w, session, clock, commit):
    clock.set(2026, 3, 6, 9, 5)
    mail.outbox.clear()
    as_user(client, w.leader)
    with commit():
        response = client.post(f"/doi-thoai/phien/{session.pk}/ket-thuc/")
    assert response.status_code == 302 and response["Location"] == f"/doi-thoai/phien/{session.pk}/bien-ban/"
    assert Session.objects.get(pk=session.pk).status == Session.Status.HELD
    assert any("/doi-thoai/khao-sat/" in m.body for m in mail.outbox if w.business.email in m.to)


def test_closing_before_the_day_is_refused_with_a_message(client, w, session, clock):
    clock.set(2026, 3, 5, 9)
    response = as_user(client, w.leader).post(f"/doi-thoai/phien/{session.pk}/ket-thuc/", follow=True)
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED
    assert 'class="notice error"' in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "other_leader", "business"])
def test_only_leaders_close(client, w, session, who):
    assert as_user(client, getattr(w, who)).post(f"/doi-thoai/phien/{session.pk}/ket-thuc/").status_code == 403
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED
