"""Form 06 (Biểu số 06/VPCP/KSTT, Circular 01/2020/TT-VPCP): dossiers received, resolved and
pending in a period, per unit, level and field.

Each dossier received for resolution falls in exactly one of four reception buckets and one
of ten outcome buckets (``Counts``); every column of the form, and every column the office
keeps beside it, is a sum of them. So every row satisfies the form's sums (received =
carried over + online + desk or post; resolved = early + on time + late; pending = within +
overdue) and reconciles: carried over + new = resolved + refused + withdrawn + pending.
Definitions are in docs/auditing.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, tzinfo
from typing import Any

from engine.errors import InvalidInput
from engine.i18n import DEFAULT, msg, translate
from engine.reports import Period, period, share
from engine.reports import form06_text as text
from engine.reports.formats import Column, FormHeader, Table
from engine.reports.ports import ReportReads
from engine.store import reports as sql

GROUPINGS = sql.GROUPINGS
EARLY_RULES = sql.EARLY_RULES
GROUP_HEADERS = {"field": "rep06_group_field", "procedure": "rep06_group_procedure",
                 "department": "rep06_group_department", "level": "rep06_group_level"}
LEVELS = {"province": "rep06_level_province", "district": "rep06_level_district",
          "commune": "rep06_level_commune"}
LEVEL_ORDER = ("province", "district", "commune")
UNCLASSIFIED = "rep06_unclassified"


@dataclass(frozen=True)
class Counts:
    """The disjoint buckets one dossier in scope falls into (see ``engine.store.reports``)."""

    carried_over: int = 0  # received before the period, still open at its start
    new_online: int = 0
    new_desk: int = 0
    new_post: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    resolved_no_deadline: int = 0  # the procedure sets no deadline: on time on the form
    refused: int = 0
    withdrawn: int = 0
    pending_within: int = 0  # open at the end, due date not passed, clock running
    pending_overdue: int = 0
    supplement_within: int = 0  # open at the end, clock stopped for the applicant
    supplement_overdue: int = 0  # … after its due date had already passed
    not_accepted: int = 0  # refused at the desk before acceptance: outside every sum

    # ---- the form's columns ----------------------------------------------------------

    @property
    def new_offline(self) -> int:
        return self.new_desk + self.new_post

    @property
    def new(self) -> int:
        return self.new_online + self.new_offline

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def on_time(self) -> int:
        """The form's "đúng hạn": on the due day, or finished without a statutory deadline."""
        return self.resolved_on_time + self.resolved_no_deadline

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.on_time + self.resolved_late

    @property
    def within(self) -> int:
        return self.pending_within + self.supplement_within

    @property
    def overdue(self) -> int:
        return self.pending_overdue + self.supplement_overdue

    @property
    def pending(self) -> int:
        return self.within + self.overdue

    # ---- beside the form ---------------------------------------------------------------

    @property
    def awaiting_supplement(self) -> int:
        return self.supplement_within + self.supplement_overdue

    @property
    def online_rate(self) -> float | None:
        return share(self.new_online, self.new)

    @property
    def on_time_rate(self) -> float | None:
        return share(self.resolved_early + self.on_time, self.resolved)

    def form_sums_hold(self) -> bool:
        return (self.received == self.carried_over + self.new_online + self.new_offline
                and self.resolved == self.resolved_early + self.on_time + self.resolved_late
                and self.pending == self.within + self.overdue)

    def reconciles(self) -> bool:
        return self.form_sums_hold() and \
            self.received == self.resolved + self.refused + self.withdrawn + self.pending

    def __add__(self, other: Counts) -> Counts:
        return Counts.total((self, other))

    @staticmethod
    def total(many: Iterable[Counts]) -> Counts:
        """The sum of many, bucket by bucket (a province's report adds thousands)."""
        columns = list(zip(*(tuple(c.__dict__.values()) for c in many), strict=True))
        return Counts(*map(sum, columns)) if columns else Counts()

    def figures(self) -> dict[str, Any]:
        """Buckets and derived columns, keyed as the table columns are."""
        return {**asdict(self), "received": self.received, "new": self.new,
                "new_offline": self.new_offline, "on_time": self.on_time,
                "resolved": self.resolved, "within": self.within, "overdue": self.overdue,
                "pending": self.pending, "awaiting_supplement": self.awaiting_supplement,
                "online_rate": self.online_rate, "on_time_rate": self.on_time_rate}


