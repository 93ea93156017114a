"""Issue 9, "done when" (the year-end part), through real pages in headless Chromium: a
coordinator asks for the 2020 review as DOCX and then as PDF; the worker (django-tasks-db's, in a
thread of this process, on the real queue table) renders it while the job's page refreshes
itself; once done, the file is downloaded and its text, extracted as a reader would (python-docx,
pypdf), holds the figures counted here from the database.

The year is small and built through the services with Django's clock moved along 2020: cases at
a branch, a morning-coffee session held, a party committee with a cell and four members."""

import threading
from datetime import date, time

import pytest
from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from ketnoi.accounts.models import Role
from ketnoi.background.models import Job
from ketnoi.cases import services as cases
from ketnoi.cases.models import Case
from ketnoi.dialogue import services as dialogue
from ketnoi.dialogue.models import Session
from ketnoi.lib import party_age
from ketnoi.lib.party_org import Kind
from ketnoi.org.models import Unit
from ketnoi.party import services as party
from ketnoi.party.models import Member
from ketnoi.reports.tests.test_year_end import text_of_docx, text_of_pdf
from ketnoi.testing import Clock, at, browser_login, make_enterprise, make_unit, make_user, seed_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2020


def _year_2020(clock):
    seed_reference_data()
    clock.set(2019, 12, 2, 8)
    department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                           name_en="Ho Chi Minh City Customs Department", valid_from=date(2000, 1, 1))
    park = make_unit(code="02F3", parent=department, name_vi="Chi cục Hải quan Khu Công nghệ cao",
                     name_en="High-Tech Park Customs Branch", short_name_vi="HQCNC", valid_from=date(2000, 1, 1))
    leader = make_user(Role.LEADER, unit=park, full_name="Châu Thị Bảo Ngọc")
    officer = make_user(Role.OFFICER, unit=park, full_name="Thạch Văn Lợi")
    make_user(Role.COORDINATOR, username="dieuphoi", full_name="Văn Thị Hoài Thương")
    party_office = make_user(Role.PARTY_OFFICE, full_name="Giang Thị Phương Thảo")
    enterprise = make_enterprise(name="Công ty TNHH Vi mạch Ánh Dương", home_unit=park)
    business = make_user(Role.BUSINESS, enterprise=enterprise, full_name="Mạc Thị Thu Sương")

    def file(moment, topic="thu-tuc"):
        clock.set(*moment)
        return cases.case_file(enterprise=enterprise, by=business, topic=topic, named_unit=park,
                               subject="Thủ tục nhập khẩu linh kiện điện tử", description="Xin hướng dẫn thủ tục.")

    def answer(case, moment):
        clock.set(*moment)
        cases.case_answer(case=case, body="Cục Hải quan trả lời Công ty như sau: …", by=leader)

    # One case filed in December 2019 and answered in January; four filed in 2020, two still open.
    answer(file((2019, 12, 20, 9)), (2020, 1, 3, 10))
    first = file((2020, 3, 2, 9))
    answer(first, (2020, 3, 4, 10))
    clock.set(2020, 3, 5, 9)
    cases.case_accept(case=first, by=business)
    cases.case_rate(case=first, score=5, by=business)
    answer(file((2020, 6, 1, 9), topic="thue"), (2020, 6, 3, 10))
    file((2020, 9, 7, 9))
    file((2020, 11, 2, 9))

    # The morning coffee of March 2020: one session, held, with one question answered on the spot.
    clock.set(2020, 2, 10, 9)
    programme = dialogue.programme_create(
        by=leader, unit=park, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=MONTHLY;BYDAY=1FR",
        starts_on=date(2020, 3, 1), ends_on=date(2020, 3, 31), start_time=time(7, 30), end_time=time(9, 0),
        venue="Hội trường Chi cục Hải quan Khu Công nghệ cao", capacity=10, topics=["thu-tuc"], hosts=[officer])
    session = programme.sessions.order_by("starts_at").first()
    clock.set(2020, 3, 2, 14)
    registration = dialogue.registration_create(
        session=session, by=business, enterprise=enterprise,
        attendees=[{"name": "Mạc Thị Thu Sương", "position": "Kế toán trưởng"}],
        questions=[{"topic": "thu-tuc", "subject": "Thủ tục thanh lý máy móc tạm nhập",
                    "description": "Máy móc tạm nhập đã hết khấu hao: thủ tục thanh lý thế nào?"}])
    clock.set(2020, 3, 6, 7, 45)
    dialogue.agenda_save(session=session, by=leader, order=[q.pk for q in dialogue.agenda_default(session)],
                         chair=leader)
    dialogue.registration_check_in(registration=registration, by=officer)
    clock.set(2020, 3, 6, 9, 5)
    dialogue.session_close(session=session, by=leader)

    # The party committee: a grassroots committee's cell and four members, one admitted in 2020.
    clock.set(2020, 12, 15, 9)
    committee = party.organisation_create(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, by=party_office,
                                          name="Đảng bộ Cục Hải quan TP. Hồ Chí Minh", founded_on=date(1976, 3, 26))
    cell = party.organisation_create(kind=Kind.GRASSROOTS_CELL, parent=committee, by=party_office, unit=park,
                                     name="Chi bộ Chi cục Hải quan Khu Công nghệ cao", founded_on=date(2008, 2, 3))
    for n, (name, admitted) in enumerate([("Lương Thị Diễm Kiều", date(1995, 6, 2)),
                                          ("Tăng Quốc Việt", date(2001, 9, 2)),
                                          ("Khổng Minh Nhựt", date(2012, 12, 22)),
                                          ("Ninh Thị Tố Uyên", date(2020, 5, 19))]):
        party.member_create(organisation=cell, full_name=name, gender="female" if n % 2 == 0 else "male",
                            born_on=date(admitted.year - 25, 4, 12), admission_decision_on=admitted,
                            full_member_on=party_age.add_months(admitted, 12) if admitted.year < YEAR else None,
                            by=party_office)


