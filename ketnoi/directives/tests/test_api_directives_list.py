"""GET /api/v1/directives: the versions in force on a day for the caller's units, or a search."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.directives import services
from ketnoi.org.models import Unit
from ketnoi.testing import make_unit, make_user

from .api_helpers import dworld, issue, replace  # noqa: F401  (fixture)

URL = "/directives"


def ids(r) -> list[int]:
    assert r.status_code == 200, r.content
    return [item["id"] for item in r.json()["items"]]


def today():
    return timezone.localdate()


# --- what is in force ------------------------------------------------------------------------

def test_an_officer_sees_what_is_in_force_for_its_unit(dworld):
    everyone = issue(dworld)
    theirs = issue(dworld, target="units", target_units=[dworld.other_unit], title="Kiểm tra hàng chuyển phát nhanh")
    assert ids(dworld.get(URL, as_=dworld.officer)) == [everyone.pk]
    assert ids(dworld.get(URL, as_=dworld.other_officer)) == [theirs.pk, everyone.pk]


def test_a_coordinator_sees_every_directive_in_force(dworld):
    first = issue(dworld, target="units", target_units=[dworld.unit])
    second = issue(dworld, target="units", target_units=[dworld.other_unit])
    r = dworld.get(URL, as_=dworld.coordinator)
    assert ids(r) == [second.pk, first.pk]  # the latest issued first
    assert r.json()["count"] == 2 and r.json()["in_force_on"] == today().isoformat()


def test_a_team_sees_what_was_sent_to_its_branch(dworld):
    directive = issue(dworld, target="units", target_units=[dworld.unit])
    issue(dworld, target="units", target_units=[dworld.other_unit])
    assert ids(dworld.get(URL, as_=dworld.team_officer)) == [directive.pk]


def test_only_the_version_in_force_that_day_is_listed(dworld):
    first = issue(dworld)
    second = replace(dworld, first, days=1)
    assert ids(dworld.get(URL, as_=dworld.officer)) == [first.pk]
    tomorrow = (today() + timedelta(days=1)).isoformat()
    r = dworld.get(URL, {"in_force_on": tomorrow}, as_=dworld.officer)
    assert ids(r) == [second.pk]
    assert r.json()["in_force_on"] == tomorrow


def test_a_directive_is_listed_only_inside_its_period(dworld):
    directive = issue(dworld, effective_from=today() + timedelta(days=2), effective_to=today() + timedelta(days=4))
    for days, listed in [(0, False), (1, False), (2, True), (4, True), (5, False)]:
        day = (today() + timedelta(days=days)).isoformat()
        assert ids(dworld.get(URL, {"in_force_on": day}, as_=dworld.officer)) == ([directive.pk] if listed else []), day


def test_it_describes_each_directive(dworld):
    first = issue(dworld, number="125/HQHCM-VP")
    second = replace(dworld, first, change="amends", days=0, urgency="urgent", ack_within_hours=4,
                     report_due=today() + timedelta(days=7), number="126/HQHCM-VP", signer_title="Cục trưởng",
                     signer_name="Nguyễn Hữu Phước")
    [item] = dworld.get(URL, as_=dworld.officer).json()["items"]
    assert item["id"] == second.pk and item["previous_id"] == first.pk
    assert item["number"] == "126/HQHCM-VP" and item["title"] == second.title
    assert item["version"] == 2 and item["change"] == "amends"
    assert item["issuing_unit"] == {"id": dworld.department.pk, "code": "02",
                                    "name": "Ho Chi Minh City Customs Department"}
    assert item["signer_name"] == "Nguyễn Hữu Phước" and item["signer_title"] == "Cục trưởng"
    assert item["issued_at"].endswith("+07:00")
    assert item["effective_from"] == today().isoformat() and item["effective_to"] is None
    assert item["superseded_from"] is None
    assert item["urgency"] == "urgent" and item["urgency_label"] == "Urgent"
    assert item["ack_within_hours"] == 4 and item["report_due"] == (today() + timedelta(days=7)).isoformat()
    assert item["url"].endswith(f"/chi-dao/{second.pk}/")
    assert "body" not in item  # the list stays light: GET directives/{id} has the text


def test_it_gives_where_the_callers_unit_stands(dworld):
    directive = issue(dworld, ack_within_hours=4, report_due=today() + timedelta(days=3))
    services.directive_acknowledge(directive=directive, unit=dworld.unit, by=dworld.leader)
    [item] = dworld.get(URL, as_=dworld.officer).json()["items"]
    [mine] = item["recipients"]  # its own unit only, not the other branch
    assert mine["unit"]["code"] == "02CI"
    assert mine["acknowledgement"] == "on_time" and mine["acknowledged_by"] == "Võ Văn Trưởng"
    assert mine["acknowledged_at"].endswith("+07:00") and mine["ack_due_at"]
    assert mine["report"] == "pending" and mine["reported_at"] is None
    [theirs] = dworld.get(URL, as_=dworld.other_officer).json()["items"][0]["recipients"]
    assert theirs["unit"]["code"] == "02DS" and theirs["acknowledgement"] == "pending"


def test_an_acknowledgement_past_its_deadline_is_overdue(dworld):
    issue(dworld, issued_at=timezone.now() - timedelta(hours=10), ack_within_hours=2)
    [item] = dworld.get(URL, as_=dworld.leader).json()["items"]
    assert item["recipients"][0]["acknowledgement"] == "overdue"


def test_a_coordinator_gets_no_unit_status_in_the_list(dworld):
    issue(dworld, ack_within_hours=4)
    [item] = dworld.get(URL, as_=dworld.coordinator).json()["items"]
    assert item["recipients"] == []


# --- one unit ------------------------------------------------------------------------------

def test_a_coordinator_names_a_unit_by_office_code_or_id(dworld):
    mine = issue(dworld, target="units", target_units=[dworld.unit])
    theirs = issue(dworld, target="units", target_units=[dworld.other_unit])
    assert ids(dworld.get(URL, {"unit": "02ds"}, as_=dworld.coordinator)) == [theirs.pk]
    assert ids(dworld.get(URL, {"unit": str(dworld.unit.pk)}, as_=dworld.coordinator)) == [mine.pk]
    assert ids(dworld.get(URL, {"unit": " 02CI "}, as_=dworld.coordinator)) == [mine.pk]


def test_a_unit_sees_what_was_sent_to_the_unit_above_it(dworld):
    directive = issue(dworld, target="units", target_units=[dworld.unit])
    assert ids(dworld.get(URL, {"unit": str(dworld.team.pk)}, as_=dworld.coordinator)) == [directive.pk]


def test_the_departments_code_is_read_as_a_code(dworld):
    """"02" is the department's office code, not the unit whose id is 2."""
    issue(dworld)  # sent to the branches, not to the department
    r = dworld.get(URL, {"unit": "02"}, as_=dworld.coordinator)
    assert ids(r) == []


