"""Working days and office-time arithmetic for a one-stop office."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from engine.calendar import deadlines
from engine.calendar.adjustments import (
    DEFAULT_DATA_DIR,
    CalendarDataError,
    YearAdjustments,
    load_year,
)
from engine.calendar.checks import as_amount, require_aware
from engine.calendar.hours import OfficeHours

WEEKEND = "weekend"

# No office anywhere closes for a year; a longer search means the configuration is broken.
_MAX_SEARCH_DAYS = 370


# The office time zone when the settings name none (MOTCUA_TIMEZONE); every other module
# asks the office's calendar (``calendar.tz``), which bootstrap builds from the settings.
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class _Year:
    days_off: dict[date, str]  # every day off with its reason, weekends included
    working_days: dict[date, str]  # make-up working days, which win over everything
    adjustments: YearAdjustments | None


class WorkingCalendar:
    """Vietnamese civil-service working calendar.

    A day is a working day when it is an office weekday and not a day off, or when the
    government made it a make-up working day. Days off are the ``holidays`` package's VN
    holidays plus the yearly data files. All datetimes returned are in UTC.
    """

    _default: WorkingCalendar | None = None
    _default_lock = threading.Lock()

    def __init__(
        self,
        hours: OfficeHours = OfficeHours(),
        tz: str = DEFAULT_TIMEZONE,
        data_dir: Path | None = None,
        same_day_cutoff: time = time(15),
    ) -> None:
        try:
            self._tz = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
        if same_day_cutoff.tzinfo is not None:
            raise ValueError("same_day_cutoff is a local wall-clock time: no tzinfo")
        self._hours = hours
        self._data_dir = data_dir if data_dir is not None else DEFAULT_DATA_DIR
        self._cutoff = same_day_cutoff
        self._years: dict[int, _Year] = {}
        self._years_lock = threading.Lock()

    @classmethod
    def default(cls, tz: str = DEFAULT_TIMEZONE) -> WorkingCalendar:
        """A shared calendar with default office hours and the shipped data (one per zone:
        its years are computed once)."""
        with cls._default_lock:
            if cls._default is None or cls._default.tz.key != tz:
                cls._default = cls(tz=tz)
            return cls._default

    @property
    def hours(self) -> OfficeHours:
        return self._hours

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def same_day_cutoff(self) -> time:
        return self._cutoff

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    # ---- days ---------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        year = self._year(d.year)
        if d in year.working_days:
            return True
        return d.weekday() in self._hours.weekdays and d not in year.days_off

    def day_off_reason(self, d: date) -> str | None:
        """Why the office is closed on ``d``: the holiday's name, "weekend", or None if open."""
        year = self._year(d.year)
        if d in year.working_days:
            return None
        if d in year.days_off:
            return year.days_off[d]
        if d.weekday() not in self._hours.weekdays:
            return WEEKEND
        return None

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        for _ in range(_MAX_SEARCH_DAYS):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days after {d}")

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in (a, b]: ``a`` itself is not counted, ``b`` is."""
        count = 0
        d = a
        while d < b:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return count

    def days_off(self, year: int) -> dict[date, str]:
        """Every holiday and official day off of ``year`` (weekends only when a holiday)."""
        return dict(sorted(self._year(year).days_off.items()))

    def make_up_working_days(self, year: int) -> dict[date, str]:
        return dict(sorted(self._year(year).working_days.items()))

    def check_data_files(self) -> list[int]:
        """Load every ``vn-<year>.toml`` now, so a broken file fails at startup, not mid-request.

        Returns the years that have a file.
        """
        years = sorted(
            int(path.stem[3:])
            for path in self._data_dir.glob("vn-*.toml")
            if path.stem[3:].isdigit()
        )
        for year in years:
            self._year(year)
        return years

    def adjustments(self, year: int) -> YearAdjustments | None:
        """The year's data file as loaded, or None when the year has none (``holidays`` only)."""
        return self._year(year).adjustments

    # ---- office time --------------------------------------------------------------------

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` of office time after ``start``.

        Time outside office periods does not count; starting outside hours means starting at
        the next opening. Ending exactly at a closing time gives that closing time.
        """
        require_aware(start, "start")
        remaining = timedelta(hours=as_amount(hours, "hours"))
        cursor = start.astimezone(self._tz)
        if not remaining:
            return cursor.astimezone(UTC)
        day = cursor.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for opens, closes in self._periods(day):
                if closes <= cursor:
                    continue
                begin = max(opens, cursor)
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(UTC)
                remaining -= available
                cursor = closes
            day = self.next_working_day(day)

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """``start`` plus ``days`` × hours_per_day of office time (step allowances: 0.5 day…)."""
        return self.add_working_hours(start, as_amount(days, "days") * self._hours.hours_per_day)

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Office hours in [a, b]; 0 when ``b`` is not after ``a``."""
        require_aware(a, "a")
        require_aware(b, "b")
        if b <= a:
            return 0.0
        start, end = a.astimezone(self._tz), b.astimezone(self._tz)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for opens, closes in self._periods(day):
                    overlap = min(closes, end) - max(opens, start)
                    if overlap > timedelta():
                        total += overlap
            day += timedelta(days=1)
        return total / timedelta(hours=1)

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself during a working day (lunch included), else the next opening.

        Online dossiers filed at night or on a day off count as received when the office
        next opens.
        """
        require_aware(moment, "moment")
        local = moment.astimezone(self._tz)
        day = local.date()
        if self.is_working_day(day):
            first = datetime.combine(day, self._hours.periods[0][0], tzinfo=self._tz)
            last = datetime.combine(day, self._hours.closing_time, tzinfo=self._tz)
            if first <= local < last:
                return moment.astimezone(UTC)
            if local < first:
                return first.astimezone(UTC)
        following = self.next_working_day(day)
        return datetime.combine(following, self._hours.periods[0][0],
                                tzinfo=self._tz).astimezone(UTC)

    def end_of_day(self, d: date) -> datetime:
        """Closing time of ``d`` (17:00 local by default), in UTC."""
        return datetime.combine(d, self._hours.closing_time, tzinfo=self._tz).astimezone(UTC)

    def local_time(self, moment: datetime) -> datetime:
        require_aware(moment, "moment")
        return moment.astimezone(self._tz)

    # ---- deadlines ----------------------------------------------------------------------

    def statutory_due(self, received_at: datetime, amount: float, unit: str) -> datetime:
        """Due moment (UTC) of a statutory deadline of ``amount`` ``unit`` from receipt.

        Units: working_days, days, working_hours, same_day; see ``engine.calendar.deadlines``.
        """
        return deadlines.statutory_due(self, received_at, amount, unit)

    # ---- internals ----------------------------------------------------------------------

    def _periods(self, d: date) -> Iterator[tuple[datetime, datetime]]:
        for opens, closes in self._hours.periods:
            yield (
                datetime.combine(d, opens, tzinfo=self._tz),
                datetime.combine(d, closes, tzinfo=self._tz),
            )

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        with self._years_lock:
            cached = self._years.get(year)
            if cached is None:
                cached = self._build_year(year)
                self._years[year] = cached
            return cached

    def _build_year(self, year: int) -> _Year:
        days_off: dict[date, str] = {
            day: str(name)
            for day, name in holidays.country_holidays("VN", years=year, language="vi").items()
        }
        working_days: dict[date, str] = {}
        adjustments = load_year(self._data_dir, year)
        if adjustments is not None:
            for day, entry in adjustments.days_off.items():
                days_off[day] = entry.reason  # the official wording beats the package's label
            for day, entry in adjustments.working_days.items():
                if day.weekday() < 5 and day not in days_off:
                    # The files describe the Monday–Friday civil-service week, where a make-up
                    # day on an open weekday does nothing: almost always a mistyped date.
                    raise CalendarDataError(
                        f"{adjustments.path}, line {entry.line}: working_day {day} is already "
                        "a working day"
                    )
                days_off.pop(day, None)
                working_days[day] = entry.reason
        return _Year(days_off=days_off, working_days=working_days, adjustments=adjustments)
