"""Enterprise tax codes (mã số thuế, MST).

Structure from Thông tư 105/2020/TT-BTC, Art. 5: ``N1..N10`` for an enterprise, or
``N1..N10-N11N12N13`` (13 digits) for a dependent unit or branch, where N10 is a check digit.
"""

import re

# TT 105/2020/TT-BTC Art. 5: weights applied to N1..N9 to compute the check digit N10.
CHECK_WEIGHTS: tuple[int, ...] = (31, 29, 23, 19, 17, 13, 7, 5, 3)
CHECK_MODULUS = 11

# Separators accepted between N10 and the branch suffix: a hyphen (also the Unicode dashes that
# text copied from PDFs and word processors carries) or a space. The canonical form uses "-".
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2212 "
_RAW_FORMAT = re.compile(rf"([0-9]{{10}})(?:[{_SEPARATORS}]?([0-9]{{3}}))?", re.ASCII)


# What to tell a person, by error code, in both languages of the platform (this module knows
# nothing of Django's translation machinery; callers pick the language).
MESSAGES: dict[str, dict[str, str]] = {
    "format": {
        "vi": "Mã số thuế phải có 10 chữ số, hoặc 13 chữ số dạng 0123456789-001.",
        "en": "A tax code has 10 digits, or 13 digits written 0123456789-001.",
    },
    "checksum": {
        "vi": "Mã số thuế không hợp lệ: chữ số kiểm tra không đúng. Vui lòng kiểm tra lại.",
        "en": "This tax code is not valid: its check digit is wrong. Please check it again.",
    },
    "zeros": {
        "vi": "Mã số thuế không hợp lệ: các chữ số thứ 3 đến thứ 9 không được đều là số 0. "
              "Vui lòng kiểm tra lại.",
        "en": "This tax code is not valid: digits 3 to 9 cannot all be 0. Please check it again.",
    },
    "branch_suffix": {
        "vi": "Mã số thuế không hợp lệ: mã đơn vị phụ thuộc (3 chữ số cuối) không được là 000. "
              "Vui lòng kiểm tra lại.",
        "en": "This tax code is not valid: the dependent-unit number (the last 3 digits) cannot "
              "be 000. Please check it again.",
    },
}


class InvalidTaxCode(ValueError):
    """A tax code that cannot be accepted; ``code`` says why, ``str()`` says what to do (in
    Vietnamese; ``message_in("en")`` in English)."""

    def __init__(self, code: str) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown tax code error: {code!r}")
        self.code = code
        self.message = MESSAGES[code]["vi"]
        super().__init__(self.message)

    def message_in(self, language: str | None) -> str:
        return MESSAGES[self.code]["en" if (language or "").startswith("en") else "vi"]


def _require_digits(value: str, length: int) -> None:
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ValueError(f"expected {length} ASCII digits, got {value!r}")


def check_digit(first9: str) -> int | None:
    """Return N10 for the digits N1..N9, or None when no digit can make the code valid.

    TT 105/2020/TT-BTC Art. 5: N10 = 10 - (sum of Ni x weight_i mod 11); a result of 10
    means the prefix has no valid code. The literal formula gives 0..10 and agrees with the
    published examples 0100233488 and 0314409058 (both sums are 2 mod 11, so N10 = 8).
    """
    _require_digits(first9, 9)
    total = sum(int(digit) * weight for digit, weight in zip(first9, CHECK_WEIGHTS))
    result = 10 - total % CHECK_MODULUS
    return None if result == 10 else result


def validate(raw: str) -> str:
    """Return ``raw`` in canonical form (``0123456789`` or ``0123456789-001``).

    Accepts surrounding spaces and, before a branch suffix, a hyphen, a space or nothing.
    Raises InvalidTaxCode otherwise.
    """
    match = _RAW_FORMAT.fullmatch(raw.strip())
    if match is None:
        raise InvalidTaxCode("format")
    main, branch = match.group(1), match.group(2)
    # TT 105/2020/TT-BTC Art. 5: N3..N9 is the enterprise number; all zeros is never issued.
    if main[2:9] == "0000000":
        raise InvalidTaxCode("zeros")
    if check_digit(main[:9]) != int(main[9]):
        raise InvalidTaxCode("checksum")
    if branch is None:
        return main
    # TT 105/2020/TT-BTC Art. 5: N11..N13 number dependent units from 001.
    if branch == "000":
        raise InvalidTaxCode("branch_suffix")
    return f"{main}-{branch}"


def is_valid(raw: str) -> bool:
    """Return whether ``raw`` is an acceptable tax code."""
    try:
        validate(raw)
    except InvalidTaxCode:
        return False
    return True


def make(first9: str, branch: int | None = None) -> str:
    """Build the canonical valid code for the digits N1..N9 and an optional branch 1..999.

    Raises ValueError when the prefix has no valid check digit, has N3..N9 all zero, or the
    branch is out of range.
    """
    digit = check_digit(first9)
    if digit is None:
        raise ValueError(f"prefix {first9!r} has no valid check digit")
    if first9[2:] == "0000000":
        raise ValueError(f"prefix {first9!r} has N3..N9 all zero")
    main = f"{first9}{digit}"
    if branch is None:
        return main
    if not 1 <= branch <= 999:
        raise ValueError(f"branch must be 1..999, got {branch}")
    return f"{main}-{branch:03d}"
