"""Files sent on the prices pages are checked from their bytes before anything is kept: a signed
commitment must be a PDF, JPEG or PNG (not a web page, a program or an Office file named .pdf),
a price list an XLSX workbook; too large is refused too. Each with a message; no row, no file."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from .page_helpers import as_user, counts, error_summary, make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = "<html><body onload=\"alert('giá')\">Cam kết không tăng giá</body></html>".encode()
EXE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def xlsx_bytes() -> bytes:
    import io

    book = Workbook()
    book.active.append(["Mã dịch vụ", "Đơn giá (đồng)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def world():
    return make_world()


def files_kept(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] if settings.MEDIA_ROOT.exists() else []


def commitment(world, document):
    today = world["today"]
    return {"operator": world["operator"].pk, "facilities": [world["cfs"].pk], "period_from": f"{today:%d/%m/%Y}",
            "period_to": f"{today + timedelta(days=180):%d/%m/%Y}", "signed_on": f"{today:%d/%m/%Y}",
            "covers_all": "all", "document": document}


@pytest.mark.parametrize("content", [HTML, EXE, "xlsx"], ids=["html", "program", "workbook"])
def test_a_signed_document_that_is_not_a_pdf_or_picture_is_refused(client, world, settings, content):
    as_user(client, world, "coordinator", "en")
    before = counts()
    content = xlsx_bytes() if content == "xlsx" else content
    response = client.post("/gia-dich-vu/cam-ket/moi/", commitment(world, SimpleUploadedFile("cam-ket.pdf", content)))
    assert response.status_code == 400
    assert ("“cam-ket.pdf” is not a PDF, JPEG or PNG file. Send the signed document as one of these."
            in error_summary(response))
    assert counts() == before and files_kept(settings) == []


def test_a_signed_document_too_large_is_refused(client, world, settings, monkeypatch):
    monkeypatch.setattr("ketnoi.prices.services.DOCUMENT_MAX_BYTES", 1000)
    as_user(client, world, "coordinator", "en")
    before = counts()
    response = client.post("/gia-dich-vu/cam-ket/moi/", commitment(world, SimpleUploadedFile("cam-ket.pdf", PDF + b"0" * 2000)))
    assert response.status_code == 400
    assert "“cam-ket.pdf” is larger than 1000" in error_summary(response)
    assert counts() == before and files_kept(settings) == []


def test_a_signed_pdf_is_kept(client, world, settings):
    as_user(client, world, "coordinator", "en")
    response = client.post("/gia-dich-vu/cam-ket/moi/", commitment(world, SimpleUploadedFile("cam-ket.pdf", PDF)))
    assert response.status_code == 302
    assert len(files_kept(settings)) == 1


@pytest.mark.parametrize("content", [HTML, EXE], ids=["html", "program"])
def test_a_price_list_that_is_not_a_workbook_is_refused(client, world, settings, content):
    as_user(client, world, "operator", "en")
    before = counts()
    response = client.post(f"/gia-dich-vu/{world['yard'].pk}/nop-bang-gia/", {
        "via": "xlsx", "xlsx-file": SimpleUploadedFile("bang-gia.xlsx", content),
        "xlsx-effective_from": f"{world['today']:%d/%m/%Y}"})
    assert response.status_code == 400
    assert "This is not an XLSX workbook. Download the template, fill it in and send it back." in error_summary(response)
    assert counts() == before and files_kept(settings) == []
