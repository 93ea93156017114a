"""Issue 6, "done when", through real pages in headless Chromium: an operator files a list with
one covered service 5 % above its baseline and, within that one request, the commitment is
broken, the coordinator and the unit's leader are e-mailed and the public board says so; an XLSX
with one bad row saves nothing and the page names the row and the problem. Screenshots go to
var/screenshots/."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import Workbook

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.org import services as org
from ketnoi.prices import services
from ketnoi.prices.models import Commitment, CommitmentStatus, Price, PriceList
from ketnoi.testing import browser_login, seed_reference_data

PASSWORD = "Mật-khẩu-thử-2020"
BASELINE = {"NH20": 1_000_000, "NH40": 1_500_000, "LB20": 120_000, "DO": 250_000}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def yard():
    # The catalogue is seeded by migration 0002, and a transactional test before this one may have
    # flushed it (serialized_rollback would restore it, but collides with the content types
    # re-created after a flush).
    seed_reference_data()
    dept = org.unit_create(code="02", name_vi="Cục Hải quan TP. Hồ Chí Minh", name_en="Ho Chi Minh City Customs Department",
                           kind="department", parent=None, by=None)
    port = org.unit_create(code="02CI", name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I",
                           name_en="Saigon Port Area I Customs Branch", kind="branch", parent=dept, by=None)
    operator = accounts.enterprise_create(tax_code="0100233488", name="Công ty Cổ phần Kho vận Tân Cát Long", by=None)
    coordinator = accounts.user_create(username="dieuphoi", full_name="Võ Thị Mai", email="mai@haiquan.example",
                                       role=Role.COORDINATOR, by=None, password=PASSWORD)
    accounts.user_create(username="lanhdao.cang", full_name="Phan Đức Long", email="long@haiquan.example",
                         role=Role.LEADER, unit=port, by=None, password=PASSWORD)
    accounts.user_create(username="kho.tcl", full_name="Lê Minh Tâm", email="tam@tancatlong.example",
                         role=Role.OPERATOR, enterprise=operator, by=None, password=PASSWORD)
    facility = services.facility_create(operator=operator, name="Bãi container Tân Cát Long", kind="yard", unit=port,
                                        by=coordinator, address="Đường Nguyễn Thị Định, TP. Thủ Đức")
    today = timezone.localdate()
    services.price_list_file(facility=facility, prices=BASELINE, effective_from=today - timedelta(days=60), by=coordinator)
    commitment = services.commitment_create(operator=operator, facilities=[facility], period_from=today - timedelta(days=30),
                                            period_to=today + timedelta(days=335), signed_on=today - timedelta(days=30),
                                            by=coordinator)
    mail.outbox.clear()
    return facility, commitment


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def login(browser, live_server, username):
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    return browser_login(page, live_server.url, username, password=PASSWORD)


def test_a_list_5_percent_above_the_baseline_breaks_the_commitment_at_once(browser, live_server, yard, screenshots):
    facility, commitment = yard
    operator = login(browser, live_server, "kho.tcl")
    operator.goto(f"{live_server.url}/gia-dich-vu/{facility.pk}/nop-bang-gia/")
    assert operator.input_value("#id_price_NH20") == "1.000.000"  # the current prices are filled in
    operator.fill("#id_price_NH20", "1.050.000")
    operator.fill("#id_effective_from", f"{timezone.localdate():%d/%m/%Y}")
    operator.fill("#id_note", "Quyết định số 15/QĐ-TCL điều chỉnh giá nâng hạ")
    operator.screenshot(path=screenshots / "prices-1-filing-form.png", full_page=True)
    submit(operator, "section.price-form button.primary[type=submit]")

    # The page says the commitment is broken, and which service.
    assert operator.url.endswith(f"/gia-dich-vu/{facility.pk}/")
    warning = operator.locator(".notice.error").inner_text()
    assert "NH20" in warning and "1.000.000 ₫ → 1.050.000 ₫" in warning
    assert "LB20" not in warning and "NH40" not in warning
    assert "▲" in operator.locator("table.prices tr.increase").inner_text()
    operator.screenshot(path=screenshots / "prices-2-breach-said.png", full_page=True)

    # Within that request: the commitment is broken and the right people were e-mailed.
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.BROKEN and commitment.first_breach_on == timezone.localdate()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"mai@haiquan.example", "long@haiquan.example"} <= recipients
    assert "tam@tancatlong.example" in recipients  # the operator is told what was found

    # The public board, for anyone, shows it broken.
    visitor = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    visitor.goto(f"{live_server.url}/gia-dich-vu/")
    row = visitor.locator(f"#facility-{facility.pk}")
    assert row.locator(".tag.price-broken").count() == 1
    visitor.screenshot(path=screenshots / "prices-3-public-board.png", full_page=True)
    visitor.goto(f"{live_server.url}/gia-dich-vu/{facility.pk}/")
    assert visitor.locator("figure.price-chart#history-NH20 svg path.steps").count() == 1
    visitor.screenshot(path=screenshots / "prices-4-facility-history.png", full_page=True)


def test_an_xlsx_with_one_bad_row_saves_nothing_and_names_the_row(browser, live_server, yard, screenshots, tmp_path):
    facility, _commitment = yard
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã dịch vụ", "Dịch vụ", "Đơn vị tính", "Đơn giá (đồng)"])
    sheet.append(["NH20", "Nâng hạ container hàng 20'", "container 20'", 1_000_000])
    sheet.append(["NH40", "Nâng hạ container hàng 40'", "container 40'", "1,5 triệu"])
    sheet.append(["LB20", "Lưu bãi container hàng 20'", "ngày", 120_000])
    path = tmp_path / "bang-gia-tan-cat-long.xlsx"
    book.save(path)
    before = (PriceList.objects.count(), Price.objects.count(), Commitment.objects.filter(status=CommitmentStatus.BROKEN).count())

    operator = login(browser, live_server, "kho.tcl")
    operator.goto(f"{live_server.url}/gia-dich-vu/{facility.pk}/nop-bang-gia/")
    operator.set_input_files("#id_xlsx-file", str(path))
    operator.fill("#id_xlsx-effective_from", f"{timezone.localdate():%d/%m/%Y}")
    submit(operator, "section.price-upload button.primary[type=submit]")

    summary = operator.locator(".error-summary").inner_text()
    assert re.search(r"(Dòng|Row) 3\b", summary) and "1,5 triệu" in summary
    assert not re.search(r"(Dòng|Row) [24]\b", summary)
    assert (PriceList.objects.count(), Price.objects.count(),
            Commitment.objects.filter(status=CommitmentStatus.BROKEN).count()) == before
    operator.screenshot(path=screenshots / "prices-5-xlsx-bad-row.png", full_page=True)
