"""POST /api/v1/dialogue/sessions/{id}/registrations: a business registers with its people and
questions; 201 with the status and the cases' references; refusals name the field and write nothing."""

import pytest
from django.core import mail

from ketnoi.cases.models import Case, Channel
from ketnoi.dialogue.models import Registration, Session

from .api_helpers import api, assert_error, counts, first_session, make_programme  # noqa: F401
from .api_helpers import clock, w  # noqa: F401 (fixtures)

BODY = {
    "attendees": [{"name": "Ngô Thị Hồng Nhung", "position": "Trưởng phòng Xuất nhập khẩu"},
                  {"name": "Trần Quốc Bảo"}],
    "questions": [
        {"topic": "thue", "subject": "Hoàn thuế nguyên liệu nhập sản xuất xuất khẩu",
         "description": "Đề nghị hướng dẫn hồ sơ hoàn thuế theo Điều 36 Nghị định 134/2016/NĐ-CP."},
        {"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành linh kiện điện tử",
         "description": "Linh kiện nhập khẩu có phải kiểm tra chất lượng trước thông quan không?"},
    ],
}


@pytest.fixture
def session(w):
    return first_session(make_programme(w))


def path(session) -> str:
    return f"/dialogue/sessions/{session.pk}/registrations"


def test_a_business_registers_with_two_questions(api, w, session, commit):
    with commit():
        r = api.post(path(session), BODY, as_=w.business)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "confirmed" and body["waiting_position"] is None
    assert body["enterprise"]["tax_code"] == w.enterprise.tax_code
    assert [a["name"] for a in body["attendees"]] == ["Ngô Thị Hồng Nhung", "Trần Quốc Bảo"]
    references = [q["case"] for q in body["questions"]]
    cases = Case.objects.filter(reference__in=references)
    assert len(references) == 2 and {c.channel for c in cases} == {Channel.DIALOGUE} and {c.unit for c in cases} == {w.branch}
    assert "/doi-thoai/diem-danh/" in body["checkin_url"]
    assert any(w.business.email in m.to for m in mail.outbox)


def test_a_full_session_answers_waiting_with_the_position(api, w, session):
    Session.objects.filter(pk=session.pk).update(capacity=1)
    api.post(path(session), {"attendees": [{"name": "Lý Văn Phát"}]}, as_=w.business2)
    body = api.post(path(session), BODY, as_=w.business).json()
    assert body["status"] == "waiting" and body["waiting_position"] == 1 and body["checkin_url"] is None


@pytest.mark.parametrize("body, field", [
    ({"attendees": []}, "attendees"),
    ({"attendees": [{"name": "A"}, {"name": "B"}, {"name": "C"}, {"name": "D"}]}, "attendees"),
    ({**BODY, "questions": [{"topic": "castles", "subject": "x", "description": "y"}]}, "questions"),
    ({**BODY, "questions": [{"topic": "thue", "subject": "", "description": "y"}]}, "questions"),
])
def test_bad_input_is_a_400_naming_the_field_and_nothing_written(api, w, session, body, field):
    api.headers(w.business)  # its token is made (and audited) before counting
    before = counts()
    error = assert_error(api.post(path(session), body, as_=w.business), 400, "invalid")
    assert field in error["details"]
    assert counts() == before


@pytest.mark.parametrize("body, field", [
    ({}, "attendees"), ({"attendees": "Nhung"}, "attendees"),
    ({"attendees": [{"position": "Giám đốc"}]}, "attendees.0.name"),
    ({"attendees": [{"name": "x" * 151}]}, "attendees.0.name"),
])
def test_malformed_input_is_a_422_naming_the_field(api, w, session, body, field):
    api.headers(w.business)  # its token is made (and audited) before counting
    before = counts()
    error = assert_error(api.post(path(session), body, as_=w.business), 422, "invalid")
    assert field in [d["field"] for d in error["details"]]
    assert counts() == before


def test_after_the_deadline_it_is_a_400(api, w, session, clock):
    clock.set(2026, 3, 5, 8)
    api.headers(w.business)
    before = counts()
    error = assert_error(api.post(path(session), BODY, as_=w.business), 400, "invalid")
    assert "session" in error["details"] and "closed" in error["message"]
    assert counts() == before


def test_twice_is_a_400(api, w, session):
    api.post(path(session), BODY, as_=w.business)
    before = counts()
    error = assert_error(api.post(path(session), BODY, as_=w.business), 400, "invalid")
    assert "enterprise" in error["details"]
    assert counts() == before


def test_an_enterprise_the_caller_does_not_act_for_is_a_400(api, w, session):
    error = assert_error(api.post(path(session), {**BODY, "enterprise": w.enterprise2.tax_code}, as_=w.business),
                         400, "invalid")
    assert "enterprise" in error["details"]
    assert not Registration.objects.exists()


def test_naming_its_own_enterprise_by_tax_code_works(api, w, session):
    r = api.post(path(session), {**BODY, "enterprise": w.enterprise.tax_code}, as_=w.business)
    assert r.status_code == 201


@pytest.mark.parametrize("who", ["officer", "leader", "coordinator", "operator", "party", "admin", "nobody"])
def test_only_business_users_may_register(api, w, session, who):
    assert_error(api.post(path(session), BODY, as_=getattr(w, who)), 403, "forbidden")
    assert not Registration.objects.exists()


def test_without_a_token_it_is_a_401(api, w, session):
    assert_error(api.post(path(session), BODY), 401, "unauthenticated")


def test_an_unknown_session_is_a_404(api, w):
    assert_error(api.post("/dialogue/sessions/999999/registrations", BODY, as_=w.business), 404, "not_found")
