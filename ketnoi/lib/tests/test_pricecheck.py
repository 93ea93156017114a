from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.pricecheck import MAX_AMOUNT, Change, breaches, compare, format_amount, parse_amount

# --- parse_amount: what people type ----------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "1.250.000", "1 250 000", "1,250,000", "1250000", "1.250.000 ₫", "1.250.000₫", "1250000đ", "1250000 đ",
    "1.250.000 VND", "1.250.000 vnd", "1.250.000 VNĐ", "1.250.000 đồng", "1.250.000 Đ", "  1.250.000  ",
    "1\u00a0250\u00a0000", "1\u202f250\u202f000", "1.250.000\u00a0₫",
])
def test_it_reads_an_amount_as_vietnamese_write_it(typed):
    assert parse_amount(typed) == 1_250_000


@pytest.mark.parametrize("typed, amount", [
    ("0", 0), ("500", 500), ("12.500", 12_500), ("12,500", 12_500), ("999", 999), ("1.000", 1_000),
    ("2.500.000.000", 2_500_000_000), ("250000 ₫", 250_000),
])
def test_it_reads_small_and_large_amounts(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("value, amount", [
    (1_250_000, 1_250_000), (0, 0), (1_250_000.0, 1_250_000), (Decimal("1250000"), 1_250_000),
    (Decimal("1250000.00"), 1_250_000), (MAX_AMOUNT, MAX_AMOUNT),
])
def test_it_takes_numbers_that_are_whole(value, amount):
    result = parse_amount(value)
    assert result == amount and type(result) is int


@pytest.mark.parametrize("typed", [
    1.5, 1_250_000.5, "1.5", "1.25", "12,5", "1.2345.000", "1.250.00", "1.250.0000", "1,25,000", "1234.567",
    ".250", "1.", "1..250", "12 50 000", "1 250 00", "1  250",
])
def test_it_refuses_a_fraction_or_a_misplaced_separator(typed):
    assert parse_amount(typed) is None


@pytest.mark.parametrize("typed", ["1.250,000", "1,250.000", "1.250 000", "1 250,000"])
def test_it_refuses_mixed_separators_which_mean_1250_in_either_convention(typed):
    assert parse_amount(typed) is None


@pytest.mark.parametrize("typed", [-1, -1_250_000, -1.0, Decimal("-5"), "-1.250.000", "-1250000", "−1250000"])
def test_it_refuses_a_negative_amount(typed):
    assert parse_amount(typed) is None


@pytest.mark.parametrize("typed", ["", "   ", None, True, False, "abc", "₫", "VND", "đ", "1.250.000 USD", "$1250000",
                                   "1e6", "+1250000", "một triệu", "1.250.000 ₫ ₫", "0x10", "12abc", [1], {"a": 1}])
def test_it_refuses_what_is_not_an_amount(typed):
    assert parse_amount(typed) is None


@pytest.mark.parametrize("typed", ["²", "1²", "١٢٣", "１２３", "1_250_000"])
def test_it_refuses_digits_other_than_0_to_9_without_raising(typed):
    # "²".isdigit() is True but int("²") raises: a form must show a message, not a 500.
    assert parse_amount(typed) is None


@pytest.mark.parametrize("typed", [
    MAX_AMOUNT + 1, 10**30, float(10**30), 1e300, Decimal("1e40"), "1" + "0" * 13, "9" * 30,
    "1" * 5000,  # int() of more than 4300 digits raises ValueError
    "1.000.000.000.000.000", float("inf"), float("-inf"), float("nan"), Decimal("Infinity"), Decimal("NaN"),
    Decimal("sNaN"),
])
def test_it_refuses_a_huge_or_infinite_amount_without_raising(typed):
    assert parse_amount(typed) is None


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_what_it_formats_it_reads_back(amount):
    assert parse_amount(format_amount(amount)) == amount
    assert parse_amount(f"{amount:,}") == amount
    assert parse_amount(str(amount)) == amount


# --- format_amount ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount, shown", [
    (1_250_000, "1.250.000 ₫"), (0, "0 ₫"), (999, "999 ₫"), (1_000, "1.000 ₫"), (12_500, "12.500 ₫"),
    (2_500_000_000, "2.500.000.000 ₫"), (-150_000, "-150.000 ₫"),
])
def test_it_formats_whole_dong_with_dots(amount, shown):
    assert format_amount(amount) == shown


# --- compare and breaches --------------------------------------------------------------------

BASELINE = {"NH20": 1_000_000, "NH40": 1_500_000, "LB20": 50_000}


def test_it_compares_each_filed_service_in_the_order_filed():
    changes = compare(BASELINE, {"LB20": 55_000, "NH20": 1_000_000, "NH40": 1_400_000})
    assert [c.service for c in changes] == ["LB20", "NH20", "NH40"]
    assert [(c.baseline, c.price, c.difference) for c in changes] == [
        (50_000, 55_000, 5_000), (1_000_000, 1_000_000, 0), (1_500_000, 1_400_000, -100_000)]
    assert all(c.covered for c in changes)


def test_without_a_covered_set_every_service_is_covered():
    assert breaches(compare(BASELINE, {"NH20": 1_000_001, "LB20": 60_000})) == [
        Change("NH20", 1_000_000, 1_000_001, True), Change("LB20", 50_000, 60_000, True)]


def test_with_a_covered_set_only_its_services_can_be_breached():
    changes = compare(BASELINE, {"NH20": 1_100_000, "LB20": 60_000}, covered={"LB20"})
    assert [(c.service, c.covered, c.is_increase, c.is_breach) for c in changes] == [
        ("NH20", False, True, False), ("LB20", True, True, True)]
    assert [c.service for c in breaches(changes)] == ["LB20"]


def test_an_empty_covered_set_covers_nothing():
    assert breaches(compare(BASELINE, {"NH20": 2_000_000}, covered=set())) == []


def test_an_equal_price_is_not_a_breach():
    (change,) = compare(BASELINE, {"NH20": 1_000_000})
    assert not change.is_increase and not change.is_breach and change.difference == 0
    assert change.percent == Decimal("0.0")


def test_a_decrease_is_not_a_breach():
    (change,) = compare(BASELINE, {"NH40": 1_200_000})
    assert not change.is_breach and change.difference == -300_000 and change.percent == Decimal("-20.0")


def test_one_dong_more_is_a_breach():
    (change,) = compare(BASELINE, {"NH20": 1_000_001})
    assert change.is_breach and change.difference == 1 and change.percent == Decimal("0.0")


def test_a_service_the_baseline_did_not_price_cannot_be_a_breach():
    (change,) = compare(BASELINE, {"HKKG": 2_500}, covered={"HKKG"})
    assert change.baseline is None and change.difference is None and change.percent is None
    assert not change.is_increase and not change.is_breach


def test_a_service_dropped_from_the_list_is_not_a_change():
    assert [c.service for c in compare(BASELINE, {"NH20": 900_000})] == ["NH20"]


@pytest.mark.parametrize("baseline, price, percent", [
    (1_000_000, 1_050_000, "5.0"), (3, 4, "33.3"), (3, 5, "66.7"), (40, 41, "2.5"), (400, 401, "0.3"),
    (2_000, 2_001, "0.1"),  # 0.05 rounds half up
    (2_000, 1_999, "-0.1"),  # and half away from zero below the baseline
    (1_000_000, 2_000_000, "100.0"), (7, 0, "-100.0"),
])
def test_the_percent_is_rounded_half_up_to_one_decimal(baseline, price, percent):
    assert Change("NH20", baseline, price, True).percent == Decimal(percent)
