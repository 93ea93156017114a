import re

import pytest
from django.conf import settings
from django.core import mail

from ketnoi.accounts.models import Enterprise, RoleAssignment, User
from ketnoi.lib import taxcode

from .helpers import PASSWORD, actions, counts, make_user

URL = "/accounts/register/"

FORMAT = "Mã số thuế phải có 10 chữ số, hoặc 13 chữ số dạng 0123456789-001."
CHECKSUM = "Mã số thuế không hợp lệ: chữ số kiểm tra không đúng. Vui lòng kiểm tra lại."
BRANCH_000 = taxcode.MESSAGES["branch_suffix"]["vi"]
ALREADY_HAS_AN_ACCOUNT = (
    "This enterprise already has an account on ketnoi. Ask a colleague who uses it to add you, "
    "or contact the customs unit where you do your procedures."
)
EMAIL_TAKEN = "This e-mail address already has an account. Log in, or reset your password."


def form(**overrides):
    data = {
        "tax_code": "0100233488", "enterprise_name": "Công ty CP Sao Mai", "full_name": "Phạm Thu Hà",
        "email": "Ha.Pham@SaoMai.vn", "phone": "0903 123 456", "password1": PASSWORD, "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the form as the browser would, running what the service leaves for after commit
    (the e-mail)."""
    def post(data, browser=client):
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post(URL, data)
    return post


def test_it_shows_the_form(client, db):
    r = client.get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    for name in ["tax_code", "enterprise_name", "full_name", "email", "phone", "password1", "password2"]:
        assert f'name="{name}"' in page


def test_it_registers(post, db):
    r = post(form())
    assert r.status_code == 200
    page = r.content.decode()
    assert "Check your e-mail" in page
    assert "ha.pham@saomai.vn" in page

    user = User.objects.get()
    assert user.username == user.email == "ha.pham@saomai.vn"
    assert user.full_name == "Phạm Thu Hà"
    assert user.phone == "0903 123 456"
    assert user.language == "en"  # the language the page was in
    assert not user.is_active
    assert user.check_password(PASSWORD)

    enterprise = Enterprise.objects.get()
    assert enterprise.tax_code == "0100233488"
    assert enterprise.name == "Công ty CP Sao Mai"
    assert enterprise.email == "ha.pham@saomai.vn"
    role = RoleAssignment.objects.get()
    assert (role.user, role.role, role.enterprise, role.unit) == (user, "business", enterprise, None)
    assert actions() == ["enterprise.register", "user.register"]


def test_it_sends_the_confirmation_link(post, client, db):
    post(form())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ha.pham@saomai.vn"]
    assert message.subject == "Confirm your e-mail address for ketnoi"
    links = re.findall(re.escape(settings.KETNOI_BASE_URL) + r"/accounts/confirm/[^/\s]+/", message.body)
    assert len(links) == 1
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{links[0]}"' in html
    assert "0100233488" in message.body and "Công ty CP Sao Mai" in html

    r = client.get(links[0].removeprefix(settings.KETNOI_BASE_URL))
    assert r.status_code == 302
    assert User.objects.get().is_active


def test_it_stores_the_canonical_tax_code(post, db):
    post(form(tax_code=" 0100233488 "))
    assert Enterprise.objects.get().tax_code == "0100233488"


@pytest.mark.parametrize("raw", ["0100233488-001", "0100233488 001", "0100233488001", "0100233488\u2013001"])
def test_it_accepts_a_dependent_unit(post, db, raw):
    r = post(form(tax_code=raw))
    assert r.status_code == 200
    assert Enterprise.objects.get().tax_code == "0100233488-001"
    assert not User.objects.get().is_active


@pytest.mark.parametrize("raw, message", [
    ("0314409059", CHECKSUM),
    ("123", FORMAT),
    ("03144090581", FORMAT),
    ("0314409058-000", BRANCH_000),
    ("0314409058-01", FORMAT),
    ("abcdefghij", FORMAT),
    ("031440905O", FORMAT),  # a letter O for the last zero
    ("٠٣١٤٤٠٩٠٥٨", FORMAT),  # Arabic-Indic digits are digits to Python, not to the tax office
])
def test_it_refuses_a_bad_tax_code(post, vi_client, db, raw, message):
    before = counts()
    r = post(form(tax_code=raw), browser=vi_client)
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page
    assert 'name="tax_code"' in page  # the form again, to correct it
    assert counts() == before
    assert mail.outbox == []


def test_it_refuses_a_bad_tax_code_in_english(post, db):
    before = counts()
    r = post(form(tax_code="0314409059"))
    assert r.status_code == 400
    assert taxcode.MESSAGES["checksum"]["en"] in r.content.decode()
    assert CHECKSUM not in r.content.decode()
    assert counts() == before


def test_it_requires_the_tax_code(post, db):
    before = counts()
    r = post(form(tax_code=""))
    assert r.status_code == 400
    assert "This field is required." in r.content.decode()
    assert counts() == before


def test_it_refuses_different_passwords(post, db):
    before = counts()
    r = post(form(password2=PASSWORD + "x"))
    assert r.status_code == 400
    assert "The two passwords are different. Type the same password twice." in r.content.decode()
    assert counts() == before
    assert mail.outbox == []


@pytest.mark.parametrize("password, message", [
    ("ngan-qua", "This password is too short. It must contain at least 10 characters."),
    ("84903123456", "This password is entirely numeric."),
    ("password1234", "This password is too common."),
])
def test_it_refuses_a_weak_password(post, db, password, message):
    before = counts()
    r = post(form(password1=password, password2=password))
    assert r.status_code == 400
    assert message in r.content.decode()
    assert counts() == before


def test_it_refuses_the_email_address_as_password(post, db):
    before = counts()
    r = post(form(email="ha.pham@saomai.vn", password1="ha.pham@saomai.vn", password2="ha.pham@saomai.vn"))
    assert r.status_code == 400
    assert "The password is too similar to the" in r.content.decode()
    assert counts() == before


def test_it_refuses_a_bad_email_address(post, db):
    before = counts()
    r = post(form(email="ha.pham@"))
    assert r.status_code == 400
    assert "Enter a valid email address." in r.content.decode()
    assert counts() == before


def test_it_refuses_an_email_address_already_used(post, db):
    make_user("someone", email="ha.pham@saomai.vn")
    before = counts()
    r = post(form(email="HA.PHAM@saomai.vn"))
    assert r.status_code == 400
    assert EMAIL_TAKEN in r.content.decode()
    assert counts() == before
    assert mail.outbox == []


def test_it_refuses_an_email_address_used_as_a_username(post, db):
    make_user("ha.pham@saomai.vn", email="")
    before = counts()
    r = post(form())
    assert r.status_code == 400
    assert EMAIL_TAKEN in r.content.decode()
    assert counts() == before


def test_it_refuses_an_enterprise_that_already_has_an_active_user(post, business, enterprise):
    before = counts()
    r = post(form(tax_code=enterprise.tax_code, enterprise_name="Tên khác"))
    assert r.status_code == 400
    assert ALREADY_HAS_AN_ACCOUNT in r.content.decode()
    assert counts() == before
    assert mail.outbox == []
    enterprise.refresh_from_db()
    assert enterprise.name == "Công ty TNHH Ánh Dương"


def test_it_joins_an_enterprise_without_active_users(post, enterprise):
    make_user("chua-xac-nhan", role="business", enterprise=enterprise, is_active=False)
    r = post(form(tax_code=enterprise.tax_code, enterprise_name="Tên khác"))
    assert r.status_code == 200
    user = User.objects.get(email="ha.pham@saomai.vn")
    assert list(user.role_assignments.values_list("role", "enterprise_id")) == [("business", enterprise.pk)]
    assert Enterprise.objects.count() == 1
    enterprise.refresh_from_db()
    assert enterprise.name == "Công ty TNHH Ánh Dương"  # the form's name does not rename it
    assert actions() == ["user.register"]
    assert len(mail.outbox) == 1


def test_it_redirects_a_logged_in_user(client, business):
    client.force_login(business)
    before = counts()
    assert client.get(URL).status_code == 302
    r = client.post(URL, form())
    assert r.status_code == 302
    assert r.url == "/"
    assert counts() == before


def test_it_is_in_english_with_the_english_cookie(client, db):
    r = client.get(URL)
    page = r.content.decode()
    assert '<html lang="en">' in page
    assert "Enterprise tax code" in page
    assert "Register your business" in page


def test_it_is_in_vietnamese_by_default(vi_client, db):
    r = vi_client.get(URL)
    assert '<html lang="vi">' in r.content.decode()


def test_it_refuses_an_address_too_long_to_be_a_username(post, db):
    before = counts()
    r = post(form(email="a" * 150 + "@saomai.vn"))
    assert r.status_code == 400
    assert 'id="id_email_error"' in r.content.decode()
    assert "Ensure this value has at most 150 characters (it has 160)." in r.content.decode()
    assert counts() == before
