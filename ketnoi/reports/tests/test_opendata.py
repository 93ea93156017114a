"""Open data: the cases' monthly aggregates by unit and topic and the published Q&A, as CSV
(UTF-8 with a BOM) and JSON (with a schema note), streamed; they parse, hold the figures, and
name no business and no person."""

import csv
import io
import json

import pytest
from django.utils import timezone

from ketnoi.reports import opendata
from ketnoi.testing import make_article

from .dashboard_helpers import ENTERPRISE_NAMES, PEOPLE, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = build_world()
    world.published = make_article(question="Doanh nghiệp chế xuất có phải khai báo hải quan khi bán hàng vào nội địa?",
                                   answer="Có. Căn cứ Điều 74 Thông tư 38/2015/TT-BTC, doanh nghiệp chế xuất khai "
                                          "tờ khai xuất khẩu tại chỗ.", topic="gia-cong-sxxk-chexuat")
    world.draft = make_article(question="Câu hỏi chưa công bố về thủ tục tạm nhập tái xuất?", publish=False)
    return world


def download(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8"), response


def secrets(w) -> list[str]:
    return [*ENTERPRISE_NAMES, *PEOPLE, *(e.tax_code for e in w.enterprises), *(u.full_name for u in w.users.values())]


def test_the_cases_csv_opens_in_excel_and_holds_the_monthly_figures(client, w):
    text, response = download(client, "/bao-cao/du-lieu-mo/vuong-mac-2020.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="vuong-mac-2020.csv"' in response["Content-Disposition"]
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == list(opendata.CASE_FIELDS)
    assert sum(int(row["received"]) for row in rows) == 17
    assert sum(int(row["answered"]) for row in rows) == 12
    march = [row for row in rows if row["month"] == "2020-03-01" and row["unit_code"] == "02F3"]
    assert [(row["topic_code"], row["received"], row["answered_on_time"]) for row in march] == [("thu-tuc", "5", "4")]
    assert march[0]["unit_name_vi"] == "Chi cục Hải quan Khu Công nghệ cao"


def test_a_mean_rating_is_given_only_over_five_ratings_or_more(client, w):
    text, _response = download(client, "/bao-cao/du-lieu-mo/vuong-mac-2020.csv")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert all(row["satisfaction"] == "" for row in rows if int(row["rated"]) < 5)
    assert sum(int(row["rated"]) for row in rows) == 5


def test_the_cases_json_parses_and_describes_its_fields(client, w):
    text, response = download(client, "/bao-cao/du-lieu-mo/vuong-mac-2020.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(text)
    assert body["dataset"] == "cases-2020" and body["year"] == 2020
    assert set(body["schema"]) == set(opendata.CASE_FIELDS)
    assert sum(row["received"] for row in body["rows"]) == 17
    assert all(row["satisfaction"] is None for row in body["rows"])


def test_the_coordinators_queue_is_a_row_without_a_unit_code(client, w):
    body = json.loads(download(client, "/bao-cao/du-lieu-mo/vuong-mac-2020.json")[0])
    [queue] = [row for row in body["rows"] if row["month"] == "2020-08-01"]
    assert queue["unit_code"] == "" and queue["received"] == 1 and queue["unit_name_en"]


@pytest.mark.parametrize("url", ["/bao-cao/du-lieu-mo/vuong-mac-2020.csv", "/bao-cao/du-lieu-mo/vuong-mac-2020.json",
                                 "/bao-cao/du-lieu-mo/hoi-dap.csv", "/bao-cao/du-lieu-mo/hoi-dap.json"])
def test_no_download_names_a_business_or_a_person(client, w, url):
    text, _response = download(client, url)
    for secret in secrets(w):
        assert secret not in text, secret


def test_the_qa_holds_the_published_articles_only(client, w):
    text, _response = download(client, "/bao-cao/du-lieu-mo/hoi-dap.csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [int(row["id"]) for row in rows] == [w.published.pk]
    row = rows[0]
    assert row["question"] == w.published.question and row["topic_code"] == "gia-cong-sxxk-chexuat"
    assert row["url"] == "http://testserver" + w.published.get_absolute_url()
    assert row["published"] == timezone.localdate(w.published.published_at).isoformat()


def test_the_qa_json_parses(client, w):
    body = json.loads(download(client, "/bao-cao/du-lieu-mo/hoi-dap.json")[0])
    assert body["dataset"] == "qa" and set(body["schema"]) == set(opendata.QA_FIELDS)
    assert [row["id"] for row in body["rows"]] == [w.published.pk]
    assert body["rows"][0]["url"].startswith("http://testserver/")


def test_a_year_without_figures_is_not_found_with_a_message(client, w):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/bao-cao/du-lieu-mo/vuong-mac-1999.csv")
    assert response.status_code == 404
    assert "There are no figures for 1999" in response.content.decode()
    assert client.get("/bao-cao/du-lieu-mo/vuong-mac-2020.xml").status_code == 404


def test_the_page_lists_every_download(client, w):
    html = client.get("/bao-cao/du-lieu-mo/").content.decode()
    for link in ("/bao-cao/du-lieu-mo/vuong-mac-2020.csv", "/bao-cao/du-lieu-mo/vuong-mac-2020.json",
                 "/bao-cao/du-lieu-mo/hoi-dap.csv", "/bao-cao/du-lieu-mo/hoi-dap.json"):
        assert f'href="{link}"' in html


def test_the_api_gives_the_same_rows(client, w):
    response = client.get("/api/v1/reports/open-data/cases", {"year": 2020})
    assert response.status_code == 200
    body = response.json()
    assert set(body["schema"]) == set(opendata.CASE_FIELDS)
    downloaded = json.loads(download(client, "/bao-cao/du-lieu-mo/vuong-mac-2020.json")[0])
    assert body["rows"] == downloaded["rows"]
    assert client.get("/api/v1/reports/open-data/cases", {"year": 1999}).status_code == 400


def test_the_qa_is_read_in_chunks_not_held_whole(w, monkeypatch):
    chunks = []
    real_iterator = type(opendata.knowledge.published()).iterator

    def iterator(self, chunk_size=None):
        chunks.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(opendata.knowledge.published()), "iterator", iterator)
    assert len(list(opendata.qa_rows(base_url="https://ketnoi.example/"))) == 1
    assert chunks == [500]


def test_the_open_figures_add_up_to_the_recount_of_the_cases(w):
    from datetime import date

    from ketnoi.reports.selectors import case_figures_recount

    rows = opendata.case_rows(year=2020)
    recount = case_figures_recount(start=date(2020, 1, 1), end=date(2020, 12, 31))
    by_code: dict[str, list[int]] = {}
    for row in rows:
        totals = by_code.setdefault(row["unit_code"] or row["unit_name_vi"], [0, 0, 0, 0])
        for i, field in enumerate(("received", "answered", "answered_on_time", "rated")):
            totals[i] += row[field]
    units = {u.pk: u for u in (w.branch, w.team, w.other)}
    expected = {(units[f.unit_id].code or units[f.unit_id].name_vi) if f.unit_id else None:
                [f.received, f.answered, f.answered_on_time, f.rated] for f in recount.by_unit}
    coordinators = expected.pop(None)
    assert by_code.pop(next(k for k in by_code if k not in expected)) == coordinators
    assert by_code == expected
    assert sum(row["resolved"] for row in rows) == recount.resolved


def test_a_changed_case_is_in_the_next_download(w):
    from datetime import date

    from .dashboard_helpers import set_case

    before = sum(row["answered"] for row in opendata.case_rows(year=2020))
    open_case = w.cases[6]  # 02F3, received 10/11/2020, still open
    set_case(open_case, unit=w.branch, received=date(2020, 11, 10), due=date(2020, 11, 20),
             answered=date(2020, 11, 27))
    assert sum(row["answered"] for row in opendata.case_rows(year=2020)) == before + 1
