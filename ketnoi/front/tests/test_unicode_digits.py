"""Numbers typed with characters that are digits but not decimal ("²", "①"): `str.isdigit()`
is true for them but `int()` refuses them, so a check by isdigit() followed by int() was a 500.
Ids and numbers are read with `isdecimal()` (exactly what int() accepts)."""

import pytest

from ketnoi.accounts.models import Role
from ketnoi.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

ODD_DIGITS = ["²", "①", "3²"]


@pytest.mark.parametrize("value", ODD_DIGITS)
@pytest.mark.parametrize("path", ["/api/v1/dialogue/sessions?unit={}", "/api/v1/prices/facilities?unit={}"])
def test_a_public_unit_filter_with_odd_digits_is_a_4xx(client, path, value):
    response = client.get(path.format(value))
    assert response.status_code == 400
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_the_queue_ignores_a_unit_filter_with_odd_digits(client, value):
    unit = make_unit()
    client.force_login(make_user(Role.OFFICER, unit=unit))
    assert client.get("/cases/queue/", {"unit": value}).status_code in (200, 400)


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_the_party_api_refuses_an_organisation_id_with_odd_digits(client, value):
    office = make_user(Role.PARTY_OFFICE)
    client.force_login(office)
    response = client.get("/api/v1/party/badge-eligibility", {"organisation": value, "on": "2026-02-03"})
    assert response.status_code in (400, 401, 422)
