"""One service across facilities: cheapest first, with a bar chart."""

import re

import pytest

from .page_helpers import make_world, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_it_lists_the_facilities_cheapest_first_with_bars(client, world):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/gia-dich-vu/dich-vu/NH20/")
    assert response.status_code == 200
    page = text(response)
    table = page[page.index("Facility Operator"):]
    positions = [table.index(world[name].name) for name in ("cfs", "yard", "cargo")]
    assert positions == sorted(positions)
    html = response.content.decode()
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', html)
    assert len(bars) == 3 and [float(b) for b in bars] == sorted(float(b) for b in bars)
    assert "950.000 ₫" in page and "1.100.000 ₫" in page


def test_the_code_is_read_in_any_case(client, world):
    assert client.get("/gia-dich-vu/dich-vu/hkkg/").status_code == 200


def test_a_service_nobody_prices_says_so(client, world):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/gia-dich-vu/dich-vu/VS20/")
    assert response.status_code == 200 and "No facility has a price for this service today." in text(response)
    assert "<svg" not in response.content.decode().split("<main")[1]


def test_an_unknown_service_is_a_404(client, world):
    assert client.get("/gia-dich-vu/dich-vu/KHONGCO/").status_code == 404