def _figures():
    """The 2020 figures counted here, from the rows the services wrote."""
    start, end = at(YEAR, 1, 1), at(YEAR + 1, 1, 1)
    return {
        "received": Case.objects.filter(received_at__gte=start, received_at__lt=end).count(),
        "answered": Case.objects.filter(answered_at__gte=start, answered_at__lt=end).count(),
        "held": Session.objects.filter(status=Session.Status.HELD, starts_at__gte=start, starts_at__lt=end).count(),
        "members": Member.objects.count(),
    }


@pytest.fixture
def year_2020():
    with pytest.MonkeyPatch.context() as patch:
        _year_2020(Clock(patch, at(YEAR, 1, 2, 8)))
    return _figures()


@pytest.fixture
def running_worker():
    """The package's worker polling the queue in a thread, as `ketnoi worker` does in production."""
    worker = Worker(queue_names=["default"], interval=0.2, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=f"browser-test-{get_random_string(8)}",
                    excluded_queue_names=[])

    def run():
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=60)


def _request_and_download(page, live_server, fmt, screenshots):
    page.goto(live_server.url + "/tac-vu/tong-ket/")
    page.select_option("#id_year", str(YEAR))
    page.check(f"input[name=fmt][value={fmt}]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/tac-vu/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    page.screenshot(path=str(screenshots / f"year-end-{fmt}-progress.png"), full_page=True)
    # The page refreshes itself (HTTP Refresh) until the worker is done.
    page.wait_for_selector(".job[data-state=done]", timeout=180_000)
    page.screenshot(path=str(screenshots / f"year-end-{fmt}-done.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a.job-download")
    assert download.value.suggested_filename.endswith(f".{fmt}")
    with open(download.value.path(), "rb") as handle:
        return handle.read()


def test_a_coordinator_renders_the_2020_review_as_docx_and_pdf(browser, live_server, year_2020, running_worker,
                                                                screenshots):
    figures = year_2020
    # The year as built: four cases filed in 2020 and the question sent ahead to the session (a
    # case too); answered in 2020: the December case, and two of 2020's.
    assert figures == {"received": 5, "answered": 3, "held": 1, "members": 4}
    page = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True).new_page()
    browser_login(page, live_server.url, "dieuphoi")

    texts = {
        "docx": text_of_docx(_request_and_download(page, live_server, "docx", screenshots)),
        "pdf": text_of_pdf(_request_and_download(page, live_server, "pdf", screenshots)),
    }
    for fmt, text in texts.items():
        assert f"Năm {YEAR}, các đơn vị tiếp nhận {figures['received']} vướng mắc" in text, fmt
        assert f"đã trả lời {figures['answered']} vướng mắc" in text, fmt
        assert f"tổ chức {figures['held']} buổi đối thoại" in text, fmt
        assert f"Đến ngày 31/12/{YEAR}, Đảng bộ có {figures['members']} đảng viên" in text, fmt
        assert "Lương Thị Diễm Kiều" not in text, fmt  # party data only as counts
    jobs = Job.objects.order_by("pk")
    assert [(j.params["fmt"], j.state, j.attempts) for j in jobs] == [("docx", "done", 1), ("pdf", "done", 1)]
    # The form lists both, each with its download.
    page.goto(live_server.url + "/tac-vu/tong-ket/")
    for job in jobs:
        assert page.locator(f"a[href='/tac-vu/{job.pk}/tai-ve/']").count() == 1
