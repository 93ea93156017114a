"""What the directives API tests share: the cases API's world (two branches, one user of each
role, each with a real token) with the department that issues directives, a team under the
first branch, the second branch's leader and a delegate; and directives issued through the
service, never through the endpoint under test.

    def test_it_lists(dworld):
        directive = issue(dworld)
        r = dworld.get("/directives", as_=dworld.officer)
"""

import itertools
from datetime import timedelta
from functools import cached_property

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import World
from ketnoi.directives import services
from ketnoi.directives.models import Attachment, Delegate, Directive, Recipient
from ketnoi.org.models import Unit
from ketnoi.testing import make_unit, make_user

_numbers = itertools.count(101)


class DirectivesWorld(World):
    @cached_property
    def department(self):
        return make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                         name_en="Ho Chi Minh City Customs Department")

    @cached_property
    def team(self):
        return make_unit(code="", kind=Unit.Kind.TEAM, parent=self.unit, name_vi="Đội Thủ tục hàng hóa xuất nhập khẩu",
                         name_en="Import-Export Procedures Team")

    @cached_property
    def team_officer(self):
        return make_user(Role.OFFICER, unit=self.team, username="thanh", full_name="Ngô Minh Thành", language="en")

    @cached_property
    def other_leader(self):
        return make_user(Role.LEADER, unit=self.other_unit, username="truong2", full_name="Hồ Thị Ngọc Trâm",
                         language="en")

    @cached_property
    def delegate(self):
        """An officer of the first branch its leader named to acknowledge for it."""
        services.delegate_add(unit=self.unit, user=self.colleague, by=self.leader)
        return self.colleague


@pytest.fixture
def dworld(db):
    world = DirectivesWorld()
    world.department, world.unit, world.other_unit  # the units every directive may be sent to
    return world


def issue(world, *, by=None, number=None, title="Tăng cường biện pháp phòng, chống dịch Covid-19 tại các cửa khẩu",
          body="1. Các Chi cục bố trí khu vực riêng tiếp nhận hồ sơ.\n2. Cán bộ đeo khẩu trang khi làm việc.",
          effective_from=None, **fields) -> Directive:
    """A directive the coordinator issues now from the department, in force from today, sent to
    every branch (the two of the world) unless told otherwise."""
    return services.directive_issue(
        by=by or world.coordinator, number=number or f"{next(_numbers)}/HQHCM-VP", title=title, body=body,
        issuing_unit=fields.pop("issuing_unit", world.department), signer_name=fields.pop("signer_name", "Đinh Ngọc Thắng"),
        signer_title=fields.pop("signer_title", "Phó Cục trưởng"),
        effective_from=effective_from or timezone.localdate(), **fields)


def replace(world, previous, *, change="replaces", days=1, **fields) -> Directive:
    """A new version of `previous` taking effect `days` after it."""
    return issue(world, previous=previous, change=change, effective_from=previous.effective_from + timedelta(days=days),
                 **fields)


def counts() -> dict:
    """Rows a refused or invalid write must leave as they were."""
    return {"directives": Directive.objects.count(), "recipients": Recipient.objects.count(),
            "attachments": Attachment.objects.count(), "delegates": Delegate.objects.count(),
            "acknowledged": Recipient.objects.filter(acknowledged_at__isnull=False).count(),
            "audit": AuditEvent.objects.filter(action__startswith="directive.").count()}
