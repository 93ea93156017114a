from datetime import date, timedelta

import pytest
from django.utils import timezone

from ketnoi.org.models import Unit

from .helpers import make_token

URL = "/api/v1/units"
KEY = "kn_d0nv1-0123456789abcdefghijklmn"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def units(business, unit):
    make_token(business, key=KEY)
    today = timezone.localdate()
    closed = Unit.objects.create(code="02B1", name_vi="Chi cục cũ", name_en="Old branch", kind=Unit.Kind.BRANCH,
                                 valid_from=date(2010, 1, 1), valid_to=today - timedelta(days=30),
                                 successor=unit, change=Unit.Change.MERGED)
    future = Unit.objects.create(name_vi="Đội mới", name_en="New team", kind=Unit.Kind.TEAM, parent=unit,
                                 valid_from=today + timedelta(days=30))
    return {"open": unit, "closed": closed, "future": future}


def names(r) -> set[str]:
    return {u["name_en"] for u in r.json()}


def test_it_lists_the_units_in_force(client, units):
    r = client.get(URL, headers=AUTH)
    assert r.status_code == 200
    assert names(r) == {"Customs Branch Area I"}
    [unit] = r.json()
    assert unit == {
        "id": units["open"].pk, "code": "02CI", "name_vi": "Chi cục Hải quan Khu vực I",
        "name_en": "Customs Branch Area I", "kind": "branch", "parent_id": None,
        "valid_from": None, "valid_to": None, "successor_id": None,
    }


def test_it_lists_the_units_in_force_on_a_day(client, units):
    day = timezone.localdate() - timedelta(days=60)
    r = client.get(URL, {"on": day.isoformat()}, headers=AUTH)
    assert r.status_code == 200
    assert names(r) == {"Customs Branch Area I", "Old branch"}
    closed = next(u for u in r.json() if u["name_en"] == "Old branch")
    assert closed["successor_id"] == units["open"].pk
    assert closed["valid_to"] == units["closed"].valid_to.isoformat()


def test_it_lists_a_unit_on_its_last_day(client, units):
    r = client.get(URL, {"on": units["closed"].valid_to.isoformat()}, headers=AUTH)
    assert "Old branch" in names(r)


def test_it_lists_future_units_from_their_first_day(client, units):
    r = client.get(URL, {"on": units["future"].valid_from.isoformat()}, headers=AUTH)
    assert names(r) == {"Customs Branch Area I", "New team"}


@pytest.mark.parametrize("on", ["31/12/2024", "2024-02-30", "hôm nay", ""])
def test_it_refuses_a_bad_date(client, units, on):
    r = client.get(URL, {"on": on}, headers=AUTH)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    assert [d["field"] for d in error["details"]] == ["on"]


def test_it_is_public_like_the_units_page(client, units):
    r = client.get(URL)
    assert r.status_code == 200
    assert "Customs Branch Area I" in names(r)


def test_it_rejects_post(client, units):
    r = client.post(URL, {}, content_type="application/json", headers=AUTH)
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_it_serves_the_openapi_schema(client, db):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "ketnoi API"
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/units"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/auth/token"]
    assert "get" in schema["paths"]["/api/v1/units"]
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_it_serves_the_docs_without_a_cdn(client, db):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/api/v1/openapi.json" in html
    assert "/static/ninja/" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
