import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.customs import (
    InvalidIdentifier, clean_declaration_number, clean_hs_code, format_reference, parse_reference, split_list,
)


@pytest.mark.parametrize("raw", ["104512345670", " 104512345670 ", "1045 1234 5670", "104-512-345-670"])
def test_it_accepts_a_12_digit_declaration_number(raw):
    assert clean_declaration_number(raw) == "104512345670"


@pytest.mark.parametrize("raw", ["", "10451234567", "1045123456701", "10451234567a", "١٠٤٥١٢٣٤٥٦٧٠"])
def test_it_rejects_other_declaration_numbers(raw):
    with pytest.raises(InvalidIdentifier) as error:
        clean_declaration_number(raw)
    assert "12 chữ số" in str(error.value)
    assert "12 digits" in error.value.message_in("en")


@pytest.mark.parametrize("raw", ["84713020", "8471.30.20", " 8471.30.20 ", "847130.20", "8471.3020"])
def test_it_accepts_hs_codes_with_or_without_dots(raw):
    assert clean_hs_code(raw) == "8471.30.20"


@pytest.mark.parametrize("raw", ["8471302", "847130201", "8471.30.2O", "84.71.30.20", "8471-30-20x", ""])
def test_it_rejects_malformed_hs_codes(raw):
    with pytest.raises(InvalidIdentifier) as error:
        clean_hs_code(raw)
    assert "Mã HS" in str(error.value)


def test_it_splits_values_typed_in_one_box():
    assert split_list("104512345670, 104512345671;\n104512345672\n\n") == [
        "104512345670", "104512345671", "104512345672"]


def test_it_formats_and_parses_references():
    assert format_reference(2026, 123) == "VM-2026-000123"
    assert parse_reference("vm-2026-000123") == (2026, 123)
    assert parse_reference("VM-2026-1234567") == (2026, 1234567)
    assert parse_reference("VM-26-000123") is None
    assert parse_reference("../etc/passwd") is None


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=10**7))
def test_references_round_trip(year, number):
    assert parse_reference(format_reference(year, number)) == (year, number)


@given(st.from_regex(r"\A[0-9]{8}\Z"))
def test_any_8_digits_are_an_hs_code_and_canonical_form_is_stable(digits):
    canonical = clean_hs_code(digits)
    assert clean_hs_code(canonical) == canonical
    assert canonical.replace(".", "") == digits
