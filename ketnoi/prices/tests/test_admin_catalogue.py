"""The service catalogue is kept by the administrator in the admin site, every change audited."""

import pytest

from ketnoi.audit.models import AuditEvent
from ketnoi.prices.models import Service
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_administrator_adds_a_service_and_the_change_is_audited(client):
    client.force_login(make_user("admin"))
    response = client.post("/admin/prices/service/add/", {
        "code": "CN20", "name_vi": "Cân container 20'", "name_en": "Weighing a 20' container",
        "charge_unit": "cont20", "active": "on"})
    assert response.status_code == 302
    service = Service.objects.get(code="CN20")
    assert AuditEvent.objects.filter(action="admin.add", object_type="prices.service", object_id=str(service.pk)).exists()


def test_a_service_is_retired_not_deleted(client):
    client.force_login(make_user("admin"))
    service = Service.objects.get(code="NH20")
    assert client.post(f"/admin/prices/service/{service.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Service.objects.filter(code="NH20").exists()


@pytest.mark.parametrize("role", ["coordinator", "operator"])
def test_only_the_administrator_opens_the_catalogue(client, role):
    client.force_login(make_user(role))
    assert client.get("/admin/prices/service/").status_code in (302, 403)
