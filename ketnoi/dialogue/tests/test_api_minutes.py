"""GET /api/v1/dialogue/sessions/{id}/minutes: the minutes as JSON with links to the files, or
the DOCX and PDF themselves (?format=), for the staff who run the session."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from ketnoi.dialogue import services
from ketnoi.dialogue.models import Minutes

from .api_helpers import api, assert_error, first_session, make_programme  # noqa: F401
from .api_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def session(w, clock):
    session = first_session(make_programme(w))
    registration = services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành linh kiện", "description": "Có phải kiểm tra không?"}])
    clock.set(2026, 3, 6, 7, 20)
    services.registration_check_in(registration=registration, by=w.officer)
    clock.set(2026, 3, 6, 9, 5)
    services.session_close(session=session, by=w.leader)
    minutes = services.minutes_prepare(session=session, by=w.leader)
    services.minutes_save(minutes=minutes, by=w.leader, number="12/BB-HQCNC", opening=minutes.opening,
                          conclusion=minutes.conclusion, signer_name="Nguyễn Thành Trung", signer_position="Chi cục trưởng")
    return session


def path(session, suffix="") -> str:
    return f"/dialogue/sessions/{session.pk}/minutes{suffix}"


def test_the_staff_read_the_minutes(api, w, session):
    r = api.get(path(session), as_=w.officer)
    assert r.status_code == 200
    body = r.json()
    assert body["number"] == "12/BB-HQCNC" and body["state"] == "draft" and body["signer_name"] == "Nguyễn Thành Trung"
    assert body["opening"] and body["issued_at"] is None
    assert body["docx_url"].endswith(f"/api/v1/dialogue/sessions/{session.pk}/minutes?format=docx")
    assert body["pdf_url"].endswith("?format=pdf")


def test_it_gives_the_docx(api, w, session):
    r = api.get(path(session), {"format": "docx"}, as_=w.leader)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(r.content))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "12/BB-HQCNC" in text and "Kiểm tra chuyên ngành linh kiện" in text


def test_it_gives_the_pdf(api, w, session):
    r = api.get(path(session), {"format": "pdf"}, as_=w.coordinator)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "Nguyễn Thành Trung" in " ".join(text.split())


def test_a_bad_format_is_a_422(api, w, session):
    error = assert_error(api.get(path(session), {"format": "odt"}, as_=w.officer), 422, "invalid")
    assert error["details"][0]["field"] == "format"


def test_no_minutes_yet_is_a_404(api, w, session):
    other = session.programme.sessions.order_by("starts_at")[1]
    assert not Minutes.objects.filter(session=other).exists()
    assert_error(api.get(path(other), as_=w.officer), 404, "not_found")


@pytest.mark.parametrize("who", ["team_officer", "other_officer", "other_leader", "business", "operator", "party",
                                 "admin", "nobody"])
def test_others_are_refused(api, w, session, who):
    assert_error(api.get(path(session), as_=getattr(w, who)), 403, "forbidden")
    assert_error(api.get(path(session), {"format": "pdf"}, as_=getattr(w, who)), 403, "forbidden")


def test_without_a_token_it_is_a_401(api, w, session):
    assert_error(api.get(path(session)), 401, "unauthenticated")
