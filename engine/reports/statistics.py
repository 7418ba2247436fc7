"""Form 06 (Circular 01/2020/TT-VPCP): dossiers received, resolved and pending in a period.

Every row reconciles: carried over + new = resolved + refused + withdrawn + pending, because
each dossier in scope falls in exactly one of twelve disjoint buckets (``Counts``); the
columns of the form are sums of them. Definitions are in docs/auditing.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, tzinfo
from typing import Any

from engine.errors import InvalidInput
from engine.reports import Period, period, share
from engine.reports.formats import Column, Table
from engine.reports.ports import ReportReads
from engine.store import reports as sql

GROUPINGS = sql.GROUPINGS
GROUP_HEADERS = {"field": "Lĩnh vực", "procedure": "Thủ tục hành chính",
                 "department": "Phòng ban", "level": "Cấp"}
LEVELS = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
DEPARTMENT_NOTE = ("Theo phòng ban: một hồ sơ được tính ở mọi phòng ban đã nhận xử lý một bước "
                   "của hồ sơ, nên dòng tổng cộng đếm mỗi hồ sơ một lần và không bằng tổng các "
                   "dòng.")


@dataclass(frozen=True)
class Counts:
    """The disjoint buckets one dossier in scope falls into (one per line below)."""

    carried_over: int = 0  # received before the period, still open at its start
    new_online: int = 0
    new_offline: int = 0  # received at the desk or by post
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    resolved_no_deadline: int = 0
    refused: int = 0
    withdrawn: int = 0
    pending_within: int = 0  # open at the end, due date not passed, clock running
    pending_overdue: int = 0
    awaiting_supplement: int = 0  # open at the end, clock stopped for the applicant

    @property
    def new(self) -> int:
        return self.new_online + self.new_offline

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def resolved(self) -> int:
        return (self.resolved_early + self.resolved_on_time + self.resolved_late
                + self.resolved_no_deadline)

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_overdue + self.awaiting_supplement

    @property
    def online_rate(self) -> float | None:
        return share(self.new_online, self.new)

    @property
    def on_time_rate(self) -> float | None:
        return share(self.resolved_early + self.resolved_on_time, self.resolved)

    def reconciles(self) -> bool:
        return self.received == self.resolved + self.refused + self.withdrawn + self.pending

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                         for f in fields(self)})

    def figures(self) -> dict[str, Any]:
        """Buckets and derived columns, keyed as the table columns are."""
        return {**asdict(self), "received": self.received, "new": self.new,
                "resolved": self.resolved, "pending": self.pending,
                "online_rate": self.online_rate, "on_time_rate": self.on_time_rate}


@dataclass(frozen=True)
class Row:
    key: str | None  # field name, procedure key, department code or level; None if unknown
    label: str
    counts: Counts


@dataclass(frozen=True)
class Report:
    period: Period
    group_by: str
    generated_at: datetime
    judged_at: datetime  # pending dossiers are judged here: the period's end, or now
    rows: list[Row]
    total: Counts
    overlapping: bool  # rows may share dossiers (by department), so totals are not row sums


def statistics(reads: ReportReads, tz: tzinfo, now: datetime, date_from: date, date_to: date,
               group_by: str = "field", units: frozenset[str] | None = None) -> Report:
    """Form 06 for the local dates [date_from, date_to] of ``tz``, one row per ``group_by``
    value, pending dossiers judged at ``now`` if the period has not ended; the dossiers of
    ``units`` only, when given."""
    if group_by not in GROUPINGS:
        raise InvalidInput(f"group by one of {', '.join(GROUPINGS)}, not {group_by!r}")
    span = period(tz, date_from, date_to)
    window = span.window(now, units)
    found = reads.form06_rows(window, group_by)
    total = _counts(reads.form06_total(window)) if group_by == "department" else None
    rows = [Row(r["key"], _label(group_by, r["key"], r["label"]), _counts(r)) for r in found]
    if total is None:
        total = sum((r.counts for r in rows), Counts())
    return Report(span, group_by, now, window.as_of, rows, total, group_by == "department")


def _counts(values: dict[str, Any]) -> Counts:
    return Counts(**{name: int(values[name] or 0) for name in sql.BUCKETS})


def _label(group_by: str, key: str | None, label: str | None) -> str:
    if key is None:
        return "(chưa phân loại)"
    if group_by == "level":
        return LEVELS.get(key, key)
    return label or key


RECEIVED, RESOLVED, PENDING = "Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết", \
    "Số hồ sơ đang giải quyết"
OTHER, RATES = "Hồ sơ kết thúc khác", "Tỷ lệ (%)"
FIGURES = [
    Column("received", "Tổng số", RECEIVED, short="Nhận"),
    Column("carried_over", "Số kỳ trước chuyển qua", RECEIVED, short="Kỳ trước"),
    Column("new_online", "Số mới tiếp nhận trực tuyến", RECEIVED, short="Mới trực tuyến"),
    Column("new_offline", "Số mới tiếp nhận trực tiếp, bưu chính", RECEIVED,
           short="Mới trực tiếp, BC"),
    Column("resolved", "Tổng số", RESOLVED, short="Đã giải quyết"),
    Column("resolved_early", "Trước hạn", RESOLVED),
    Column("resolved_on_time", "Đúng hạn", RESOLVED),
    Column("resolved_late", "Quá hạn", RESOLVED),
    Column("resolved_no_deadline", "Không quy định thời hạn", RESOLVED, short="Không hạn"),
    Column("pending", "Tổng số", PENDING, short="Đang giải quyết"),
    Column("pending_within", "Trong hạn", PENDING),
    Column("pending_overdue", "Quá hạn", PENDING, short="Đang quá hạn"),
    Column("awaiting_supplement", "Chờ bổ sung, hoàn thiện", PENDING, short="Chờ bổ sung"),
    Column("refused", "Từ chối", OTHER),
    Column("withdrawn", "Rút hồ sơ", OTHER, short="Rút"),
    Column("online_rate", "Tiếp nhận trực tuyến", RATES, "ratio", "% trực tuyến"),
    Column("on_time_rate", "Giải quyết đúng hạn", RATES, "ratio", "% đúng hạn"),
]


def statistics_table(report: Report) -> Table:
    """The report laid out as form 06 (Mẫu số 06), ready for any writer in ``formats``."""
    head = GROUP_HEADERS[report.group_by]
    columns = [Column("label", head, kind="text"), *FIGURES]
    rows = [{"key": r.key, "label": r.label, **r.counts.figures()} for r in report.rows]
    totals = {"key": None, "label": "Tổng cộng", **report.total.figures()}
    p = report.period
    subtitle = (f"Kỳ báo cáo: từ ngày {p.date_from:%d/%m/%Y} đến ngày {p.date_to:%d/%m/%Y}; "
                f"số liệu đang giải quyết tính đến {_local(report.judged_at, p.tz)}")
    notes = [DEPARTMENT_NOTE] if report.overlapping else []
    return Table("Tình hình, kết quả giải quyết thủ tục hành chính", subtitle, columns, rows,
                 totals, notes)


def _local(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%H:%M %d/%m/%Y}"
