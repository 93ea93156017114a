"""POST /api/v1/prices/price-lists: an operator files its facility's new list, checked at once
against its commitments."""

import json

import pytest

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.notifications.models import Notification
from ketnoi.prices.models import Breach, Commitment, CommitmentStatus, PriceList
from ketnoi.testing import make_user

from .api_helpers import commit, counts, days, file_list, pworld  # noqa: F401  (fixture)

URL = "/prices/price-lists"


def body(world, **fields) -> dict:
    return {"facility": world.yard.pk, "effective_from": days(0).isoformat(),
            "prices": {"NH20": 1_250_000, "LB20": 85_000}, "note": "Bảng giá áp dụng từ quý II", **fields}


@pytest.fixture
def before(pworld):
    file_list(pworld)  # the yard's first list, 60 days ago
    return counts()


# --- who files -----------------------------------------------------------------------------

def test_the_operator_files_its_facilitys_next_version(pworld, before):
    r = pworld.post(URL, body(pworld), as_=pworld.operator)
    assert r.status_code == 201, r.content
    data = r.json()
    price_list = PriceList.objects.get(pk=data["id"])
    assert price_list.facility == pworld.yard and price_list.filed_by == pworld.operator
    assert data["version"] == 2 and data["source"] == "api" and data["in_force"] is True
    assert data["effective_from"] == days(0).isoformat() and data["note"] == "Bảng giá áp dụng từ quý II"
    assert [(p["service"], p["amount"], p["charge_unit"]) for p in data["prices"]] == [
        ("LB20", 85_000, "day"), ("NH20", 1_250_000, "cont20")]
    assert data["prices"][1]["name"] == "Lift-on/lift-off, laden 20' container"  # the operator reads English
    assert data["prices"][1]["charge_unit_label"] == "per 20' container"
    assert data["breaches"] == []
    assert AuditEvent.objects.filter(action="prices.price_list_filed", actor=pworld.operator).count() == 1


def test_prices_may_be_written_as_vietnamese_write_them(pworld, before):
    r = pworld.post(URL, body(pworld, prices={"nh20": "1.250.000 ₫", "LB20": "85 000", "DO": 250000.0}),
                    as_=pworld.operator)
    assert r.status_code == 201, r.content
    assert {p["service"]: p["amount"] for p in r.json()["prices"]} == {"NH20": 1_250_000, "LB20": 85_000,
                                                                       "DO": 250_000}


def test_a_list_filed_ahead_is_not_yet_in_force(pworld, before):
    r = pworld.post(URL, body(pworld, effective_from=days(10).isoformat()), as_=pworld.operator)
    assert r.status_code == 201, r.content
    assert r.json()["in_force"] is False


@pytest.mark.parametrize("who", ["coordinator", "officer", "leader"])
def test_customs_may_file_on_the_operators_behalf(pworld, before, who):
    r = pworld.post(URL, body(pworld), as_=getattr(pworld, who))
    assert r.status_code == 201, r.content
    assert PriceList.objects.get(pk=r.json()["id"]).filed_by == getattr(pworld, who)


# --- the breach ----------------------------------------------------------------------------

def test_a_covered_price_5_percent_above_the_baseline_breaks_the_commitment(pworld, django_capture_on_commit_callbacks):
    commitment = commit(pworld)
    pworld.leader, pworld.coordinator  # the people told of it
    with django_capture_on_commit_callbacks(execute=True):
        r = pworld.post(URL, body(pworld, prices={"NH20": 1_312_500, "LB20": 85_000, "NH40": 1_800_000}),
                        as_=pworld.operator)
    assert r.status_code == 201, r.content
    [breach] = r.json()["breaches"]
    assert breach["commitment"] == commitment.pk and breach["commitment_url"].endswith(f"/cam-ket/{commitment.pk}/")
    assert breach["services"] == [{"service": "NH20", "name": "Lift-on/lift-off, laden 20' container",
                                   "baseline": 1_250_000, "price": 1_312_500, "difference": 62_500, "percent": 5.0}]
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.BROKEN and commitment.first_breach_on == days(0)
    assert Breach.objects.get().price_list_id == r.json()["id"]
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"dieuphoi", "truong", "caylai"} <= told
    assert "hung" not in told  # an officer of the unit is not among those told
    [on_the_board] = pworld.get("/prices/facilities").json()["items"]  # at once, not after some job
    assert on_the_board["commitment"] == "broken" and on_the_board["current_list"]["id"] == r.json()["id"]


