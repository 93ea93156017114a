import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import Case, CaseEvent
from ketnoi.org.models import Unit
from ketnoi.testing import make_unit, make_user

from .api_helpers import assert_error, world  # noqa: F401  (fixture)

URL = "/cases"


def body(**fields) -> dict:
    return {"topic": "thu-tuc", "subject": "Thủ tục hoàn thuế nhập khẩu nguyên liệu",
            "description": "Doanh nghiệp nhập nguyên liệu để sản xuất hàng xuất khẩu, đề nghị hướng dẫn hoàn thuế.",
            "declaration_numbers": [], "hs_codes": [], "unit": "02CI", **fields}


def detail_fields(r) -> list[str]:
    return sorted(r.json()["error"]["details"])


def assert_nothing_filed():
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


# --- a business files ----------------------------------------------------------------------

def test_it_files_a_case_for_the_business(world):
    world.unit
    r = world.post(URL, body(declaration_numbers=["1045 1234 5670"], hs_codes=["84713020", "8471.30.20", "0101.21.00"]),
                   as_=world.business)
    assert r.status_code == 201
    data = r.json()
    assert re.fullmatch(rf"VM-{timezone.localdate().year}-\d{{6}}", data["reference"])
    case = Case.objects.get(reference=data["reference"])
    assert case.enterprise == world.enterprise and case.filed_by == world.business
    assert data["status"] == "new" and data["status_label"] == "Received"
    assert data["topic"] == "thu-tuc"
    assert data["enterprise"] == "0314409058"
    assert data["channel"] == "api"
    assert data["unit"] == "02CI" and data["named_unit"] == "02CI"
    assert data["declaration_numbers"] == ["104512345670"]
    assert data["hs_codes"] == ["8471.30.20", "0101.21.00"]
    assert data["due_at"] and data["acknowledge_due_at"]
    assert data["due_at"].endswith("+07:00")
    assert data["work_hours_left"] > 0 and data["overdue"] is False
    assert data["assignee"] is None and data["level"] is None  # staff-only fields, hidden from the business


def test_it_records_the_filing_on_the_timeline_and_in_the_audit(world):
    world.unit
    reference = world.post(URL, body(), as_=world.business).json()["reference"]
    case = Case.objects.get(reference=reference)
    assert list(case.events.values_list("kind", flat=True)) == ["filed", "routed"]
    assert case.events.get(kind="filed").data["channel"] == "api"
    assert AuditEvent.objects.filter(action="case.file").count() == 1


def test_it_numbers_cases_one_after_another(world):
    world.unit
    first = world.post(URL, body(), as_=world.business).json()["reference"]
    second = world.post(URL, body(), as_=world.business).json()["reference"]
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_it_accepts_an_office_code_in_lower_case(world):
    world.unit
    r = world.post(URL, body(unit="02ci"), as_=world.business)
    assert r.status_code == 201
    assert r.json()["unit"] == "02CI"


# --- routing (issue #3: a case goes to the unit the business named unless a rule says otherwise)

def test_a_case_goes_to_the_unit_the_business_named(world):
    world.unit, world.other_unit
    r = world.post(URL, body(unit="02DS"), as_=world.business)
    assert r.status_code == 201
    assert r.json()["unit"] == "02DS"


def test_a_routing_rule_for_its_topic_and_unit_wins(world):
    services.routing_rule_save(topic=services.Topic.objects.get(code="phan-loai-hs"), named_unit=world.unit,
                               handling_unit=world.other_unit, by=world.coordinator)
    r = world.post(URL, body(topic="phan-loai-hs", unit="02CI"), as_=world.business)
    assert r.status_code == 201
    assert r.json()["unit"] == "02DS" and r.json()["named_unit"] == "02CI"


def test_a_routing_rule_for_its_topic_alone_wins(world):
    services.routing_rule_save(topic=services.Topic.objects.get(code="phan-loai-hs"), named_unit=None,
                               handling_unit=world.other_unit, by=world.coordinator)
    world.unit
    assert world.post(URL, body(topic="phan-loai-hs"), as_=world.business).json()["unit"] == "02DS"
    # … and only for that topic.
    assert world.post(URL, body(topic="thu-tuc"), as_=world.business).json()["unit"] == "02CI"


