from ketnoi.accounts.models import ApiToken

from .helpers import PASSWORD

URL = "/api/v1/auth/token"


def post(client, password, username="lan"):
    return client.post(URL, {"username": username, "password": password}, content_type="application/json")


def test_it_answers_429_with_a_json_error_after_five_failures(client, business):
    for _ in range(4):
        assert post(client, "Sai-mật-khẩu-1").status_code == 401
    r = post(client, "Sai-mật-khẩu-1")
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "too_many_requests"
    assert "Try again in 15 minutes" in r.json()["error"]["message"]
    assert 840 < int(r["Retry-After"]) <= 900
    r = post(client, PASSWORD)
    assert r.status_code == 429
    assert not ApiToken.objects.exists()


def test_the_page_and_the_api_share_the_counter(client, business):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "lan", "password": "Sai-mật-khẩu-1"})
    assert post(client, PASSWORD).status_code == 429


def test_a_staff_account_needs_its_code(client, officer):
    from ketnoi.testing import totp_code, totp_enrolled

    totp_enrolled(officer)
    r = post(client, PASSWORD, username="officer")
    assert r.status_code == 401 and "second factor" in r.json()["error"]["message"]
    r = client.post(URL, {"username": "officer", "password": PASSWORD, "code": totp_code(officer)},
                    content_type="application/json")
    assert r.status_code == 201


def test_a_nul_character_is_refused_not_an_error(client, business):
    # PostgreSQL refuses NUL in a query: it must not get that far.
    r = post(client, PASSWORD, username="lan\x00")
    assert r.status_code in (401, 422) and r.json()["error"]["code"] in ("unauthenticated", "invalid")
