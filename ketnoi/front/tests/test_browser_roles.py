"""Every role logs in through real pages in headless Chromium, switches the language and logs
out; screenshots go to var/screenshots/ for people to look at."""


import pytest

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.org import services as org
from ketnoi.testing import browser_login

PASSWORD = "Mật-khẩu-thử-2020"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (username, role, a navigation link only this kind of role has)
ROLES = [
    ("admin", Role.ADMIN, "/admin/"),
    ("coordinator", Role.COORDINATOR, None),
    ("leader", Role.LEADER, "/units/"),
    ("officer", Role.OFFICER, "/units/"),
    ("business", Role.BUSINESS, "/accounts/enterprise/"),
    ("operator", Role.OPERATOR, "/accounts/enterprise/"),
    ("party", Role.PARTY_OFFICE, None),
]


@pytest.fixture
def people():
    dept = org.unit_create(code="02", name_vi="Cục Hải quan TP. Hồ Chí Minh", name_en="Ho Chi Minh City Customs Department",
                           kind="department", parent=None, by=None)
    branch = org.unit_create(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao", name_en="High-Tech Park Customs Branch",
                             kind="branch", parent=dept, by=None)
    enterprise = accounts.enterprise_create(tax_code="0314409058", name="Công ty TNHH Điện tử Sao Khải Việt", by=None)
    operator = accounts.enterprise_create(tax_code="0100233488", name="Công ty Cổ phần Kho vận Tân Cát Long", by=None)
    scope = {Role.LEADER: {"unit": branch}, Role.OFFICER: {"unit": branch},
             Role.BUSINESS: {"enterprise": enterprise}, Role.OPERATOR: {"enterprise": operator}}
    for username, role, _nav in ROLES:
        accounts.user_create(username=username, full_name=f"Nguyễn Văn {username.title()}",
                             email=f"{username}@ketnoi.example", role=role, by=None, password=PASSWORD,
                             **scope.get(role, {}))
    return branch


def test_every_role_logs_in_switches_language_and_logs_out(browser, live_server, people, screenshots):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.screenshot(path=str(screenshots / "home-public-vi.png"), full_page=True)
    for username, role, nav_path in ROLES:
        browser_login(page, live_server.url, username, password=PASSWORD)
        assert page.locator(".site-nav .who").inner_text().startswith("Nguyễn Văn"), username
        hrefs = page.locator(".site-nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        if nav_path:
            assert any(h.startswith(nav_path) for h in hrefs if h and h != "/"), (username, hrefs)
        assert ("/admin/" in hrefs) == (role == Role.ADMIN), (username, hrefs)
        page.screenshot(path=str(screenshots / f"home-{username}-vi.png"), full_page=True)

        with page.expect_navigation():
            page.click(".lang-switch button[value=en]")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator(".site-nav").get_by_text("Log out").count() == 1
        page.goto(live_server.url + "/accounts/")
        assert page.locator("h1").inner_text() == "Your account"
        page.screenshot(path=str(screenshots / f"account-{username}-en.png"), full_page=True)

        with page.expect_navigation():
            page.click(".lang-switch button[value=vi]")
        assert page.locator("html").get_attribute("lang") == "vi"
        with page.expect_navigation():
            page.click(".site-nav .who button[type=submit]")
        assert page.locator(".site-nav .who a[href='/accounts/login/']").count() == 1
    page.close()


def test_an_invalid_tax_code_gets_a_clear_message_and_creates_nothing(browser, live_server, people, screenshots):
    from ketnoi.accounts.models import Enterprise, User

    users, enterprises = User.objects.count(), Enterprise.objects.count()
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(live_server.url + "/accounts/register/")
    page.fill("#id_tax_code", "0314409059")
    page.fill("#id_enterprise_name", "Công ty TNHH Thương mại Hoàng Gia Phát")
    page.fill("#id_full_name", "Trần Thị Mỹ Duyên")
    page.fill("#id_email", "duyen.tran@hoanggiaphat.example.vn")
    page.fill("#id_password1", "Một-mật-khẩu-dài-2026")
    page.fill("#id_password2", "Một-mật-khẩu-dài-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    assert "Mã số thuế không hợp lệ: chữ số kiểm tra không đúng" in summary.inner_text()
    assert page.locator("#id_tax_code").input_value() == "0314409059"  # what was typed is kept
    page.screenshot(path=str(screenshots / "register-invalid-tax-code-vi.png"), full_page=True)
    assert (User.objects.count(), Enterprise.objects.count()) == (users, enterprises)
    page.close()
