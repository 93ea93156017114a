"""Check-in at the door: the scan page (the code read by the camera, or pasted: the token, the
whole link or its query), and the address the QR code holds."""

import pytest

from ketnoi.dialogue import services
from ketnoi.dialogue.documents import checkin_url
from ketnoi.dialogue.models import Registration

from .page_helpers import as_user, counts, english, error_summary, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def registration(w, clock):
    session = first_session(make_programme(w))
    registration = services.registration_create(session=session, by=w.business, enterprise=w.enterprise,
                                                attendees=[{"name": "Ngô Thị Hồng Nhung", "position": "Giám đốc"}])
    clock.set(2026, 3, 6, 7, 15)  # the morning of the session
    return registration


def url(registration) -> str:
    return f"/doi-thoai/phien/{registration.session_id}/diem-danh/"


def checked_in(registration) -> bool:
    return Registration.objects.get(pk=registration.pk).checked_in_at is not None


@pytest.mark.parametrize("form", ["token", "link", "query"])
def test_an_officer_checks_in_with_the_code_pasted(client, w, registration, form):
    token = services.checkin_token(registration)
    code = {"token": token, "link": checkin_url(token), "query": f"https://example.org{url(registration)}?ma={token}"}[form]
    as_user(client, w.officer, "en")
    response = client.post(url(registration), {"code": code}, follow=True)
    assert checked_in(registration)
    assert "Công ty TNHH Điện tử Sao Việt is checked in." in text(response)
    assert "1 of 1 confirmed businesses checked in." in text(response)


def test_the_scan_page_lists_the_confirmed_businesses(client, w, registration):
    response = as_user(client, w.officer, "en").get(url(registration))
    assert response.status_code == 200
    assert "Công ty TNHH Điện tử Sao Việt" in text(response) and "Ngô Thị Hồng Nhung" in text(response)
    assert "/static/js/dialogue-scan.js" in response.content.decode()


def test_a_second_scan_changes_nothing(client, w, registration):
    token = services.checkin_token(registration)
    as_user(client, w.officer, "en")
    client.post(url(registration), {"code": token})
    first = Registration.objects.get(pk=registration.pk).checked_in_at
    assert client.post(url(registration), {"code": token}).status_code == 302
    assert Registration.objects.get(pk=registration.pk).checked_in_at == first


@pytest.mark.parametrize("code", ["", "abc", "eyJyIjoxfQ:forged:signature"])
def test_a_bad_code_is_a_400_with_a_message_and_nothing_written(client, w, registration, code):
    as_user(client, w.officer, "en")
    before = counts()
    response = client.post(url(registration), {"code": code})
    assert response.status_code == 400
    assert ("Paste the check-in code" if not code else "This check-in code is not valid.") in error_summary(response)
    assert counts() == before


def test_a_code_of_another_session_is_refused(client, w, registration):
    second = registration.session.programme.sessions.order_by("starts_at")[1]
    other = services.registration_create(session=second, by=w.business2, enterprise=w.enterprise2,
                                         attendees=[{"name": "Lý Văn Phát", "position": ""}])
    as_user(client, w.officer, "en")
    response = client.post(url(registration), {"code": services.checkin_token(other)})
    assert response.status_code == 400 and "This code is for another session" in error_summary(response)
    assert not checked_in(other)


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "business", "operator", "party", "admin"])
def test_others_may_not_scan(client, w, registration, who):
    as_user(client, getattr(w, who))
    assert client.get(url(registration)).status_code == 403
    assert client.post(url(registration), {"code": services.checkin_token(registration)}).status_code == 403
    assert not checked_in(registration)


def test_anonymous_is_sent_to_log_in(client, w, registration):
    response = client.get(url(registration))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the address in the QR code --------------------------------------------------------------------

def test_the_qr_address_takes_the_sessions_staff_to_the_scan_page_with_the_code(client, w, registration):
    token = services.checkin_token(registration)
    response = as_user(client, w.officer).get(f"/doi-thoai/diem-danh/{token}/")
    assert response.status_code == 302 and response["Location"] == f"{url(registration)}?ma={token}"
    page = client.get(response["Location"]).content.decode()
    assert f'value="{token}"' in page
    assert not checked_in(registration)  # a GET checks no one in: the officer confirms


def test_the_qr_address_tells_anyone_else_to_show_it_at_the_entrance(client, w, registration):
    token = services.checkin_token(registration)
    english(client)  # the anonymous visitor reads English through the language cookie
    for user in (None, w.business, w.other_officer):
        if user:
            as_user(client, user, "en")
        response = client.get(f"/doi-thoai/diem-danh/{token}/")
        assert response.status_code == 200 and "Show it at the entrance" in text(response)
        assert "Sao Việt" not in text(response)
    assert not checked_in(registration)


def test_a_forged_qr_address_is_a_404_page(client, w, registration):
    english(client)
    response = client.get("/doi-thoai/diem-danh/not-a-token/")
    assert response.status_code == 404 and "This check-in code is not valid" in text(response)
