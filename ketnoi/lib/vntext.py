"""Vietnamese text helpers: one normal form for storage, one folded form for search."""

import re
import unicodedata

# Letters whose stroke is part of the glyph, not a combining mark, so NFD leaves them whole.
# đ/Đ (U+0111/U+0110) are Vietnamese letters; ð/Ð (U+00F0/U+00D0, eth) look the same and turn
# up in text converted from legacy Vietnamese encodings (VNI, TCVN3) in place of đ/Đ.
_STROKE_LETTERS = str.maketrans({"đ": "d", "ð": "d"})

_WHITESPACE = re.compile(r"\s+")
# Letters and digits in any script: \w without the underscore.
_SYLLABLE = re.compile(r"[^\W_]+")


def normalize(text: str) -> str:
    """Return ``text`` in NFC with each run of whitespace collapsed to one space, stripped."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Return ``text`` lowercased with every diacritic removed and đ mapped to d.

    Index and query go through the same function, so "hoan thue" finds "Hoàn thuế".
    Characters other than letters are kept as they are.
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.translate(_STROKE_LETTERS))


def syllables(text: str) -> list[str]:
    """Return the folded syllables (runs of letters and digits) of ``text``."""
    return _SYLLABLE.findall(fold(text))


def bigrams(tokens: list[str]) -> list[str]:
    """Return each pair of adjacent tokens joined by a space."""
    return [f"{first} {second}" for first, second in zip(tokens, tokens[1:])]