# ``__add__`` builds Counts positionally from the store's bucket order.
assert tuple(f.name for f in fields(Counts)) == sql.BUCKETS


@dataclass(frozen=True)
class Row:
    key: str | None  # a row's place (unit|level|field) or the grouping's value; None: unknown
    label: str
    counts: Counts
    kind: str = "row"  # unit | level | field on the form; row in the other groupings
    stt: str = ""  # the form's STT: I, II for levels (units when consolidated), 1, 2 below
    depth: int = 0


@dataclass(frozen=True)
class Scope:
    """Whose dossiers a report counts and how it names them."""

    units: frozenset[str] | None  # dossiers resolved by these units; None: every unit
    reporting_unit: str  # printed as "Đơn vị báo cáo"
    unit: str | None = None  # its agency code
    # One row group per unit, in this order (code, name), when the report consolidates.
    groups: tuple[tuple[str, str], ...] | None = None
    place: str = ""  # printed before the date of the signature block
    receiving_unit: str = ""  # printed as "Đơn vị nhận báo cáo", when known


@dataclass(frozen=True)
class Named:
    """The period's official name, when it is one (``engine.reports.periods``)."""

    code: str
    label: str
    source: str = ""


@dataclass(frozen=True)
class Report:
    period: Period
    group_by: str
    generated_at: datetime
    judged_at: datetime  # pending dossiers are judged here: the period's end, or now
    rows: list[Row]
    total: Counts
    overlapping: bool  # rows may share dossiers (by department), so totals are not row sums
    scope: Scope = Scope(None, "")
    early_rule: str = "day"
    named: Named | None = None

    @property
    def consolidated(self) -> bool:
        return self.scope.groups is not None


def statistics(reads: ReportReads, tz: tzinfo, now: datetime, date_from: date, date_to: date,
               group_by: str = "form", units: frozenset[str] | None = None, *,
               scope: Scope | None = None, early_rule: str = "day",
               named: Named | None = None, lang: str = DEFAULT) -> Report:
    """Form 06 for the local dates [date_from, date_to] of ``tz``, laid out as the form (unit,
    level, field) or one row per ``group_by`` value, pending dossiers judged at ``now`` if
    the period has not ended; the dossiers the units of ``scope`` (or ``units``) resolve."""
    if group_by not in GROUPINGS:
        raise InvalidInput(msg("err_group_by_one",
                               groupings=', '.join(GROUPINGS), group_by=group_by))
    if early_rule not in EARLY_RULES:
        raise InvalidInput(msg("err_early_rule_one",
                               early_rules=', '.join(EARLY_RULES), early_rule=early_rule))
    scope = scope or Scope(units, "")
    span = period(tz, date_from, date_to)
    base = span.window(now, scope.units)
    window = sql.Window(base.start, base.end, base.as_of, scope.units, resolving_only=True,
                        early_rule=early_rule)
    found = reads.form06_rows(window, group_by)
    total: Counts | None = None
    if group_by == "form":
        rows = _form_rows(found, scope, lang)
    else:
        rows = [Row(r["key"], _label(group_by, r["key"], r["label"], lang), _counts(r))
                for r in found]
        if group_by == "department":
            total = _counts(reads.form06_total(window))
    leaves = [r for r in rows if r.kind in ("row", "field")]
    if total is None:
        total = Counts.total(r.counts for r in leaves)
    return Report(span, group_by, now, window.as_of, rows, total, group_by == "department",
                  scope, early_rule, named)


