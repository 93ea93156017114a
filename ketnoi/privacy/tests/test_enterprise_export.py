"""A business downloads all its own data: /du-lieu-cua-toi/ queues a background job that builds
one ZIP (enterprise, users, cases with their public timelines, answers, ratings, attachments,
dialogue registrations and questions, price lists), downloaded by the person who asked while
they belong to the enterprise."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.accounts.models import Role
from ketnoi.background.models import Job
from ketnoi.background.services import job_run
from ketnoi.cases import services as cases
from ketnoi.privacy import export
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("privacy:home")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOTE = "Ghi chú nội bộ: doanh nghiệp này từng bị kiểm tra sau thông quan"


@pytest.fixture
def w():
    unit = make_unit(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao")
    enterprise = make_enterprise(name="Công ty TNHH Điện tử Sao Phương Nam", address="Lô I-3, Khu Công nghệ cao")
    business = make_user(Role.BUSINESS, enterprise=enterprise, username="ketoan.spn", full_name="Trần Thị Thu Hà")
    leader = make_user(Role.LEADER, unit=unit, username="lanhdao.02f3", full_name="Võ Minh Tuấn")
    case = make_case(enterprise=enterprise, by=business, unit=unit, subject="Hoàn thuế nhập khẩu linh kiện",
                     attachments=[SimpleUploadedFile("to-khai 103.pdf", PDF, content_type="application/pdf")])
    cases.case_message(case=case, body=NOTE, by=leader, internal=True,
                       attachments=[SimpleUploadedFile("bien-ban-noi-bo.pdf", PDF, content_type="application/pdf")])
    cases.case_answer(case=case, body="Doanh nghiệp được hoàn thuế theo Điều 36 Nghị định 134/2016/NĐ-CP.", by=leader)
    cases.case_accept(case=case, by=business)
    cases.case_rate(case=case, score=5, comment="Trả lời nhanh, rõ ràng", by=business)
    other = make_enterprise(name="Công ty Cổ phần Giao nhận Bến Nghé")
    other_user = make_user(Role.BUSINESS, enterprise=other, username="xnk.bennghe")
    make_case(enterprise=other, by=other_user, subject="Vướng mắc của doanh nghiệp khác")
    case.refresh_from_db()
    return type("World", (), {"enterprise": enterprise, "business": business, "leader": leader, "case": case,
                              "other": other, "other_user": other_user})


def contents(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_it_contains_all_the_enterprises_data(w):
    files = contents(export.build(enterprise=w.enterprise))
    data = json.loads(files["data.json"])
    assert data["enterprise"][0]["name"] == "Công ty TNHH Điện tử Sao Phương Nam"
    assert [u["username"] for u in data["users"]] == ["ketoan.spn"]
    assert [c["reference"] for c in data["cases"]] == [w.case.reference]
    assert data["cases"][0]["rating"] == 5 and data["cases"][0]["rating_comment"] == "Trả lời nhanh, rõ ràng"
    assert data["answers"][0]["answer"].startswith("Doanh nghiệp được hoàn thuế")
    assert {"filed", "answered", "rated"} <= {e["kind"] for e in data["case_events"]}
    attachment = data["attachments"][0]
    assert attachment["file_name"] == "to-khai 103.pdf"
    assert files[attachment["path"]] == PDF
    for kind in ("enterprise", "users", "cases", "case_events", "answers", "attachments", "dialogue_registrations",
                 "dialogue_questions", "price_lists"):
        assert f"{kind}.csv" in files
    assert "Hoàn thuế nhập khẩu linh kiện" in files["cases.csv"].decode("utf-8-sig")
    readme = files["README.txt"].decode()
    assert "Dữ liệu của doanh nghiệp Công ty TNHH Điện tử Sao Phương Nam" in readme
    assert "Data of the enterprise" in readme


def test_it_leaves_out_internal_notes_files_passwords_and_officers(w):
    files = contents(export.build(enterprise=w.enterprise))
    everything = b"".join(files.values()).decode("utf-8", errors="replace")
    assert NOTE not in everything
    assert "bien-ban-noi-bo.pdf" not in everything
    assert w.business.password not in everything
    assert not any("password" in field for user in json.loads(files["data.json"])["users"] for field in user)
    assert "Võ Minh Tuấn" not in everything and "lanhdao.02f3" not in everything
    assert "Vướng mắc của doanh nghiệp khác" not in everything


def test_a_business_user_asks_for_it_and_downloads_it(client, w):
    client.force_login(w.business)
    response = client.post(HOME, {"enterprise": w.enterprise.pk})
    job = Job.objects.get(kind=export.EXPORT)
    assert response.status_code == 302 and response["Location"] == reverse("background:job", args=[job.pk])
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result_name.startswith(f"du-lieu-{w.enterprise.tax_code}-")
    page = client.get(HOME).content.decode()
    assert reverse("privacy:download", args=[job.pk]) in page
    download = client.get(reverse("privacy:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "data.json" in contents(b"".join(download.streaming_content))


def test_another_enterprises_user_is_refused(client, w):
    client.force_login(w.other_user)
    response = client.post(HOME, {"enterprise": w.enterprise.pk})
    assert response.status_code == 400
    assert not Job.objects.filter(kind=export.EXPORT).exists()


def test_another_user_cannot_download_the_file(client, w):
    job = export.request(enterprise_id=w.enterprise.pk, by=w.business)
    job_run(job_id=job.pk)
    client.force_login(w.other_user)
    assert client.get(reverse("privacy:download", args=[job.pk])).status_code == 404


def test_someone_who_left_the_enterprise_cannot_download_it(client, w):
    job = export.request(enterprise_id=w.enterprise.pk, by=w.business)
    job_run(job_id=job.pk)
    w.business.role_assignments.all().delete()
    w.business = type(w.business).objects.get(pk=w.business.pk)
    client.force_login(w.business)
    assert client.get(reverse("privacy:download", args=[job.pk])).status_code in (403, 404)


def test_staff_are_refused(client, w):
    client.force_login(w.leader)
    assert client.get(HOME).status_code == 403
    with pytest.raises(Exception):
        export.request(enterprise_id=w.enterprise.pk, by=w.leader)


@pytest.mark.parametrize("value", ["abc", "²", "", "9" * 40])
def test_it_rejects_an_enterprise_it_cannot_read(client, w, value):
    client.force_login(w.business)
    assert client.post(HOME, {"enterprise": value}).status_code == 400


def test_it_reports_progress(w):
    seen = []
    export.build(enterprise=w.enterprise, progress=lambda done, total, label: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1]


def test_the_job_page_and_its_file_are_the_requesters_alone_not_the_administrators(client, w):
    job = export.request(enterprise_id=w.enterprise.pk, by=w.business)
    job_run(job_id=job.pk)
    client.force_login(make_user(Role.ADMIN))
    assert client.get(reverse("background:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("background:job_download", args=[job.pk])).status_code == 404
    client.force_login(w.business)
    assert client.get(reverse("background:job_download", args=[job.pk])).status_code == 200
    w.business.role_assignments.all().delete()
    client.force_login(type(w.business).objects.get(pk=w.business.pk))
    assert client.get(reverse("background:job_download", args=[job.pk])).status_code == 404
