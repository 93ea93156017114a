"""Issue 7, "done when", through real pages in headless Chromium: the coordinator issues a
directive to two branches, and replaces it the next day; each branch's leader sees only the new
version in force, with what changed; one branch acknowledges, the other does not and is escalated
by `ketnoi tick` once the deadline has passed. Screenshots go to var/screenshots/."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.directives.models import Directive, Recipient
from ketnoi.notifications.models import Notification
from ketnoi.org import services as org
from ketnoi.testing import browser_login

PASSWORD = "Mật-khẩu-thử-2020"
FIRST_TEXT = ("Các Chi cục tổ chức đo thân nhiệt cho người đến làm thủ tục từ 07 giờ 30 hằng ngày.\n"
              "Cán bộ, công chức đeo khẩu trang trong suốt thời gian làm việc.")
SECOND_TEXT = ("Các Chi cục tổ chức đo thân nhiệt cho người đến làm thủ tục từ 07 giờ 00 hằng ngày.\n"
               "Cán bộ, công chức đeo khẩu trang trong suốt thời gian làm việc.\n"
               "Bố trí nước sát khuẩn tại khu vực tiếp nhận hồ sơ.")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def department():
    dept = org.unit_create(code="02", name_vi="Cục Hải quan TP. Hồ Chí Minh", name_en="Ho Chi Minh City Customs Department",
                           kind="department", parent=None, by=None)
    port = org.unit_create(code="02CI", name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I",
                           name_en="Saigon Port Area I Customs Branch", kind="branch", parent=dept, by=None)
    airport = org.unit_create(code="02B1", name_vi="Chi cục Hải quan cửa khẩu Sân bay quốc tế Tân Sơn Nhất",
                              name_en="Tan Son Nhat International Airport Customs Branch", kind="branch", parent=dept, by=None)
    accounts.user_create(username="dieuphoi", full_name="Võ Thị Mai", email="mai@haiquan.example",
                         role=Role.COORDINATOR, by=None, password=PASSWORD)
    accounts.user_create(username="lanhdao.cang", full_name="Phan Đức Long", email="long@haiquan.example",
                         role=Role.LEADER, unit=port, by=None, password=PASSWORD)
    accounts.user_create(username="lanhdao.sanbay", full_name="Đỗ Thị Hạnh", email="hanh@haiquan.example",
                         role=Role.LEADER, unit=airport, by=None, password=PASSWORD)
    return dept, port, airport


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def login(browser, live_server, username):
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    return browser_login(page, live_server.url, username, password=PASSWORD)


def test_a_directive_replaced_the_next_day_is_seen_acknowledged_and_escalated(browser, live_server, department, screenshots):
    dept, port, airport = department
    # The pages are in Vietnamese; an earlier test may have left this thread in English.
    with translation.override("vi"):
        dept_label, port_label, airport_label = str(dept), str(port), str(airport)
    now = timezone.localtime()
    first_day, next_day = now - timedelta(hours=26), now - timedelta(hours=2)

    # Day 1: the coordinator issues the directive to the two branches.
    coordinator = login(browser, live_server, "dieuphoi")
    coordinator.goto(live_server.url + "/chi-dao/moi/")
    coordinator.fill("#id_number", "352/HQHCM-VP")
    coordinator.fill("#id_title", "Tăng cường phòng, chống dịch Covid-19 tại nơi làm thủ tục hải quan")
    coordinator.fill("#id_body", FIRST_TEXT)
    coordinator.select_option("#id_issuing_unit", label=dept_label)
    coordinator.fill("#id_signer_name", "Nguyễn Quang Vinh")
    coordinator.fill("#id_signer_title", "Phó Cục trưởng")
    coordinator.check("input[name=urgency][value=urgent]")
    coordinator.check("input[name=target][value=units]")
    coordinator.select_option("#id_target_units", label=[port_label, airport_label])
    coordinator.fill("#id_ack_within_hours", "1")
    coordinator.fill("#id_issued_on", f"{first_day:%d/%m/%Y}")
    coordinator.fill("#id_issued_time", f"{first_day:%H:%M}")
    submit(coordinator, "main button.primary[type=submit]")
    assert "352/HQHCM-VP" in coordinator.locator("h1").inner_text()
    assert "2" in coordinator.locator(".messages, [role=status], .notice").first.inner_text()
    first = Directive.objects.get(number="352/HQHCM-VP")

    # Day 2: a new version replaces it, with a different hour and one more measure.
    submit(coordinator, "a[href$='/phien-ban-moi/']")
    assert coordinator.input_value("#id_body") == FIRST_TEXT.replace("\n", "\r\n") or \
        coordinator.input_value("#id_body").replace("\r\n", "\n") == FIRST_TEXT
    coordinator.check("input[name=change][value=replaces]")
    coordinator.fill("#id_number", "361/HQHCM-VP")
    coordinator.fill("#id_body", SECOND_TEXT)
    coordinator.select_option("#id_issuing_unit", label=dept_label)
    coordinator.fill("#id_signer_name", "Nguyễn Quang Vinh")
    coordinator.fill("#id_issued_on", f"{next_day:%d/%m/%Y}")
    coordinator.fill("#id_issued_time", f"{next_day:%H:%M}")
    coordinator.fill("#id_effective_from", "")
    submit(coordinator, "main button.primary[type=submit]")
    second = Directive.objects.get(number="361/HQHCM-VP")
    assert second.previous_id == first.pk and second.version == 2
    coordinator.screenshot(path=screenshots / "directives-1-new-version.png", full_page=True)

    # Each branch sees only the new version in force, and what changed on the day it took effect.
    for username in ("lanhdao.cang", "lanhdao.sanbay"):
        leader = login(browser, live_server, username)
        leader.goto(f"{live_server.url}/chi-dao/?day={second.effective_from:%d/%m/%Y}")
        listed = leader.locator("ol.directives").inner_text()
        assert "361/HQHCM-VP" in listed and "352/HQHCM-VP" not in listed
        changes = leader.locator("section.changes").inner_text()
        assert "361/HQHCM-VP" in changes and "352/HQHCM-VP" in changes
        awaiting = leader.locator("section.awaiting li")
        assert awaiting.count() == 1 and "361/HQHCM-VP" in awaiting.inner_text()
        submit(leader, f"section.changes a[href='/chi-dao/{first.pk}/so-sanh/{second.pk}/']")
        assert leader.locator(".diff del").first.inner_text().strip() == "30"
        assert [leader.locator(".diff ins").nth(i).inner_text().strip() for i in range(leader.locator(".diff ins").count())] == [
            "00", "Bố trí nước sát khuẩn tại khu vực tiếp nhận hồ sơ."]
        if username == "lanhdao.cang":
            leader.screenshot(path=screenshots / "directives-2-what-changed.png", full_page=True)
            # The port branch acknowledges from the page of the directive.
            leader.goto(f"{live_server.url}/chi-dao/{second.pk}/")
            submit(leader, "section.acting button[type=submit]")
            assert "Phan Đức Long" in leader.locator("section.acting .acknowledged").inner_text()
        leader.context.close()

    # The deadline (1 hour after issue) has passed: the tick escalates the airport branch only, once.
    mail.outbox.clear()
    call_command("tick")
    call_command("tick")
    escalated = Recipient.objects.filter(directive=second, escalated_at__isnull=False)
    assert [r.unit_id for r in escalated] == [airport.pk]
    assert Recipient.objects.get(directive=second, unit=port).acknowledged_at is not None
    told = sorted(message.to[0] for message in mail.outbox if "361/HQHCM-VP" in message.subject)
    assert told == ["hanh@haiquan.example", "mai@haiquan.example"]
    assert Notification.objects.filter(user__username="lanhdao.sanbay", kind="directives/escalated").count() == 1

    # The coordinator's follow-up shows who acknowledged and who is late.
    coordinator.goto(live_server.url + "/chi-dao/theo-doi/")
    row = coordinator.locator("table.matrix tbody tr", has_text="361/HQHCM-VP")
    cells = row.locator("td")
    texts = [cells.nth(i).inner_text() for i in range(cells.count())]
    assert len(texts) == 2 and any("quá hạn" in t for t in texts) and any("trễ hạn" in t or "đúng hạn" in t for t in texts)
    coordinator.screenshot(path=screenshots / "directives-3-follow-up.png", full_page=True)
