"""Passwords that Django's common-password list does not know but that people here choose.

Django's `CommonPasswordValidator` holds 20,000 passwords leaked from English-language sites.
Leaks of Vietnamese sites show another set on top: "matkhau" (password), "anhyeuem" (I love
you), the name of the city, the agency or the platform itself, a keyboard row, each followed by
a year or a few digits and a sign to satisfy "at least 10 characters". And a person's own numbers
(phone, the enterprise's tax code) are the first thing someone who knows them will try.

Pure: no Django. The validator in ketnoi/accounts/passwords.py turns the reasons into messages.
"""

import re

from ketnoi.lib.vntext import fold

# Compared after folding (no diacritics, đ→d, lower case) and dropping everything but letters
# and digits, and after the digits and signs at the end are taken off: "Mật-khẩu@2025" is
# "matkhau". Only the words themselves, so "matkhauthu2020" (a phrase) is not refused.
WEAK_WORDS = frozenset({
    "matkhau", "matkhaumoi", "matkhaucuatoi", "doimatkhau", "khongcomatkhau", "khongbiet",
    "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "iloveyou", "tinhyeu", "hanhphuc", "giadinh",
    "vietnam", "vietnamvodich", "hochiminh", "tphochiminh", "tphcm", "hcm", "saigon", "hanoi",
    "danang", "haiphong",
    "haiquan", "cuchaiquan", "tongcuchaiquan", "haiquanhcm", "haiquantphcm", "customs", "hqhcm",
    "ketnoi", "ketnoihaiquan", "doanhnghiep", "congty", "admin", "quantri", "quantrivien",
    "password", "passw0rd", "welcome", "xinchao", "chaoban",
    "qwerty", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abc", "abcd", "abcde", "abcdef", "abcxyz",
    "a", "aa", "aaa", "q", "qq", "x", "xx",
})
# Digits-first patterns people type to pass "letters and digits": 123456789a, 1234567890a@.
_DIGITS_THEN_WORD = re.compile(r"^(?:0?123456789|1234567890|0987654321|987654321|[0-9]{6,})([a-z]{0,3})$")
_TRAILING = re.compile(r"[^a-z]+$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\D+")
# A phone number or tax code shorter than this is not a meaningful secret to compare with.
MIN_PERSONAL_DIGITS = 6


def _squash(text: str) -> str:
    return _NON_ALNUM.sub("", fold(text))


def weakness(password: str, *, personal_numbers=()) -> str | None:
    """Why `password` is too easy to guess ("common" or "personal"), or None.

    `personal_numbers` are the account's own numbers (phone, tax codes): a password that contains
    one of them, whatever the separators, is refused.
    """
    squashed = _squash(password)
    word = _TRAILING.sub("", fold(password))
    if _squash(word) in WEAK_WORDS or squashed in WEAK_WORDS or _DIGITS_THEN_WORD.match(squashed):
        return "common"
    digits = _DIGITS.sub("", password)
    for number in personal_numbers:
        number = _DIGITS.sub("", number or "")
        # A Vietnamese phone is written 0912… or +84 912…: compare without the leading 0 / 84.
        core = number[2:] if number.startswith("84") and len(number) > 10 else number.lstrip("0")
        if len(core) >= MIN_PERSONAL_DIGITS and core in digits:
            return "personal"
    return None
