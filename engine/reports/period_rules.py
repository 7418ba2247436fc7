"""The cut-off rules of the official reporting periods, kept as data with their source.

``calendar_data/report_periods.toml`` says on which day of the month a period starts and
ends, which reporting months each kind of period spans, and the legal basis of each;
``engine.reports.periods`` computes the periods from these rules. The file is checked when it
is read, so a broken edit fails at the first report rather than giving wrong dates.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "calendar_data" / "report_periods.toml"

# Every month has a 28th: a later start day would not exist in February.
_LAST_START_DAY = 28


class PeriodRulesError(ValueError):
    """The reporting periods file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Basis:
    """Where a kind of period comes from: the legal basis line (Vietnamese) and whether the
    text itself was read (False: the rule is believed, not confirmed)."""

    source: str
    confirmed: bool


@dataclass(frozen=True)
class Span:
    """A period made of the reporting months ``first_month`` to ``last_month`` of a year."""

    first_month: int
    last_month: int
    basis: Basis


@dataclass(frozen=True)
class PeriodRules:
    start_day: int  # a period starts on this day of the month before its first month
    end_day: int  # and ends on this day of its last month
    month: Basis
    quarters: tuple[Span, ...]  # quarters I–IV, in order
    half: Span
    nine_months: Span
    year: Span
    year_to_date_first_month: int
    year_to_date: Basis


@cache
def rules() -> PeriodRules:
    """The packaged rules, read once."""
    return load_rules(DEFAULT_PATH)


def load_rules(path: Path) -> PeriodRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PeriodRulesError(f"{path.name}: {exc}") from exc
    return _Reader(path.name, data).read()


class _Reader:
    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name = name
        self.data = data

    def read(self) -> PeriodRules:
        cut_off = self._table("cut_off")
        start_day = self._int(cut_off, "cut_off.start_day", 2, _LAST_START_DAY)
        end_day = self._int(cut_off, "cut_off.end_day", 1, _LAST_START_DAY - 1)
        if start_day != end_day + 1:
            self._fail("cut_off", f"start_day ({start_day}) must be end_day + 1 ({end_day + 1}),"
                       " or consecutive periods would leave a gap or overlap")
        quarter = self._table("quarter")
        quarters = tuple(self._span(quarter, f"quarter.months[{index}]", pair)
                         for index, pair in enumerate(self._list(quarter, "quarter.months")))
        expected = [(1, 3), (4, 6), (7, 9), (10, 12)]
        if [(q.first_month, q.last_month) for q in quarters] != expected:
            self._fail("quarter.months", f"must be {[list(pair) for pair in expected]}")
        ytd = self._table("year_to_date")
        return PeriodRules(
            start_day=start_day, end_day=end_day,
            month=self._basis(self._table("month"), "month"),
            quarters=quarters,
            half=self._kind_span("half"),
            nine_months=self._kind_span("nine_months"),
            year=self._kind_span("year"),
            year_to_date_first_month=self._int(ytd, "year_to_date.first_month", 1, 12),
            year_to_date=self._basis(ytd, "year_to_date"),
        )

    def _kind_span(self, kind: str) -> Span:
        table = self._table(kind)
        return self._span(table, f"{kind}.months", self._list(table, f"{kind}.months"))

    def _span(self, table: dict[str, Any], where: str, pair: object) -> Span:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(type(m) is int and 1 <= m <= 12 for m in pair) or pair[0] > pair[1]):
            self._fail(where, f"must be [first month, last month] within 1–12, got {pair!r}")
        kind = where.split(".")[0]
        return Span(pair[0], pair[1], self._basis(table, kind))

    def _basis(self, table: dict[str, Any], kind: str) -> Basis:
        source = table.get("source")
        if not isinstance(source, str) or not source.strip():
            self._fail(f"{kind}.source", "the legal basis is required")
        confirmed = table.get("confirmed")
        if not isinstance(confirmed, bool):
            self._fail(f"{kind}.confirmed", "must be true or false")
        return Basis(source.strip(), confirmed)

    def _table(self, key: str) -> dict[str, Any]:
        table = self.data.get(key)
        if not isinstance(table, dict):
            self._fail(key, "the table is missing")
        return table

    def _list(self, table: dict[str, Any], where: str) -> list[Any]:
        value = table.get(where.split(".")[-1])
        if not isinstance(value, list):
            self._fail(where, "must be a list")
        return value

    def _int(self, table: dict[str, Any], where: str, low: int, high: int) -> int:
        value = table.get(where.split(".")[-1])
        if type(value) is not int or not low <= value <= high:
            self._fail(where, f"must be a whole number from {low} to {high}, got {value!r}")
        return value

    def _fail(self, where: str, message: str) -> NoReturn:
        raise PeriodRulesError(f"{self.name}: {where}: {message}")
