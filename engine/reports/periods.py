"""The official reporting periods of form 06 (Biểu số 06/VPCP/KSTT) and their codes.

Decree 09/2019/NĐ-CP, article 12, cuts a periodic report's figures off mid-month: a month runs
from the 15th of the month before to the 14th of the month, so a reporting year runs from
15/12 of the year before to 14/12, and 15–31 December belong to the *next* year's periods
(20/12/2026 is in month 1 of 2027). The day numbers, the months each kind spans and the legal
basis of each are data (``calendar_data/report_periods.toml``, read by
:mod:`engine.reports.period_rules`); this module only does the calendar arithmetic.

Codes, case-insensitive, surrounding spaces ignored:

=================  ==============================================  =======================
``2026``           the year, 15/12/2025 – 14/12/2026                ``year``
``2026-Q3``        quarter III, 15/06/2026 – 14/09/2026             ``quarter``
``2026-6M``        the first six months, 15/12/2025 – 14/06/2026    ``half``
``2026-9M``        nine months, 15/12/2025 – 14/09/2026             ``nine_months``
``2026-M11``       month 11, 15/10/2026 – 14/11/2026 (or ``M01``)   ``month``
``2026-YTD-M11``   from the year's start to 14/11/2026              ``year_to_date``
``2026-YTD``       from the year's start to the last ended month    ``year_to_date``
=================  ==============================================  =======================

Nine months is asked of TTHC reports, but the decree's article 12 sets no such period: its
15/12 → 14/09 cut-off follows the decree's pattern and some provinces' rules, and is marked
``confirmed = False`` in the data until a national text is read.

A period *has ended* once its last day is over: on the 14th a month is still running.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from engine.errors import InvalidInput
from engine.i18n import Message, msg
from engine.reports.period_rules import Basis, Span, rules


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    YEAR_TO_DATE = "year_to_date"
    RANGE = "range"


@dataclass(frozen=True)
class OfficialPeriod:
    code: str  # canonical: parse_period(code) gives this period back (a range excepted)
    kind: PeriodKind
    year: int  # the reporting year (2027 for 2027-M1, which starts on 15/12/2026)
    date_from: date  # local dates, both included
    date_to: date
    label: str  # the period's name on a report, in Vietnamese
    source: str  # its legal basis (Vietnamese), empty for a free range
    confirmed: bool  # False when the basis was believed but not read in the text

    @property
    def period_line(self) -> str:
        """The form's line under its title: "(Từ ngày 15/06/2026 đến ngày 14/09/2026)"."""
        return f"({_from_to(self.date_from, self.date_to)})"


# Years whose periods are all real dates (the year's start is in December of the year before).
MIN_YEAR = date.min.year + 1
MAX_YEAR = date.max.year

ACCEPTED = ("YYYY (the year), YYYY-Q1 to YYYY-Q4 (a quarter), YYYY-6M (six months), "
            "YYYY-9M (nine months), YYYY-M1 to YYYY-M12 (a month), YYYY-YTD (the year to "
            "date) or YYYY-YTD-M1 to YYYY-YTD-M12 (the year to a month's end), e.g. 2026-Q3")

_MONTH = r"M(0?[1-9]|1[0-2])"
_CODE = re.compile(rf"([0-9]{{4}})(?:-(?:Q([1-4])|(6M)|(9M)|{_MONTH}|(YTD)(?:-{_MONTH})?))?")
_ROMAN = ("I", "II", "III", "IV")


def parse_period(code: str, today: date) -> OfficialPeriod:
    """The period a code names; ``today`` (local) resolves ``YYYY-YTD``.

    ``YYYY-YTD`` runs to the end of the year's latest month that has ended by ``today`` (on
    the 14th the month is not over), the whole year once the year has ended; it is refused
    while no month of the year has ended.
    """
    found = _CODE.fullmatch(code.strip().upper())
    if found is None:
        raise InvalidInput(msg("err_unknown_reporting_period_use", code=code, accepted=ACCEPTED))
    text_year, quarter_no, six, nine, month_no, ytd, ytd_month = found.groups()
    year = _checked_year(int(text_year), code)
    if quarter_no:
        return quarter(year, int(quarter_no))
    if six:
        return half(year)
    if nine:
        return nine_months(year)
    if month_no:
        return month(year, int(month_no))
    if ytd and ytd_month:
        return year_to_date(year, int(ytd_month))
    if ytd:
        return _year_to_today(year, today, code)
    return whole_year(year)


