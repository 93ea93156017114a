"""What the prices API tests share: the cases API's world (two branches, one user of each role,
each with a real token) with two operators of their own, a container yard at Cát Lái in the
first branch's area and a bonded warehouse in the second's, and lists and commitments made
through the services, never through the endpoint under test.

    def test_it_lists(pworld):
        baseline(pworld)
        r = pworld.get("/prices/facilities")
"""

from datetime import timedelta
from functools import cached_property

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import World
from ketnoi.notifications.models import Notification
from ketnoi.prices import services
from ketnoi.prices.models import (
    Breach, BreachItem, Commitment, CommitmentStatus, Facility, FacilityKind, Price, PriceList, Service,
)
from ketnoi.testing import make_enterprise, make_user

# A container yard's usual tariff (đồng), the day the commitment was signed.
BASELINE = {"NH20": 1_250_000, "NH40": 1_850_000, "LB20": 85_000, "DO": 250_000}


def days(n: int):
    """Today (Vietnam's time) moved by n days."""
    return timezone.localdate() + timedelta(days=n)


class PricesWorld(World):
    @cached_property
    def terminal(self):
        return make_enterprise(tax_code="0312876547", name="Công ty CP Kho bãi Cát Lái Xanh")

    @cached_property
    def other_terminal(self):
        return make_enterprise(tax_code="0313654709", name="Công ty TNHH Kho vận Tân Phú Mỹ")

    @cached_property
    def operator(self):
        """A user of the yard's operator (the cases world's operator belongs to a business)."""
        return make_user(Role.OPERATOR, enterprise=self.terminal, username="caylai", full_name="Trịnh Văn Cảng",
                         language="en")

    @cached_property
    def other_operator(self):
        return make_user(Role.OPERATOR, enterprise=self.other_terminal, username="tanphumy",
                         full_name="Lâm Thị Kho", language="en")

    @cached_property
    def yard(self):
        return services.facility_create(operator=self.terminal, name="Bãi container Cát Lái Xanh",
                                        kind=FacilityKind.YARD, unit=self.unit, by=self.coordinator,
                                        address="Đường Nguyễn Thị Định, phường Cát Lái, TP. Thủ Đức")

    @cached_property
    def warehouse(self):
        return services.facility_create(operator=self.other_terminal, name="Kho ngoại quan Tân Phú Mỹ",
                                        kind=FacilityKind.BONDED, unit=self.other_unit, by=self.coordinator,
                                        address="KCX Tân Thuận, Quận 7")


@pytest.fixture
def pworld(db):
    return PricesWorld()


def file_list(world, facility=None, prices=None, *, effective_from=None, by=None) -> PriceList:
    """A list filed by the coordinator through the service (the yard's baseline tariff, 60 days ago)."""
    price_list, _breaches = services.price_list_file(
        facility=facility or world.yard, prices=prices or BASELINE,
        effective_from=effective_from or days(-60), by=by or world.coordinator)
    return price_list


def commit(world, facility=None, *, covers_all=True, services_covered=(), period=(-30, 300)) -> Commitment:
    """The operator's commitment not to raise prices, signed 30 days ago, its baseline the list
    then in force (filed 60 days ago if there is none)."""
    facility = facility or world.yard
    if not PriceList.objects.filter(facility=facility).exists():
        file_list(world, facility)
    return services.commitment_create(
        operator=facility.operator, facilities=[facility], period_from=days(period[0]), period_to=days(period[1]),
        signed_on=days(-30), by=world.coordinator, covers_all=covers_all,
        services=list(Service.objects.filter(code__in=services_covered)))


def counts() -> dict:
    """Rows a refused or invalid filing must leave as they were."""
    return {"lists": PriceList.objects.count(), "prices": Price.objects.count(), "breaches": Breach.objects.count(),
            "items": BreachItem.objects.count(), "facilities": Facility.objects.count(),
            "broken": Commitment.objects.filter(status=CommitmentStatus.BROKEN).count(),
            "audit": AuditEvent.objects.filter(action__startswith="prices.").count(),
            "notifications": Notification.objects.count()}
