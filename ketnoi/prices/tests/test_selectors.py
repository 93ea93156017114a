"""Reads of the prices board: the facilities and their commitment flags, a facility's current
prices beside its baseline, its history, one service across facilities, commitments, breaches."""

from datetime import date

import pytest

from ketnoi.prices import selectors, services
from ketnoi.prices.models import Breach, CommitmentStatus, Facility, FacilityKind

from .service_helpers import TARIFF, clock, commit_to, file, service, w  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

MARCH_1 = date(2026, 3, 1)


def raised(**changes) -> dict:
    return {**TARIFF, **changes}


def rows_of(facility, on=None) -> dict[str, tuple]:
    _list, rows = selectors.current_prices(facility, on)
    return {row.service.code: (row.amount, row.baseline) for row in rows}


# --- facilities ----------------------------------------------------------------------------

def test_facilities_are_the_active_ones_by_name_with_their_operator_and_unit(w):
    Facility.objects.filter(pk=w.cfs.pk).update(active=False)
    found = list(selectors.facilities())
    assert found == sorted([w.port, w.icd, w.other], key=lambda f: f.name)
    assert found[0].operator.name and found[0].unit.code


def test_facilities_are_filtered_by_unit_kind_and_operator(w):
    assert set(selectors.facilities(unit=w.branch)) == {w.port, w.cfs, w.other}
    assert list(selectors.facilities(unit=w.branch2)) == [w.icd]
    assert list(selectors.facilities(kind=FacilityKind.BONDED)) == [w.other]
    assert set(selectors.facilities(operator=w.operator)) == {w.port, w.cfs, w.icd}
    assert list(selectors.facilities(unit=w.branch, kind=FacilityKind.CFS, operator=w.operator)) == [w.cfs]
    assert list(selectors.facilities(kind="")) == list(selectors.facilities())


def test_facilities_say_whether_a_commitment_names_them_and_whether_they_broke_it(w):
    file(w, effective_from=MARCH_1)
    file(w, facility=w.cfs, effective_from=MARCH_1, prices={"DO": 250_000})
    commit_to(w, facilities=[w.port, w.cfs])
    status = {f.pk: f.commitment_status for f in selectors.facilities()}
    assert status[w.port.pk] == status[w.cfs.pk] == "kept"
    assert status[w.icd.pk] == status[w.other.pk] == "none"
    file(w, effective_from=date(2026, 4, 15), prices=raised(NH20=1_100_000))
    status = {f.pk: f.commitment_status for f in selectors.facilities()}
    # The commitment is broken, by the port alone: the CFS kept its prices.
    assert status[w.port.pk] == "broken" and status[w.cfs.pk] == "kept"


def test_a_facility_under_several_commitments_is_listed_once(w):
    file(w, effective_from=MARCH_1)
    for start in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)):
        commit_to(w, period_from=start)
    assert [f.pk for f in selectors.facilities(operator=w.operator)].count(w.port.pk) == 1


# --- current_prices ------------------------------------------------------------------------

def test_a_facility_without_a_list_has_no_prices(w):
    assert selectors.current_prices(w.port) == (None, [])
    file(w, effective_from=date(2026, 4, 1))
    assert selectors.current_prices(w.port) == (None, [])  # not yet in force on 09/03


def test_current_prices_are_those_of_the_list_in_force_by_service_code(w):
    first, _ = file(w, effective_from=MARCH_1)
    second, _ = file(w, effective_from=date(2026, 3, 9), prices={"NH20": 1_000_000, "DO": 280_000})
    file(w, effective_from=date(2026, 5, 1), prices={"NH20": 900_000})
    price_list, rows = selectors.current_prices(w.port)
    assert price_list == second
    assert [(row.service.code, row.amount, row.baseline) for row in rows] == [("DO", 280_000, None),
                                                                            ("NH20", 1_000_000, None)]
    assert selectors.current_prices(w.port, date(2026, 3, 8))[0] == first
    assert rows_of(w.port, date(2026, 5, 1)) == {"NH20": (900_000, None)}


