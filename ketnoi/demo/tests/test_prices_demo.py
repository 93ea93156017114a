"""The demo's prices: some thirty operators around Tân Sơn Nhất, Cát Lái and the export-processing
zones, their 2019 lists, 2020 commitments and lists, a few breaches followed up, added once."""

from collections import Counter
from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from ketnoi.accounts.models import Enterprise, Role, RoleAssignment, User
from ketnoi.demo.generate import DemoBuilder
from ketnoi.demo.prices import BREACH, KEPT, NONE, PriceBuilder, plan, read_operators
from ketnoi.lib import taxcode
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.notifications.models import Notification
from ketnoi.prices import selectors
from ketnoi.prices.models import (
    Breach, BreachItem, Commitment, CommitmentStatus, Facility, FollowUpNote, Price, PriceList,
)
from ketnoi.testing import seed_reference_data

pytestmark = pytest.mark.django_db

DEMO_UNITS = {"02AB", "02CI", "02XE", "02XF"}


def department():
    """The units, two leaders per unit and the logins (the coordinator records, the operator files)."""
    builder = DemoBuilder(seed=2020, officers=0, enterprises=0)
    builder.build_units()
    builder.build_logins(password=None)
    return builder


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """The prices of the demo, built once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        department()
        yield PriceBuilder(seed=2020).build()
        transaction.set_rollback(True)


def counts():
    return tuple(model.objects.count() for model in (Enterprise, User, Facility, PriceList, Price, Commitment, Breach,
                                                      BreachItem, FollowUpNote, Notification))


def operator_login_enterprise() -> Enterprise:
    return RoleAssignment.objects.get(user__username="operator", role=Role.OPERATOR).enterprise


class TestThePricesOfTheDemo:
    def test_it_builds_about_thirty_operators_and_forty_to_fifty_facilities_through_the_services(self, built):
        assert built.skipped == []
        operators = Enterprise.objects.filter(facilities__isnull=False).distinct()
        assert 28 <= operators.count() <= 32
        assert 40 <= Facility.objects.count() == built.facilities <= 50
        assert built.operators == operators.count() - 1  # the operator login's enterprise was there
        for enterprise in operators:
            assert taxcode.make(enterprise.tax_code[:9]) == enterprise.tax_code
            assert RoleAssignment.objects.filter(enterprise=enterprise, role=Role.OPERATOR).exists(), enterprise

    def test_facilities_lie_around_the_airport_cat_lai_and_the_export_processing_zones(self, built):
        units = Counter(Facility.objects.values_list("unit__code", flat=True))
        assert set(units) == DEMO_UNITS
        assert units["02AB"] >= 10 and units["02CI"] >= 10
        kinds = dict(Facility.objects.values_list("name", "kind"))
        assert set(kinds.values()) == {"warehouse", "yard", "port", "cfs", "bonded", "icd", "air_cargo"}
        airport = Facility.objects.filter(kind="air_cargo")
        assert set(airport.values_list("unit__code", flat=True)) == {"02AB"}

    def test_every_facility_has_a_2019_list_priced_as_its_kind_is(self, built):
        for facility in Facility.objects.all():
            first = facility.price_lists.order_by("version").first()
            assert first is not None and first.effective_from.year == 2019, facility
            prices = dict(first.prices.values_list("service__code", "amount"))
            if facility.kind == "air_cargo":
                assert 600 * 0.9 <= prices["HKKG"] <= 1_500 and "NH20" not in prices
            if facility.kind in ("port", "yard", "icd"):
                assert 500_000 * 0.9 <= prices["NH20"] <= 900_000 and 20_000 * 0.9 <= prices["LB20"] <= 60_000
                assert 800_000 * 0.9 <= prices["NH40"] <= 1_400_000 and "HKKG" not in prices
            assert all(amount > 0 for amount in prices.values())
            # Filed in the year of the list, in order of time
            filed = list(facility.price_lists.order_by("version").values_list("filed_at", "effective_from"))
            assert [at for at, _day in filed] == sorted(at for at, _day in filed)
            assert all(timezone.localtime(at, TIMEZONE).date() <= day for at, day in filed[:1])

    def test_commitments_were_signed_in_february_and_march_2020_against_a_2019_baseline(self, built):
        commitments = Commitment.objects.all()
        assert 20 <= commitments.count() == built.commitments
        assert commitments.filter(covers_all=True).count() > commitments.filter(covers_all=False).count() > 0
        for commitment in commitments:
            assert date(2020, 2, 1) <= commitment.signed_on <= date(2020, 3, 31)
            assert commitment.period_from.year == commitment.period_to.year == 2020
            assert all(b.effective_from.year == 2019 for b in commitment.baselines.all())
            assert set(commitment.baselines.values_list("facility__operator", flat=True)) == {commitment.operator_id}
        uncommitted = Facility.objects.exclude(price_lists__baseline_of__isnull=False)
        assert 3 <= uncommitted.count() <= 12

    def test_a_few_breaches_each_on_a_commitment_now_broken(self, built):
        breaches = Breach.objects.select_related("commitment", "price_list")
        assert 5 <= breaches.count() == built.breaches <= 10
        for breach in breaches:
            commitment = breach.commitment
            assert commitment.status == CommitmentStatus.BROKEN and commitment.first_breach_on is not None
            assert commitment.period_from <= breach.price_list.effective_from <= commitment.period_to
            assert breach.price_list.effective_from.year == 2020
            items = list(breach.items.all())
            assert len(items) in (1, 2)
            for item in items:
                assert item.baseline * 1.03 - 1_000 <= item.price <= item.baseline * 1.15 + 10_000, item
                if not commitment.covers_all:
                    assert commitment.services.filter(pk=item.service_id).exists()
        assert Commitment.objects.filter(status=CommitmentStatus.BROKEN).count() == \
            breaches.values("commitment").distinct().count()

    def test_kept_commitments_have_no_breach_and_most_2020_lists_keep_or_lower_prices(self, built):
        kept = Commitment.objects.filter(status=CommitmentStatus.KEPT)
        assert kept.count() > Commitment.objects.filter(status=CommitmentStatus.BROKEN).count()
        assert not Breach.objects.filter(commitment__in=kept).exists()
        assert not kept.exclude(first_breach_on=None).exists()
        lists_2020 = PriceList.objects.filter(effective_from__year=2020)
        assert lists_2020.values("facility").distinct().count() == Facility.objects.count()
        assert lists_2020.filter(breaches__isnull=False).count() < 0.15 * lists_2020.count()
        lowered = [pl for pl in lists_2020.filter(note__contains="COVID-19")]
        assert len(lowered) >= 10

    def test_each_breach_is_followed_up_by_the_coordinator_and_withdrawn_ones_have_a_corrected_list(self, built):
        notes = FollowUpNote.objects.select_related("breach__price_list", "by")
        assert set(notes.values_list("by__username", flat=True)) == {"coordinator"}
        outcomes = Counter(Breach.objects.values_list("follow_up", flat=True))
        assert outcomes[Breach.FollowUp.CLOSED] >= 3 and outcomes[Breach.FollowUp.OPEN] >= 1
        assert outcomes[Breach.FollowUp.CONTACTED] >= 1
        kinds = set(notes.values_list("follow_up", flat=True))
        assert kinds == {Breach.FollowUp.CONTACTED, Breach.FollowUp.WITHDRAWN, Breach.FollowUp.JUSTIFIED,
                         Breach.FollowUp.CLOSED}
        for breach in Breach.objects.filter(notes__follow_up=Breach.FollowUp.WITHDRAWN):
            withdrawn = breach.notes.get(follow_up=Breach.FollowUp.WITHDRAWN)
            later = breach.price_list.facility.price_lists.filter(version__gt=breach.price_list.version)
            corrected = later.order_by("version").first()
            assert corrected is not None and corrected.filed_at < withdrawn.at
            assert not corrected.breaches.exists()
            for item in breach.items.all():
                assert corrected.prices.get(service=item.service).amount <= item.baseline
        for breach in Breach.objects.prefetch_related("notes"):
            moments = [breach.found_at] + [note.at for note in breach.notes.all()]
            assert moments == sorted(moments) and moments[-1].year == 2020

    def test_the_operator_login_sees_a_kept_and_a_broken_commitment(self, built):
        mine = operator_login_enterprise()
        statuses = set(selectors.commitments(operator=mine).values_list("status", flat=True))
        assert statuses == {CommitmentStatus.KEPT, CommitmentStatus.BROKEN}
        facilities = list(selectors.facilities(operator=mine))
        assert len(facilities) == 2
        assert sorted(f.commitment_status for f in facilities) == ["broken", "kept"]
        operator = User.objects.get(username="operator")
        assert PriceList.objects.filter(facility__operator=mine, filed_by=operator).exists()

    def test_running_it_again_adds_nothing(self, built):
        before = counts()
        again = PriceBuilder(seed=2020).build()
        assert (again.operators, again.facilities, again.price_lists, again.commitments, again.breaches,
                again.notes) == (0, 0, 0, 0, 0, 0)
        assert again.skipped == []
        assert counts() == before


def test_the_data_file_names_thirty_operators_with_valid_distinct_tax_codes_and_forty_to_fifty_facilities():
    operators = read_operators()
    assert len(operators) == 30
    codes = [op.tax_code for op in operators]
    assert len(set(codes)) == len(codes) and all(taxcode.make(code[:9]) == code for code in codes)
    facilities = [(op.key, spec["name"]) for op in operators for spec in op.facilities]
    assert 40 <= len(facilities) == len(set(facilities)) <= 50
    assert {spec["unit"] for op in operators for spec in op.facilities} == DEMO_UNITS


def test_the_seed_decides_the_history_and_the_login_always_shows_both_outcomes():
    one, again, other = plan(seed=2020), plan(seed=2020), plan(seed=7)
    assert [(e.at, e.facility if hasattr(e, "facility") else e.facilities) for e in one.events] == \
        [(e.at, e.facility if hasattr(e, "facility") else e.facilities) for e in again.events]
    assert [e.at for e in one.events] != [e.at for e in other.events]
    for history in (one, other):
        stories = Counter(history.stories.values())
        assert stories[BREACH] == 7 and stories[NONE] >= 5 and stories[KEPT] > 20
        login = [story for (key, _name), story in history.stories.items() if key == "tan-cat-long"]
        assert sorted(login) == [BREACH, KEPT]


@pytest.mark.django_db(transaction=True)
def test_the_breach_notices_of_2020_send_no_mail(tmp_path):
    """Committed for real, so the services' notices run after the commit: no e-mail leaves today.
    Two operators of the data file keep it quick."""
    import json

    from ketnoi.demo.prices import DATA

    document = json.loads(DATA.read_text(encoding="utf-8"))
    document["operators"] = [op for op in document["operators"] if op["key"] in ("tan-cat-long", "phu-hai-long")]
    (tmp_path / "two.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    seed_reference_data()
    department()
    built = PriceBuilder(seed=2020, data=tmp_path / "two.json").build()
    assert built.breaches >= 1 and built.skipped == []
    assert mail.outbox == []
    notices = Notification.objects.filter(kind__startswith="prices/")
    assert notices.filter(kind="prices/breach_operator", user__username="operator").exists()
    assert notices.filter(kind="prices/breach", user__username="coordinator").count() == built.breaches
    assert not notices.filter(read_at=None).exists()
