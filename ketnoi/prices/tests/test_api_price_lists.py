"""GET /api/v1/prices/facilities/{id}/price-lists: every list of a facility, newest first; public."""

import pytest
from django.test import Client

from ketnoi.accounts.models import Role
from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.testing import make_user

from .api_helpers import days, file_list, pworld  # noqa: F401  (fixture)


def url(facility_id) -> str:
    return f"/prices/facilities/{facility_id}/price-lists"


def test_anyone_reads_every_list_newest_first_with_its_prices(pworld):
    first = file_list(pworld, effective_from=days(-60))
    second = file_list(pworld, effective_from=days(-5), prices={"NH20": 1_200_000, "LB20": "80.000"},
                       by=pworld.operator)
    ahead = file_list(pworld, effective_from=days(20), prices={"NH20": 1_100_000})
    r = pworld.get(url(pworld.yard.pk))
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["facility"]["id"] == pworld.yard.pk and data["facility"]["current_list"]["id"] == second.pk
    assert [(item["id"], item["version"], item["in_force"]) for item in data["items"]] == [
        (ahead.pk, 3, False), (second.pk, 2, True), (first.pk, 1, False)]
    latest_in_force = data["items"][1]
    assert latest_in_force["effective_from"] == days(-5).isoformat() and latest_in_force["source"] == "form"
    assert latest_in_force["filed_at"].endswith("+07:00")  # Vietnam's time
    assert [(p["service"], p["amount"]) for p in latest_in_force["prices"]] == [("LB20", 80_000), ("NH20", 1_200_000)]
    assert data["items"][2]["source"] == "staff"  # the coordinator entered it on the operator's behalf


def test_service_names_are_in_the_readers_language(pworld):
    file_list(pworld, prices={"LB20": 85_000})
    anonymous = Client().get("/api/v1" + url(pworld.yard.pk))  # no language chosen: Vietnamese
    [price] = anonymous.json()["items"][0]["prices"]
    assert price["name"] == "Lưu bãi container hàng 20' (mỗi ngày)" and price["charge_unit"] == "day"
    [price] = pworld.get(url(pworld.yard.pk), as_=pworld.business).json()["items"][0]["prices"]
    assert price["name"] == "Yard storage, laden 20' container (per day)"  # the business reads English
    vietnamese = make_user(Role.BUSINESS, enterprise=pworld.enterprise, language="vi")
    [price] = pworld.get(url(pworld.yard.pk), as_=vietnamese).json()["items"][0]["prices"]
    assert price["name"] == "Lưu bãi container hàng 20' (mỗi ngày)"  # the token's owner, whatever the cookie


def test_a_facility_without_lists_has_an_empty_history(pworld):
    r = pworld.get(url(pworld.warehouse.pk))
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["facility"]["current_list"] is None


@pytest.mark.parametrize("facility_id", ["999999", str(2**63), "0", "-1", "abc", "1.5"])
def test_an_unknown_facility_is_not_found(pworld, facility_id):
    pworld.yard
    assert_error(pworld.get(url(facility_id)), 404, "not_found")


def test_it_accepts_only_get(pworld):
    assert_error(pworld.post(url(pworld.yard.pk), {}, as_=pworld.operator), 405, "method_not_allowed")
