"""What the dialogue API tests share: the core tests' department (02F3 and its people, on
Monday 02/03/2026 09:00), each person with a real API token, and a client that calls as them.

    def test_it_lists(api, w):
        make_programme(w)
        r = api.get("/dialogue/sessions")
"""

import pytest
from django.conf import settings
from django.test import Client

from ketnoi.accounts.services import token_create

from .service_helpers import (  # noqa: F401 (fixtures and helpers for the API tests)
    build_world, clock, counts, first_session, fresh, mail_to, make_programme, programme_fields, w,
)

API = "/api/v1"


class Caller:
    def __init__(self):
        self.client = Client()
        # Messages in English, so that assertions on their text do not depend on the translation.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self._keys = {}

    def headers(self, user) -> dict:
        if user is None:
            return {}
        if user.language != "en":
            user.language = "en"
            user.save(update_fields=["language"])
        if user.pk not in self._keys:
            _token, self._keys[user.pk] = token_create(user=user, name="Thử nghiệm")
        return {"Authorization": f"Bearer {self._keys[user.pk]}"}

    def get(self, path, params=None, *, as_=None, headers=None):
        return self.client.get(API + path, params or {}, headers=headers or self.headers(as_))

    def post(self, path, body=None, *, as_=None):
        return self.client.post(API + path, body if body is not None else {}, content_type="application/json",
                                headers=self.headers(as_))


@pytest.fixture
def api(w):
    return Caller()


def assert_error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]
