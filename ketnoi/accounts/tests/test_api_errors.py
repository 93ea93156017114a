"""Every API error is JSON {"error": {"code": ..., "message": ...}}, also those Django and ninja
answer outside the API's own handlers."""

import pytest

from .helpers import make_token

KEY = "kn_3rr0r-0123456789abcdefghijklmn"


def assert_error(r, status: int, code: str):
    assert r.status_code == status
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) >= {"code", "message"}
    assert body["error"]["code"] == code


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing-here", "/api/v1/me/", "/api/v1/units/42/x"])
def test_an_unknown_path_is_a_json_404(client, path):
    assert_error(client.get(path), 404, "not_found")


def test_an_unknown_path_is_a_json_404_for_post_too(client, db):
    assert_error(client.post("/api/v1/nothing-here", {}, content_type="application/json"), 404, "not_found")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_wrong_method_is_a_json_405(client, business, method):
    make_token(business, key=KEY)
    r = getattr(client, method)("/api/v1/me", headers={"Authorization": f"Bearer {KEY}"})
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET"
    assert r.json()["error"]["message"]
