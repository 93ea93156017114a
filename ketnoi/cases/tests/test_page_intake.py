"""Staff enter a difficulty received by phone, letter, e-mail or at a dialogue session."""

import pytest
from django.core import mail

from ketnoi.cases.models import Case, Channel

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db
URL = "/cases/intake/"


@pytest.fixture
def w():
    return world()


def form(w, **fields):
    data = {"tax_code": w.enterprise.tax_code, "channel": "phone", "topic": "xuat-xu",
            "subject": "C/O mẫu D bị từ chối", "description": "Doanh nghiệp gọi điện hỏi về C/O mẫu D.",
            "declaration_numbers": "", "hs_codes": "", "unit": str(w.unit.pk)}
    data.update(fields)
    return data


def test_it_shows_the_form(client, w):
    client.force_login(w.officer)
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "Phone" in text and "Letter" in text and "Dialogue session" in text and "Website" not in text


def test_an_officer_enters_a_case_for_a_business(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(w))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert (case.enterprise, case.filed_by, case.channel) == (w.enterprise, w.officer, Channel.PHONE)
    assert any(case.reference in m.subject + m.body for m in mail.outbox if w.business.email in m.to)


def test_the_tax_code_may_be_typed_with_spaces(client, w):
    client.force_login(w.officer)
    code = w.enterprise.tax_code
    client.post(URL, form(w, tax_code=f" {code[:4]} {code[4:]} "))
    assert Case.objects.get().enterprise == w.enterprise


def test_an_unknown_enterprise_is_a_clear_error(client, w):
    client.force_login(w.officer)
    response = client.post(URL, form(w, tax_code="0100109106"))
    assert response.status_code == 400
    assert "No enterprise with tax code 0100109106 is registered" in page_text(response)
    assert Case.objects.count() == 0


def test_an_invalid_tax_code_is_a_clear_error(client, w):
    client.force_login(w.officer)
    response = client.post(URL, form(w, tax_code="123"))
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_the_channel_must_be_one_of_staffs(client, w):
    client.force_login(w.officer)
    response = client.post(URL, form(w, channel="web"))
    assert response.status_code == 400
    assert "Choose how the difficulty was received." in page_text(response)
    assert Case.objects.count() == 0


def test_a_bad_declaration_number_creates_nothing(client, w):
    client.force_login(w.officer)
    response = client.post(URL, form(w, declaration_numbers="12345"))
    assert response.status_code == 400
    assert Case.objects.count() == 0


@pytest.mark.parametrize("who", ["business", "operator"])
def test_it_refuses_businesses(client, w, who):
    client.force_login(getattr(w, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(w)).status_code == 403
    assert Case.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
