"""Highlighted snippets of search results: the words of a text that match folded query syllables.

One function for both database engines: the text is matched word by word through
ketnoi.lib.vntext.fold, the same folding as the index, so "hoan thue" highlights "hoàn thuế".
"""

import re
from functools import lru_cache

from ketnoi.lib.vntext import fold

_WORD = re.compile(r"[^\W_]+")

# Texts repeat their words: fold each distinct word once.
_fold = lru_cache(maxsize=65536)(fold)


def segments(text: str, syllables: set[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) pieces; adjacent matched words are one piece."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for word in _WORD.finditer(text):
        if _fold(word.group()) not in syllables:
            continue
        start, end = word.span()
        if pieces and pieces[-1][1] and not text[position:start].strip():
            pieces[-1] = (pieces[-1][0] + text[position:end], True)
        else:
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def snippet(text: str, syllables: set[str], *, width: int = 240) -> list[tuple[str, bool]]:
    """The ``width``-character window of ``text`` with the most matched words, cut at word
    boundaries and marked with "…" where it was cut, as (piece, matched) pieces."""
    text = " ".join(text.split())
    if len(text) <= width:
        return segments(text, syllables)
    matches = [m.start() for m in _WORD.finditer(text) if _fold(m.group()) in syllables]
    best, best_count = 0, 0
    for i, start in enumerate(matches):
        count = sum(1 for other in matches[i:] if other < start + width)
        if count > best_count:
            best, best_count = start, count
    # Open the window a little before the first match, at a word boundary.
    start = max(0, best - width // 5)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = segments(text[start:end], syllables)
    if start:
        pieces.insert(0, ("…", False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces
