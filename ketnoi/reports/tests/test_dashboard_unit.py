"""A unit's dashboard: its leaders see the figures of the unit and of the units below it, for a
period they choose; not the other units'."""

import re
from html import unescape

import pytest
from lxml import html as lxml_html

from .dashboard_helpers import YEAR_2020, build_world, chart_and_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def login(client, user):
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def headline(html: str, section: str, label: str) -> str:
    page = lxml_html.fromstring(html)
    [dt] = [dt for dt in page.xpath(f"//dl[@id='{section}-summary']/dt") if dt.text_content().strip() == label]
    return dt.getnext().text_content().strip()


def test_it_shows_the_unit_s_figures_with_its_teams(client, w):
    html = login(client, w.users["leader"]).get(f"/bao-cao/don-vi/{w.branch.pk}/", YEAR_2020).content.decode()
    assert f"Figures of {w.branch.name_en}" in html
    assert headline(html, "cases", "Cases received") == "13"   # 8, the team's 1 and the 4 questions sent ahead
    assert headline(html, "cases", "Overdue now") == "1"
    assert headline(html, "dialogue", "Sessions held") == "2"
    assert headline(html, "prices", "Commitments in force") == "1"
    assert headline(html, "directives", "Units to acknowledge") == "2"
    assert w.other.name_en not in html


def test_a_team_s_dashboard_holds_the_team_only(client, w):
    html = login(client, w.users["team_leader"]).get(f"/bao-cao/don-vi/{w.team.pk}/", YEAR_2020).content.decode()
    assert headline(html, "cases", "Cases received") == "1"
    assert headline(html, "dialogue", "Sessions held") == "0"


def test_its_charts_draw_the_numbers_of_their_tables(client, w):
    html = login(client, w.users["leader"]).get(f"/bao-cao/don-vi/{w.branch.pk}/", YEAR_2020).content.decode()
    for key in ("cases-by-month", "answers-on-time", "backlog", "units-on-time", "sessions-by-month",
                "questions-by-month", "commitments", "directive-status"):
        drawn, table = chart_and_table(html, key)
        assert drawn == table, key


def test_it_has_no_unit_filter_and_offers_the_unit_s_workbook(client, w):
    html = login(client, w.users["leader"]).get(f"/bao-cao/don-vi/{w.branch.pk}/", YEAR_2020).content.decode()
    assert 'name="unit"' not in html
    link = unescape(re.search(r'id="download-xlsx" href="([^"]+)"', html).group(1))
    assert link.startswith(f"/bao-cao/don-vi/{w.branch.pk}/xlsx?")


def test_a_leader_gets_no_link_to_the_department_s_dashboard_but_a_coordinator_does(client, w):
    url = f"/bao-cao/don-vi/{w.branch.pk}/"
    assert 'href="/bao-cao/"' not in login(client, w.users["leader"]).get(url, YEAR_2020).content.decode()
    assert 'href="/bao-cao/"' in login(client, w.users["coordinator"]).get(url, YEAR_2020).content.decode()


def test_a_bad_period_is_a_message_on_the_unit_s_page(client, w):
    response = login(client, w.users["leader"]).get(f"/bao-cao/don-vi/{w.branch.pk}/",
                                                    {"period": "custom", "start": "32/01/2020", "end": ""})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Write the date as dd/mm/yyyy" in html and "Write the last day of the period" in html