def test_a_list_that_keeps_every_price_keeps_the_commitment(pworld):
    commitment = commit(pworld)
    r = pworld.post(URL, body(pworld, prices={"NH20": 1_250_000, "LB20": 80_000}), as_=pworld.operator)
    assert r.status_code == 201 and r.json()["breaches"] == []
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.KEPT and not Breach.objects.exists()


def test_a_service_the_commitment_does_not_cover_may_rise(pworld):
    commitment = commit(pworld, covers_all=False, services_covered=["LB20"])
    r = pworld.post(URL, body(pworld, prices={"NH20": 1_500_000, "LB20": 85_000}), as_=pworld.operator)
    assert r.status_code == 201 and r.json()["breaches"] == []
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.KEPT


def test_a_list_taking_effect_after_the_period_breaks_nothing(pworld):
    commit(pworld, period=(-30, 5))
    r = pworld.post(URL, body(pworld, effective_from=days(6).isoformat(), prices={"NH20": 2_000_000}),
                    as_=pworld.operator)
    assert r.status_code == 201 and r.json()["breaches"] == []


# --- what the service refuses --------------------------------------------------------------

def details(r) -> dict:
    return assert_error(r, 400, "invalid")["details"]


@pytest.mark.parametrize("prices, fragment", [
    ({"XX99": 100_000}, "“XX99” is not a service of the catalogue."),
    ({"NH20": 0}, "NH20: “0” is not a price."),
    ({"NH20": -1_250_000}, "NH20: “-1250000” is not a price."),
    ({"NH20": "abc"}, "NH20: “abc” is not a price."),
    ({"NH20": 1.5}, "NH20: “1.5” is not a price."),
    ({"NH20": "1.250.000,50"}, "is not a price"),
    ({"NH20": 10**13}, "is not a price"),
    ({"NH20": 10**30}, "is not a price"),
    ({}, "Give at least one price."),
])
def test_a_bad_price_is_named_and_nothing_is_written(pworld, before, prices, fragment):
    r = pworld.post(URL, body(pworld, prices=prices), as_=pworld.operator)
    problems = details(r)
    assert list(problems) == ["prices"] and any(fragment in message for message in problems["prices"]), problems
    assert counts() == before


def test_every_bad_price_is_named_at_once(pworld, before):
    r = pworld.post(URL, body(pworld, prices={"NH20": 0, "XX99": 1, "LB20": "abc", "DO": 250_000}),
                    as_=pworld.operator)
    assert len(details(r)["prices"]) == 3
    assert counts() == before


def test_a_list_cannot_take_effect_before_the_latest(pworld, before):
    r = pworld.post(URL, body(pworld, effective_from=days(-61).isoformat()), as_=pworld.operator)
    problems = details(r)
    assert list(problems) == ["effective_from"] and days(-60).strftime("%d/%m/%Y") in problems["effective_from"][0]
    assert counts() == before


def test_a_facility_no_longer_in_operation_takes_no_list(pworld, before):
    type(pworld.yard).objects.filter(pk=pworld.yard.pk).update(active=False)
    assert list(details(pworld.post(URL, body(pworld), as_=pworld.operator))) == ["facility"]
    assert counts() == before


def test_a_breach_that_is_refused_writes_nothing(pworld):
    commitment = commit(pworld)
    before = counts()
    r = pworld.post(URL, body(pworld, prices={"NH20": 1_312_500, "XX99": 1}), as_=pworld.operator)
    assert_error(r, 400, "invalid")
    assert counts() == before
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.KEPT


def test_the_answer_is_in_the_token_owners_language(pworld, before):
    vi = make_user(Role.OPERATOR, enterprise=pworld.other_terminal, language="vi")
    error = assert_error(pworld.post(URL, body(pworld), as_=vi), 403, "forbidden")
    assert error["message"] == "Bạn không có quyền thực hiện thao tác này."
    assert counts() == before


# --- malformed and huge input --------------------------------------------------------------

