"""A session's page: the public part (date, venue, seats as counts), the register form of a
business user (attendees as rows, questions sent ahead), “your registration”, and the staff's
registrations with the list check-in; moving and cancelling by the unit's leaders."""

import pytest
from django.core import mail

from ketnoi.cases.models import Case, Channel
from ketnoi.dialogue import services
from ketnoi.dialogue.models import Registration, Session
from ketnoi.testing import at

from .page_helpers import as_user, block, counts, english, error_summary, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)

REGISTER = {
    "attendee_0_name": "Ngô Thị Hồng Nhung", "attendee_0_position": "Trưởng phòng Xuất nhập khẩu",
    "attendee_1_name": "Trần Quốc Bảo", "attendee_1_position": "Kế toán trưởng",
    "attendee_2_name": "", "attendee_2_position": "",
    "question_0_topic": "thue", "question_0_subject": "Hoàn thuế nguyên liệu nhập sản xuất xuất khẩu",
    "question_0_description": "Doanh nghiệp đề nghị hướng dẫn hồ sơ hoàn thuế theo Điều 36 Nghị định 134/2016/NĐ-CP.",
    "question_1_topic": "thu-tuc", "question_1_subject": "Kiểm tra chuyên ngành linh kiện điện tử",
    "question_1_description": "Linh kiện nhập khẩu có phải kiểm tra chất lượng trước thông quan không?",
}


@pytest.fixture
def session(w):
    return first_session(make_programme(w))


def register(w, session, user=None, enterprise=None, **fields):
    return services.registration_create(session=session, by=user or w.business, enterprise=enterprise or w.enterprise,
                                        attendees=[{"name": "Ngô Thị Hồng Nhung", "position": "Giám đốc"}], **fields)


# --- the public part -------------------------------------------------------------------------

def test_anyone_sees_the_session_with_seats_but_no_names(client, w, session):
    register(w, session)
    english(client)
    response = client.get(f"/doi-thoai/phien/{session.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "06/03/2026" in page and "07:30–09:00" in page and "Hội trường tầng 2" in page
    assert "1/3 seats" in page and "2 seats left" in page
    assert "Sao Việt" not in page and "Ngô Thị Hồng Nhung" not in page
    assert "Log in with your business account" in page


def test_other_roles_see_no_names_either(client, w, session):
    register(w, session)
    for user in (w.business2, w.other_officer, w.operator, w.party, w.admin):
        page = text(as_user(client, user).get(f"/doi-thoai/phien/{session.pk}/"))
        assert "Sao Việt" not in page and "Ngô Thị Hồng Nhung" not in page, user


def test_an_unknown_session_is_a_404(client, w):
    assert client.get("/doi-thoai/phien/999999/").status_code == 404


def test_it_offers_the_ics(client, w, session):
    assert f'href="/doi-thoai/phien/{session.pk}/lich.ics"' in client.get(f"/doi-thoai/phien/{session.pk}/").content.decode()


# --- registering ---------------------------------------------------------------------------

def test_a_business_user_gets_the_form_with_three_attendee_rows_and_question_rows(client, w, session):
    html = as_user(client, w.business).get(f"/doi-thoai/phien/{session.pk}/").content.decode()
    for i in range(3):
        assert f'name="attendee_{i}_name"' in html and f'name="attendee_{i}_position"' in html
    for i in range(3):
        assert f'name="question_{i}_topic"' in html and f'name="question_{i}_description"' in html


def test_a_business_registers_with_two_questions(client, w, session, commit):
    as_user(client, w.business)
    with commit():
        response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", REGISTER)
    registration = Registration.objects.get(session=session, enterprise=w.enterprise)
    assert response.status_code == 302 and response["Location"] == f"/doi-thoai/dang-ky/{registration.pk}/"
    assert registration.status == Registration.Status.CONFIRMED
    assert [(a.name, a.position) for a in registration.attendees.all()] == [
        ("Ngô Thị Hồng Nhung", "Trưởng phòng Xuất nhập khẩu"), ("Trần Quốc Bảo", "Kế toán trưởng")]
    cases = list(Case.objects.filter(dialogue_question__registration=registration).order_by("id"))
    assert [c.subject for c in cases] == ["Hoàn thuế nguyên liệu nhập sản xuất xuất khẩu",
                                          "Kiểm tra chuyên ngành linh kiện điện tử"]
    assert {c.channel for c in cases} == {Channel.DIALOGUE} and {c.unit for c in cases} == {w.branch}
    assert any(w.business.email in m.to for m in mail.outbox)


def test_the_registration_page_shows_the_qr_code_and_the_cases(client, w, session):
    registration = register(w, session, questions=[{"topic": "thue", "subject": "Hoàn thuế", "description": "Hỏi hoàn thuế."}])
    response = as_user(client, w.business, "en").get(f"/doi-thoai/dang-ky/{registration.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg role="img"' in html and "/doi-thoai/diem-danh/" in html
    case = registration.questions.get().case
    assert case.reference in text(response) and f'href="/cases/{case.reference}/"' in html
    assert "Confirmed" in text(response)


def test_the_session_page_says_your_registration(client, w, session):
    registration = register(w, session)
    page = as_user(client, w.business, "en").get(f"/doi-thoai/phien/{session.pk}/")
    html = page.content.decode()
    assert "Your registration" in text(page) and f"/doi-thoai/dang-ky/{registration.pk}/" in html
    assert '<svg role="img"' in html and f'action="/doi-thoai/dang-ky/{registration.pk}/huy/"' in html
    assert 'name="attendee_0_name"' not in html


def test_a_full_session_puts_the_business_on_the_waiting_list(client, w, session):
    for enterprise, user in ((w.enterprise2, w.business2), (w.enterprise3, w.business3)):
        register(w, session, user=user, enterprise=enterprise)
    services.programme_update(programme=session.programme, by=w.leader, capacity=2)
    Session.objects.filter(pk=session.pk).update(capacity=2)
    as_user(client, w.business, "en")
    assert "Every seat is taken" in text(client.get(f"/doi-thoai/phien/{session.pk}/"))
    response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", REGISTER, follow=True)
    assert Registration.objects.get(enterprise=w.enterprise).status == Registration.Status.WAITING
    assert "number 1 on the waiting list" in text(response)


def test_no_attendee_is_a_400_with_the_message_and_nothing_written(client, w, session):
    as_user(client, w.business, "en")
    before = counts()
    response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", {**REGISTER, "attendee_0_name": "",
                                                                       "attendee_0_position": "", "attendee_1_name": "",
                                                                       "attendee_1_position": ""})
    assert response.status_code == 400
    assert "Write the name of at least one person who will come." in error_summary(response)
    assert counts() == before