@pytest.mark.parametrize("unit", [None, ""])
def test_a_business_not_sure_of_its_unit_goes_to_the_coordinators(world, unit):
    r = world.post(URL, body(unit=unit), as_=world.business)
    assert r.status_code == 201
    assert r.json()["unit"] is None and r.json()["named_unit"] is None
    assert Case.objects.get().unit is None


def test_a_case_named_for_a_merged_unit_goes_to_its_successor(world):
    closed = make_unit(code="02B1", valid_from=date(2010, 1, 1))
    Unit.objects.filter(pk=closed.pk).update(valid_to=timezone.localdate() - timedelta(days=30),
                                             successor=world.unit, change=Unit.Change.MERGED)
    r = world.post(URL, body(unit="02B1"), as_=world.business)
    assert r.status_code == 201
    assert r.json()["unit"] == "02CI"


# --- staff entering a case on behalf of a business -----------------------------------------

@pytest.mark.parametrize("channel", ["phone", "letter", "email", "dialogue"])
def test_staff_enter_a_case_received_another_way(world, channel):
    world.enterprise
    r = world.post(URL, body(enterprise="0314409058", channel=channel), as_=world.officer)
    assert r.status_code == 201
    assert r.json()["channel"] == channel and r.json()["enterprise"] == "0314409058"
    case = Case.objects.get()
    assert case.filed_by == world.officer and case.enterprise == world.enterprise


def test_staff_must_name_the_enterprise(world):
    r = world.post(URL, body(channel="phone"), as_=world.officer)
    assert detail_fields(r) == ["enterprise"] and r.status_code == 400
    assert_nothing_filed()


@pytest.mark.parametrize("channel", [None, "api"])
def test_staff_must_say_how_the_case_was_received(world, channel):
    world.enterprise
    r = world.post(URL, body(enterprise="0314409058", channel=channel), as_=world.leader)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["channel"]
    assert_nothing_filed()


def test_staff_get_a_clear_message_for_an_unknown_enterprise(world):
    r = world.post(URL, body(enterprise="0101243150", channel="phone"), as_=world.coordinator)
    error = assert_error(r, 400, "invalid")
    assert "0101243150" in error["details"]["enterprise"][0]
    assert_nothing_filed()


@pytest.mark.parametrize("tax_code", ["0314409059", "12345", "ABCDEFGHIJ"])
def test_it_refuses_a_tax_code_that_is_not_one(world, tax_code):
    r = world.post(URL, body(enterprise=tax_code, channel="phone"), as_=world.officer)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["enterprise"]
    assert_nothing_filed()


# --- bad input -----------------------------------------------------------------------------

def test_it_refuses_an_unknown_unit_code(world):
    r = world.post(URL, body(unit="99ZZ"), as_=world.business)
    error = assert_error(r, 400, "invalid")
    assert list(error["details"]) == ["unit"]
    assert "99ZZ" in error["message"] and "/api/v1/units" in error["message"]
    assert_nothing_filed()


def test_it_refuses_an_unknown_topic(world):
    world.unit
    r = world.post(URL, body(topic="khong-co"), as_=world.business)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["topic"]
    assert_nothing_filed()


def test_it_says_every_field_to_fix_at_once(world):
    world.unit
    r = world.post(URL, body(subject="  ", description="", declaration_numbers=["12345"], hs_codes=["8471"]),
                   as_=world.business)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["declaration_numbers", "description", "hs_codes", "subject"]
    assert "12 digits" in r.json()["error"]["details"]["declaration_numbers"][0]
    assert_nothing_filed()


def test_it_refuses_more_than_twenty_numbers(world):
    world.unit
    r = world.post(URL, body(declaration_numbers=[f"1045123456{n:02d}" for n in range(21)]), as_=world.business)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["declaration_numbers"]
    assert_nothing_filed()


def test_it_refuses_a_huge_list_before_looking_at_it(world):
    r = world.post(URL, body(hs_codes=["x"] * 5000), as_=world.business)
    error = assert_error(r, 422, "invalid")
    assert len(json.dumps(error)) < 2000
    assert_nothing_filed()


