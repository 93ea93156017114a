"""The members' import as a background job: the workbook is kept in the private files and the
worker imports it (all rows or none, as the service does), reporting each row; a refused file's
rows to correct are shown to the person who sent it, and kept out of what the administrators see
of the job (party data is the party office's alone)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.background.kinds import MEMBERS_IMPORT, kind_for, members_import_request
from ketnoi.background.models import Job
from ketnoi.background.services import job_run
from ketnoi.party.models import Member
from ketnoi.testing import make_user

from .helpers import build_register, make_party_office
from .page_helpers import log_in, text

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng (quyết định)", "Số thẻ đảng", "Tổ chức đảng"]


def workbook(*rows, name="dang-vien-chi-bo-cong-nghe-cao.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def good_rows(r):
    return [["Hồ Thị Kim Oanh", "Nữ", "14/07/1988", "03/02/2012", "79300001", r.high_tech.name],
            ["Lưu Đức Trọng", "Nam", "09/11/1975", "19/05/2001", "79300002", r.high_tech.name],
            ["Âu Dương Phong", "Nam", "01/01/1990", "02/09/2015", "79300003", r.cat_lai_cell.name]]


def run(job) -> Job:
    """The worker's attempt, here (a refused file is raised again for the queue's own record)."""
    try:
        job_run(job_id=job.pk)
    except ValidationError:
        pass
    job.refresh_from_db()
    return job


@pytest.fixture
def r(db):
    return build_register()


def test_it_keeps_the_file_and_imports_it_in_the_background(r):
    job = members_import_request(file=workbook(*good_rows(r)), by=r.office, language="en")
    upload = job.params["upload"]
    assert (job.kind, job.state, job.params["filename"]) == (MEMBERS_IMPORT, Job.State.QUEUED,
                                                             "dang-vien-chi-bo-cong-nghe-cao.xlsx")
    assert default_storage.exists(upload) and not Member.objects.filter(full_name="Lưu Đức Trọng").exists()
    run(job)
    assert (job.state, job.attempts, job.percent) == (Job.State.DONE, 1, 100)
    assert Member.objects.filter(card_number__in=["79300001", "79300002", "79300003"]).count() == 3
    assert len(AuditEvent.objects.get(action="party.members.imported").after["members"]) == 3
    assert not default_storage.exists(upload)  # the workbook is not kept once imported
    with job.result.open("rb") as result:
        assert result.read().decode().startswith(
            "3 members were imported into the party register from dang-vien-chi-bo-cong-nghe-cao.xlsx on ")


def test_it_reports_each_row_as_it_goes(r):
    job = members_import_request(file=workbook(*good_rows(r)), by=r.office)
    seen = []
    with translation.override("en"):
        kind_for(MEMBERS_IMPORT).run(dict(job.params), lambda done, total, label: seen.append((done, total, label)))
    # Every row on SQLite; on PostgreSQL the latest figures, at most twice a second.
    assert seen[0] == (0, 0, "Reading the workbook") and seen[-1] == (3, 3, "Checking row 3 of 3")
    assert set(seen[1:]) <= {(n, 3, f"Checking row {n} of 3") for n in (1, 2, 3)}
    assert [done for done, _total, _label in seen] == sorted(done for done, _total, _label in seen)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_each_row_is_reported_outside_the_import_s_transaction():
    from django.db import connection

    r = build_register()
    rows = [[f"Thạch Văn Sang {n}", "Nam", "09/11/1975", "19/05/2001", f"7940{n:04d}", r.high_tech.name]
            for n in range(40)]
    job = members_import_request(file=workbook(*rows), by=r.office)
    reports = []
    kind_for(MEMBERS_IMPORT).run(dict(job.params),
                                 lambda done, total, label: reports.append((done, connection.in_atomic_block)))
    # Written through a connection of its own, each figure is seen by the job page at once.
    assert reports[-1] == (40, False) and not any(in_transaction for _done, in_transaction in reports)
    assert Member.objects.filter(card_number__startswith="7940").count() == 40


def test_a_refused_file_saves_nothing_and_shows_its_rows_to_its_sender_only(client, r):
    rows = good_rows(r) + [["Cù Thị Ngọc Hân", "Nữ", "31/02/1986", "03/02/2010", "79300004", r.high_tech.name]]
    job = run(members_import_request(file=workbook(*rows), by=r.office, language="en"))
    assert not Member.objects.filter(card_number__startswith="793").exists()
    assert job.state == Job.State.FAILED and job.attempts == 1  # refused: not tried again
    assert job.error == ("The file was not imported: nothing was saved. 1 problem to correct is listed on the "
                         "import page.")
    # Nothing of the members where the administrators look: the job's fields and its admin page.
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    admin_page = client.get(f"/admin/background/job/{job.pk}/change/")
    assert admin_page.status_code == 200
    seen_by_admin = str(job.params) + job.error + job.error_detail + admin_page.content.decode()
    assert "31/02/1986" not in seen_by_admin and "Cù Thị Ngọc Hân" not in seen_by_admin
    assert client.get(f"/dang-bo/dang-vien/nhap/?tac-vu={job.pk}").status_code == 403
    # The sender reads the rows to correct, back on the import page.
    log_in(client, r.office, "en")
    page = text(client.get(f"/dang-bo/dang-vien/nhap/?tac-vu={job.pk}"))
    assert "Row 5: Ngày sinh: “31/02/1986” is not a date" in page
    assert "dang-vien-chi-bo-cong-nghe-cao.xlsx was not imported: nothing was saved." in page
    # Another member of the party office did not send it.
    log_in(client, make_party_office())
    assert client.get(f"/dang-bo/dang-vien/nhap/?tac-vu={job.pk}").status_code == 404


def test_the_job_page_leads_back_to_the_import(client, r):
    job = members_import_request(file=workbook(*good_rows(r)), by=r.office)
    log_in(client, r.office, "en")
    response = client.get(f"/tac-vu/{job.pk}/")
    assert response.status_code == 200 and response["Refresh"] == "2"
    assert f'href="/dang-bo/dang-vien/nhap/?tac-vu={job.pk}"' in response.content.decode()
    page = text(client.get("/dang-bo/dang-vien/nhap/"))
    assert "Files you sent" in page and "dang-vien-chi-bo-cong-nghe-cao.xlsx" in page


def test_only_the_party_office_may_send_a_file(r):
    with pytest.raises(PermissionDenied):
        members_import_request(file=workbook(*good_rows(r)), by=r.high_tech_secretary)
    assert not Job.objects.exists()


def test_a_file_too_large_is_refused_before_anything_is_kept(r, settings):
    big = SimpleUploadedFile("to-qua.xlsx", b"PK" + b"\0" * (10 * 1024 * 1024))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        members_import_request(file=big, by=r.office)
    assert error.value.message_dict == {"file": ["The file is larger than 10 MB."]}
    assert not Job.objects.exists() and not (settings.MEDIA_ROOT / "background").exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_it_from_the_queue(client):
    from ketnoi.background.worker import run_queued

    r = build_register()
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/dang-vien/nhap/", {"file": workbook(*good_rows(r))})
    job = Job.objects.get()
    assert response.url == f"/tac-vu/{job.pk}/"
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert Member.objects.filter(card_number__startswith="793").count() == 3
