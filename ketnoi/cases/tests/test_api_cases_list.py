from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.cases import services

from .api_helpers import answered, assert_error, file_case, world  # noqa: F401  (fixture)

URL = "/cases"


def references(r) -> set[str]:
    assert r.status_code == 200, r.content
    return {item["reference"] for item in r.json()["items"]}


@pytest.fixture
def cases(world):
    """Three cases: the business's at unit I, another enterprise's at unit II, and one in the
    coordinators' queue."""
    return {
        "mine": file_case(world, subject="Hoàn thuế nhập khẩu nguyên liệu"),
        "theirs": file_case(world, by=world.other_business, enterprise=world.other_enterprise, unit=world.other_unit,
                            subject="Phân loại máy tính xách tay", topic="phan-loai-hs"),
        "queue": file_case(world, by=world.other_business, enterprise=world.other_enterprise, unit=None,
                           subject="Kiểm dịch thực vật"),
    }


def test_a_business_sees_its_own_cases_only(world, cases):
    r = world.get(URL, as_=world.business)
    assert references(r) == {cases["mine"].reference}
    assert r.json()["count"] == 1


def test_an_officer_sees_its_units_cases_only(world, cases):
    assert references(world.get(URL, as_=world.officer)) == {cases["mine"].reference}
    assert references(world.get(URL, as_=world.other_officer)) == {cases["theirs"].reference}


def test_an_officer_sees_the_cases_shared_with_its_unit(world, cases):
    services.case_share(case=cases["theirs"], unit=world.unit, by=world.other_officer)
    assert references(world.get(URL, as_=world.officer)) == {cases["mine"].reference, cases["theirs"].reference}


def test_a_coordinator_sees_every_case(world, cases):
    assert references(world.get(URL, as_=world.coordinator)) == {c.reference for c in cases.values()}


@pytest.mark.parametrize("role", ["operator", "party", "admin"])
def test_other_roles_see_no_case(world, cases, role):
    r = world.get(URL, as_=getattr(world, role))
    assert r.json() == {"items": [], "count": 0, "page": 1, "page_size": 20}


def test_it_describes_each_case(world, cases):
    [item] = world.get(URL, as_=world.officer).json()["items"]
    case = cases["mine"]
    assert item["reference"] == case.reference
    assert item["status"] == "new" and item["topic"] == "thu-tuc" and item["unit"] == "02CI"
    assert item["enterprise"] == world.enterprise.tax_code
    assert item["subject"] == "Hoàn thuế nhập khẩu nguyên liệu"
    assert item["work_hours_left"] > 0 and item["overdue"] is False
    assert item["level"] == "unit" and item["assignee"] is None
    assert "description" not in item  # the list stays light; GET cases/{reference} has it


# --- filters -------------------------------------------------------------------------------

def test_it_filters_by_status(world, cases):
    answered(world, cases["mine"])
    second = file_case(world)
    assert references(world.get(URL, {"status": "answered"}, as_=world.officer)) == {cases["mine"].reference}
    assert references(world.get(URL, {"status": "open"}, as_=world.officer)) == {second.reference}
    assert references(world.get(URL, {"status": "new"}, as_=world.officer)) == {second.reference}


def test_it_filters_by_unit_code(world, cases):
    r = world.get(URL, {"unit": "02ds"}, as_=world.coordinator)
    assert references(r) == {cases["theirs"].reference}


def test_an_officer_filtering_another_unit_sees_nothing(world, cases):
    assert references(world.get(URL, {"unit": "02DS"}, as_=world.officer)) == set()


def test_it_filters_by_topic(world, cases):
    assert references(world.get(URL, {"topic": "phan-loai-hs"}, as_=world.coordinator)) == {cases["theirs"].reference}


def test_it_filters_overdue_cases(world, cases):
    late = file_case(world, received_at=timezone.now() - timedelta(days=40))
    r = world.get(URL, {"overdue": "true"}, as_=world.officer)
    assert references(r) == {late.reference}
    [item] = r.json()["items"]
    assert item["overdue"] is True and item["work_hours_left"] < 0
    assert len(references(world.get(URL, {"overdue": "false"}, as_=world.officer))) == 2


