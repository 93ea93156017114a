"""The directives pages: who may open each, what they show, and bad input that changes nothing."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from ketnoi.audit.models import AuditEvent
from ketnoi.directives import services
from ketnoi.directives.models import Change, Delegate, Directive, Recipient, Target
from ketnoi.testing import make_enterprise, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    dept = make_unit(code="02", kind="department", name_vi="Cục Hải quan TP. Hồ Chí Minh")
    port = make_unit(code="02CI", parent=dept, name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I")
    airport = make_unit(code="02B1", parent=dept, name_vi="Chi cục Hải quan cửa khẩu Sân bay quốc tế Tân Sơn Nhất")
    other = make_unit(code="02H1", parent=dept, name_vi="Chi cục Hải quan Quản lý hàng đầu tư")
    team = make_unit(code="", kind="team", parent=port, name_vi="Đội Thủ tục hàng hóa xuất nhập khẩu")
    users = {
        "coordinator": make_user("coordinator"),
        "port_leader": make_user("leader", unit=port),
        "port_officer": make_user("officer", unit=port),
        "team_officer": make_user("officer", unit=team),
        "airport_leader": make_user("leader", unit=airport),
        "other_leader": make_user("leader", unit=other),
        "business": make_user("business", enterprise=make_enterprise()),
        "party": make_user("party"),
        "admin": make_user("admin"),
    }
    now = timezone.now()
    first = services.directive_issue(
        by=users["coordinator"], number="352/HQHCM-VP", title="Đo thân nhiệt tại nơi làm thủ tục",
        body="Đo thân nhiệt từ 07 giờ 30 hằng ngày.\nĐeo khẩu trang khi làm việc.", issuing_unit=dept,
        signer_name="Nguyễn Quang Vinh", issued_at=now - timedelta(days=1),
        effective_from=timezone.localdate() - timedelta(days=1), target=Target.UNITS, target_units=[port, airport],
        ack_within_hours=4, report_due=timezone.localdate() + timedelta(days=3))
    second = services.directive_issue(
        by=users["coordinator"], number="361/HQHCM-VP", title="Đo thân nhiệt tại nơi làm thủ tục",
        body="Đo thân nhiệt từ 07 giờ 00 hằng ngày.\nĐeo khẩu trang khi làm việc.", issuing_unit=dept,
        signer_name="Nguyễn Quang Vinh", effective_from=timezone.localdate(), target=Target.UNITS,
        target_units=[port, airport], ack_within_hours=4, report_due=timezone.localdate() + timedelta(days=3),
        previous=first, change=Change.REPLACES)
    elsewhere = services.directive_issue(
        by=users["coordinator"], number="365/HQHCM-GSQL", title="Giám sát hàng đầu tư", body="Nội dung riêng.",
        issuing_unit=dept, signer_name="Nguyễn Quang Vinh", effective_from=timezone.localdate(),
        target=Target.UNITS, target_units=[other])
    return {"dept": dept, "port": port, "airport": airport, "other": other, "team": team, "users": users,
            "first": first, "second": second, "elsewhere": elsewhere}


def as_user(client, world, name):
    client.force_login(world["users"][name])
    return client


def counts():
    return (Directive.objects.count(), Recipient.objects.count(), AuditEvent.objects.count(),
            Recipient.objects.filter(acknowledged_at__isnull=False).count(),
            Recipient.objects.filter(reported_at__isnull=False).count())


# --- who may open what ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["business", "party", "admin"])
def test_it_refuses_the_pages_to_non_staff(client, world, name):
    as_user(client, world, name)
    for url in ["/chi-dao/", f"/chi-dao/{world['second'].pk}/", "/chi-dao/tim-kiem/?q=than", "/chi-dao/theo-doi/",
                "/chi-dao/moi/", "/chi-dao/uy-quyen/"]:
        assert client.get(url).status_code == 403, url


def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    response = client.get("/chi-dao/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_hides_a_directive_not_sent_to_the_unit(client, world):
    as_user(client, world, "port_leader")
    assert client.get(f"/chi-dao/{world['elsewhere'].pk}/").status_code == 404
    assert client.get(f"/chi-dao/{world['second'].pk}/").status_code == 200


def test_only_coordinators_issue_and_follow_up(client, world):
    as_user(client, world, "port_leader")
    assert client.get("/chi-dao/moi/").status_code == 403
    assert client.get(f"/chi-dao/{world['second'].pk}/phien-ban-moi/").status_code == 403
    assert client.get("/chi-dao/theo-doi/").status_code == 403
    as_user(client, world, "coordinator")
    assert client.get("/chi-dao/moi/").status_code == 200
    assert client.get("/chi-dao/theo-doi/").status_code == 200


def test_the_directives_link_is_offered_to_staff_only(client, world):
    as_user(client, world, "port_officer")
    assert 'href="/chi-dao/"' in client.get("/").content.decode()
    as_user(client, world, "business")
    assert 'href="/chi-dao/"' not in client.get("/").content.decode()


# --- in force -------------------------------------------------------------------------------------

def test_a_branch_sees_only_the_latest_version_in_force(client, world):
    as_user(client, world, "port_leader")
    page = client.get("/chi-dao/").content.decode()
    listed = page.split('<ol class="directives">')[1].split("</ol>")[0]
    assert "361/HQHCM-VP" in listed and "352/HQHCM-VP" not in listed and "365/HQHCM-GSQL" not in listed
    changes = page.split('class="changes"')[1].split("</section>")[0]
    assert f"/chi-dao/{world['first'].pk}/so-sanh/{world['second'].pk}/" in changes


def test_yesterday_shows_the_version_then_in_force(client, world):
    as_user(client, world, "port_leader")
    yesterday = timezone.localdate() - timedelta(days=1)
    page = client.get(f"/chi-dao/?day={yesterday:%d/%m/%Y}").content.decode()
    listed = page.split('<ol class="directives">')[1].split("</ol>")[0]
    assert "352/HQHCM-VP" in listed and "361/HQHCM-VP" not in listed


def test_a_team_sees_its_branch_directives(client, world):
    as_user(client, world, "team_officer")
    page = client.get("/chi-dao/").content.decode()
    assert "361/HQHCM-VP" in page
    assert client.get(f"/chi-dao/{world['second'].pk}/").status_code == 200


def test_a_bad_day_gets_a_message(client, world):
    as_user(client, world, "port_leader")
    with translation.override("en"):
        response = client.get("/chi-dao/?day=31/02/2020", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.content.decode()


def test_the_coordinator_sees_every_unit_and_can_choose_one(client, world):
    as_user(client, world, "coordinator")
    page = client.get("/chi-dao/").content.decode()
    assert "361/HQHCM-VP" in page and "365/HQHCM-GSQL" in page
    page = client.get(f"/chi-dao/?unit={world['other'].pk}").content.decode()
    listed = page.split('<ol class="directives">')[1].split("</ol>")[0]
    assert "365/HQHCM-GSQL" in listed and "361/HQHCM-VP" not in listed


# --- a directive and its versions -------------------------------------------------------------------

def test_the_old_version_says_it_was_replaced(client, world):
    as_user(client, world, "port_leader")
    page = client.get(f"/chi-dao/{world['first'].pk}/").content.decode()
    assert "replaced-notice" in page and world["second"].get_absolute_url() in page


def test_the_difference_shows_removed_and_added_words(client, world):
    as_user(client, world, "port_leader")
    page = client.get(f"/chi-dao/{world['second'].pk}/so-sanh/{world['first'].pk}/").content.decode()
    assert "<del>30</del>" in page and "<ins>00</ins>" in page
    assert "<del>352/HQHCM-VP</del>" in page


def test_directives_of_two_chains_cannot_be_compared(client, world):
    as_user(client, world, "coordinator")
    assert client.get(f"/chi-dao/{world['second'].pk}/so-sanh/{world['elsewhere'].pk}/").status_code == 404


# --- acknowledging and reporting --------------------------------------------------------------------

def test_the_leader_acknowledges_for_the_unit(client, world):
    as_user(client, world, "port_leader")
    response = client.post(f"/chi-dao/{world['second'].pk}/xac-nhan/", {"unit": world["port"].pk})
    assert response.status_code == 302
    recipient = Recipient.objects.get(directive=world["second"], unit=world["port"])
    assert recipient.acknowledged_by == world["users"]["port_leader"]
    assert Recipient.objects.get(directive=world["second"], unit=world["airport"]).acknowledged_at is None


@pytest.mark.parametrize("name", ["port_officer", "airport_leader", "coordinator"])
def test_others_cannot_acknowledge_for_the_port(client, world, name):
    before = counts()
    as_user(client, world, name)
    response = client.post(f"/chi-dao/{world['second'].pk}/xac-nhan/", {"unit": world["port"].pk})
    assert response.status_code == 403
    assert counts() == before


def test_a_delegate_acknowledges_once_named(client, world):
    officer = world["users"]["port_officer"]
    as_user(client, world, "port_leader")
    assert client.post("/chi-dao/uy-quyen/", {"unit": world["port"].pk, "user": officer.pk}).status_code == 302
    assert Delegate.objects.filter(unit=world["port"], user=officer).exists()
    as_user(client, world, "port_officer")
    assert client.post(f"/chi-dao/{world['second'].pk}/xac-nhan/", {"unit": world["port"].pk}).status_code == 302
    assert Recipient.objects.get(directive=world["second"], unit=world["port"]).acknowledged_by == officer


def test_a_leader_cannot_name_an_officer_of_another_unit(client, world):
    as_user(client, world, "port_leader")
    client.post("/chi-dao/uy-quyen/", {"unit": world["port"].pk, "user": world["users"]["airport_leader"].pk})
    assert not Delegate.objects.exists()
    assert client.post("/chi-dao/uy-quyen/", {"unit": world["airport"].pk,
                                              "user": world["users"]["port_officer"].pk}).status_code == 403


def test_an_empty_report_gets_a_message_and_files_nothing(client, world):
    before = counts()
    as_user(client, world, "port_leader")
    with translation.override("en"):
        response = client.post(f"/chi-dao/{world['second'].pk}/bao-cao/", {"unit": world["port"].pk, "report_text": "  "})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert counts() == before


def test_the_report_is_filed_once(client, world):
    as_user(client, world, "port_leader")
    url = f"/chi-dao/{world['second'].pk}/bao-cao/"
    assert client.post(url, {"unit": world["port"].pk, "report_text": "Đã bố trí máy đo thân nhiệt tại sảnh."}).status_code == 302
    before = counts()
    assert client.post(url, {"unit": world["port"].pk, "report_text": "Báo cáo lần hai"}).status_code == 400
    assert counts() == before
    assert Recipient.objects.get(directive=world["second"], unit=world["port"]).report_text.startswith("Đã bố trí")


# --- issuing ------------------------------------------------------------------------------------------

def test_an_invalid_directive_is_refused_with_messages_and_nothing_written(client, world):
    before = counts()
    as_user(client, world, "coordinator")
    response = client.post("/chi-dao/moi/", {
        "number": "khong phai so", "title": "Tiêu đề", "body": "Nội dung", "issuing_unit": world["dept"].pk,
        "signer_name": "Nguyễn Quang Vinh", "urgency": "normal", "target": "units", "target_units": [],
        "ack_within_hours": "0", "effective_to": "01/01/2000"})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="field-error"') >= 2 and "error-summary" in page
    assert counts() == before


def test_the_coordinator_issues_a_directive_to_every_branch_and_division(client, world):
    as_user(client, world, "coordinator")
    response = client.post("/chi-dao/moi/", {
        "number": "370/hqhcm-vp", "title": "Làm việc trực tuyến", "body": "Hạn chế hội họp tập trung.",
        "issuing_unit": world["dept"].pk, "signer_name": "Nguyễn Quang Vinh", "urgency": "immediate",
        "target": "all", "ack_within_hours": "2"})
    assert response.status_code == 302
    directive = Directive.objects.get(number="370/HQHCM-VP")
    assert {r.unit_id for r in directive.recipients.all()} == {world["port"].pk, world["airport"].pk, world["other"].pk}


def test_a_replaced_version_offers_its_latest_instead(client, world):
    as_user(client, world, "coordinator")
    response = client.get(f"/chi-dao/{world['first'].pk}/phien-ban-moi/")
    assert response.status_code == 302 and response["Location"] == world["second"].get_absolute_url()


# --- follow-up, export and search -------------------------------------------------------------------

def test_the_follow_up_exports_the_matrix_as_xlsx(client, world):
    as_user(client, world, "coordinator")
    response = client.get("/chi-dao/theo-doi/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    numbers = [row[0] for row in rows]
    assert "361/HQHCM-VP" in numbers and "365/HQHCM-GSQL" in numbers and "352/HQHCM-VP" not in numbers


def test_search_finds_without_marks_and_only_what_the_unit_may_see(client, world):
    as_user(client, world, "port_leader")
    page = client.get("/chi-dao/tim-kiem/?q=than+nhiet").content.decode()
    assert "361/HQHCM-VP" in page and "352/HQHCM-VP" in page
    assert "365/HQHCM-GSQL" not in client.get("/chi-dao/tim-kiem/?q=giam+sat+hang+dau+tu").content.decode()
    as_user(client, world, "other_leader")
    assert "365/HQHCM-GSQL" in client.get("/chi-dao/tim-kiem/?q=giam+sat+hang+dau+tu").content.decode()


def test_a_too_long_search_gets_a_message(client, world):
    as_user(client, world, "port_leader")
    assert client.get("/chi-dao/tim-kiem/", {"q": "x" * 500}).status_code == 400