def month(year: int, number: int) -> OfficialPeriod:
    """Month ``number`` (1–12) of the reporting year: "Tháng 11 năm 2026"."""
    _check_number(msg("word_month"), number, 12)
    basis = rules().month
    return _period(PeriodKind.MONTH, f"{year}-M{number}", year, number, number,
                   f"Tháng {number} năm {year}", basis)


def quarter(year: int, number: int) -> OfficialPeriod:
    """Quarter ``number`` (1–4): "Quý III năm 2026"."""
    _check_number(msg("word_quarter"), number, len(rules().quarters))
    span = rules().quarters[number - 1]
    return _span_period(PeriodKind.QUARTER, f"{year}-Q{number}", year, span,
                        f"Quý {_ROMAN[number - 1]} năm {year}")


def half(year: int) -> OfficialPeriod:
    """The first six months: "6 tháng đầu năm 2026"."""
    return _span_period(PeriodKind.HALF, f"{year}-6M", year, rules().half,
                        f"6 tháng đầu năm {year}")


def nine_months(year: int) -> OfficialPeriod:
    """Nine months, "9 tháng năm 2026" (unconfirmed: see the module's docstring)."""
    return _span_period(PeriodKind.NINE_MONTHS, f"{year}-9M", year, rules().nine_months,
                        f"9 tháng năm {year}")


def whole_year(year: int) -> OfficialPeriod:
    """The reporting year: "Năm 2026"."""
    return _span_period(PeriodKind.YEAR, str(year), year, rules().year, f"Năm {year}")


def year_to_date(year: int, through_month: int) -> OfficialPeriod:
    """From the reporting year's start to the end of its month ``through_month``."""
    _check_number(msg("word_month"), through_month, 12)
    first = rules().year_to_date_first_month
    if through_month < first:
        raise InvalidInput(msg("err_year_date_starts_with_month",
                               first=first, through_month=through_month))
    return _period(PeriodKind.YEAR_TO_DATE, f"{year}-YTD-M{through_month}", year, first,
                   through_month, f"Từ đầu năm đến tháng {through_month} năm {year}",
                   rules().year_to_date)


def free_range(date_from: date, date_to: date) -> OfficialPeriod:
    """Any dates (``--from``/``--to``), both included; its year is that of ``date_to``."""
    if date_from > date_to:
        raise InvalidInput(msg("err_period_starts_after_ends",
                               date_from=date_from, date_to=date_to))
    return OfficialPeriod(
        code=f"{date_from.isoformat()}..{date_to.isoformat()}", kind=PeriodKind.RANGE,
        year=date_to.year, date_from=date_from, date_to=date_to,
        label=_from_to(date_from, date_to), source="", confirmed=True)


def has_ended(period: OfficialPeriod, today: date) -> bool:
    """Whether the period's last day is over on ``today``."""
    return today > period.date_to