def test_it_finds_by_words_of_the_subject(world, cases):
    assert references(world.get(URL, {"q": "máy tính"}, as_=world.coordinator)) == {cases["theirs"].reference}


def test_it_finds_by_reference(world, cases):
    reference = cases["queue"].reference
    assert references(world.get(URL, {"q": reference.lower()}, as_=world.coordinator)) == {reference}


def test_a_search_does_not_reach_past_what_the_caller_may_see(world, cases):
    assert references(world.get(URL, {"q": cases["theirs"].reference}, as_=world.business)) == set()
    assert references(world.get(URL, {"q": "máy tính"}, as_=world.business)) == set()


def test_it_sorts(world, cases):
    everyone = world.get(URL, {"sort": "-received"}, as_=world.coordinator).json()["items"]
    assert [i["reference"] for i in everyone] == [cases[k].reference for k in ("queue", "theirs", "mine")]


def test_it_refuses_an_unknown_unit_code(world, cases):
    error = assert_error(world.get(URL, {"unit": "99ZZ"}, as_=world.officer), 400, "invalid")
    assert list(error["details"]) == ["unit"]


def test_it_refuses_an_unknown_topic(world, cases):
    error = assert_error(world.get(URL, {"topic": "khong-co"}, as_=world.officer), 400, "invalid")
    assert list(error["details"]) == ["topic"]


@pytest.mark.parametrize("params, field", [
    ({"status": "closed"}, "status"),
    ({"overdue": "maybe"}, "overdue"),
    ({"page": "0"}, "page"),
    ({"page": "two"}, "page"),
    ({"page": "10000000000000000000000"}, "page"),
    ({"page_size": "101"}, "page_size"),
    ({"page_size": "0"}, "page_size"),
    ({"sort": "subject"}, "sort"),
    ({"q": "x" * 201}, "q"),
])
def test_it_refuses_bad_filters(world, cases, params, field):
    error = assert_error(world.get(URL, params, as_=world.officer), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]


# --- pages ---------------------------------------------------------------------------------

def test_it_pages_through_the_cases(world):
    filed = [file_case(world) for _ in range(5)]
    first = world.get(URL, {"page_size": 2, "sort": "reference"}, as_=world.business).json()
    last = world.get(URL, {"page_size": 2, "page": 3, "sort": "reference"}, as_=world.business).json()
    assert first["count"] == last["count"] == 5
    assert (first["page"], first["page_size"]) == (1, 2)
    assert [i["reference"] for i in first["items"]] == [c.reference for c in filed[:2]]
    assert [i["reference"] for i in last["items"]] == [filed[4].reference]


def test_a_page_past_the_end_is_empty(world, cases):
    r = world.get(URL, {"page": 99}, as_=world.business)
    assert r.json() == {"items": [], "count": 1, "page": 99, "page_size": 20}


def test_it_reads_a_page_in_a_few_queries(world, django_assert_max_num_queries):
    for n in range(30):
        file_case(world, unit=world.unit if n % 2 else world.other_unit)
    services.case_assign(case=file_case(world), assignee=world.officer, by=world.officer)
    headers = world.headers(world.coordinator)
    with django_assert_max_num_queries(6):
        r = world.client.get("/api/v1/cases", {"page_size": 100}, headers=headers)
    assert len(r.json()["items"]) == 31


# --- refusals ------------------------------------------------------------------------------

def test_it_requires_a_token(world, cases):
    assert_error(world.get(URL), 401, "unauthenticated")


def test_it_refuses_a_revoked_token(world, cases):
    headers = world.headers(world.business)
    world.business.api_tokens.update(revoked_at=timezone.now())
    assert_error(world.client.get("/api/v1/cases", headers=headers), 401, "unauthenticated")


def test_it_rejects_delete(world, cases):
    assert_error(world.call("delete", URL, as_=world.coordinator), 405, "method_not_allowed")
