"""POST /api/v1/directives: a coordinator issues a directive, or a new version of one."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.directives.models import Directive, Recipient
from ketnoi.org.models import Unit
from ketnoi.testing import make_unit, make_user

from .api_helpers import counts, dworld, issue, replace  # noqa: F401  (fixture)

URL = "/directives"


def body(**fields) -> dict:
    return {"number": "125/HQHCM-VP", "title": "Tạm dừng tổ chức hội nghị đối thoại doanh nghiệp tập trung",
            "body": "1. Tạm dừng các hội nghị đối thoại có trên 20 người.\n2. Tiếp nhận vướng mắc qua ketnoi.",
            "issuing_unit": "02", "signer_name": "Đinh Ngọc Thắng", "signer_title": "Phó Cục trưởng", **fields}


def fields_of(r) -> list[str]:
    return sorted(r.json()["error"]["details"])


@pytest.fixture
def before(dworld):
    return counts()


# --- a coordinator issues ------------------------------------------------------------------

def test_a_coordinator_issues_a_directive_to_every_branch(dworld):
    r = dworld.post(URL, body(urgency="very_urgent", ack_within_hours=6), as_=dworld.coordinator)
    assert r.status_code == 201, r.content
    data = r.json()
    directive = Directive.objects.get(pk=data["id"])
    assert directive.issued_by == dworld.coordinator and directive.issuing_unit == dworld.department
    assert data["number"] == "125/HQHCM-VP" and data["version"] == 1 and data["change"] == "new"
    assert data["urgency"] == "very_urgent" and data["ack_within_hours"] == 6
    assert data["effective_from"] == timezone.localdate().isoformat()  # the day of issue, as on the page
    assert sorted(item["unit"]["code"] for item in data["recipients"]) == ["02CI", "02DS"]
    assert all(item["acknowledgement"] == "pending" for item in data["recipients"])
    assert data["url"].endswith(f"/chi-dao/{directive.pk}/") and data["body"] == body()["body"]
    assert AuditEvent.objects.filter(action="directive.issued").count() == 1


def test_it_sends_to_units_named_by_code_or_id_once_each(dworld):
    division = make_unit(kind=Unit.Kind.DIVISION, parent=dworld.department, name_vi="Phòng Nghiệp vụ")
    r = dworld.post(URL, body(target="units", target_units=["02ci", dworld.unit.pk, division.pk]), as_=dworld.coordinator)
    assert r.status_code == 201, r.content
    assert set(Recipient.objects.values_list("unit_id", flat=True)) == {dworld.unit.pk, division.pk}
    assert Recipient.objects.count() == 2


def test_it_sends_to_every_unit_of_the_kinds_named(dworld):
    team = dworld.team
    r = dworld.post(URL, body(target="kinds", target_kinds=["team"]), as_=dworld.coordinator)
    assert r.status_code == 201, r.content
    assert [item["unit"]["id"] for item in r.json()["recipients"]] == [team.pk]


def test_an_issuing_unit_may_be_given_by_id(dworld):
    r = dworld.post(URL, body(issuing_unit=dworld.department.pk), as_=dworld.coordinator)
    assert r.status_code == 201 and r.json()["issuing_unit"]["code"] == "02"


def test_a_time_without_offset_is_vietnams_time(dworld):
    yesterday = timezone.localdate() - timedelta(days=1)
    r = dworld.post(URL, body(issued_at=f"{yesterday.isoformat()}T08:30", effective_from=yesterday.isoformat()),
                    as_=dworld.coordinator)
    assert r.status_code == 201, r.content
    assert r.json()["issued_at"] == f"{yesterday.isoformat()}T08:30:00+07:00"
    issued = Directive.objects.get().issued_at
    assert timezone.localtime(issued).replace(tzinfo=None) == datetime.combine(yesterday, datetime.min.time()).replace(hour=8, minute=30)


def test_it_issues_a_new_version_replacing_the_previous(dworld):
    first = issue(dworld, number="120/HQHCM-VP")
    tomorrow = timezone.localdate() + timedelta(days=1)
    r = dworld.post(URL, body(previous_id=first.pk, change="amends", effective_from=tomorrow.isoformat(),
                              report_due=(tomorrow + timedelta(days=7)).isoformat()), as_=dworld.coordinator)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["version"] == 2 and data["change"] == "amends" and data["previous_id"] == first.pk
    assert [v["id"] for v in data["versions"]] == [first.pk, data["id"]]
    first.refresh_from_db()
    assert first.superseded_from == tomorrow
    assert AuditEvent.objects.filter(action="directive.amends").count() == 1


# --- what the service refuses, field by field ------------------------------------------------

@pytest.mark.parametrize("fields, field", [
    ({"title": "   "}, "title"),
    ({"body": ""}, "body"),
    ({"signer_name": ""}, "signer_name"),
    ({"number": "công văn khẩn"}, "number"),
    ({"number": ""}, "number"),
    ({"effective_from": "2020-02-03"}, "effective_from"),
    ({"effective_to": "2020-02-03"}, "effective_to"),
    ({"ack_within_hours": 0}, "ack_within_hours"),
    ({"ack_within_hours": 721}, "ack_within_hours"),
    ({"ack_within_hours": 10**30}, "ack_within_hours"),
    ({"report_due": "2020-02-03"}, "report_due"),
    ({"issued_at": "2099-01-01T08:00:00+07:00"}, "issued_at"),
    ({"target": "kinds", "target_kinds": []}, "target_kinds"),
    ({"target": "units", "target_units": []}, "target_units"),
    ({"target": "units", "target_units": ["02"]}, "target_units"),  # only the issuing unit itself
    ({"issuing_unit": "99ZZ"}, "issuing_unit"),
    ({"target": "units", "target_units": ["02CI", "99ZZ"]}, "target_units"),
    ({"previous_id": 999999, "change": "replaces"}, "previous_id"),
    ({"change": "replaces"}, "previous_id"),
])
def test_it_refuses_with_the_fields_to_fix_and_writes_nothing(dworld, before, fields, field):
    r = dworld.post(URL, body(**fields), as_=dworld.coordinator)
    error = assert_error(r, 400, "invalid")
    assert fields_of(r) == [field], error
    assert all(message for message in error["details"][field])
    assert counts() == before


def test_it_says_every_field_to_fix_at_once(dworld, before):
    r = dworld.post(URL, body(title="", body=" ", signer_name="", number="abc"), as_=dworld.coordinator)
    assert_error(r, 400, "invalid")
    assert fields_of(r) == ["body", "number", "signer_name", "title"]
    assert r.json()["error"]["details"]["title"] == ["Write the directive's title."]
    assert counts() == before


def test_a_number_is_used_once_a_year(dworld):
    issue(dworld, number="125/HQHCM-VP")
    before = counts()
    r = dworld.post(URL, body(), as_=dworld.coordinator)
    assert_error(r, 400, "invalid")
    assert fields_of(r) == ["number"] and "125/HQHCM-VP" in r.json()["error"]["details"]["number"][0]
    assert counts() == before


def test_a_version_already_replaced_cannot_be_replaced_again(dworld):
    first = issue(dworld)
    replace(dworld, first)
    before = counts()
    r = dworld.post(URL, body(previous_id=first.pk, change="replaces"), as_=dworld.coordinator)
    assert_error(r, 400, "invalid")
    assert fields_of(r) == ["previous_id"]  # the service's `previous`, named as the caller sent it
    assert counts() == before


def test_a_new_version_must_say_how_it_changes_the_previous(dworld):
    first = issue(dworld)
    before = counts()
    r = dworld.post(URL, body(previous_id=first.pk), as_=dworld.coordinator)
    assert_error(r, 400, "invalid")
    assert fields_of(r) == ["change"]
    assert counts() == before


def test_a_closed_unit_is_not_sent_to(dworld):
    closed = make_unit(code="02B1")
    Unit.objects.filter(pk=closed.pk).update(valid_to=timezone.localdate() - timedelta(days=30),
                                             successor=dworld.unit, change=Unit.Change.MERGED)
    before = counts()
    r = dworld.post(URL, body(target="units", target_units=["02B1"]), as_=dworld.coordinator)
    assert_error(r, 400, "invalid")
    assert fields_of(r) == ["target_units"]
    assert counts() == before


# --- huge and malformed input --------------------------------------------------------------

@pytest.mark.parametrize("field", ["title", "number", "signer_name"])
def test_a_huge_text_gets_a_short_answer(dworld, before, field):
    r = dworld.post(URL, body(**{field: "Đ" * 300_000}), as_=dworld.coordinator)
    assert_error(r, 400, "invalid")
    assert fields_of(r) == [field] and len(r.content) < 1000
    assert counts() == before


def test_a_body_longer_than_a_directive_is_refused(dworld, before):
    r = dworld.post(URL, body(body="phòng chống dịch " * 10_000), as_=dworld.coordinator)  # 170,000 characters
    error = assert_error(r, 422, "invalid")
    assert [d["field"] for d in error["details"]] == ["body"] and len(r.content) < 1000
    assert counts() == before


def test_a_body_as_long_as_a_directive_is_taken(dworld):
    r = dworld.post(URL, body(body="Các Chi cục thực hiện nghiêm. " * 3000), as_=dworld.coordinator)  # 90,000
    assert r.status_code == 201, r.content[:300]


def test_a_huge_list_of_units_is_refused_before_looking_at_it(dworld, before):
    r = dworld.post(URL, body(target="units", target_units=["02CI"] * 5000), as_=dworld.coordinator)
    error = assert_error(r, 422, "invalid")
    assert len(json.dumps(error)) < 2000
    assert counts() == before


@pytest.mark.parametrize("fields, field", [
    ({"urgency": "critical"}, "urgency"),
    ({"target": "everyone"}, "target"),
    ({"target_kinds": ["province"]}, "target_kinds"),
    ({"target_units": "02CI"}, "target_units"),
    ({"target_units": [["02CI"]]}, "target_units"),
    ({"target_units": ["02CI" * 10]}, "target_units"),
    ({"issuing_unit": None}, "issuing_unit"),
    ({"issuing_unit": -4}, "issuing_unit"),
    ({"issuing_unit": 0}, "issuing_unit"),
    ({"issuing_unit": True}, "issuing_unit"),
    ({"issuing_unit": 2.5}, "issuing_unit"),
    ({"issuing_unit": 2**40}, "issuing_unit"),
    ({"issued_at": 1773014400}, "issued_at"),
    ({"issued_at": "09/03/2026 08:30"}, "issued_at"),
    ({"effective_from": "09/03/2026"}, "effective_from"),
    ({"effective_from": "2026-02-30"}, "effective_from"),
    ({"effective_from": 20260309}, "effective_from"),
    ({"report_due": "ngày mai"}, "report_due"),
    ({"ack_within_hours": "bốn"}, "ack_within_hours"),
    ({"previous_id": -1}, "previous_id"),
    ({"previous_id": 2**63}, "previous_id"),
    ({"change": "new"}, "change"),
    ({"title": 125}, "title"),
])
def test_it_refuses_the_wrong_types(dworld, before, fields, field):
    r = dworld.post(URL, body(**fields), as_=dworld.coordinator)
    error = assert_error(r, 422, "invalid")
    assert {d["field"].split(".")[0] for d in error["details"]} == {field}, error
    assert counts() == before


@pytest.mark.parametrize("missing", ["number", "title", "body", "issuing_unit", "signer_name"])
def test_it_requires_the_fields(dworld, before, missing):
    fields = body()
    del fields[missing]
    error = assert_error(dworld.post(URL, fields, as_=dworld.coordinator), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [missing]
    assert counts() == before


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "null", '"125/HQHCM-VP"', "", "\x00"])
def test_it_refuses_a_body_that_is_not_an_object(dworld, before, raw):
    r = dworld.post_raw(URL, raw, as_=dworld.coordinator)
    assert r.status_code in (400, 422)
    assert r.json()["error"]["code"] in ("bad_request", "invalid")
    assert counts() == before


def test_attachments_cannot_be_sent_through_json(dworld):
    r = dworld.post(URL, body(attachments=[{"name": "cong-van.pdf", "content": "JVBERi0xLjQ="}]), as_=dworld.coordinator)
    assert r.status_code == 201  # an unknown field is ignored, like everywhere in the API
    assert r.json()["attachments"] == []


# --- who may issue -------------------------------------------------------------------------

def test_it_requires_a_token(dworld, before):
    assert_error(dworld.post(URL, body()), 401, "unauthenticated")
    assert counts() == before


@pytest.mark.parametrize("role", ["business", "operator", "officer", "leader", "party", "admin"])
def test_it_is_refused_to_everyone_but_coordinators(dworld, before, role):
    assert_error(dworld.post(URL, body(), as_=getattr(dworld, role)), 403, "forbidden")
    assert counts() == before


def test_a_refusal_does_not_depend_on_the_input(dworld, before):
    r = dworld.post(URL, body(issuing_unit="99ZZ", previous_id=999999, change="replaces"), as_=dworld.leader)
    assert_error(r, 403, "forbidden")
    assert counts() == before


def test_a_user_with_no_role_is_refused(dworld, before):
    assert_error(dworld.post(URL, body(), as_=make_user(None)), 403, "forbidden")
    assert counts() == before
