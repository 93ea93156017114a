"""The public board: every facility with its operator, kind, unit, commitment status and the date
of its current list; filters by unit and kind."""

import re
from datetime import timedelta

import pytest

from ketnoi.prices import services

from .page_helpers import BASELINE, as_user, make_world, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def row(response, facility) -> str:
    html = response.content.decode()
    found = re.search(rf'<tr id="facility-{facility.pk}".*?</tr>', html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def test_anyone_may_see_the_board(client, world):
    response = client.get("/gia-dich-vu/")
    assert response.status_code == 200
    for facility in (world["yard"], world["cfs"], world["cargo"]):
        assert facility.name in text(response)


def test_it_shows_operator_kind_unit_and_the_date_of_the_current_list(client, world):
    response = client.get("/gia-dich-vu/")
    yard = row(response, world["yard"])
    assert "Công ty Cổ phần Kho vận Tân Cát Long" in yard and "02CI" in yard
    assert f"{world['today'] - timedelta(days=45):%d/%m/%Y}" in yard


def test_it_tags_each_facility_kept_broken_or_without_commitment(client, world, django_capture_on_commit_callbacks):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/gia-dich-vu/")
    assert "Commitment kept" in row(response, world["yard"])
    assert "No commitment" in row(response, world["cfs"])
    with django_capture_on_commit_callbacks(execute=True):
        services.price_list_file(facility=world["yard"], prices={**BASELINE, "NH20": 1_050_000},
                                 effective_from=world["today"], by=world["users"]["operator"])
    assert "Commitment broken" in row(client.get("/gia-dich-vu/"), world["yard"])


def test_it_filters_by_unit_and_by_kind(client, world):
    by_unit = client.get(f"/gia-dich-vu/?unit={world['airport'].pk}")
    assert world["cargo"].name in text(by_unit) and world["yard"].name not in text(by_unit)
    by_kind = client.get("/gia-dich-vu/?kind=cfs")
    assert world["cfs"].name in text(by_kind) and world["yard"].name not in text(by_kind)


def test_a_bad_filter_is_a_400_with_a_message(client, world):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/gia-dich-vu/?kind=castle&unit=abc")
    assert response.status_code == 400
    assert "Choose a kind from the list." in text(response) and "Choose a unit from the list." in text(response)


def test_only_coordinators_are_offered_the_commitments(client, world):
    assert "/gia-dich-vu/cam-ket/" not in client.get("/gia-dich-vu/").content.decode()
    as_user(client, world, "operator")
    assert "/gia-dich-vu/cam-ket/" not in client.get("/gia-dich-vu/").content.decode()
    as_user(client, world, "coordinator")
    html = client.get("/gia-dich-vu/").content.decode()
    assert 'href="/gia-dich-vu/cam-ket/"' in html and 'href="/gia-dich-vu/vi-pham/"' in html


def test_it_rejects_a_post(client, world):
    assert client.post("/gia-dich-vu/").status_code == 405