@pytest.mark.parametrize("fields, field", [
    ({"effective_from": "09/03/2026"}, "effective_from"),
    ({"effective_from": "2026-02-30"}, "effective_from"),
    ({"effective_from": 20260309}, "effective_from"),
    ({"effective_from": "ngày mai"}, "effective_from"),
    ({"effective_from": None}, "effective_from"),
    ({"facility": 0}, "facility"),
    ({"facility": -3}, "facility"),
    ({"facility": 2**63}, "facility"),
    ({"facility": "bãi Cát Lái"}, "facility"),
    ({"prices": [["NH20", 1_250_000]]}, "prices"),
    ({"prices": "NH20=1250000"}, "prices"),
    ({"prices": {"NH20": None}}, "prices"),
    ({"prices": {"NH20": [1_250_000]}}, "prices"),
    ({"prices": {"NH20": True}}, "prices"),
    ({"prices": {"NH20": "1" * 41}}, "prices"),
    ({"prices": {"NH20" * 10: 1}}, "prices"),
    ({"note": "ghi chú " * 100}, "note"),
])
def test_it_refuses_the_wrong_types_and_writes_nothing(pworld, before, fields, field):
    r = pworld.post(URL, body(pworld, **fields), as_=pworld.operator)
    error = assert_error(r, 422, "invalid")
    assert {d["field"].split(".")[0] for d in error["details"]} == {field}, error
    assert counts() == before


@pytest.mark.parametrize("missing", ["facility", "effective_from", "prices"])
def test_it_requires_the_fields(pworld, before, missing):
    fields = body(pworld)
    del fields[missing]
    error = assert_error(pworld.post(URL, fields, as_=pworld.operator), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [missing]
    assert counts() == before


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "null", '"NH20"', "", "\x00", '{"prices": {"NH20": 1e400}}',
                                 '{"prices": {"NH20": NaN}}', '{"facility": 1' + "0" * 5000 + "}"])
def test_it_refuses_a_body_that_is_not_an_object(pworld, before, raw):
    r = pworld.post_raw(URL, raw, as_=pworld.operator)
    assert r.status_code in (400, 422), r.content[:300]
    assert r.json()["error"]["code"] in ("bad_request", "invalid")
    assert counts() == before


def test_an_infinite_price_gets_a_4xx(pworld, before):
    raw = json.dumps(body(pworld)).replace("1250000", "1e400")
    r = pworld.post_raw(URL, raw, as_=pworld.operator)
    assert r.status_code == 422, r.content[:300]
    assert counts() == before


def test_more_services_than_a_list_holds_get_a_short_answer(pworld, before):
    prices = {f"X{n:05d}": 1000 for n in range(5000)}
    r = pworld.post(URL, body(pworld, prices=prices), as_=pworld.operator)
    assert r.status_code in (400, 422) and len(r.content) < 2000, r.content[:300]
    assert counts() == before


def test_a_body_larger_than_a_request_may_be_is_refused(pworld, before):
    r = pworld.post(URL, body(pworld, note="x" * 3_000_000), as_=pworld.operator)
    assert_error(r, 413, "too_large")
    assert counts() == before


# --- who may not ---------------------------------------------------------------------------

def test_it_requires_a_token(pworld, before):
    assert_error(pworld.post(URL, body(pworld)), 401, "unauthenticated")
    assert counts() == before


@pytest.mark.parametrize("who", ["other_operator", "other_officer", "business", "party", "admin"])
def test_it_is_refused_to_others(pworld, before, who):
    assert_error(pworld.post(URL, body(pworld), as_=getattr(pworld, who)), 403, "forbidden")
    assert counts() == before


def test_a_refusal_comes_before_the_prices_are_read(pworld, before):
    r = pworld.post(URL, body(pworld, prices={"XX99": 0}), as_=pworld.other_operator)
    assert_error(r, 403, "forbidden")
    assert counts() == before


def test_a_user_with_no_role_is_refused(pworld, before):
    assert_error(pworld.post(URL, body(pworld), as_=make_user(None)), 403, "forbidden")
    assert counts() == before


def test_an_unknown_facility_is_not_found(pworld, before):
    assert_error(pworld.post(URL, body(pworld, facility=999_999), as_=pworld.operator), 404, "not_found")
    assert counts() == before


def test_it_accepts_only_post(pworld, before):
    r = pworld.call("put", URL, as_=pworld.operator)
    assert_error(r, 405, "method_not_allowed")
    assert counts() == before
