"""/healthz: a load balancer asks whether this server can reach its database."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


@pytest.mark.sqlite
def test_it_reports_ok_on_sqlite(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "sqlite"}


@pytest.mark.postgresql
def test_it_reports_ok_on_postgresql(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "postgresql"}


def test_it_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_needs_no_login(client):
    assert client.get("/healthz").status_code == 200


def test_it_reports_503_when_the_database_cannot_be_reached(client, monkeypatch):
    vendor = connection.vendor

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "database": vendor}
