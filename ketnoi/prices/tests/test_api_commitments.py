"""GET /api/v1/prices/commitments: commitments not to raise prices, kept or broken; public, the
follow-up of breaches for coordinators only."""

import pytest

from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.prices import services

from .api_helpers import commit, days, pworld  # noqa: F401  (fixture)

URL = "/prices/commitments"


def broken(world):
    """The yard's commitment, broken by a list raising NH20 by 5 % and LB20 by 10 %."""
    commitment = commit(world)
    _list, [breach] = services.price_list_file(facility=world.yard, prices={"NH20": 1_312_500, "LB20": 93_500},
                                               effective_from=days(0), by=world.operator)
    return commitment, breach


def items(r) -> list[dict]:
    assert r.status_code == 200, r.content
    return r.json()["items"]


def test_anyone_sees_each_commitment_its_facilities_and_what_rose(pworld):
    commitment, breach = broken(pworld)
    [item] = items(pworld.get(URL))
    assert item["id"] == commitment.pk and item["status"] == "broken"
    assert item["operator"]["tax_code"] == "0312876547"
    [facility] = item["facilities"]
    assert facility["id"] == pworld.yard.pk and facility["baseline"]["version"] == 1
    assert (item["period_from"], item["period_to"], item["signed_on"]) == (
        days(-30).isoformat(), days(300).isoformat(), days(-30).isoformat())
    assert item["first_breach_on"] == days(0).isoformat()
    assert item["services_affected"] == ["LB20", "NH20"]
    assert item["covers_all"] is True and item["services"] == []
    [found] = item["breaches"]
    assert found["id"] == breach.pk and found["facility"] == pworld.yard.pk and found["price_list"]["version"] == 2
    assert [(s["service"], s["difference"], s["percent"]) for s in found["services"]] == [
        ("LB20", 8_500, 10.0), ("NH20", 62_500, 5.0)]
    assert item["url"].endswith(f"/gia-dich-vu/cam-ket/{commitment.pk}/")


def test_a_kept_commitment_has_nothing_affected(pworld):
    commit(pworld, covers_all=False, services_covered=["NH20", "DO"])
    [item] = items(pworld.get(URL))
    assert item["status"] == "kept" and item["first_breach_on"] is None
    assert item["services_affected"] == [] and item["breaches"] == []
    assert item["covers_all"] is False and item["services"] == ["DO", "NH20"]


@pytest.mark.parametrize("status, expected", [("kept", "warehouse"), ("broken", "yard"), ("", "both")])
def test_it_filters_by_status(pworld, status, expected):
    broken(pworld)
    kept = commit(pworld, pworld.warehouse)
    found = {item["facilities"][0]["id"] for item in items(pworld.get(URL, {"status": status}))}
    assert found == {"warehouse": {kept.baselines.get().facility_id}, "yard": {pworld.yard.pk},
                     "both": {pworld.yard.pk, pworld.warehouse.pk}}[expected]


def test_an_unknown_status_is_refused(pworld):
    error = assert_error(pworld.get(URL, {"status": "vi_pham"}), 422, "invalid")
    assert [d["field"] for d in error["details"]] == ["status"]


def test_a_coordinator_reads_the_follow_up_notes(pworld):
    _commitment, breach = broken(pworld)
    services.breach_follow_up(breach=breach, follow_up="contacted", by=pworld.coordinator,
                              note="Đã gọi điện cho Phó Giám đốc công ty, hẹn rút lại mức giá mới trong tuần.")
    [found] = items(pworld.get(URL, as_=pworld.coordinator))[0]["breaches"]
    assert found["follow_up"] == "contacted"
    [note] = found["notes"]
    assert note["note"].startswith("Đã gọi điện") and note["by"] == "Bùi Thị Điều Phối" and note["follow_up"] == "contacted"


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_customs_staff_read_the_follow_up(pworld, who):
    _commitment, breach = broken(pworld)
    services.breach_follow_up(breach=breach, follow_up="contacted", note="Đã liên hệ doanh nghiệp.",
                              by=pworld.coordinator)
    [found] = items(pworld.get(URL, as_=getattr(pworld, who)))[0]["breaches"]
    assert found["follow_up"] == "contacted" and found["notes"][0]["note"] == "Đã liên hệ doanh nghiệp."


@pytest.mark.parametrize("who", [None, "operator", "business", "party", "admin"])
def test_no_one_outside_customs_reads_the_follow_up(pworld, who):
    _commitment, breach = broken(pworld)
    services.breach_follow_up(breach=breach, follow_up="contacted", note="Đã liên hệ doanh nghiệp.",
                              by=pworld.coordinator)
    [found] = items(pworld.get(URL, as_=getattr(pworld, who) if who else None))[0]["breaches"]
    assert found["follow_up"] is None and found["notes"] is None
    assert "Đã liên hệ" not in pworld.get(URL, as_=getattr(pworld, who) if who else None).content.decode()


def test_a_bad_token_is_refused_rather_than_read_as_anonymous(pworld):
    r = pworld.client.get("/api/v1" + URL, headers={"Authorization": "Bearer sai-ma"})
    assert_error(r, 401, "unauthenticated")