def test_it_refuses_a_subject_too_long(world):
    world.unit
    r = world.post(URL, body(subject="Đ" * 201), as_=world.business)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["subject"]
    assert_nothing_filed()


def test_it_refuses_a_huge_description_with_a_short_answer(world):
    world.unit
    r = world.post(URL, body(description="vuong mac " * 100_000), as_=world.business)  # 1 MB
    error = assert_error(r, 400, "invalid")
    assert list(error["details"]) == ["description"]
    assert len(r.content) < 1000
    assert_nothing_filed()


@pytest.mark.parametrize("fields, field", [
    ({"subject": 123}, "subject"),
    ({"declaration_numbers": "104512345670"}, "declaration_numbers"),
    ({"hs_codes": [8471]}, "hs_codes"),
    ({"unit": 2}, "unit"),
    ({"channel": "web"}, "channel"),
    ({"channel": "fax"}, "channel"),
])
def test_it_refuses_the_wrong_types(world, fields, field):
    r = world.post(URL, body(**fields), as_=world.business)
    error = assert_error(r, 422, "invalid")
    assert any(field in d["field"] for d in error["details"])
    assert_nothing_filed()


@pytest.mark.parametrize("missing", ["topic", "subject", "description"])
def test_it_requires_the_fields(world, missing):
    fields = body()
    del fields[missing]
    r = world.post(URL, fields, as_=world.business)
    error = assert_error(r, 422, "invalid")
    assert [d["field"].split(".")[-1] for d in error["details"]] == [missing]


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "null", '"VM"'])
def test_it_refuses_a_body_that_is_not_an_object(world, raw):
    r = world.post_raw(URL, raw, as_=world.business)
    assert r.status_code in (400, 422)
    assert r.json()["error"]["code"] in ("bad_request", "invalid")
    assert_nothing_filed()


# --- who may file --------------------------------------------------------------------------

def test_a_business_cannot_file_for_another_enterprise(world):
    world.other_enterprise, world.unit
    r = world.post(URL, body(enterprise="0100233488"), as_=world.business)
    assert_error(r, 403, "forbidden")
    assert_nothing_filed()


def test_a_business_may_name_its_own_enterprise(world):
    world.unit
    r = world.post(URL, body(enterprise="0314409058"), as_=world.business)
    assert r.status_code == 201


def test_a_business_cannot_pretend_a_phone_call(world):
    world.unit
    r = world.post(URL, body(channel="phone"), as_=world.business)
    assert_error(r, 403, "forbidden")
    assert_nothing_filed()


def test_a_business_of_several_enterprises_says_which(world):
    from ketnoi.accounts.services import role_assign

    role_assign(user=world.business, role=Role.BUSINESS, enterprise=world.other_enterprise, unit=None, by=None)
    world.unit
    r = world.post(URL, body(), as_=world.business)
    assert_error(r, 400, "invalid")
    assert detail_fields(r) == ["enterprise"]
    r = world.post(URL, body(enterprise="0100233488"), as_=world.business)
    assert r.status_code == 201 and r.json()["enterprise"] == "0100233488"


@pytest.mark.parametrize("role", ["operator", "party", "admin"])
def test_users_without_a_business_role_cannot_file(world, role):
    world.unit
    r = world.post(URL, body(), as_=getattr(world, role))
    assert_error(r, 403, "forbidden")
    r = world.post(URL, body(enterprise="0314409058", channel="phone"), as_=getattr(world, role))
    assert_error(r, 403, "forbidden")
    assert_nothing_filed()


def test_a_user_with_no_role_cannot_file(world):
    r = world.post(URL, body(), as_=make_user(None))
    assert_error(r, 403, "forbidden")


def test_it_requires_a_token(world):
    r = world.post(URL, body())
    assert_error(r, 401, "unauthenticated")
    assert_nothing_filed()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_rejects_other_methods(world, method):
    r = world.call(method, URL, as_=world.business)
    assert_error(r, 405, "method_not_allowed")
    assert set(r["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