def _form_rows(cells: Iterable[dict[str, Any]], scope: Scope, lang: str) -> list[Row]:
    """The form's first column: levels with their fields under them (Roman numerals, then
    1, 2 …), each unit of a consolidated report heading its own levels."""
    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cell in cells:
        by_unit[cell["key"] or ""].append(cell)
    if scope.groups is None:
        return _levels([c for cells_of in by_unit.values() for c in cells_of], "", roman=True,
                       depth=0, lang=lang)
    named = dict(scope.groups)
    order = [code for code, _ in scope.groups] + sorted(set(by_unit) - set(named))
    rows: list[Row] = []
    for number, code in enumerate(order, start=1):
        below = _levels(by_unit.get(code, []), f"{code}|", roman=False, depth=1,
                        prefix=f"{_roman(number)}.", lang=lang)
        counts = Counts.total(r.counts for r in below if r.kind == "field")
        rows.append(Row(code, named.get(code, code), counts, "unit", _roman(number), 0))
        rows.extend(below)
    return rows


def _levels(cells: list[dict[str, Any]], key: str, *, roman: bool, depth: int,
            prefix: str = "", lang: str = DEFAULT) -> list[Row]:
    by_cell: dict[str, dict[str, list[Counts]]] = defaultdict(lambda: defaultdict(list))
    for cell in cells:
        by_cell[cell["level"] or ""][cell["field"] or ""].append(_counts(cell))
    by_level = {level: {field: Counts.total(found) for field, found in fields_of.items()}
                for level, fields_of in by_cell.items()}
    ordered = sorted(by_level, key=lambda lv: (LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER
                                               else len(LEVEL_ORDER), lv))
    rows: list[Row] = []
    for number, level in enumerate(ordered, start=1):
        fields_of = by_level[level]
        stt = _roman(number) if roman else f"{prefix}{number}"
        name = translate(lang, LEVELS[level]) if level in LEVELS else \
            level or translate(lang, UNCLASSIFIED)
        rows.append(Row(f"{key}{level}", name, Counts.total(fields_of.values()), "level", stt,
                        depth))
        for index, field in enumerate(sorted(fields_of, key=lambda f: (f == "", f)), start=1):
            rows.append(Row(f"{key}{level}|{field}", field or translate(lang, UNCLASSIFIED),
                            fields_of[field], "field", f"{index}" if roman else f"{stt}.{index}",
                            depth + 1))
    return rows