def test_the_baseline_stands_beside_each_price_only_during_the_period(w):
    file(w, effective_from=MARCH_1)
    commit_to(w, period_from=date(2026, 4, 1), period_to=date(2026, 6, 30))
    file(w, effective_from=date(2026, 4, 15), prices={"NH20": 1_100_000, "LB20": 50_000, "NR20": 400_000})
    assert rows_of(w.port, date(2026, 3, 31)) == {code: (amount, None) for code, amount in TARIFF.items()}
    assert rows_of(w.port, date(2026, 4, 1)) == {code: (amount, amount) for code, amount in TARIFF.items()}
    assert rows_of(w.port, date(2026, 4, 15)) == {"NH20": (1_100_000, 1_050_000), "LB20": (50_000, 55_000),
                                                  "NR20": (400_000, None)}
    assert rows_of(w.port, date(2026, 6, 30))["NH20"] == (1_100_000, 1_050_000)
    assert rows_of(w.port, date(2026, 7, 1)) == {"NH20": (1_100_000, None), "LB20": (50_000, None),
                                                 "NR20": (400_000, None)}


def test_each_row_says_whether_its_change_is_an_increase_and_a_breach(w):
    file(w, effective_from=MARCH_1)
    commit_to(w, covers_all=False, services=[service("LB20")])
    file(w, effective_from=date(2026, 4, 15), prices=raised(NH20=1_100_000, LB20=60_000, DO=250_000))
    _list, rows = selectors.current_prices(w.port, date(2026, 4, 15))
    changes = {row.service.code: row.change for row in rows}
    assert (changes["LB20"].is_increase, changes["LB20"].is_breach, changes["LB20"].difference) == (True, True, 5_000)
    # NH20 rose, but the commitment does not cover it: an increase, not a breach.
    assert (changes["NH20"].is_increase, changes["NH20"].is_breach) == (True, False)
    assert changes["DO"].is_increase is False and str(changes["DO"].percent) == "-16.7"


def test_the_baseline_is_the_facility_s_own_in_a_commitment_of_several(w):
    file(w, effective_from=MARCH_1)
    file(w, facility=w.cfs, effective_from=MARCH_1, prices={"DO": 250_000})
    commit_to(w, facilities=[w.port, w.cfs])
    assert rows_of(w.cfs, date(2026, 4, 1)) == {"DO": (250_000, 250_000)}


# --- history -------------------------------------------------------------------------------

def test_history_gives_each_service_s_price_at_every_list_oldest_first(w):
    file(w, effective_from=date(2026, 1, 1), prices={"NH20": 1_000_000, "LB20": 50_000})
    file(w, effective_from=MARCH_1, prices={"NH20": 1_050_000})
    file(w, effective_from=MARCH_1, prices={"NH20": 1_040_000, "DO": 300_000})  # same day, later version
    file(w, effective_from=date(2026, 6, 1), prices={"NH20": 1_100_000, "LB20": 55_000})
    file(w, facility=w.cfs, effective_from=date(2026, 2, 1), prices={"NH20": 5})
    points = selectors.history(w.port)
    assert [s.code for s in points] == ["DO", "LB20", "NH20"]
    by_code = {s.code: p for s, p in points.items()}
    assert by_code["NH20"] == [(date(2026, 1, 1), 1_000_000), (MARCH_1, 1_050_000), (MARCH_1, 1_040_000),
                               (date(2026, 6, 1), 1_100_000)]
    assert by_code["LB20"] == [(date(2026, 1, 1), 50_000), (date(2026, 6, 1), 55_000)]
    assert by_code["DO"] == [(MARCH_1, 300_000)]


def test_a_facility_without_lists_has_no_history(w):
    assert selectors.history(w.port) == {}


# --- one service across facilities ---------------------------------------------------------

