"""GET /api/v1/prices/facilities: the public board of warehouses, yards and ports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.prices import services
from ketnoi.prices.models import Facility, FacilityKind

from .api_helpers import commit, days, file_list, pworld  # noqa: F401  (fixture)

URL = "/prices/facilities"


def names(r) -> list[str]:
    assert r.status_code == 200, r.content
    return [item["name"] for item in r.json()["items"]]


def test_anyone_sees_every_facility_in_operation_by_name(pworld):
    pworld.yard, pworld.warehouse
    closed = services.facility_create(operator=pworld.terminal, name="Kho CFS Cát Lái cũ", kind=FacilityKind.CFS,
                                      unit=pworld.unit, by=pworld.coordinator)
    Facility.objects.filter(pk=closed.pk).update(active=False)
    r = pworld.get(URL)
    assert names(r) == ["Bãi container Cát Lái Xanh", "Kho ngoại quan Tân Phú Mỹ"]
    assert r.json()["count"] == 2


def test_it_describes_the_facility_its_operator_unit_and_list_in_force(pworld):
    file_list(pworld, effective_from=days(-60))
    current = file_list(pworld, effective_from=days(-5), prices={"NH20": 1_200_000})
    file_list(pworld, effective_from=days(20), prices={"NH20": 1_100_000})  # filed ahead, not yet in force
    [item] = pworld.get(URL).json()["items"]
    assert item["id"] == pworld.yard.pk and item["kind"] == "yard"
    assert item["operator"] == {"id": pworld.terminal.pk, "name": "Công ty CP Kho bãi Cát Lái Xanh",
                                "tax_code": "0312876547"}
    assert item["unit"] == {"id": pworld.unit.pk, "code": "02CI", "name": "Customs Branch Area I"}
    assert item["current_list"] == {"id": current.pk, "effective_from": days(-5).isoformat(), "version": 2}
    assert item["commitment"] == "none"
    assert item["url"].endswith(f"/gia-dich-vu/{pworld.yard.pk}/")


def test_a_facility_with_no_list_in_force_has_none(pworld):
    pworld.warehouse
    assert pworld.get(URL).json()["items"][0]["current_list"] is None


def test_it_says_whether_the_facility_keeps_its_commitment(pworld):
    commit(pworld)
    commit(pworld, pworld.warehouse)
    services.price_list_file(facility=pworld.warehouse, prices={"NH20": 1_400_000}, effective_from=days(0),
                             by=pworld.other_operator)
    status = {item["name"]: item["commitment"] for item in pworld.get(URL).json()["items"]}
    assert status == {"Bãi container Cát Lái Xanh": "kept", "Kho ngoại quan Tân Phú Mỹ": "broken"}


@pytest.mark.parametrize("params, expected", [
    ({"unit": "02CI"}, ["Bãi container Cát Lái Xanh"]),
    ({"unit": "02ds"}, ["Kho ngoại quan Tân Phú Mỹ"]),
    ({"kind": "bonded"}, ["Kho ngoại quan Tân Phú Mỹ"]),
    ({"kind": "port"}, []),
    ({"operator": "0312876547"}, ["Bãi container Cát Lái Xanh"]),
    ({"unit": "", "kind": "", "operator": ""}, ["Bãi container Cát Lái Xanh", "Kho ngoại quan Tân Phú Mỹ"]),
])
def test_it_filters(pworld, params, expected):
    pworld.yard, pworld.warehouse
    assert names(pworld.get(URL, params)) == expected


def test_a_unit_and_an_operator_may_be_given_by_id(pworld):
    pworld.yard, pworld.warehouse
    assert names(pworld.get(URL, {"unit": pworld.other_unit.pk})) == ["Kho ngoại quan Tân Phú Mỹ"]
    assert names(pworld.get(URL, {"operator": pworld.terminal.pk})) == ["Bãi container Cát Lái Xanh"]


@pytest.mark.parametrize("params, field", [({"unit": "99ZZ"}, "unit"), ({"unit": "9" * 15}, "unit"),
                                           ({"operator": "0100233488"}, "operator"), ({"operator": "abc"}, "operator")])
def test_an_unknown_unit_or_operator_is_named(pworld, params, field):
    pworld.yard
    error = assert_error(pworld.get(URL, params), 400, "invalid")
    assert list(error["details"]) == [field]


@pytest.mark.parametrize("params, field", [({"kind": "kho"}, "kind"), ({"unit": "x" * 21}, "unit"),
                                           ({"operator": "0" * 21}, "operator")])
def test_a_malformed_filter_is_refused(pworld, params, field):
    error = assert_error(pworld.get(URL, params), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]


def test_labels_are_in_the_token_owners_language_and_a_bad_token_is_refused(pworld):
    pworld.yard
    r = pworld.get(URL, as_=pworld.operator)  # an English reader
    assert r.json()["items"][0]["kind_label"] == "Container yard"
    r = pworld.client.get("/api/v1" + URL, headers={"Authorization": "Bearer not-a-token"})
    assert_error(r, 401, "unauthenticated")


def test_the_list_in_force_is_read_in_one_query_for_every_facility(pworld):
    for n in range(6):
        facility = services.facility_create(operator=pworld.terminal, name=f"Kho hàng lẻ số {n + 1}",
                                            kind=FacilityKind.CFS, unit=pworld.unit, by=pworld.coordinator)
        file_list(pworld, facility)
    with CaptureQueriesContext(connection) as few:
        assert len(names(pworld.get(URL))) == 6
    file_list(pworld, pworld.yard)
    with CaptureQueriesContext(connection) as more:
        assert len(names(pworld.get(URL))) == 7
    assert len(more) == len(few)
