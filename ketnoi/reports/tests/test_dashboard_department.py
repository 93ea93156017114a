"""The department's dashboard: the figures of the period, each chart with the table behind it
(the same numbers), the unit filter, and bad filters answered with a message, never a 500."""

import re
from html import unescape

import pytest
from django.utils import translation
from django.utils.translation import gettext
from lxml import html as lxml_html

from .dashboard_helpers import YEAR_2020, build_world, chart_and_table, number

pytestmark = pytest.mark.django_db

CHARTS = ["cases-by-month", "answers-on-time", "top-topics", "backlog", "units-on-time", "sessions-by-month",
          "questions-by-month", "commitments", "directive-status"]


@pytest.fixture
def w():
    return build_world()


@pytest.fixture
def coordinator(client, w):
    user = w.users["coordinator"]
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def summary(html: str, section: str) -> dict[str, str]:
    page = lxml_html.fromstring(html)
    terms = page.xpath(f"//dl[@id='{section}-summary']/dt")
    return {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in terms}


def table_rows(html: str, key: str) -> list[list[str]]:
    page = lxml_html.fromstring(html)
    return [[cell.text_content().strip() for cell in row.xpath("./th|./td")]
            for row in page.xpath(f"//table[@id='table-{key}']/tbody/tr")]


def test_it_shows_the_case_figures_of_the_period(coordinator):
    html = coordinator.get("/bao-cao/", YEAR_2020).content.decode()
    figures = summary(html, "cases")
    # 13 cases of the plan and the 4 questions sent ahead to the sessions (also cases).
    assert figures["Cases received"] == "17"
    # 9 answered in the plan (one late) and 3 of the questions (on time).
    assert figures["Cases answered"] == "12"
    assert figures["Answered on time"] == "92 %"
    assert figures["Satisfaction (1–5)"] == "4.2 (5 ratings)"
    assert figures["Open now"] == "5"      # two of the branch, one of 02XE, the coordinators' one, a question
    assert figures["Overdue now"] == "2"


def test_it_draws_each_chart_with_the_numbers_of_its_table(coordinator):
    html = coordinator.get("/bao-cao/", YEAR_2020).content.decode()
    for key in CHARTS:
        drawn, table = chart_and_table(html, key)
        assert table, key
        assert drawn == table, key


def test_the_month_table_counts_each_month_of_the_period(coordinator):
    html = coordinator.get("/bao-cao/", YEAR_2020).content.decode()
    rows = {row[0]: row[1:] for row in table_rows(html, "cases-by-month")}
    assert list(rows) == [f"{m:02d}/2020" for m in range(1, 13)]
    assert rows["03/2020"][:2] == ["7", "7"]       # five of the plan and two questions; all answered in March
    assert rows["11/2020"][:2] == ["2", "0"]


def test_the_units_table_makes_the_overdue_stand_out(coordinator, w):
    html = coordinator.get("/bao-cao/", YEAR_2020).content.decode()
    page = lxml_html.fromstring(html)
    alerts = [row.xpath("./th")[0].text_content().strip()
              for row in page.xpath("//table[@id='table-cases-units']/tbody/tr[td[contains(@class, 'alert')]]")]
    assert sorted(alerts) == sorted([w.branch.name_en, w.other.name_en])


def test_the_unit_filter_keeps_the_unit_and_the_units_below_it(coordinator, w):
    html = coordinator.get("/bao-cao/", {**YEAR_2020, "unit": w.branch.pk}).content.decode()
    figures = summary(html, "cases")
    assert figures["Cases received"] == "13"      # 8 of the plan, the team's one, the four questions
    units = [row[0] for row in table_rows(html, "cases-units")]
    assert sorted(units) == sorted([w.branch.name_en, w.team.name_en])
    assert summary(html, "directives")["Units to acknowledge"] == "2"
    assert summary(html, "prices")["Commitments in force"] == "1"


