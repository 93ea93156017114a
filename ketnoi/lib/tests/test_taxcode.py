import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ketnoi.lib.taxcode import (
    CHECK_WEIGHTS,
    InvalidTaxCode,
    check_digit,
    is_valid,
    make,
    validate,
)

VALID_EXAMPLES = ["0100233488", "0314409058"]  # RULES.md, from published registrations

FORMAT_MESSAGE = "Mã số thuế phải có 10 chữ số, hoặc 13 chữ số dạng 0123456789-001."
CHECKSUM_MESSAGE = "Mã số thuế không hợp lệ: chữ số kiểm tra không đúng. Vui lòng kiểm tra lại."

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def _rejection(raw):
    with pytest.raises(InvalidTaxCode) as caught:
        validate(raw)
    return caught.value


@pytest.mark.parametrize("code", VALID_EXAMPLES)
def test_it_accepts_the_published_examples(code):
    assert validate(code) == code
    assert is_valid(code)


@pytest.mark.parametrize("code", VALID_EXAMPLES)
def test_it_computes_the_check_digit_of_the_published_examples(code):
    assert check_digit(code[:9]) == int(code[9])


def test_it_strips_surrounding_spaces():
    assert validate("  0100233488 \t") == "0100233488"


@pytest.mark.parametrize(
    "raw", ["0100233488-001", "0100233488 001", "0100233488001", " 0100233488-001 "]
)
def test_it_accepts_a_branch_code_with_hyphen_space_or_no_separator(raw):
    assert validate(raw) == "0100233488-001"


def test_it_accepts_a_dash_copied_from_a_document():
    assert validate("0100233488\u2013015") == "0100233488-015"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "010023348",  # 9 digits
        "01002334881",  # 11 digits
        "010023348800",  # 12 digits
        "01002334880011",  # 14 digits
        "0100233488-01",
        "0100233488-0001",
        "0100233488--001",
        "0100233488 - 001",
        "0100233488_001",
        "01002 33488",
        "010023348A",
        "MST0100233488",
        "0100233488-ABC",
        "０１００２３３４８８",  # full-width digits
    ],
)
def test_it_rejects_wrong_format(raw):
    error = _rejection(raw)
    assert error.code == "format"
    assert not is_valid(raw)


def test_it_says_the_expected_format_in_vietnamese():
    error = _rejection("12345")
    assert str(error) == FORMAT_MESSAGE
    assert error.message == FORMAT_MESSAGE


def test_it_is_a_value_error():
    with pytest.raises(ValueError):
        validate("12345")


@pytest.mark.parametrize("code", VALID_EXAMPLES)
def test_it_rejects_every_wrong_check_digit(code):
    for digit in "0123456789":
        candidate = code[:9] + digit
        if digit == code[9]:
            assert validate(candidate) == code
            continue
        error = _rejection(candidate)
        assert error.code == "checksum"
        assert str(error) == CHECKSUM_MESSAGE


def test_it_rejects_a_wrong_check_digit_in_a_branch_code():
    assert _rejection("0100233487-001").code == "checksum"


@pytest.mark.parametrize("raw", ["0100000000", "0200000008", "0100000000-001", "0000000000"])
def test_it_rejects_n3_to_n9_all_zero(raw):
    error = _rejection(raw)
    assert error.code == "zeros"
    assert "Mã số thuế" in str(error)


@pytest.mark.parametrize("raw", ["0100233488-000", "0100233488 000", "0100233488000"])
def test_it_rejects_suffix_000(raw):
    error = _rejection(raw)
    assert error.code == "branch_suffix"
    assert "000" in str(error)


def test_it_finds_no_check_digit_when_the_formula_gives_10():
    # A prefix whose weighted sum is a multiple of 11 gives 10 - 0 = 10: no valid N10.
    prefix = next(
        f"{n:09d}"
        for n in range(10**8, 10**9)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", CHECK_WEIGHTS)) % 11 == 0
    )
    assert check_digit(prefix) is None
    with pytest.raises(ValueError):
        make(prefix)
    assert not any(is_valid(prefix + d) for d in "0123456789")


def test_it_makes_a_valid_code_from_nine_digits():
    assert make("010023348") == "0100233488"
    assert make("031440905", branch=1) == "0314409058-001"
    assert make("031440905", branch=999) == "0314409058-999"


@pytest.mark.parametrize("branch", [0, 1000, -1])
def test_it_refuses_to_make_a_branch_out_of_range(branch):
    with pytest.raises(ValueError):
        make("010023348", branch=branch)


@pytest.mark.parametrize("first9", ["01002334", "0100233480", "01002334A", "010000000"])
def test_it_refuses_to_make_from_a_bad_prefix(first9):
    with pytest.raises(ValueError):
        make(first9)


@given(nine_digits, st.none() | st.integers(min_value=1, max_value=999))
def test_made_codes_validate_and_round_trip(first9, branch):
    assume(check_digit(first9) is not None and first9[2:] != "0000000")
    code = make(first9, branch)
    assert validate(code) == code
    assert code.startswith(first9)
    if branch is not None:
        assert code.endswith(f"-{branch:03d}")
        assert validate(code.replace("-", "")) == code
        assert validate(code.replace("-", " ")) == code


@given(st.text(alphabet="0123456789 -", max_size=16) | st.text(max_size=16))
def test_validate_is_idempotent_on_its_output(raw):
    try:
        canonical = validate(raw)
    except InvalidTaxCode as error:
        assert error.code in {"format", "checksum", "zeros", "branch_suffix"}
        return
    assert validate(canonical) == canonical


@given(nine_digits)
def test_exactly_one_check_digit_or_none_validates(first9):
    assume(first9[2:] != "0000000")
    accepted = [d for d in "0123456789" if is_valid(first9 + d)]
    expected = check_digit(first9)
    assert accepted == ([] if expected is None else [str(expected)])