def test_a_half_written_question_names_what_is_missing(client, w, session):
    as_user(client, w.business, "en")
    before = counts()
    response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", {**REGISTER, "question_1_topic": "",
                                                                       "question_1_description": ""})
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Choose the topic of question 2." in summary and "Write question 2" in summary
    assert counts() == before
    # what was typed is kept
    assert "Kiểm tra chuyên ngành linh kiện điện tử" in response.content.decode()


def test_registration_after_the_deadline_is_refused_with_the_service_message(client, w, session, clock):
    clock.set(2026, 3, 5, 8)  # closed at 07:30 the day before
    as_user(client, w.business, "en")
    before = counts()
    response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", REGISTER)
    assert response.status_code == 400 and "Registration for this session closed" in error_summary(response)
    assert counts() == before


def test_registering_twice_is_refused(client, w, session):
    register(w, session)
    as_user(client, w.business, "en")
    before = counts()
    response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", REGISTER)
    assert response.status_code == 400 and "already registered" in error_summary(response)
    assert counts() == before


@pytest.mark.parametrize("who", ["officer", "leader", "operator", "party", "admin", "nobody"])
def test_only_business_users_may_register(client, w, session, who):
    as_user(client, getattr(w, who))
    assert client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", REGISTER).status_code == 403
    assert not Registration.objects.exists()


def test_anonymous_is_sent_to_log_in(client, w, session):
    response = client.post(f"/doi-thoai/phien/{session.pk}/dang-ky/", REGISTER)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_rejects_a_get_on_register(client, w, session):
    as_user(client, w.business)
    assert client.get(f"/doi-thoai/phien/{session.pk}/dang-ky/").status_code == 405


# --- cancelling a registration ---------------------------------------------------------------

