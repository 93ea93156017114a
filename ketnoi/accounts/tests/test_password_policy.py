import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ketnoi.accounts.models import User

from .helpers import PASSWORD

COMMON = "This password is one that many people use"
PERSONAL = "This password contains your phone number or your enterprise"


@pytest.mark.parametrize("password", ["matkhau123", "Mật-khẩu@2025", "123456789a", "1234567890a@", "Hải-Quan-2020",
                                      "anhyeuem1234", "ketnoi@12345", "Saigon2024!!", "qwerty123456"])
def test_it_refuses_vietnamese_weak_passwords(password, english, db):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="lan", email="lan@example.vn"))
    assert any(COMMON in message for message in refused.value.messages)


@pytest.mark.parametrize("password", ["Mật-khẩu-thử-2020", "Sông-Sài-Gòn-2025", "Cà phê sáng thứ sáu 7 giờ"])
def test_it_accepts_a_phrase(password, db):
    validate_password(password, User(username="lan", email="lan@example.vn"))


def test_it_refuses_the_phone_number_however_it_is_written(english, db):
    user = User(username="lan", email="lan@example.vn", phone="+84 912 345 678")
    with pytest.raises(ValidationError) as refused:
        validate_password("Lan.0912-345-678", user)
    assert PERSONAL in refused.value.messages[0]


def test_it_refuses_the_enterprise_tax_code(english, business):
    with pytest.raises(ValidationError) as refused:
        validate_password("Anh-Dương-0314409058", business)
    assert PERSONAL in refused.value.messages[0]


def test_registration_refuses_the_tax_code_as_password(client, db):
    r = client.post("/accounts/register/", {
        "tax_code": "0314409058", "enterprise_name": "Công ty TNHH Ánh Dương", "full_name": "Nguyễn Thị Lan",
        "email": "lan@anhduong.vn", "phone": "", "password1": "AnhDuong0314409058", "password2": "AnhDuong0314409058"})
    assert r.status_code == 400
    assert PERSONAL in r.content.decode()
    assert not User.objects.exists()


def test_it_shows_the_message_in_vietnamese(vi_client, business):
    vi_client.force_login(business)
    r = vi_client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "matkhau@2025",
                                               "new_password2": "matkhau@2025"})
    assert r.status_code == 200
    assert 'class="error-summary"' in r.content.decode()
    assert User.objects.get(pk=business.pk).check_password(PASSWORD)


def test_the_password_change_page_refuses_a_weak_password(client, business):
    client.force_login(business)
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "123456789a",
                                            "new_password2": "123456789a"})
    assert COMMON in r.content.decode()
    assert User.objects.get(pk=business.pk).check_password(PASSWORD)


def test_the_password_change_page_needs_a_login(client, db):
    r = client.get("/accounts/password/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_the_password_change_page_changes_it(client, business):
    client.force_login(business)
    assert client.get("/accounts/password/").status_code == 200
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Bến-Nhà-Rồng-1911",
                                            "new_password2": "Bến-Nhà-Rồng-1911"})
    assert r.status_code == 302 and r.url == "/accounts/"
    assert User.objects.get(pk=business.pk).check_password("Bến-Nhà-Rồng-1911")
    from .helpers import actions

    assert "user.password_change" in actions()
