"""The hostile-input corpus against every API operation that writes or searches.

The operations come from the OpenAPI schema: every POST, and every GET that takes query
parameters. Each must be declared below (who calls it, on what, with which valid body); a new
one fails `test_it_declares_every_writing_or_searching_operation` until it is.

Hostile values go into the fields, the others valid (`corpus.spread`: the core values into
every field, the others in turn; the same over a search's query parameters). The answer must
be below 500; a refusal is a 4xx with a JSON error message that changed no row of the operation's
tables nor the audit trail; an acceptance left no NUL byte in the database.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

import pytest
from django.test import Client

from ketnoi.api import api
from ketnoi.testing import PASSWORD

from .corpus import CORPUS, JSON_ONLY, spread
from .world import build_world, table_counts, text_values_with_nul

API = "/api/v1"


@dataclass
class Write:
    role: str | None  # attribute of the world: the user who calls; None without a token
    body: object  # world -> the valid body
    models: list[str]  # the tables the operation writes
    path: object = None  # world -> path parameters
    nested: list[tuple] = field(default_factory=list)  # paths into the body fuzzed too
    refusal_writes: list[str] = field(default_factory=list)  # rows a refusal rightly writes


CASE_TABLES = ["cases.Case", "cases.CaseEvent", "cases.Answer", "cases.Attachment"]

WRITES = {
    "POST /api/v1/auth/token": Write(
        None, lambda w: {"username": w.business.username, "password": PASSWORD, "name": "Phần mềm kế toán"},
        ["accounts.ApiToken"], refusal_writes=["accounts.LoginFailure", "audit.AuditEvent"]),
    "POST /api/v1/cases": Write(
        "business", lambda w: {"topic": "thue", "subject": "Hoàn thuế nhập khẩu nguyên liệu",
                               "description": "Doanh nghiệp đề nghị hướng dẫn hồ sơ hoàn thuế.",
                               "declaration_numbers": ["103456789012"], "hs_codes": ["84713020"], "unit": "02CI"},
        CASE_TABLES, nested=[("declaration_numbers", 0), ("hs_codes", 0)]),
    "POST /api/v1/cases/{reference}/messages": Write(
        "business", lambda w: {"body": "Doanh nghiệp bổ sung tờ khai số 103456789012."}, CASE_TABLES,
        path=lambda w: {"reference": w.case.reference}),
    "POST /api/v1/cases/{reference}/assign": Write(
        "leader", lambda w: {"assignee": w.officer.username}, CASE_TABLES,
        path=lambda w: {"reference": w.case.reference}),
    "POST /api/v1/cases/{reference}/answer": Write(
        "leader", lambda w: {"body": "Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, doanh nghiệp được hoàn thuế."},
        CASE_TABLES, path=lambda w: {"reference": w.case.reference}),
    "POST /api/v1/cases/{reference}/accept": Write(
        "business", lambda w: {"version": None}, CASE_TABLES, path=lambda w: {"reference": w.answered_case.reference}),
    "POST /api/v1/cases/{reference}/rating": Write(
        "business", lambda w: {"score": 4, "comment": "Cán bộ trả lời rõ ràng, đúng hạn."}, CASE_TABLES,
        path=lambda w: {"reference": w.answered_case.reference}),
    "POST /api/v1/knowledge/articles": Write(
        "coordinator", lambda w: {"question": "Hàng tạm nhập tái xuất có phải nộp thuế không?",
                                  "answer": "Theo Điều 16 Nghị định 134/2016/NĐ-CP, hàng tạm nhập tái xuất được miễn thuế.",
                                  "topic": "thue", "legal_references": ["134/2016/NĐ-CP"], "valid_from": "2026-01-01"},
        ["knowledge.Article", "knowledge.Citation", "knowledge.LegalDocument"], nested=[("legal_references", 0)]),
    "POST /api/v1/legal-documents": Write(
        "coordinator", lambda w: {"number": "39/2018/TT-BTC", "kind": "thong-tu",
                                  "title": "Sửa đổi, bổ sung Thông tư 38/2015/TT-BTC", "issuer": "Bộ Tài chính",
                                  "issued_on": "2018-04-20", "effective_on": "2018-06-05", "status": "in_force"},
        ["knowledge.LegalDocument"]),
    "POST /api/v1/directives": Write(
        "coordinator", lambda w: {"number": "201/HQHCM-VP", "title": "Tăng cường kiểm tra hàng hóa tại cửa khẩu",
                                  "body": "1. Các Chi cục bố trí cán bộ trực 24/24.", "issuing_unit": "02",
                                  "signer_name": "Đinh Ngọc Thắng", "signer_title": "Phó Cục trưởng",
                                  "effective_from": "2026-12-01", "urgency": "normal", "target": "all"},
        ["directives.Directive", "directives.Recipient", "directives.Attachment"]),
    "POST /api/v1/directives/{directive_id}/acknowledgements": Write(
        "leader", lambda w: {}, ["directives.Recipient"], path=lambda w: {"directive_id": w.directive.pk}),
    "POST /api/v1/prices/price-lists": Write(
        "operator", lambda w: {"facility": w.yard.pk, "effective_from": "2027-01-01",
                               "prices": {"NH20": 1_250_000, "NH40": 1_850_000}, "note": "Giữ nguyên giá năm 2026."},
        ["prices.PriceList", "prices.Price", "prices.Breach", "prices.BreachItem"], nested=[("prices", "NH20")]),
    "POST /api/v1/dialogue/sessions/{session_id}/registrations": Write(
        "business", lambda w: {"attendees": [{"name": "Ngô Thị Hồng Nhung", "position": "Kế toán trưởng"}],
                               "questions": [{"topic": "thue", "subject": "Hoàn thuế linh kiện",
                                              "description": "Hồ sơ hoàn thuế cần những chứng từ gì?"}]},
        ["dialogue.Registration", "dialogue.Attendee", "dialogue.Question"] + CASE_TABLES,
        path=lambda w: {"session_id": w.session.pk},
        nested=[("attendees", 0, "name"), ("attendees", 0, "position"), ("questions", 0, "topic"),
                ("questions", 0, "subject"), ("questions", 0, "description")]),
}

# Who searches with each GET operation that takes query parameters (its parameters all fuzzed).
SEARCHES = {
    "GET /api/v1/units": "business",
    "GET /api/v1/cases": "coordinator",
    "GET /api/v1/knowledge/search": None,
    "GET /api/v1/knowledge/similar": "business",
    "GET /api/v1/legal-documents": None,
    "GET /api/v1/directives": "coordinator",
    "GET /api/v1/prices/facilities": None,
    "GET /api/v1/prices/commitments": "coordinator",
    "GET /api/v1/dialogue/sessions": None,
    "GET /api/v1/dialogue/sessions/{session_id}/minutes": "leader",
    "GET /api/v1/party/badge-eligibility": "party",
    "GET /api/v1/party/commendation-candidates": "party",
    "GET /api/v1/reports/scorecard": None,
    "GET /api/v1/reports/open-data/cases": None,
}
SEARCH_PATHS = {"GET /api/v1/dialogue/sessions/{session_id}/minutes": lambda w: {"session_id": w.session.pk}}


def _operations():
    schema = api.get_openapi_schema()
    writes, searches = {}, {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            key = f"{method.upper()} {path}"
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if method == "post":
                writes[key] = operation
            elif method == "get" and query:
                searches[key] = query
    return writes, searches


SCHEMA_WRITES, SCHEMA_SEARCHES = _operations()


def test_it_declares_every_writing_or_searching_operation():
    assert sorted(set(SCHEMA_WRITES) - set(WRITES)) == [], "declare a valid body in WRITES"
    assert sorted(set(SCHEMA_SEARCHES) - set(SEARCHES)) == [], "declare who searches in SEARCHES"
    assert sorted(set(WRITES) - set(SCHEMA_WRITES)) == [] and sorted(set(SEARCHES) - set(SCHEMA_SEARCHES)) == []


@pytest.fixture
def world(db):
    world = build_world()
    world.client = Client(raise_request_exception=False)
    world.client.cookies["ketnoi_language"] = "en"
    return world


def _replaced(body, where: tuple, value):
    """A copy of `body` with the value at `where` (keys and list indexes) replaced."""
    body = json.loads(json.dumps(body))
    target = body
    for step in where[:-1]:
        target = target[step]
    if isinstance(target, list):
        target[where[-1]] = value
    else:
        target[where[-1]] = value
    return body


def _json_bytes(body, where: tuple, value) -> bytes:
    """The request body: JSON, with raw bytes put in place where the value is bytes (a JSON
    text cannot escape invalid UTF-8: a client that sends it sends it raw)."""
    if isinstance(value, bytes):
        marker = "\ue000hostile\ue000"
        text = json.dumps(_replaced(body, where, marker))
        return text.encode().replace(json.dumps(marker).encode(), b'"' + value + b'"')
    return json.dumps(_replaced(body, where, value)).encode()


def _assert_clean_refusal_or_acceptance(r, before, after, models, what):
    assert r.status_code < 500, f"{what}: {r.status_code} {r.content[:300]!r}"
    if r.status_code >= 400:
        assert r["Content-Type"].startswith("application/json"), what
        assert r.json()["error"]["message"], what
        assert before == after, f"{what}: refused with {r.status_code} but rows changed"
    else:
        assert text_values_with_nul(models) == [], f"{what}: a NUL byte was stored"


@pytest.mark.parametrize("operation", sorted(WRITES))
def test_it_refuses_or_safely_stores_hostile_values_in_its_fields(world, operation):
    spec = WRITES[operation]
    method, template = operation.split(" ")
    path = template.format(**(spec.path(world) if spec.path else {}))
    user = getattr(world, spec.role) if spec.role else None
    headers = world.headers(user)
    valid = spec.body(world)
    fields = [(key,) for key in valid] + spec.nested
    assert fields or operation.endswith("/acknowledgements"), f"{operation}: no field to fuzz"
    fields = fields or [("comment",)]  # an empty body: hostile values in a field it does not have
    counted = [m for m in spec.models if m not in spec.refusal_writes]
    audited = "audit.AuditEvent" not in spec.refusal_writes
    values = CORPUS + JSON_ONLY
    for where, name, value in spread(fields, values):
        before = table_counts(counted, audit=audited)
        r = world.client.post(path, _json_bytes(valid, where, value), content_type="application/json",
                              headers=headers)
        after = table_counts(counted, audit=audited)
        what = f"{operation} {'.'.join(map(str, where))}={name}"
        _assert_clean_refusal_or_acceptance(r, before, after, spec.models, what)


@pytest.mark.parametrize("operation", sorted(SEARCHES))
def test_it_answers_every_hostile_search_without_a_server_error(world, operation):
    method, template = operation.split(" ")
    path = template.format(**(SEARCH_PATHS[operation](world) if operation in SEARCH_PATHS else {}))
    user = getattr(world, SEARCHES[operation]) if SEARCHES[operation] else None
    headers = world.headers(user)
    world.article, world.directive, world.yard  # something to find
    for parameter, name, value in spread(SCHEMA_SEARCHES[operation], CORPUS):
        encoded = quote_from_bytes(value) if isinstance(value, bytes) else quote(value)
        before = table_counts([])
        r = world.client.get(f"{path}?{parameter}={encoded}", headers=headers)
        what = f"{operation} {parameter}={name}"
        assert r.status_code < 500, f"{what}: {r.status_code} {r.content[:300]!r}"
        assert r.status_code in (200, 400, 404, 413, 422), f"{what}: {r.status_code}"
        if r.status_code >= 400:
            assert r.json()["error"]["message"], what
        assert table_counts([]) == before, f"{what}: a search wrote to the audit trail"
