"""Message ids, their parameters and the gettext catalogs that translate them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DEFAULT = "vi"
LANGUAGES = ("vi", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass(frozen=True)
class Message:
    """A sentence for a person, not yet in any language: a catalog id and its parameters.

    Parameters fill ``%(name)s`` placeholders (python-format, as gettext tools check them).
    A parameter that is itself a Message is translated into the same language first.
    """

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # logs and tracebacks read English
        return translate("en", self)


def msg(id: str, **params: Any) -> Message:
    return Message(id, params)


@dataclass(frozen=True)
class Number:
    """A count or amount shown with the reader's digit grouping (``12.345`` in vi); plain
    ints stay as they are, since most are codes, ids and years."""

    value: int | float | Decimal


def number(value: int | float | Decimal) -> Number:
    return Number(value)


def _day(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _shown(lang: str, value: Any) -> Any:
    """A parameter as the reader writes it: decimal comma, dd/mm/yyyy, a Message translated."""
    if isinstance(value, Message):
        return translate(lang, value)
    if isinstance(value, Number):
        return format_decimal(value.value, locale=lang)
    if isinstance(value, float | Decimal):
        return format_decimal(value, locale=lang)
    if isinstance(value, datetime):
        return f"{value:%H:%M} {_day(value)}"
    if isinstance(value, date):
        return _day(value)
    return value


class CatalogError(Exception):
    """Two catalog files of one language define the same id, or a file does not parse."""


@cache
def _catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for entry in catalog:
            if not entry.id or not isinstance(entry.id, str):
                continue
            if entry.id in merged:
                raise CatalogError(f"{path.name}: {entry.id!r} is defined twice in {lang}")
            text = entry.string if isinstance(entry.string, str) else ""
            if text and not entry.fuzzy:
                merged[entry.id] = text
    return merged


def has(lang: str, id: str) -> bool:
    return id in _catalog(lang)


def negotiate(header: str | None, default: str = DEFAULT) -> str:
    """The first of our languages an ``Accept-Language`` header asks for (by its q-values)."""
    if not header:
        return default
    choices: list[tuple[float, int, str]] = []
    for order, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, order, primary))
    return min(choices)[2] if choices else default


def translate(lang: str, message: Message | str, **params: Any) -> str:
    """``message`` in ``lang`` with its placeholders filled; Vietnamese if ``lang`` lacks it,
    the id itself if no catalog has it (a test keeps every id used in the catalogs)."""
    if isinstance(message, Message):
        params = {**message.params, **params}
        key = message.id
    else:
        key = message
    text = _catalog(lang).get(key) or _catalog(DEFAULT).get(key) or key
    if not params:
        return text
    values = {name: _shown(lang, value) for name, value in params.items()}
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        return text
