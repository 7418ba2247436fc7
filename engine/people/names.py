"""Vietnamese names folded for searching: "nguyen van an" finds "Nguyễn Văn An"."""

from __future__ import annotations

import re
import unicodedata

# đ/Đ is a letter of its own, not d with a mark: NFD leaves it whole.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no tone or vowel marks, đ → d, every run of other characters one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NOT_WORD.sub(" ", bare).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    folded = fold(text)
    return folded.split(" ") if folded else []
