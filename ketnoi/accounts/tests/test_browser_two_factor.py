"""A new officer adds an authenticator at the first sign-in and signs in with a code the next
time, in headless Chromium; screenshots go to var/screenshots/."""

import re

import pyotp
import pytest

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role, TotpDevice
from ketnoi.org import services as org
from ketnoi.testing import seed_reference_data, totp_code

PASSWORD = "Mật-khẩu-thử-2020"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer():
    seed_reference_data()
    branch = org.unit_create(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao",
                             name_en="High-Tech Park Customs Branch", kind="branch", parent=None, by=None)
    return accounts.user_create(username="tram.pham", full_name="Phạm Ngọc Trâm", email="tram.pham@ketnoi.example",
                                role=Role.OFFICER, unit=branch, by=None, password=PASSWORD)


def submit(page, selector="main button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def password_step(page, base_url):
    page.goto(base_url + "/accounts/login/?next=/accounts/")
    page.fill("#id_username", "tram.pham")
    page.fill("#id_password", PASSWORD)
    submit(page)


def test_an_officer_enrols_then_signs_in_with_a_code(browser, live_server, officer, screenshots):
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    password_step(page, live_server.url)
    assert page.url.endswith("/accounts/two-factor/")
    assert page.locator(".two-factor-qr svg").count() == 1
    page.screenshot(path=str(screenshots / "two-factor-enrol-vi.png"), full_page=True)
    # The key as text, as a person types it into the app when the camera fails.
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert secret == TotpDevice.objects.get(user=officer).secret

    page.fill("#id_code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    submit(page)
    assert page.locator(".error-summary").is_visible()

    page.fill("#id_code", pyotp.TOTP(secret).now())
    submit(page)
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", code) for code in codes)
    page.screenshot(path=str(screenshots / "two-factor-recovery-codes-vi.png"), full_page=True)
    submit(page, "main a.button")
    assert page.url.endswith("/accounts/")
    assert "tram.pham" in page.locator("main").inner_text()

    # Next time, in another browser: the password, then the code.
    page.context.close()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    password_step(page, live_server.url)
    assert page.url.endswith("/accounts/login/code/")
    page.screenshot(path=str(screenshots / "two-factor-code-phone-vi.png"), full_page=True)
    page.fill("#id_code", totp_code(officer))
    submit(page)
    assert page.url.endswith("/accounts/")
    page.context.close()