def test_the_business_cancels_and_the_first_waiting_is_promoted(client, w, session):
    Session.objects.filter(pk=session.pk).update(capacity=1)
    mine = register(w, session)
    waiting = register(w, session, user=w.business2, enterprise=w.enterprise2)
    assert waiting.status == Registration.Status.WAITING
    response = as_user(client, w.business).post(f"/doi-thoai/dang-ky/{mine.pk}/huy/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=mine.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.CONFIRMED


def test_another_business_cannot_see_or_cancel_a_registration(client, w, session):
    mine = register(w, session)
    as_user(client, w.business2)
    assert client.get(f"/doi-thoai/dang-ky/{mine.pk}/").status_code == 404
    assert client.post(f"/doi-thoai/dang-ky/{mine.pk}/huy/").status_code == 404
    assert client.get(f"/doi-thoai/dang-ky/{mine.pk}/qr.svg").status_code == 404
    assert Registration.objects.get(pk=mine.pk).status == Registration.Status.CONFIRMED


# --- the staff's part ---------------------------------------------------------------------------

def test_the_units_staff_see_the_registrations_and_the_waiting_list(client, w, session):
    register(w, session)
    for user in (w.officer, w.leader, w.department_leader, w.coordinator):
        response = as_user(client, user, "en").get(f"/doi-thoai/phien/{session.pk}/")
        registrations = block(response, "registrations")
        assert "Công ty TNHH Điện tử Sao Việt" in registrations and "Ngô Thị Hồng Nhung" in registrations, user


def test_an_officer_ticks_the_list_on_the_day(client, w, session, clock):
    registration = register(w, session)
    clock.set(2026, 3, 6, 7, 20)
    response = as_user(client, w.officer).post(f"/doi-thoai/dang-ky/{registration.pk}/diem-danh/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_a_tick_before_the_day_is_refused_with_a_message(client, w, session):
    registration = register(w, session)
    response = as_user(client, w.officer).post(f"/doi-thoai/dang-ky/{registration.pk}/diem-danh/", follow=True)
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
    assert response.status_code == 200 and 'class="notice error"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "operator", "party", "admin"])
def test_others_may_not_tick(client, w, session, clock, who):
    registration = register(w, session)
    clock.set(2026, 3, 6, 7, 20)
    assert as_user(client, getattr(w, who)).post(f"/doi-thoai/dang-ky/{registration.pk}/diem-danh/").status_code == 404
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_the_business_itself_may_not_tick(client, w, session, clock):
    registration = register(w, session)
    clock.set(2026, 3, 6, 7, 20)
    assert as_user(client, w.business).post(f"/doi-thoai/dang-ky/{registration.pk}/diem-danh/").status_code == 403
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


# --- moving and cancelling the session -------------------------------------------------------

def test_a_leader_moves_the_session_and_the_businesses_are_told(client, w, session, commit):
    register(w, session)
    mail.outbox.clear()
    as_user(client, w.leader)
    with commit():
        response = client.post(f"/doi-thoai/phien/{session.pk}/doi-lich/", {
            "day": "13/03/2026", "start_time": "08:00", "end_time": "09:30", "venue": "",
            "reason": "Trùng lịch họp giao ban của Cục."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == at(2026, 3, 13, 8) and session.ends_at == at(2026, 3, 13, 9, 30)
    assert session.sequence == 1 and "Trùng lịch" in session.change_reason
    assert any(w.business.email in m.to for m in mail.outbox)


def test_moving_without_a_reason_is_a_400(client, w, session):
    as_user(client, w.leader, "en")
    before = counts()
    response = client.post(f"/doi-thoai/phien/{session.pk}/doi-lich/", {"day": "13/03/2026", "start_time": "08:00"})
    assert response.status_code == 400 and "Write why the session is moved" in error_summary(response)
    assert counts() == before


def test_a_leader_cancels_the_session(client, w, session):
    as_user(client, w.leader)
    response = client.post(f"/doi-thoai/phien/{session.pk}/huy/", {"reason": "Lãnh đạo Chi cục đi công tác."})
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED


@pytest.mark.parametrize("who", ["officer", "other_leader", "business", "admin"])
def test_others_may_not_move_or_cancel(client, w, session, who):
    as_user(client, getattr(w, who))
    before = counts()
    assert client.post(f"/doi-thoai/phien/{session.pk}/huy/", {"reason": "x"}).status_code == 403
    assert client.post(f"/doi-thoai/phien/{session.pk}/doi-lich/", {"day": "13/03/2026", "start_time": "08:00",
                                                                     "reason": "x"}).status_code == 403
    assert counts() == before


def test_only_leaders_are_offered_the_move_and_cancel_forms(client, w, session):
    url = f"/doi-thoai/phien/{session.pk}/"
    assert f"/doi-thoai/phien/{session.pk}/huy/" in as_user(client, w.leader).get(url).content.decode()
    assert f"/doi-thoai/phien/{session.pk}/huy/" not in as_user(client, w.officer).get(url).content.decode()
