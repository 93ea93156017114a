"""What the cases API tests share: a small world of units, enterprises and one user of each
role, each with a real API token, and a client that calls the API as any of them.

    def test_it_shows_the_case(world):
        case = file_case(world)
        r = world.get(f"/api/v1/cases/{case.reference}", as_=world.business)

Users and tokens are built on first use (through the real services: ketnoi.testing and
`token_create`), so a test pays only for the people it names. Cases are moved along through the
services, never through the endpoint under test.
"""

from functools import cached_property

import pytest
from django.conf import settings
from django.test import Client

from ketnoi.accounts.models import Role
from ketnoi.accounts.services import token_create
from ketnoi.cases import services
from ketnoi.cases.models import Case
from ketnoi.testing import make_enterprise, make_unit, make_user

API = "/api/v1"


class World:
    def __init__(self):
        self.client = Client()
        # Messages in English, so that assertions on their text do not depend on the translation.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self._keys = {}

    # --- places --------------------------------------------------------------------------

    @cached_property
    def unit(self):
        return make_unit(code="02CI", name_vi="Chi cục Hải quan Khu vực I", name_en="Customs Branch Area I")

    @cached_property
    def other_unit(self):
        return make_unit(code="02DS", name_vi="Chi cục Hải quan Khu vực II", name_en="Customs Branch Area II")

    @cached_property
    def enterprise(self):
        return make_enterprise(tax_code="0314409058", name="Công ty TNHH Ánh Dương")

    @cached_property
    def other_enterprise(self):
        return make_enterprise(tax_code="0100233488", name="Công ty CP Sao Mai")

    # --- people --------------------------------------------------------------------------

    @cached_property
    def business(self):
        return make_user(Role.BUSINESS, enterprise=self.enterprise, username="lan", full_name="Nguyễn Thị Lan", language="en")

    @cached_property
    def other_business(self):
        return make_user(Role.BUSINESS, enterprise=self.other_enterprise, username="minh", full_name="Trần Văn Minh", language="en")

    @cached_property
    def operator(self):
        """A warehouse operator's user of the same enterprise: no business role, no cases."""
        return make_user(Role.OPERATOR, enterprise=self.enterprise, username="kho", language="en")

    @cached_property
    def officer(self):
        return make_user(Role.OFFICER, unit=self.unit, username="hung", full_name="Lê Văn Hùng", language="en")

    @cached_property
    def colleague(self):
        return make_user(Role.OFFICER, unit=self.unit, username="mai", full_name="Phạm Thị Mai", language="en")

    @cached_property
    def leader(self):
        return make_user(Role.LEADER, unit=self.unit, username="truong", full_name="Võ Văn Trưởng", language="en")

    @cached_property
    def other_officer(self):
        return make_user(Role.OFFICER, unit=self.other_unit, username="khac", full_name="Đỗ Văn Khác", language="en")

    @cached_property
    def coordinator(self):
        return make_user(Role.COORDINATOR, username="dieuphoi", full_name="Bùi Thị Điều Phối", language="en")

    @cached_property
    def party(self):
        return make_user(Role.PARTY_OFFICE, username="vanphongdang", language="en")

    @cached_property
    def admin(self):
        return make_user(Role.ADMIN, username="quantri", language="en")

    # --- calls ---------------------------------------------------------------------------

    def headers(self, user) -> dict:
        if user is None:
            return {}
        if user.pk not in self._keys:
            _token, self._keys[user.pk] = token_create(user=user, name="Thử nghiệm")
        return {"Authorization": f"Bearer {self._keys[user.pk]}"}

    def get(self, path, params=None, *, as_=None):
        return self.client.get(API + path, params or {}, headers=self.headers(as_))

    def post(self, path, body=None, *, as_=None):
        return self.client.post(API + path, body if body is not None else {}, content_type="application/json",
                                headers=self.headers(as_))

    def post_raw(self, path, data: str, *, as_=None, content_type="application/json"):
        return self.client.post(API + path, data, content_type=content_type, headers=self.headers(as_))

    def call(self, method, path, *, as_=None):
        return getattr(self.client, method)(API + path, headers=self.headers(as_))


@pytest.fixture
def world(db):
    return World()


# --- cases moved along through the services ------------------------------------------------

def file_case(world, *, by=None, enterprise=None, topic="thu-tuc", unit="default", subject="Hoàn thuế nhập khẩu",
              description="Doanh nghiệp đề nghị hướng dẫn thủ tục hoàn thuế.", **fields) -> Case:
    """A case of `world.enterprise` filed by its business user, routed to `world.unit`."""
    return services.case_file(enterprise=enterprise or world.enterprise, by=by or world.business, topic=topic,
                              subject=subject, description=description,
                              named_unit=world.unit if unit == "default" else unit, channel="web", **fields)


def answered(world, case, *, body="Doanh nghiệp nộp hồ sơ hoàn thuế theo Điều 34 Nghị định 134/2016/NĐ-CP.") -> Case:
    """Answered by the unit leader (no approval needed)."""
    return services.case_answer(case=case, body=body, by=world.leader)


def resolved(world, case) -> Case:
    return services.case_accept(case=answered(world, case), by=world.business)


def refreshed(case) -> Case:
    return Case.objects.get(pk=case.pk)


def assert_error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def garbage_references() -> list[str]:
    """References that are not references: each must be a 404, never a 500."""
    return ["VM-2026-ABC", "VM-2026-", "vm-2026-999999", "VM-2026-" + "9" * 400, "%2E%2E%2Fx", "'; DROP TABLE x; --",
            "VM-2026-000001%00", "VM-2026-000001 x", "VM-2026-1e3"]
