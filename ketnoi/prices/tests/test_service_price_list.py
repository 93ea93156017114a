"""price_list_file: a facility's next list — versions, prices as typed, every problem at once,
the day it takes effect, who may file it, what it writes. Checking against commitments:
test_service_commitments.py."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.prices import services
from ketnoi.prices.models import Price, PriceList
from ketnoi.testing import make_user, race, seed_reference_data

from .service_helpers import (  # noqa: F401  (fixtures)
    TARIFF, at, audit, build_world, clock, counts, errors_of, file, fresh, prices_of, refused, service, w,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 9)


# --- the happy path ----------------------------------------------------------------------

def test_it_files_the_first_list_of_a_facility(w, clock):
    price_list, breaches = file(w, note="Biểu giá dịch vụ năm 2026")
    stored = fresh(price_list)
    assert breaches == []
    assert stored.facility == w.port and stored.version == 1 and stored.effective_from == MONDAY
    assert stored.filed_by == w.operator_user and stored.filed_at == at(2026, 3, 9, 9)
    assert stored.source == PriceList.Source.FORM and stored.note == "Biểu giá dịch vụ năm 2026"
    assert prices_of(stored) == TARIFF


def test_versions_count_up_per_facility(w):
    assert [file(w, effective_from=date(2026, 3, day))[0].version for day in (9, 10, 10)] == [1, 2, 3]
    assert file(w, facility=w.cfs)[0].version == 1
    assert file(w, facility=w.other, by=w.other_operator_user)[0].version == 1
    assert file(w, facility=w.cfs, effective_from=date(2026, 4, 1))[0].version == 2
    assert list(PriceList.objects.filter(facility=w.port).order_by("version").values_list("version", flat=True)) == [1, 2, 3]


def test_a_list_on_the_same_day_as_the_latest_replaces_it_from_that_day(w):
    file(w)
    second, _ = file(w, prices={"NH20": 1_000_000})
    assert second.version == 2
    assert services.current_list(w.port, MONDAY) == second


def test_a_list_may_take_effect_in_the_past_after_the_latest_one(w, clock):
    file(w, effective_from=date(2026, 1, 1))
    price_list, _ = file(w, effective_from=date(2026, 2, 1))
    assert price_list.effective_from == date(2026, 2, 1) and price_list.filed_at == at(2026, 3, 9, 9)


def test_a_list_may_take_effect_in_the_future(w):
    file(w, effective_from=date(2026, 3, 1))
    future, _ = file(w, prices={"NH20": 900_000}, effective_from=date(2026, 6, 1))
    assert services.current_list(w.port).effective_from == date(2026, 3, 1)
    assert services.current_list(w.port, date(2026, 6, 1)) == future


@pytest.mark.parametrize("typed, amount", [
    ("1.250.000", 1_250_000), ("1 250 000", 1_250_000), ("1,250,000", 1_250_000), ("1.250.000 ₫", 1_250_000),
    ("1250000đ", 1_250_000), ("1.250.000 VND", 1_250_000), (1_250_000, 1_250_000), (1_250_000.0, 1_250_000),
    (" 55.000 ", 55_000), (services.MAX_PRICE, services.MAX_PRICE),
])
def test_it_stores_whole_dong_from_what_was_typed(w, typed, amount):
    price_list, _ = file(w, prices={"NH20": typed})
    assert prices_of(price_list) == {"NH20": amount}


def test_it_takes_codes_in_any_case_services_and_pairs(w):
    price_list, _ = file(w, prices=[(" nh20 ", "1.050.000"), (service("LB20"), 55_000), ("Do", "300.000")])
    assert prices_of(price_list) == {"NH20": 1_050_000, "LB20": 55_000, "DO": 300_000}


def test_the_note_is_tidied_and_cut_at_500_characters(w):
    assert file(w, note="  Giảm giá\n  nâng hạ   rỗng ")[0].note == "Giảm giá nâng hạ rỗng"
    assert len(file(w, note="x" * 800)[0].note) == 500
    assert file(w, note=None)[0].note == ""


# --- what is refused ---------------------------------------------------------------------

def test_it_lists_every_bad_price_at_once(w):
    messages = refused(lambda: file(w, prices={
        "NH20": "1.050.000", "XX99": "100.000", "nh20": "1.100.000", "NH40": 0, "LB20": "năm mươi nghìn",
        "DO": services.MAX_PRICE + 1, "LB40": "1.5", "NR20": -100_000, "NR40": "",
    }), "prices")
    assert messages == [
        "“XX99” is not a service of the catalogue.",
        "NH20 is priced twice.",
        "NH40: “0” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
        "LB20: “năm mươi nghìn” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
        f"DO: “{services.MAX_PRICE + 1}” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
        "LB40: “1.5” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
        "NR20: “-100000” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
        "NR40: “” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
    ]


def test_a_code_priced_twice_is_named_even_when_its_first_price_was_refused(w):
    messages = refused(lambda: file(w, prices=[("NH20", "abc"), ("NH20", "1.050.000")]), "prices")
    assert messages == ["NH20: “abc” is not a price. Write a whole number of đồng, e.g. 1.250.000.",
                        "NH20 is priced twice."]


def test_a_service_taken_out_of_the_catalogue_cannot_be_priced(w):
    service("VS20").__class__.objects.filter(code="VS20").update(active=False)
    assert refused(lambda: file(w, prices={"VS20": 200_000}), "prices") == ["“VS20” is not a service of the catalogue."]
    assert refused(lambda: file(w, prices={service("VS20"): 200_000}), "prices") == [
        "“VS20” is not a service of the catalogue."]


@pytest.mark.parametrize("prices", [{}, [], None])
def test_it_asks_for_at_least_one_price(w, prices):
    assert refused(lambda: services.price_list_file(facility=w.port, prices=prices, effective_from=MONDAY,
                                                    by=w.operator_user), "prices") == ["Give at least one price."]


def test_it_refuses_more_services_than_a_list_holds(w):
    too_many = {f"X{n:04d}": 1_000 for n in range(services.MAX_SERVICES + 1)}
    assert refused(lambda: file(w, prices=too_many), "prices") == [
        f"A price list has at most {services.MAX_SERVICES} services."]


def test_it_asks_for_the_day_the_prices_take_effect(w):
    assert refused(lambda: file(w, effective_from=None), "effective_from") == ["Write the day the prices take effect."]


def test_a_list_cannot_take_effect_before_the_latest_one(w):
    file(w, effective_from=date(2026, 4, 1))
    file(w, effective_from=date(2026, 3, 1), facility=w.cfs)  # another facility's lists do not count
    assert refused(lambda: file(w, effective_from=date(2026, 3, 31)), "effective_from") == [
        "A list in force from 01/04/2026 was already filed: a new list cannot take effect before it."]


def test_it_reports_the_prices_and_the_day_together(w):
    file(w, effective_from=date(2026, 4, 1))
    before = counts()
    errors = errors_of(lambda: file(w, prices={"NH20": "abc"}, effective_from=date(2026, 3, 1)))
    assert set(errors) == {"prices", "effective_from"}
    assert counts() == before


def test_a_facility_no_longer_in_operation_takes_no_list(w):
    file(w)
    type(w.port).objects.filter(pk=w.port.pk).update(active=False)
    assert refused(lambda: file(w, effective_from=date(2026, 4, 1)), "facility") == [
        "Cảng Tân Thuận Đông – bãi container is no longer in operation."]
    # The facility object the caller holds may be stale: the service reads the row.
    assert w.port.active


# --- who may file ------------------------------------------------------------------------

def test_an_operator_files_for_its_own_facilities(w):
    for facility in (w.port, w.cfs, w.icd):
        price_list, _ = file(w, facility=facility, by=w.operator_user2)
        assert price_list.source == PriceList.Source.FORM and price_list.filed_by == w.operator_user2


@pytest.mark.parametrize("who", ["coordinator", "officer", "leader", "deputy"])
def test_customs_staff_of_the_facility_s_unit_and_coordinators_file_on_the_operator_s_behalf(w, who):
    price_list, _ = file(w, by=getattr(w, who))
    assert price_list.source == PriceList.Source.STAFF and price_list.filed_by == getattr(w, who)


def test_a_coordinator_files_for_a_facility_in_any_unit(w):
    assert file(w, facility=w.icd, by=w.coordinator)[0].source == PriceList.Source.STAFF


@pytest.mark.parametrize("source", [PriceList.Source.XLSX, PriceList.Source.API])
def test_the_channel_other_than_the_form_is_kept_for_staff(w, source):
    assert file(w, by=w.officer, source=source)[0].source == source


def test_an_operator_user_who_is_also_an_officer_files_another_operator_s_list_as_staff(w):
    both = make_user(Role.OPERATOR, enterprise=w.other_operator)
    accounts.role_assign(user=both, role=Role.OFFICER, unit=w.branch, enterprise=None, by=None)
    assert file(w, by=both)[0].source == PriceList.Source.STAFF


@pytest.mark.parametrize("who", ["other_operator_user", "officer2", "leader2", "business", "admin", "party", "nobody"])
def test_others_may_not_file(w, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        file(w, by=getattr(w, who))
    assert counts() == before


def test_staff_of_another_unit_may_not_file_here_but_may_in_their_own(w):
    with pytest.raises(PermissionDenied):
        file(w, facility=w.port, by=w.officer2)
    assert file(w, facility=w.icd, by=w.officer2)[0].source == PriceList.Source.STAFF


def test_an_operator_may_not_file_for_another_operator_s_facility(w):
    with pytest.raises(PermissionDenied):
        file(w, facility=w.other, by=w.operator_user)
    with pytest.raises(PermissionDenied):
        file(w, facility=w.port, by=w.other_operator_user)


def test_anonymous_and_deactivated_users_may_not_file(w):
    with pytest.raises(PermissionDenied):
        file(w, by=AnonymousUser())
    gone = make_user(Role.OPERATOR, enterprise=w.operator, is_active=False)
    with pytest.raises(PermissionDenied):
        file(w, by=gone)
    assert PriceList.objects.count() == 0


def test_permission_is_checked_before_the_prices(w):
    with pytest.raises(PermissionDenied):
        file(w, by=w.other_operator_user, prices={"XX99": "abc"}, effective_from=None)


# --- what it writes ----------------------------------------------------------------------

def test_it_writes_the_list_its_prices_and_an_audit_event(w):
    before = counts()
    price_list, _ = file(w, note="Bảng giá 2026")
    after = counts()
    assert after["lists"] == before["lists"] + 1 and after["prices"] == before["prices"] + len(TARIFF)
    assert after["breaches"] == before["breaches"] and after["notifications"] == before["notifications"]
    (event,) = audit("prices.price_list_filed", price_list)
    assert event.actor == w.operator_user
    assert event.after["prices"] == TARIFF and event.after["version"] == 1
    assert event.after["effective_from"] == "2026-03-09" and event.after["facility"] == w.port.pk


def test_the_prices_are_stored_once_per_service(w):
    price_list, _ = file(w)
    assert Price.objects.filter(price_list=price_list).count() == len(TARIFF)
    assert sorted(Price.objects.filter(price_list=price_list).values_list("service__code", flat=True)) == sorted(TARIFF)


# --- two lists filed at once -------------------------------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_lists_filed_at_once_for_one_facility_get_the_next_two_versions(attempt):
    seed_reference_data()  # a transactional test before may have flushed the catalogue
    w = build_world()
    results, errors = race(
        lambda: file(w, by=w.operator_user, prices={"NH20": 1_050_000}),
        lambda: file(w, by=w.officer, prices={"NH20": 1_000_000}),
    )
    assert errors == [None, None]
    assert sorted(r[0].version for r in results) == [1, 2]
    assert PriceList.objects.filter(facility=w.port).count() == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_of_two_lists_filed_at_once_the_one_dated_before_the_other_may_be_refused():
    seed_reference_data()  # a transactional test before may have flushed the catalogue
    w = build_world()
    results, errors = race(
        lambda: file(w, effective_from=date(2026, 5, 1)),
        lambda: file(w, effective_from=date(2026, 4, 1)),
    )
    days = sorted(p.effective_from for p in PriceList.objects.filter(facility=w.port))
    if errors[1] is None:  # the earlier one went first
        assert errors == [None, None] and days == [date(2026, 4, 1), date(2026, 5, 1)]
    else:
        assert isinstance(errors[1], ValidationError) and "effective_from" in errors[1].message_dict
        assert days == [date(2026, 5, 1)]
