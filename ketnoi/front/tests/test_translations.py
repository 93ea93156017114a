"""Vietnamese is the default language: every string of the interface must have its translation."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="vi")


def test_every_message_has_a_vietnamese_translation():
    missing = [m.id for m in catalog() if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert missing == []


def test_no_translation_is_fuzzy():
    assert [m.id for m in catalog() if m.id and m.fuzzy] == []


def test_placeholders_are_kept():
    import re

    pattern = re.compile(r"%\(\w+\)s")
    wrong = []
    for m in catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if {p for s in strings for p in pattern.findall(s)} != set(pattern.findall(ids[0])):
            wrong.append(ids[0])
    assert wrong == []
