"""Unit names in the order a Vietnamese reader expects: by letter before diacritic (Văn Quán
before Vạn Phúc only by its tone), with đ after d, not after every Latin letter as code
points would put it (Đồng Mai after Yết Kiêu)."""

from __future__ import annotations

import unicodedata

# The letters Vietnamese orders after their base letter (a < ă < â, d < đ, e < ê …).
_AFTER_BASE = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn


def name_key(name: str) -> tuple[str, tuple[int, ...]]:
    """A sort key: the letters without marks (đ right after d), then the marks, so names that
    differ only by tone or vowel mark still sort in a fixed order."""
    letters: list[str] = []
    marks: list[int] = []
    for char in unicodedata.normalize("NFD", name.casefold()):
        if unicodedata.combining(char):
            marks.append(_AFTER_BASE.get(char, 10 + ord(char) % 100))
        elif char == "đ":
            letters.append("d\uffff")
        else:
            letters.append(char)
    return "".join(letters), tuple(marks)