def _roman(number: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _counts(values: dict[str, Any]) -> Counts:
    return Counts(**{name: int(values[name] or 0) for name in sql.BUCKETS})


def _label(group_by: str, key: str | None, label: str | None, lang: str) -> str:
    if key is None:
        return translate(lang, UNCLASSIFIED)
    if group_by == "level":
        return translate(lang, LEVELS[key]) if key in LEVELS else key
    return label or key


# ---- the table ---------------------------------------------------------------------------

# (key, header id, group id, kind, short header id): the form's eleven columns, then those
# the office keeps beside it. The words are in reports.po.
_RECEIVED, _RESOLVED, _PENDING, _OUTSIDE = ("rep06_received", "rep06_resolved", "rep06_pending",
                                            "rep06_outside")
_FORM_COLUMNS = (
    ("received", "rep06_total", _RECEIVED, "int", "rep06_short_received"),
    ("new_online", "rep06_new_online", _RECEIVED, "int", "rep06_short_online"),
    ("new_offline", "rep06_new_offline", _RECEIVED, "int", "rep06_short_offline"),
    ("carried_over", "rep06_carried_over", _RECEIVED, "int", "rep06_short_carried"),
    ("resolved", "rep06_total", _RESOLVED, "int", "rep06_short_resolved"),
    ("resolved_early", "rep06_early", _RESOLVED, "int", "rep06_short_early"),
    ("on_time", "rep06_on_time", _RESOLVED, "int", "rep06_short_on_time"),
    ("resolved_late", "rep06_late", _RESOLVED, "int", "rep06_short_late"),
    ("pending", "rep06_total", _PENDING, "int", "rep06_short_pending"),
    ("within", "rep06_within", _PENDING, "int", "rep06_short_within"),
    ("overdue", "rep06_overdue", _PENDING, "int", "rep06_short_overdue"),
)
_OUTSIDE_COLUMNS = (
    ("awaiting_supplement", "rep06_awaiting_supplement", _OUTSIDE, "int",
     "rep06_short_supplement"),
    ("resolved_no_deadline", "rep06_no_deadline", _OUTSIDE, "int", "rep06_short_no_deadline"),
    ("new_post", "rep06_post", _OUTSIDE, "int", "rep06_short_post"),
    ("refused", "rep06_refused", _OUTSIDE, "int", "rep06_short_refused"),
    ("withdrawn", "rep06_withdrawn", _OUTSIDE, "int", "rep06_short_withdrawn"),
    ("not_accepted", "rep06_not_accepted", _OUTSIDE, "int", "rep06_short_not_accepted"),
    ("online_rate", "rep06_online_rate", _OUTSIDE, "ratio", "rep06_short_online_rate"),
    ("on_time_rate", "rep06_on_time_rate", _OUTSIDE, "ratio", "rep06_short_on_time_rate"),
)
FORM_KEYS = tuple(key for key, *_ in _FORM_COLUMNS)


def outside_group(lang: str = DEFAULT) -> str:
    """The group header of the columns the office keeps beside the form's own."""
    return translate(lang, _OUTSIDE)

FIGURE_KEYS = (*FORM_KEYS, *(key for key, *_ in _OUTSIDE_COLUMNS))


def figure_columns(lang: str = DEFAULT) -> list[Column]:
    """The figures' columns, headed in ``lang``."""
    return [Column(key, translate(lang, header), translate(lang, group), kind,
                   translate(lang, short))
            for key, header, group, kind, short in (*_FORM_COLUMNS, *_OUTSIDE_COLUMNS)]


def statistics_table(report: Report, lang: str = DEFAULT) -> Table:
    """The report laid out as Biểu số 06/VPCP/KSTT, ready for any writer in ``formats``."""
    def t(key: str, **values: Any) -> str:
        return translate(lang, key, **values)

    head = text.first_column(lang) if report.group_by == "form" else \
        t(GROUP_HEADERS[report.group_by])
    stt = t("rep_stt")
    columns = [Column("stt", stt, kind="text", short=stt),
               Column("label", head, kind="text"), *figure_columns(lang)]
    numbered = report.group_by != "form"
    rows = [{"key": r.key, "stt": str(n) if numbered else r.stt, "label": r.label,
             "kind": r.kind, "depth": r.depth, **r.counts.figures()}
            for n, r in enumerate(report.rows, start=1)]
    totals = {"key": None, "stt": "", "label": t("rep_totals"), "kind": "total", "depth": 0,
              **report.total.figures()}
    p = report.period
    line = text.period_line(p.date_from, p.date_to, lang)
    name = f"{report.named.label} " if report.named else ""
    subtitle = t("rep06_subtitle", period=f"{name}{line}", judged=_local(report.judged_at, p.tz))
    notes = [text.early_rule_note(report.early_rule, lang), text.scope_note(lang)]
    if report.named and report.named.source:
        notes.append(t("rep06_cut_off", source=report.named.source))
    if report.overlapping:
        notes.append(t("rep06_department_note"))
    generated = report.generated_at.astimezone(p.tz).date()
    scope = report.scope
    form = FormHeader(
        code=text.FORM_CODE, basis=text.basis(lang), title=text.title(lang),
        period_line=f"{name}{line}".strip(),
        reporting_unit=t("rep06_reporting_unit", unit=scope.reporting_unit)
        if scope.reporting_unit else "",
        receiving_unit=t("rep06_receiving_unit", unit=scope.receiving_unit)
        if scope.receiving_unit else "",
        unit_of_measure=text.unit_of_measure(lang),
        place_date=text.place_and_date(scope.place, generated, lang),
        signers=text.signers(lang))
    return Table(text.title(lang), subtitle, columns, rows, totals, notes, form, lang)


def _local(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%H:%M %d/%m/%Y}"
