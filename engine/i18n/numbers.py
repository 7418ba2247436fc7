"""Numbers as people type them in a Vietnamese office, read into the value a form stores.

Vietnamese write ``1.000.000,5``: the comma is the decimal separator, the dot (or a space)
groups thousands. Keyboards and habits from English also give ``85.5``. The rule, one for
every door and every page language (the data must not depend on the reader's language):

- a comma is always the decimal separator (``85,5`` is 85.5; ``1,234`` is 1.234);
- dots or spaces between groups of exactly three digits group thousands (``1.000.000``,
  ``1 000 000``, ``1.000.000,5``);
- a single dot followed by other than three digits, with no comma, is a decimal point
  (``85.5``, ``3.14159``), as is a dot after a lone ``0`` (``0.125``);
- a single dot followed by exactly three digits (``1.000``, ``2.345``) cannot be decided:
  a whole number (integer field) takes it as thousands, a decimal field refuses it and asks
  for ``1000`` or ``1,000``;
- anything else (a comma before a dot, ``1,000,000``, letters, groups of two) is refused.

An integer field refuses a fraction (``1,5``); ``1,0`` is 1. Babel reads the Vietnamese
form once the input is put in it. Refusals carry a catalog :class:`Message`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, parse_decimal

from engine.i18n.catalogs import Message, msg

LOCALE = "vi"  # the form data's own convention, whatever language the page is shown in
MAX_CHARS = 40  # far beyond any figure an office types; keeps the parser's work bounded
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
_SHAPE = re.compile(r"([+-]?)(\d[\d. ]*)(?:,(\d+))?")
_GROUPS = re.compile(r"[. ]")


class NotANumber(ValueError):
    """The text is not a number this rule reads, or reads two ways; ``message`` says which."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


def _grouped(whole: str) -> str:
    """The digits of a whole part whose dots or spaces group thousands, or refuse it."""
    groups = _GROUPS.split(whole)
    if len(groups) > 1:
        head, rest = groups[0], groups[1:]
        if not 1 <= len(head) <= 3 or head.startswith("0") or any(len(g) != 3 for g in rest):
            raise NotANumber(msg("number_invalid"))
    return "".join(groups)


def parse(text: str, integer: bool = False) -> int | float:
    """The value of ``text`` for an integer field (``int``) or a decimal one (``float``)."""
    cleaned = " ".join(text.translate(_SPACES).split())
    shape = _SHAPE.fullmatch(cleaned) if len(cleaned) <= MAX_CHARS else None
    if shape is None:
        raise NotANumber(msg("number_invalid"))
    sign, whole, fraction = shape.groups()
    if fraction is None and "." in whole:
        head, _dot, tail = whole.rpartition(".")
        if not tail:
            raise NotANumber(msg("number_invalid"))
        if "." not in head and " " not in tail:
            if len(tail) != 3 or head.strip() == "0":
                whole, fraction = head, tail  # 85.5, 0.125: a decimal point
            elif not integer:
                raise NotANumber(msg("number_ambiguous", text=cleaned))
    digits = _grouped(whole.strip())
    symbol = get_decimal_symbol(LOCALE)
    try:
        value = parse_decimal(sign + digits + (symbol + fraction if fraction else ""),
                              locale=LOCALE)
    except NumberFormatError as exc:  # not reached for the shapes above; refused all the same
        raise NotANumber(msg("number_invalid")) from exc
    if integer:
        if value != value.to_integral_value():
            raise NotANumber(msg("number_whole"))
        return int(value)
    number = float(value)
    if not math.isfinite(number):
        raise NotANumber(msg("number_invalid"))
    return number


def plain(value: int | float | Decimal) -> str:
    """A stored value as it goes back into an input: decimal comma, no grouping (so that
    reading it again gives the same value: ``1000,5``, ``85,5``, ``1000000``)."""
    return format_decimal(value, format="0.##########", locale=LOCALE)
