"""The API answers in the language saved on the token's account, not the browser's."""

import pytest
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.accounts.services import token_create
from ketnoi.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db

CASE = {"topic": "thu-tuc", "subject": "Khai bổ sung tờ khai", "description": "Chúng tôi cần khai bổ sung.",
        "declaration_numbers": ["12345"], "hs_codes": [], "unit": None}


@pytest.mark.parametrize("language, expected", [
    ("vi", "Số tờ khai hải quan phải có đúng 12 chữ số"),
    ("en", "A customs declaration number has exactly 12 digits"),
])
def test_errors_come_in_the_users_language(client, language, expected):
    enterprise = make_enterprise()
    user = make_user(Role.BUSINESS, enterprise=enterprise, language=language)
    _token, key = token_create(user=user, name="test")
    client.cookies["ketnoi_language"] = "en" if language == "vi" else "vi"  # the browser's choice loses
    r = client.post("/api/v1/cases", CASE, content_type="application/json", headers={"Authorization": f"Bearer {key}"})
    translation.activate("vi")
    assert r.status_code == 400
    assert expected in str(r.json()["error"]["details"]["declaration_numbers"])