def test_a_service_across_facilities_is_its_current_price_cheapest_first(w):
    file(w, effective_from=MARCH_1, prices={"NH20": 1_050_000})
    file(w, effective_from=date(2026, 5, 1), prices={"NH20": 100})  # not yet in force
    file(w, facility=w.icd, effective_from=MARCH_1, prices={"NH20": 980_000})
    file(w, facility=w.cfs, effective_from=MARCH_1, prices={"DO": 250_000})  # does not price NH20
    file(w, facility=w.other, by=w.other_operator_user, effective_from=MARCH_1, prices={"NH20": 1_050_000})
    found = selectors.service_across_facilities(service("NH20"))
    assert found == [(w.icd, 980_000)] + sorted([(w.port, 1_050_000), (w.other, 1_050_000)], key=lambda r: r[0].name)
    assert selectors.service_across_facilities(service("NH20"), date(2026, 5, 1))[0] == (w.port, 100)
    assert selectors.service_across_facilities(service("HKKG")) == []


def test_a_facility_out_of_operation_is_left_out_of_the_comparison(w):
    file(w, effective_from=MARCH_1, prices={"NH20": 1_050_000})
    Facility.objects.filter(pk=w.port.pk).update(active=False)
    assert selectors.service_across_facilities(service("NH20")) == []


# --- commitments and breaches --------------------------------------------------------------

def test_commitments_of_a_facility_put_those_in_their_period_first(w):
    file(w, effective_from=MARCH_1)
    past = commit_to(w, period_from=date(2026, 3, 1), period_to=date(2026, 3, 5), signed_on=date(2026, 3, 1))
    now = commit_to(w, period_from=date(2026, 3, 7), period_to=date(2026, 12, 31))
    future = commit_to(w, period_from=date(2027, 1, 1), period_to=date(2027, 12, 31))
    assert selectors.commitments_of(w.port) == [now, future, past]
    assert selectors.commitments_of(w.port, date(2026, 3, 3)) == [past, future, now]
    assert selectors.commitments_of(w.cfs) == []


def test_commitments_are_filtered_by_status_and_operator(w):
    file(w, effective_from=MARCH_1)
    file(w, facility=w.other, by=w.other_operator_user, effective_from=MARCH_1)
    kept = commit_to(w, facilities=[w.port], period_from=date(2026, 3, 10), period_to=date(2026, 4, 10))
    broken = commit_to(w)
    theirs = commit_to(w, operator=w.other_operator, facilities=[w.other])
    file(w, effective_from=date(2026, 4, 15), prices=raised(NH20=1_100_000))
    assert set(selectors.commitments()) == {kept, broken, theirs}
    assert list(selectors.commitments(status=CommitmentStatus.BROKEN)) == [broken]
    assert set(selectors.commitments(status=CommitmentStatus.KEPT)) == {kept, theirs}
    assert set(selectors.commitments(operator=w.operator)) == {kept, broken}


def test_breaches_to_follow_are_the_open_ones_oldest_first(w, clock):
    file(w, effective_from=MARCH_1)
    commit_to(w)
    clock.set(2026, 4, 1, 8)
    _, (first,) = file(w, effective_from=date(2026, 4, 15), prices=raised(NH20=1_100_000))
    clock.set(2026, 5, 1, 8)
    _, (second,) = file(w, effective_from=date(2026, 5, 15), prices=raised(NH20=1_200_000))
    clock.set(2026, 6, 1, 8)
    _, (third,) = file(w, effective_from=date(2026, 6, 15), prices=raised(NH20=1_300_000))
    services.breach_follow_up(breach=second, follow_up=Breach.FollowUp.CLOSED, note="Đã xử lý.", by=w.coordinator)
    services.breach_follow_up(breach=third, follow_up=Breach.FollowUp.CONTACTED, note="Đã liên hệ.", by=w.coordinator)
    assert list(selectors.breaches_to_follow()) == [first, third]