def test_it_shows_the_dialogue_prices_and_directives_of_the_period(coordinator):
    html = coordinator.get("/bao-cao/", YEAR_2020).content.decode()
    dialogue = summary(html, "dialogue")
    assert dialogue["Sessions held"] == "2" and dialogue["Sessions cancelled"] == "1"
    assert dialogue["Questions raised"] == "4" and dialogue["Answered on the spot"] == "2 (50 %)"
    prices = summary(html, "prices")
    assert (prices["Commitments in force"], prices["Kept"], prices["Broken in the period"]) == ("2", "1", "1")
    directives = summary(html, "directives")
    assert directives["Directives issued"] == "2" and directives["Acknowledgements overdue"] == "1"
    breaches = table_rows(html, "breaches")
    assert breaches == [["20/08/2020", "Cảng Phú Hữu", "Cảng Phú Hữu Thử", "1", "To follow up"]]


def test_it_names_no_party_member_and_shows_no_party_figure(coordinator):
    html = coordinator.get("/bao-cao/", YEAR_2020).content.decode()
    assert "party" not in re.sub(r"<[^>]+>", " ", html).lower().replace("third-party", "")


def test_it_offers_the_workbook_of_the_same_filters(coordinator, w):
    html = coordinator.get("/bao-cao/", {**YEAR_2020, "unit": w.other.pk}).content.decode()
    link = unescape(re.search(r'id="download-xlsx" href="([^"]+)"', html).group(1))
    assert link.startswith("/bao-cao/xlsx?") and f"unit={w.other.pk}" in link and "start=01%2F01%2F2020" in link


def test_it_is_in_vietnamese_by_default(client, w):
    client.force_login(w.users["coordinator"])
    html = client.get("/bao-cao/", YEAR_2020).content.decode()
    with translation.override("vi"):
        assert gettext("Download as Excel (XLSX)") in unescape(html)
        assert gettext("Commitments not to raise prices") in unescape(html)


# --- the period and its bad values --------------------------------------------------------------

def test_a_named_period_needs_no_dates(coordinator):
    response = coordinator.get("/bao-cao/", {"period": "last_year"})
    assert response.status_code == 200
    assert re.search(r"From 01/01/\d{4} to 31/12/\d{4}", response.content.decode())


def test_the_default_period_is_this_year(coordinator):
    response = coordinator.get("/bao-cao/")
    assert response.status_code == 200
    assert re.search(r"From 01/01/\d{4} to \d\d/\d\d/\d{4}", response.content.decode())


@pytest.mark.parametrize("query, message", [
    ({"period": "custom", "start": "31/02/2020", "end": "31/12/2020"}, "Write the date as dd/mm/yyyy"),
    ({"period": "custom", "start": "2020-01-01", "end": "31/12/2020"}, "Write the date as dd/mm/yyyy"),
    ({"period": "custom", "start": "01/12/2020", "end": "01/01/2020"}, "cannot be before its first day"),
    ({"period": "custom", "end": "01/01/2020"}, "Write the first day of the period"),
    ({"period": "custom", "start": "01/01/1900", "end": "01/01/2020"}, "Choose a period between"),
    ({"period": "custom", "start": "01/01/2000", "end": "31/12/2019"}, "five years at most"),
    ({"period": "the_day_after_tomorrow"}, "Choose a period from the list."),
    ({"period": "this_year", "unit": "999999"}, "Choose a unit from the list."),
    ({"period": "this_year", "unit": "<script>"}, "Choose a unit from the list."),
])
def test_bad_filters_are_a_message_on_the_page_not_an_error(coordinator, query, message):
    response = coordinator.get("/bao-cao/", query)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert 'class="error-summary"' in html and message in html
    assert 'id="cases"' not in html              # no figures for a period that is not one
    xlsx = coordinator.get("/bao-cao/xlsx", query)
    assert xlsx.status_code == 400 and xlsx["Content-Type"].startswith("text/html")


def test_dates_typed_without_choosing_the_period_are_taken_as_the_period(coordinator):
    response = coordinator.get("/bao-cao/", {"start": "01/03/2020", "end": "31/03/2020"})
    assert response.status_code == 200
    assert "From 01/03/2020 to 31/03/2020" in response.content.decode()
    assert number(summary(response.content.decode(), "cases")["Cases received"]) == 7


def test_it_leads_the_coordinators_to_the_year_end_review_but_not_the_department_s_leader(client, w):
    client.force_login(w.users["coordinator"])
    assert 'id="year-end-link" href="/tac-vu/tong-ket/"' in client.get("/bao-cao/", YEAR_2020).content.decode()
    client.force_login(w.users["department_leader"])
    assert 'id="year-end-link"' not in client.get("/bao-cao/", YEAR_2020).content.decode()
