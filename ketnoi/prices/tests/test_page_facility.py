"""A facility's page: current prices against the baseline of the commitment in its period, its
commitments, and each service's price history drawn as an SVG chart with its figures."""

import re
from datetime import timedelta

import pytest

from ketnoi.prices import services

from .page_helpers import BASELINE, as_user, make_world, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def price_row(response, code) -> str:
    html = response.content.decode()
    table = html[html.index('<table class="prices">'):]
    table = table[:table.index("</table>")]
    found = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a href=\"/gia-dich-vu/dich-vu/{code}/\">.*?</tr>", table, flags=re.S)
    return found.group(0) if found else ""


def test_anyone_sees_the_current_prices_with_baseline_and_change(client, world):
    client.cookies["ketnoi_language"] = "en"
    services.price_list_file(facility=world["yard"], prices={**BASELINE, "NH20": 1_050_000, "LB20": 99_000},
                             effective_from=world["today"], by=world["users"]["operator"])
    response = client.get(f"/gia-dich-vu/{world['yard'].pk}/")
    assert response.status_code == 200
    raised = price_row(response, "NH20")
    assert 'class="increase"' in raised
    assert "1.050.000 ₫" in raised and "1.000.000 ₫" in raised and "+50.000 ₫" in raised and "+5.0 %" in raised
    cheaper = price_row(response, "LB20")
    assert 'class="increase"' not in cheaper and "-11.000 ₫" in cheaper and "-10.0 %" in cheaper
    assert "Baseline" in text(response)


def test_without_a_commitment_in_its_period_it_shows_prices_alone(client, world):
    client.cookies["ketnoi_language"] = "en"
    response = client.get(f"/gia-dich-vu/{world['cfs'].pk}/")
    assert "950.000 ₫" in price_row(response, "NH20")
    assert "Baseline" not in text(response).split("Commitments not to raise prices")[0]
    assert "This operator has made no commitment for this facility." in text(response)


def test_it_lists_the_commitments_with_status_first_breach_and_services(client, world, django_capture_on_commit_callbacks):
    client.cookies["ketnoi_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        services.price_list_file(facility=world["yard"], prices={**BASELINE, "LB20": 110_000, "NH40": 1_600_000},
                                 effective_from=world["today"], by=world["users"]["operator"])
    page = text(client.get(f"/gia-dich-vu/{world['yard'].pk}/"))
    assert "Commitment broken" in page and "in its period" in page
    assert f"First broken on {world['today']:%d/%m/%Y}: NH40" in page


def test_each_service_has_a_history_chart_with_dates_and_dong(client, world):
    response = client.get(f"/gia-dich-vu/{world['yard'].pk}/")
    html = response.content.decode()
    figures = re.findall(r'<figure class="price-chart" id="history-(\w+)">(.*?)</figure>', html, flags=re.S)
    assert sorted(code for code, _body in figures) == sorted(BASELINE)
    lb20 = dict(figures)["LB20"]
    assert "<svg" in lb20 and '<path class="steps" d="M' in lb20
    assert f"{world['today'] - timedelta(days=90):%d/%m/%Y}" in lb20 and "₫</text>" in lb20
    assert lb20.count("<circle") == 2  # two lists, two prices
    assert '<line class="baseline"' in lb20
    # The figures behind the chart, as a table.
    assert "120.000 ₫" in lb20 and "110.000 ₫" in lb20
    # SVG numbers are never written with a decimal comma, whatever the language.
    assert not re.search(r'(cx|cy|x1|y1|x|y)="\d+,\d', lb20)


def test_the_operator_and_customs_are_offered_the_filing_others_are_not(client, world):
    link = f'href="/gia-dich-vu/{world["yard"].pk}/nop-bang-gia/"'
    assert link not in client.get(f"/gia-dich-vu/{world['yard'].pk}/").content.decode()
    for name, offered in [("operator", True), ("port_officer", True), ("other_operator", False), ("business", False)]:
        as_user(client, world, name)
        assert (link in client.get(f"/gia-dich-vu/{world['yard'].pk}/").content.decode()) == offered, name


def test_an_unknown_facility_is_a_404(client, world):
    assert client.get("/gia-dich-vu/999999/").status_code == 404


def test_a_list_filed_for_a_later_day_is_announced_not_shown_as_current(client, world):
    client.cookies["ketnoi_language"] = "en"
    services.price_list_file(facility=world["cfs"], prices={"NH20": 990_000}, effective_from=world["today"] + timedelta(days=10),
                             by=world["users"]["operator"])
    response = client.get(f"/gia-dich-vu/{world['cfs'].pk}/")
    assert "950.000 ₫" in price_row(response, "NH20")
    assert f"takes effect on {world['today'] + timedelta(days=10):%d/%m/%Y}" in text(response)


def test_it_rejects_a_post(client, world):
    assert client.post(f"/gia-dich-vu/{world['yard'].pk}/").status_code == 405