def test_a_division_without_code_is_named_by_its_id(dworld):
    division = make_unit(kind=Unit.Kind.DIVISION, parent=dworld.department, name_vi="Phòng Giám sát quản lý")
    directive = issue(dworld, target="kinds", target_kinds=["division"])
    assert ids(dworld.get(URL, {"unit": str(division.pk)}, as_=dworld.coordinator)) == [directive.pk]
    assert ids(dworld.get(URL, {"unit": "02CI"}, as_=dworld.coordinator)) == []


def test_an_officer_names_its_own_unit(dworld):
    directive = issue(dworld)
    assert ids(dworld.get(URL, {"unit": "02CI"}, as_=dworld.officer)) == [directive.pk]


def test_an_officer_may_not_name_another_unit(dworld):
    issue(dworld)
    assert_error(dworld.get(URL, {"unit": "02DS"}, as_=dworld.officer), 403, "forbidden")
    assert_error(dworld.get(URL, {"unit": str(dworld.department.pk)}, as_=dworld.officer), 403, "forbidden")


@pytest.mark.parametrize("unit", ["99ZZ", "0", "999999", "99999999999999999999"])
def test_it_refuses_an_unknown_unit(dworld, unit):
    error = assert_error(dworld.get(URL, {"unit": unit}, as_=dworld.coordinator), 400, "invalid")
    assert list(error["details"]) == ["unit"] and unit[:20] in error["message"]


# --- pages ---------------------------------------------------------------------------------

def test_it_pages(dworld):
    made = [issue(dworld) for _n in range(3)]
    r = dworld.get(URL, {"page_size": 2}, as_=dworld.officer)
    assert ids(r) == [made[2].pk, made[1].pk] and r.json()["count"] == 3
    r = dworld.get(URL, {"page_size": 2, "page": 2}, as_=dworld.officer)
    assert ids(r) == [made[0].pk] and r.json()["page"] == 2 and r.json()["count"] == 3
    assert ids(dworld.get(URL, {"page": 3, "page_size": 2}, as_=dworld.officer)) == []


# --- search --------------------------------------------------------------------------------

def test_it_searches_with_or_without_diacritics(dworld):
    covid = issue(dworld)
    issue(dworld, title="Kiểm tra sau thông quan hàng gia công", body="Các Chi cục rà soát hồ sơ gia công.")
    r = dworld.get(URL, {"q": "phong chong dich"}, as_=dworld.officer)
    assert ids(r) == [covid.pk]
    assert r.json()["count"] == 1 and r.json()["in_force_on"] is None
    assert ids(dworld.get(URL, {"q": "khẩu trang"}, as_=dworld.officer)) == [covid.pk]


