"""Customs identifiers typed by businesses: declaration numbers, HS codes, case references.

Each `clean_*` returns the canonical form or raises InvalidIdentifier with messages in both
languages of the platform (this module knows nothing of Django).
"""

import re

# VNACCS customs declaration number (số tờ khai): 12 digits (RULES.md, "Identifiers").
DECLARATION_DIGITS = 12
# HS code in the national tariff: 8 digits, often written 0000.00.00 (RULES.md).
HS_DIGITS = 8
REFERENCE_PREFIX = "VM"  # vướng mắc
REFERENCE_DIGITS = 6

_SEPARATORS = re.compile(r"[\s.\-]")
_REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}-([0-9]{{4}})-([0-9]{{{REFERENCE_DIGITS},}})$")

MESSAGES = {
    "declaration": {
        "vi": "Số tờ khai hải quan phải có đúng 12 chữ số (ví dụ 104512345670): “{value}” không đúng.",
        "en": "A customs declaration number has exactly 12 digits (for example 104512345670): “{value}” is not one.",
    },
    "hs_code": {
        "vi": "Mã HS phải có 8 chữ số, viết liền hoặc dạng 0000.00.00 (ví dụ 8471.30.20): “{value}” không đúng.",
        "en": "An HS code has 8 digits, written together or as 0000.00.00 (for example 8471.30.20): “{value}” is not one.",
    },
}


class InvalidIdentifier(ValueError):
    def __init__(self, kind: str, value: str) -> None:
        self.kind, self.value = kind, value
        super().__init__(self.message_in("vi"))

    def message_in(self, language: str | None) -> str:
        lang = "en" if (language or "").startswith("en") else "vi"
        return MESSAGES[self.kind][lang].format(value=self.value[:40])


def clean_declaration_number(raw: str) -> str:
    value = _SEPARATORS.sub("", raw or "")
    if len(value) != DECLARATION_DIGITS or not value.isascii() or not value.isdigit():
        raise InvalidIdentifier("declaration", (raw or "").strip())
    return value


def clean_hs_code(raw: str) -> str:
    """Canonical HS code: 8 digits written 0000.00.00."""
    text = (raw or "").strip()
    value = _SEPARATORS.sub("", text)
    dotted_ok = re.fullmatch(r"[0-9]{4}\.?[0-9]{2}\.?[0-9]{2}", text.replace(" ", ""))
    if len(value) != HS_DIGITS or not value.isascii() or not value.isdigit() or not dotted_ok:
        raise InvalidIdentifier("hs_code", text)
    return f"{value[:4]}.{value[4:6]}.{value[6:]}"


def split_list(raw: str) -> list[str]:
    """Values typed in one box, separated by commas, semicolons or new lines."""
    return [item.strip() for item in re.split(r"[,;\n]+", raw or "") if item.strip()]


def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year:04d}-{number:0{REFERENCE_DIGITS}d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    match = _REFERENCE.match((text or "").strip().upper())
    return (int(match.group(1)), int(match.group(2))) if match else None
