"""The party register's XLSX imports check what a file is from its bytes before anything is
kept: a web page or a program named .xlsx, or a file too large, is refused with a message, and
no job, no file on the disk and no rating is left behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.background.models import Job
from ketnoi.party.models import Rating

from .helpers import build_register
from .page_helpers import log_in, text

pytestmark = pytest.mark.django_db

HTML = "<!doctype html><html><body><script>alert('Hải quan')</script>Danh sách đảng viên</body></html>".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
ZIP_NOT_XLSX = (b"PK\x03\x04" + b"\x00" * 26)  # a ZIP header and nothing an Office file holds


@pytest.fixture
def r():
    return build_register()


def files_kept(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] if settings.MEDIA_ROOT.exists() else []


@pytest.mark.parametrize("content", [HTML, EXE, ZIP_NOT_XLSX], ids=["html", "exe", "zip"])
def test_a_members_file_that_is_not_a_workbook_is_refused_before_it_is_kept(client, r, settings, content):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/dang-vien/nhap/", {"file": SimpleUploadedFile("dang-vien.xlsx", content)})
    assert response.status_code == 400
    assert "This is not an XLSX workbook. Download the template, fill it in and send it back." in text(response)
    assert not Job.objects.exists() and files_kept(settings) == []


def test_a_members_file_too_large_is_refused_before_it_is_kept(client, r, settings):
    log_in(client, r.office, "en")
    big = SimpleUploadedFile("dang-vien.xlsx", b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024))
    response = client.post("/dang-bo/dang-vien/nhap/", {"file": big})
    assert response.status_code == 400
    assert "The file is larger than 10 MB." in text(response)
    assert not Job.objects.exists() and files_kept(settings) == []


@pytest.mark.parametrize("content", [HTML, EXE], ids=["html", "exe"])
def test_a_ratings_file_that_is_not_a_workbook_is_refused(client, r, settings, content):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/xep-loai/2020/nhap/", {"file": SimpleUploadedFile("xep-loai.xlsx", content)})
    assert response.status_code == 400
    assert "This is not an Excel workbook (.xlsx)." in text(response)
    assert not Rating.objects.exists() and files_kept(settings) == []


def test_a_ratings_file_too_large_is_refused(client, r, settings):
    log_in(client, r.office, "en")
    big = SimpleUploadedFile("xep-loai.xlsx", b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024))
    response = client.post("/dang-bo/xep-loai/2020/nhap/", {"file": big})
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in text(response)
    assert not Rating.objects.exists() and files_kept(settings) == []
