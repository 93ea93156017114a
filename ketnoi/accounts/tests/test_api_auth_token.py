import hashlib

import pytest

from ketnoi.accounts.models import ApiToken

from .helpers import PASSWORD, actions, counts, make_user

URL = "/api/v1/auth/token"


def assert_error(r, status: int, code: str):
    assert r.status_code == status
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_it_creates_a_token(client, business):
    r = client.post(URL, {"username": "lan", "password": PASSWORD, "name": "Phần mềm kế toán"},
                    content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["token"].startswith("kn_")
    assert body["prefix"] == body["token"][:10]
    assert body["name"] == "Phần mềm kế toán"
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == business
    assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert actions() == ["token.create"]

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "lan"


def test_it_accepts_the_email_address(client, business):
    r = client.post(URL, {"username": "lan@example.vn", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 201
    assert ApiToken.objects.get().name == "API"


def test_it_refuses_a_wrong_password(client, business):
    before = counts()
    r = client.post(URL, {"username": "lan", "password": "x" + PASSWORD}, content_type="application/json")
    assert_error(r, 401, "unauthenticated")
    assert counts() == before


def test_it_refuses_an_unknown_user(client, db):
    r = client.post(URL, {"username": "nobody", "password": PASSWORD}, content_type="application/json")
    assert_error(r, 401, "unauthenticated")
    assert ApiToken.objects.count() == 0


def test_it_refuses_an_unconfirmed_user(client, enterprise):
    make_user("moi", role="business", enterprise=enterprise, is_active=False)
    r = client.post(URL, {"username": "moi", "password": PASSWORD}, content_type="application/json")
    assert_error(r, 401, "unauthenticated")
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("payload, missing", [
    ({"password": PASSWORD}, "username"),
    ({"username": "lan"}, "password"),
])
def test_it_requires_username_and_password(client, business, payload, missing):
    r = client.post(URL, payload, content_type="application/json")
    error = assert_error(r, 422, "invalid")
    assert [d["field"].split(".")[-1] for d in error["details"]] == [missing]
    assert ApiToken.objects.count() == 0


def test_it_refuses_an_empty_body(client, business):
    r = client.post(URL, content_type="application/json")
    assert_error(r, 422, "invalid")


def test_it_refuses_a_body_that_is_not_json(client, business):
    r = client.post(URL, "username=lan", content_type="application/json")
    assert_error(r, 400, "bad_request")
    assert ApiToken.objects.count() == 0


def test_it_refuses_a_blank_token_name(client, business):
    r = client.post(URL, {"username": "lan", "password": PASSWORD, "name": "   "}, content_type="application/json")
    error = assert_error(r, 400, "invalid")
    assert "Give the token a name" in error["message"]
    assert ApiToken.objects.count() == 0


def test_it_refuses_a_long_token_name(client, business):
    r = client.post(URL, {"username": "lan", "password": PASSWORD, "name": "x" * 81},
                    content_type="application/json")
    assert_error(r, 400, "invalid")
    assert ApiToken.objects.count() == 0


def test_it_rejects_get(client, business):
    r = client.get(URL)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "POST"
