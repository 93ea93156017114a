"""Issue 9, "done when", on the demo data: the demo department is built (`ketnoi demo`, small:
40 officers, 60 enterprises, a few hundred cases of 2020, and the full party committee of 24
grassroots organisations and 970 members); the demo coordinator asks for the 2020 review as DOCX
and then as PDF on the year-end page, the worker renders them in a thread, and the downloaded
files' text (python-docx, pypdf) holds the department's figures, counted here with this test's own
queries (not through ketnoi.reports), printed the Vietnamese way (1.234, 95,2 %), and no member's
name."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from ketnoi.background.models import Job
from ketnoi.background.tests import test_browser_year_end as year_end_browser
from ketnoi.cases.models import Case
from ketnoi.dialogue.models import Session
from ketnoi.directives.models import Directive
from ketnoi.lib.party_org import GRASSROOTS_KINDS
from ketnoi.party.models import BadgeAward, Member, Organisation, Rating
from ketnoi.prices.models import Commitment
from ketnoi.reports.tests.test_year_end import text_of_docx, text_of_pdf
from ketnoi.testing import browser_login, seed_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2020
CASES = 300
PASSWORD = "Cà-phê-sáng-2020"
# The worker in a thread and the text extraction of the hand-built year's browser test.
running_worker = year_end_browser.running_worker
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_number(n: int) -> str:
    """1234 → "1.234" (the dot groups thousands in Vietnamese)."""
    return f"{n:,}".replace(",", ".")


def vn_percent(part: int, whole: int) -> str:
    """95.2 % → "95,2 %" (the comma is the decimal mark)."""
    text = f"{100 * part / whole:,.1f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".") + " %"


def _figures() -> dict:
    """The 2020 figures, counted here from the tables themselves."""
    since, until = datetime(YEAR, 1, 1, tzinfo=VIETNAM), datetime(YEAR + 1, 1, 1, tzinfo=VIETNAM)
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    commitments = Commitment.objects.filter(period_from__lte=end, period_to__gte=start, baselines__isnull=False)
    open_at_end = Organisation.objects.filter(founded_on__lte=end).exclude(dissolved_on__lte=end)
    members_end = Member.objects.filter(admitted_on__lte=end).exclude(
        status=Member.Status.DECEASED, died_on__lte=end).exclude(
        status__in=[Member.Status.TRANSFERRED_OUT, Member.Status.REMOVED], status_on__lte=end)
    ratings = Rating.objects.filter(year=YEAR, member__isnull=False)
    return {
        "received": Case.objects.filter(received_at__gte=since, received_at__lt=until).count(),
        "held": Session.objects.filter(status=Session.Status.HELD, starts_at__gte=since, starts_at__lt=until).count(),
        "directives": Directive.objects.filter(issued_at__gte=since, issued_at__lt=until).count(),
        "commitments": commitments.values("pk").distinct().count(),
        "operators": commitments.values("operator").distinct().count(),
        "grassroots": open_at_end.filter(kind__in=GRASSROOTS_KINDS).count(),
        "members_end": members_end.count(),
        "rated": ratings.count(),
        "excellent": ratings.filter(level="xuat_sac").count(),
        "badges": BadgeAward.objects.filter(occasion__year=YEAR).count(),
    }


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("KETNOI_DEMO_PASSWORD", PASSWORD)
    seed_reference_data()  # the topics and the price catalogue, flushed by earlier transactional tests
    call_command("demo", officers=40, enterprises=60, cases=CASES, no_progress=True, stdout=StringIO())
    return _figures()


def _request_and_download(page, live_server, fmt, screenshots) -> bytes:
    page.goto(live_server.url + "/tac-vu/tong-ket/")
    page.select_option("#id_year", str(YEAR))
    page.check(f"input[name=fmt][value={fmt}]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_selector(".job[data-state=done]", timeout=180_000)
    page.screenshot(path=str(screenshots / f"year-end-demo-{fmt}-done.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a.job-download")
    assert download.value.suggested_filename == f"bao-cao-tong-ket-nam-{YEAR}.{fmt}"
    with open(download.value.path(), "rb") as handle:
        return handle.read()


def test_the_demo_coordinator_renders_the_2020_review_with_the_demo_figures(browser, live_server, demo,
                                                                           running_worker, screenshots):
    f = demo
    # The demo as documented (README, ketnoi/demo/party.py): 24 grassroots organisations and 970
    # members at the end of 2020; every other capability has something in 2020 to report.
    assert (f["grassroots"], f["members_end"]) == (24, 970)
    assert f["received"] >= CASES and f["held"] and f["directives"] and f["commitments"] and f["excellent"]
    page = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True).new_page()
    browser_login(page, live_server.url, "coordinator", password=PASSWORD)

    texts = {
        "docx": text_of_docx(_request_and_download(page, live_server, "docx", screenshots)),
        "pdf": text_of_pdf(_request_and_download(page, live_server, "pdf", screenshots)),
    }
    badges = (f"Nhân các dịp kỷ niệm trong năm {YEAR}, {vn_number(f['badges'])} đảng viên được trao tặng Huy hiệu Đảng"
              if f["badges"] else f"Trong năm {YEAR}, không có đảng viên được trao Huy hiệu Đảng.")
    expected = [
        f"Năm {YEAR}, các đơn vị tiếp nhận {vn_number(f['received'])} vướng mắc",
        f"các đơn vị tổ chức {vn_number(f['held'])} buổi đối thoại",
        f"Cục ban hành {vn_number(f['directives'])} văn bản chỉ đạo",
        f"Năm {YEAR}, {vn_number(f['commitments'])} cam kết không tăng giá dịch vụ của "
        f"{vn_number(f['operators'])} doanh nghiệp",
        f"Đến ngày 31/12/{YEAR}, Đảng bộ có 24 tổ chức cơ sở đảng",
        f"Đến ngày 31/12/{YEAR}, Đảng bộ có 970 đảng viên",
        f"Đánh giá, xếp loại {vn_number(f['rated'])} đảng viên: {vn_number(f['excellent'])} đảng viên hoàn thành "
        f"xuất sắc nhiệm vụ ({vn_percent(f['excellent'], f['rated'])})",
        badges,
    ]
    names = list(Member.objects.values_list("full_name", flat=True))
    assert len(names) >= 970
    for fmt, text in texts.items():
        for phrase in expected:
            assert phrase in text, (fmt, phrase)
        assert [name for name in names if name in text] == [], fmt  # party data only as counts
    jobs = Job.objects.order_by("pk")
    assert [(j.params["fmt"], j.state) for j in jobs] == [("docx", "done"), ("pdf", "done")]
