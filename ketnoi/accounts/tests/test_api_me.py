from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.accounts.models import ApiToken

from .helpers import make_token, make_user

URL = "/api/v1/me"
KEY = "kn_b1m4tk3y-0123456789abcdefghij"


def bearer(key=KEY) -> dict:
    return {"Authorization": f"Bearer {key}"}


def assert_unauthenticated(r):
    assert r.status_code == 401
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "unauthenticated"
    assert "Authorization: Bearer" in body["error"]["message"]


def test_it_shows_the_user_and_roles(client, business, enterprise):
    make_token(business, key=KEY)
    r = client.get(URL, headers=bearer())
    assert r.status_code == 200
    assert r.json() == {
        "id": business.pk, "username": "lan", "full_name": "Nguyễn Thị Lan", "email": "lan@example.vn",
        "language": "en", "roles": [{"role": "business", "unit_id": None, "enterprise_id": enterprise.pk}],
    }


def test_it_shows_a_unit_role(client, officer, unit):
    make_token(officer, key=KEY)
    r = client.get(URL, headers=bearer())
    assert r.json()["roles"] == [{"role": "officer", "unit_id": unit.pk, "enterprise_id": None}]


def test_it_marks_the_token_used(client, business):
    token = make_token(business, key=KEY)
    client.get(URL, headers=bearer())
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)


def test_it_marks_the_token_at_most_once_a_minute(client, business):
    token = make_token(business, key=KEY)
    recently = timezone.now() - timedelta(seconds=20)
    long_ago = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    client.get(URL, headers=bearer())
    token.refresh_from_db()
    assert token.last_used_at == recently
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get(URL, headers=bearer())
    token.refresh_from_db()
    assert token.last_used_at > recently


def test_it_requires_a_token(client, business):
    assert_unauthenticated(client.get(URL))


@pytest.mark.parametrize("header", [
    "Bearer kn_not-a-real-token",
    "Bearer " + KEY[:-1],
    "Bearer " + KEY[3:],  # without the kn_ prefix
    "Bearer ",
    "Token " + KEY,
    KEY,
])
def test_it_refuses_a_wrong_token(client, business, header):
    token = make_token(business, key=KEY)
    assert_unauthenticated(client.get(URL, headers={"Authorization": header}))
    token.refresh_from_db()
    assert token.last_used_at is None


def test_it_refuses_a_revoked_token(client, business):
    make_token(business, key=KEY, revoked=True)
    assert_unauthenticated(client.get(URL, headers=bearer()))


def test_it_refuses_an_inactive_users_token(client, enterprise):
    user = make_user("nghi-viec", role="business", enterprise=enterprise)
    token = make_token(user, key=KEY)
    user.is_active = False
    user.save()
    assert_unauthenticated(client.get(URL, headers=bearer()))
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_browser_session_is_not_enough(client, business):
    """The API takes tokens only: a logged-in browser cannot be made to call it (no CSRF)."""
    client.force_login(business)
    assert_unauthenticated(client.get(URL))


def test_it_rejects_post(client, business):
    make_token(business, key=KEY)
    r = client.post(URL, {}, content_type="application/json", headers=bearer())
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
    assert r["Allow"] == "GET"
