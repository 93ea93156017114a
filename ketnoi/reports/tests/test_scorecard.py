"""The public scorecard, on its page and through the API: each unit's on-time rate, median answer
time, satisfaction and sessions held in a year; "too few to measure" below five answered cases;
nothing that names a business or a person."""

import json
from datetime import date
from html import unescape

import pytest
from lxml import html as lxml_html

from ketnoi.reports import activity

from .dashboard_helpers import ENTERPRISE_NAMES, PEOPLE, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def rows(client, **query) -> dict[str, list[str]]:
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/bao-cao/cong-khai/", query)
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content.decode())
    return {row.xpath("./th")[0].text_content().strip(): [td.text_content().strip() for td in row.xpath("./td")]
            for row in page.xpath("//table[@id='scorecard']/tbody/tr")}


def test_it_shows_each_unit_s_rates_to_anyone(client, w):
    table = rows(client, year="2020")
    # The branch answered 9 (6 of its own, 3 questions of its sessions), 8 on time; median 3 working days;
    # rated 5 times (5, 4, 3, 5, 4); two sessions held.
    assert table[w.branch.name_en] == ["9", "89 %", "3.0", "4.2", "2"]


def test_a_unit_with_fewer_than_five_answered_is_too_few_to_measure(client, w):
    table = rows(client, year="2020")
    assert table[w.other.name_en] == ["2", "too few to measure", "too few to measure", "0"]
    assert table[w.team.name_en][1] == "too few to measure"


def test_the_function_gives_no_rate_below_the_minimum(w):
    by_unit = {row.unit_id: row for row in activity.scorecard(start=date(2020, 1, 1), end=date(2020, 12, 31))}
    other = by_unit[w.other.pk]
    assert other.too_few_answered and other.on_time_rate is None and other.median_answer_workdays is None
    branch = by_unit[w.branch.pk]
    assert branch.on_time_rate == pytest.approx(8 / 9) and branch.sessions_held == 2


def test_it_names_no_business_and_no_person(client, w):
    client.cookies["ketnoi_language"] = "en"
    html = unescape(client.get("/bao-cao/cong-khai/", {"year": "2020"}).content.decode())
    for secret in (*ENTERPRISE_NAMES, *PEOPLE, *(e.tax_code for e in w.enterprises), "Cát Lái"):
        assert secret not in html


def test_a_year_without_figures_is_a_message(client, w):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/bao-cao/cong-khai/", {"year": "1999"})
    assert response.status_code == 400
    assert "Choose a year from the list." in unescape(response.content.decode())
    assert client.get("/bao-cao/cong-khai/", {"year": "not a year"}).status_code == 400


def test_it_offers_the_years_with_figures_and_shows_this_year_by_default(client, w):
    response = client.get("/bao-cao/cong-khai/")
    assert response.status_code == 200
    assert '<option value="2020"' in response.content.decode()


def test_staff_who_may_see_a_dashboard_find_it_from_the_scorecard(client, w):
    client.force_login(w.users["leader"])
    assert f'href="/bao-cao/don-vi/{w.branch.pk}/"' in client.get("/bao-cao/cong-khai/").content.decode()
    client.force_login(w.users["officer"])
    assert 'id="dashboard-link"' not in client.get("/bao-cao/cong-khai/").content.decode()


# --- the API -------------------------------------------------------------------------------------

def test_the_api_gives_the_same_figures(client, w):
    response = client.get("/api/v1/reports/scorecard", {"year": 2020})
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["start"], body["end"], body["min_cases"]) == (2020, "2020-01-01", "2020-12-31", 5)
    units = {u["unit_id"]: u for u in body["units"]}
    assert units[w.branch.pk]["on_time_rate"] == pytest.approx(8 / 9)
    assert (units[w.branch.pk]["median_answer_workdays"], units[w.branch.pk]["satisfaction"]) == (3.0, 4.2)
    assert units[w.other.pk]["on_time_rate"] is None and units[w.other.pk]["answered"] == 2
    text = json.dumps(body, ensure_ascii=False)
    assert not any(name in text for name in (*ENTERPRISE_NAMES, *PEOPLE))


def test_the_api_refuses_a_year_without_figures_with_a_json_error(client, w):
    response = client.get("/api/v1/reports/scorecard", {"year": 1999})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert client.get("/api/v1/reports/scorecard", {"year": "abc"}).status_code == 422


def test_the_api_refuses_a_bad_token_even_on_a_public_endpoint(client, w):
    response = client.get("/api/v1/reports/scorecard", {"year": 2020}, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_the_reports_endpoints_are_public_and_described_in_the_openapi_schema(client, w):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/reports/scorecard", "/api/v1/reports/open-data/cases"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and "security" not in operation, path
        assert "application/json" in operation["responses"]["200"]["content"], path
        assert [p["name"] for p in operation["parameters"]] == ["year"], path
    assert {"on_time_rate", "median_answer_workdays", "satisfaction", "sessions_held"} <= set(
        schema["components"]["schemas"]["ScorecardRowOut"]["properties"])
    assert "schema" in schema["components"]["schemas"]["OpenCasesOut"]["properties"]
