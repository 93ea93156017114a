"""A coordinator adds a facility of a registered operator to the board."""

import pytest
from django.utils import translation

from ketnoi.audit.models import AuditEvent
from ketnoi.prices.models import Facility
from ketnoi.testing import make_enterprise, make_unit, make_user

pytestmark = pytest.mark.django_db

URL = "/gia-dich-vu/co-so/moi/"


@pytest.fixture
def setup():
    return {"unit": make_unit(code="02CI"), "operator": make_enterprise(name="Công ty Cổ phần Kho bãi Long Hải Phát"),
            "coordinator": make_user("coordinator", language="en")}


def form(setup, **changes):
    return {"operator": setup["operator"].tax_code, "name": "Kho CFS Long Hải Phát", "kind": "cfs",
            "unit": setup["unit"].pk, "address": "Đường Nguyễn Thị Định, TP. Thủ Đức", **changes}


def test_a_coordinator_adds_a_facility(client, setup):
    client.force_login(setup["coordinator"])
    response = client.post(URL, form(setup))
    facility = Facility.objects.get(name="Kho CFS Long Hải Phát")
    assert response.status_code == 302 and response["Location"] == facility.get_absolute_url()
    assert facility.operator == setup["operator"] and facility.unit == setup["unit"] and facility.kind == "cfs"
    assert AuditEvent.objects.filter(action="prices.facility_created", object_id=str(facility.pk)).exists()


@pytest.mark.parametrize("changes, field, message", [
    ({"operator": "0397770018"}, "operator", "No enterprise with tax code"),  # valid, not registered
    ({"operator": "12345"}, "operator", "10 digits"),
    ({"name": ""}, "name", "Write the facility's name."),
    ({"kind": "garage"}, "kind", "Choose the kind of facility."),
    ({"unit": ""}, "unit", "Choose the customs unit"),
])
def test_bad_input_is_named_and_adds_nothing(client, setup, changes, field, message):
    client.force_login(setup["coordinator"])
    with translation.override("en"):
        response = client.post(URL, form(setup, **changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert not Facility.objects.exists()


def test_the_same_name_twice_for_one_operator_is_refused(client, setup):
    client.force_login(setup["coordinator"])
    client.post(URL, form(setup))
    response = client.post(URL, form(setup, name="kho cfs long hải phát"))
    assert response.status_code == 400 and Facility.objects.count() == 1


@pytest.mark.parametrize("role", ["operator", "officer", "leader", "business", "admin"])
def test_only_coordinators_add_facilities(client, setup, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(setup)).status_code == 403
    assert not Facility.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, setup):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
