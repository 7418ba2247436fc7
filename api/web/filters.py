"""Jinja filters: times in the office's zone, money, hours and figures as each language
writes them (Babel's number formats: 1.234,5 in Vietnamese, 1,234.5 in English).
Everything else a template prints is escaped by Jinja's autoescape."""

from __future__ import annotations

import json
from datetime import date, datetime, tzinfo
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def _zone(context: Context) -> tzinfo:
    """The office's zone, from its calendar (every page is rendered with its ``page``)."""
    zone: tzinfo = context["page"].office.calendar.tz
    return zone


@pass_context
def moment(context: Context, value: datetime | None, pattern: str = "%H:%M %d/%m/%Y") -> str:
    if value is None:
        return "—"
    return value.astimezone(_zone(context)).strftime(pattern)


@pass_context
def day(context: Context, value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(_zone(context))
    return value.strftime("%d/%m/%Y")


def _number(value: float, decimals: int, lang: str, trim: bool = False) -> str:
    """``decimals`` places; with ``trim`` a zero fraction is left out (15 giờ, 1,5 giờ)."""
    fraction = ("#" if trim else "0") * decimals
    pattern = "#,##0" + ("." + fraction if decimals else "")
    return format_decimal(value, format=pattern, locale=lang, decimal_quantization=True)


@pass_context
def number(context: Context, value: float | int | None, decimals: int = 0,
           trim: bool = False) -> str:
    """With ``trim`` a whole number shows no fraction: 15 ngày làm việc, 0,5 ngày."""
    if value is None:
        return "—"
    return _number(float(value), decimals, context.get("lang", "vi"), trim)


@pass_context
def figure(context: Context, value: float | int) -> str:
    """A number someone typed, as the reader writes it: 85,5 · 1.000.000 (85.5 in English)."""
    return format_decimal(value, locale=context.get("lang", "vi"))


@pass_context
def money(context: Context, value: int | None) -> str:
    return f"{_number(float(value or 0), 0, context.get('lang', 'vi'))}\u00a0đ"


@pass_context
def hours(context: Context, value: float | None) -> str:
    if value is None:
        return "—"
    unit = "giờ" if context.get("lang", "vi") == "vi" else "h"
    places = 1 if value < 100 else 0
    return f"{_number(value, places, context.get('lang', 'vi'), trim=True)}\u00a0{unit}"


@pass_context
def percent(context: Context, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{_number(value * 100, 1, context.get('lang', 'vi'))}\u00a0%"


def json_island(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` island: '<', '>' and '&' escaped so
    no text a user typed can close the script element."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def install(env: Environment) -> None:
    env.filters.update(moment=moment, day=day, number=number, figure=figure, money=money,
                       hours=hours, percent=percent, json_island=json_island)
