from datetime import timedelta

from django.utils import timezone

from ketnoi.accounts.models import ApiToken

from .helpers import actions, make_token

KEY = "kn_phanmemketoan1234567890"


def url(token) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


def test_it_revokes(client, business):
    token = make_token(business, key=KEY, name="Phần mềm kế toán")
    client.force_login(business)
    r = client.post(url(token), follow=True)
    assert r.redirect_chain == [("/accounts/", 302)]
    assert "The token “Phần mềm kế toán” is revoked" in r.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert actions() == ["token.revoke"]


def test_the_revoked_token_no_longer_works(client, business):
    token = make_token(business, key=KEY)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    client.force_login(business)
    client.post(url(token))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {KEY}"}).status_code == 401


def test_it_is_idempotent(client, business):
    token = make_token(business, key=KEY)
    client.force_login(business)
    client.post(url(token))
    token.refresh_from_db()
    first = token.revoked_at
    r = client.post(url(token))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == first
    assert actions() == ["token.revoke"]


def test_it_does_not_revoke_another_users_token(client, business, other_business):
    token = make_token(other_business, key=KEY)
    client.force_login(business)
    r = client.post(url(token))
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert actions() == []


def test_it_gives_404_for_an_unknown_token(client, business):
    client.force_login(business)
    assert client.post("/accounts/tokens/999999/revoke/").status_code == 404


def test_it_rejects_get(client, business):
    token = make_token(business, key=KEY)
    client.force_login(business)
    r = client.get(url(token))
    assert r.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_requires_login(client, business):
    token = make_token(business, key=KEY)
    r = client.post(url(token))
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")
    token.refresh_from_db()
    assert token.revoked_at is None
    assert actions() == []


def test_it_keeps_the_first_revocation_time(client, business):
    token = make_token(business, key=KEY, revoked=True)
    earlier = timezone.now() - timedelta(days=3)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=earlier)
    client.force_login(business)
    client.post(url(token))
    token.refresh_from_db()
    assert token.revoked_at == earlier
    assert actions() == []