def test_a_search_finds_every_version_unless_a_day_is_given(dworld):
    first = issue(dworld, title="Phòng, chống dịch tại cửa khẩu")
    second = replace(dworld, first, days=1, title="Phòng, chống dịch tại cửa khẩu (thay thế)")
    assert set(ids(dworld.get(URL, {"q": "chong dich"}, as_=dworld.officer))) == {first.pk, second.pk}
    assert ids(dworld.get(URL, {"q": "chong dich", "in_force_on": today().isoformat()}, as_=dworld.officer)) == [first.pk]


def test_a_search_does_not_reach_past_what_the_caller_may_see(dworld):
    issue(dworld, target="units", target_units=[dworld.other_unit], title="Kiểm soát hàng chuyển phát nhanh")
    assert ids(dworld.get(URL, {"q": "chuyen phat nhanh"}, as_=dworld.officer)) == []
    assert len(ids(dworld.get(URL, {"q": "chuyen phat nhanh"}, as_=dworld.coordinator))) == 1


def test_a_search_for_one_unit(dworld):
    mine = issue(dworld, target="units", target_units=[dworld.unit])
    issue(dworld, target="units", target_units=[dworld.other_unit])
    assert ids(dworld.get(URL, {"q": "covid", "unit": "02CI"}, as_=dworld.coordinator)) == [mine.pk]


@pytest.mark.parametrize("q", ["thì sao", "!!! ???", "'; DROP TABLE directives_directive; --", "\"covid", "a*", "NEAR("])
def test_a_search_of_nothing_searchable_is_empty_not_an_error(dworld, q):
    issue(dworld)
    r = dworld.get(URL, {"q": q}, as_=dworld.officer)
    assert r.status_code == 200


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2026-02-30", "09/03/2026", "20260309", "1773014400", "hôm nay", "2026-3-9",
                                 "2026-03-09T08:00"])
def test_it_refuses_a_day_that_is_not_one(dworld, day):
    error = assert_error(dworld.get(URL, {"in_force_on": day}, as_=dworld.officer), 422, "invalid")
    assert [d["field"] for d in error["details"]] == ["in_force_on"]


@pytest.mark.parametrize("params, field", [
    ({"q": "dịch " * 41}, "q"),
    ({"unit": "02CI" * 6}, "unit"),
    ({"page": 0}, "page"),
    ({"page": "một"}, "page"),
    ({"page_size": 101}, "page_size"),
    ({"page": 10**30}, "page"),
])
def test_it_refuses_parameters_out_of_range(dworld, params, field):
    error = assert_error(dworld.get(URL, params, as_=dworld.officer), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]
    assert len(str(error)) < 1000


def test_an_empty_day_is_today(dworld):
    directive = issue(dworld)
    r = dworld.get(URL, {"in_force_on": " ", "unit": ""}, as_=dworld.officer)
    assert ids(r) == [directive.pk] and r.json()["in_force_on"] == today().isoformat()


def test_a_far_day_is_answered_not_an_error(dworld):
    issue(dworld)
    for day in ["0001-01-01", "9999-12-31"]:
        assert dworld.get(URL, {"in_force_on": day}, as_=dworld.officer).status_code == 200


# --- who may ask ---------------------------------------------------------------------------

def test_it_requires_a_token(dworld):
    assert_error(dworld.get(URL), 401, "unauthenticated")


@pytest.mark.parametrize("role", ["business", "operator", "party", "admin"])
def test_people_outside_customs_are_refused(dworld, role):
    issue(dworld)
    assert_error(dworld.get(URL, as_=getattr(dworld, role)), 403, "forbidden")
    assert_error(dworld.get(URL, {"q": "covid"}, as_=getattr(dworld, role)), 403, "forbidden")


def test_a_user_with_no_role_is_refused(dworld):
    assert_error(dworld.get(URL, as_=make_user(None)), 403, "forbidden")


def test_an_officer_of_a_unit_without_directives_sees_none(dworld):
    issue(dworld, target="units", target_units=[dworld.unit])
    stranger = make_user(Role.OFFICER, unit=make_unit(code="02PJ"), language="en")
    r = dworld.get(URL, as_=stranger)
    assert ids(r) == [] and r.json()["count"] == 0


def test_it_answers_in_the_callers_language(dworld):
    issue(dworld)
    officer = make_user(Role.OFFICER, unit=dworld.unit, language="vi")
    [item] = dworld.get(URL, as_=officer).json()["items"]
    assert item["issuing_unit"]["name"] == "Cục Hải quan TP. Hồ Chí Minh"
    business = make_user(Role.BUSINESS, enterprise=dworld.enterprise, language="vi")
    assert dworld.get(URL, as_=business).json()["error"]["message"] == "Bạn không có quyền thực hiện thao tác này."


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_rejects_other_methods(dworld, method):
    r = dworld.call(method, URL, as_=dworld.coordinator)
    assert_error(r, 405, "method_not_allowed")
    assert set(r["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