def containing(kind: PeriodKind | str, day: date) -> OfficialPeriod:
    """The period of ``kind`` that contains ``day``.

    15–31 December are in the next year's month 1, quarter I and year. For the year to date
    it is the year to the end of the month containing ``day``. Six and nine months cover only
    the start of a reporting year: a later day is refused, as is ``range``.
    """
    try:
        wanted = PeriodKind(kind)
    except ValueError:
        raise InvalidInput(msg("err_unknown_kind_period_use_one",
                               kind=kind,
                               names=", ".join(k.value for k in PeriodKind))) from None
    year, number = _month_of(day)
    match wanted:
        case PeriodKind.MONTH:
            return month(year, number)
        case PeriodKind.QUARTER:
            return quarter(year, next(i for i, q in enumerate(rules().quarters, 1)
                                      if q.first_month <= number <= q.last_month))
        case PeriodKind.HALF | PeriodKind.NINE_MONTHS:
            found = half(year) if wanted is PeriodKind.HALF else nine_months(year)
            if not found.date_from <= day <= found.date_to:
                raise InvalidInput(msg("err_period_runs_from",
                                       day=day, wanted_value=wanted.value, found_code=found.code,
                                       date_from=found.date_from, date_to=found.date_to))
            return found
        case PeriodKind.YEAR:
            return whole_year(year)
        case PeriodKind.YEAR_TO_DATE:
            return year_to_date(year, number)
    raise InvalidInput(msg("err_free_range_fixed_period_give"))


def presets(today: date) -> list[OfficialPeriod]:
    """The periods a report page offers on ``today``, in this order.

    The current month and quarter are the ones containing today (a report in progress, its
    pending dossiers judged now); the previous ones are the last ended, the ones usually sent
    upward. Six months, nine months and the year are those of the reporting year containing
    today: still running, or already ended (six months after 14/06) and so the last ended.
    The previous year is the one before. The year to date runs to the last ended month, in
    that month's reporting year, so it is always a finished stretch: from 15/12 to 14/01,
    when no month of the new year has ended, it is the whole previous year.
    """
    this_month = containing(PeriodKind.MONTH, today)
    last_month = containing(PeriodKind.MONTH, this_month.date_from - timedelta(days=1))
    this_quarter = containing(PeriodKind.QUARTER, today)
    last_quarter = containing(PeriodKind.QUARTER, this_quarter.date_from - timedelta(days=1))
    year = this_month.year
    return [
        this_month, last_month, this_quarter, last_quarter,
        half(year), nine_months(year), whole_year(year), whole_year(year - 1),
        containing(PeriodKind.YEAR_TO_DATE, last_month.date_to),
    ]


def _year_to_today(year: int, today: date, code: str) -> OfficialPeriod:
    if has_ended(whole_year(year), today):
        return year_to_date(year, rules().year.last_month)
    current_year, current_month = _month_of(today)
    first = rules().year_to_date_first_month
    if current_year != year or current_month <= first:
        start = month(year, first)
        raise InvalidInput(
            msg("err_month_has_ended_by_first",
                value=code.strip(), year=year, today=today, start_code=start.code,
                date_to=start.date_to, value2=year - 1))
    return year_to_date(year, current_month - 1)


def _month_of(day: date) -> tuple[int, int]:
    """The reporting year and month containing ``day``: from the start day on, the next."""
    if day.day < rules().start_day:
        return day.year, day.month
    if day.month == 12:
        return _checked_year(day.year + 1, str(day)), 1
    return day.year, day.month + 1


def _span_period(kind: PeriodKind, code: str, year: int, span: Span,
                 label: str) -> OfficialPeriod:
    return _period(kind, code, year, span.first_month, span.last_month, label, span.basis)


def _period(kind: PeriodKind, code: str, year: int, first_month: int, last_month: int,
            label: str, basis: Basis) -> OfficialPeriod:
    _checked_year(year, code)
    cut = rules()
    if first_month == 1:
        date_from = date(year - 1, 12, cut.start_day)
    else:
        date_from = date(year, first_month - 1, cut.start_day)
    return OfficialPeriod(code=code, kind=kind, year=year, date_from=date_from,
                          date_to=date(year, last_month, cut.end_day), label=label,
                          source=basis.source, confirmed=basis.confirmed)


def _check_number(what: Message, number: int, last: int) -> None:
    if not 1 <= number <= last:
        raise InvalidInput(msg("err_there_numbered_1", what=what, number=number, last=last))


def _checked_year(year: int, code: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(msg("err_reporting_period_year_must_from",
                               code=code, min_year=MIN_YEAR, max_year=MAX_YEAR))
    return year


def _from_to(date_from: date, date_to: date) -> str:
    return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"
