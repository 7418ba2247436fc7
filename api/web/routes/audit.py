"""Auditors (and leaders): the statistics (Biểu số 06/VPCP/KSTT with its satisfaction and
lateness sheets) with charts and exports, where time goes on a procedure's diagram, and the
audit-log verification."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from api.routers import exports
from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from engine.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from engine.service import auditing, queries, reporting, submissions
from engine.service.permissions import (
    can_read_report,
    can_verify_log,
    may_export_events,
    may_send_reports,
    may_submit_report,
)
from engine.service.views import reports
from engine.service.views.reports import GROUPINGS, statistics_table

router = APIRouter(route_class=WebRoute, include_in_schema=False)
UNIT_CODE = re.compile(r"[0-9A-Za-z.]{1,32}")  # an agency code, as the API takes it


def _period(page: Page, date_from: str, date_to: str, report: bool = True
            ) -> tuple[date, date]:
    """The period a page asks for, this year by default. The limits are the engine's
    (``auditing.check_period`` for reports, ``check_dates`` for the event log: the same the
    API applies); checked here first only to say what is wrong in the user's language. The
    use cases check again."""
    today = page.today()
    try:
        start = date.fromisoformat(date_from) if date_from else today.replace(month=1, day=1)
        end = date.fromisoformat(date_to) if date_to else today
    except ValueError as exc:
        raise InvalidInput(page.t("period_invalid")) from exc
    try:
        if report:
            auditing.check_period(start, end)
        else:
            auditing.check_dates(start, end)
    except InvalidInput as exc:
        raise InvalidInput(page.t("period_limits", first=auditing.FIRST_DATE,
                                  last=auditing.LAST_DATE,
                                  days=auditing.MAX_PERIOD_DAYS)) from exc
    return start, end


def _reader(page: Page) -> None:
    can_read_report(page.me)


def _attachment(body: bytes, name: str, media: str) -> Response:
    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@dataclass(frozen=True)
class StatisticsRequest:
    """What the statistics page and its downloads were asked for, checked."""

    period: reporting.OfficialPeriod
    unit: str | None  # None: the widest unit the reader reads
    consolidate: bool | None  # None: as the engine decides for the unit (consolidate below)
    group: str

    @property
    def named(self) -> reporting.Named | None:
        return None if self.period.kind == "range" else reporting.named_period(self.period)

    def query(self, report: reporting.Report) -> str:
        """The same report again, as the page shows it (for its download links)."""
        asked: dict[str, str] = (
            {"date_from": str(self.period.date_from), "date_to": str(self.period.date_to)}
            if self.named is None else {"period": self.period.code})
        if report.scope.unit:
            asked["unit"] = report.scope.unit
            if report.consolidated:
                asked["consolidate"] = "1"
        asked["group"] = self.group
        return urlencode(asked)


def _statistics_request(page: Page, period: str, date_from: str, date_to: str, unit: str,
                        consolidate: str, group: str) -> StatisticsRequest:
    """An official period code wins over dates; without either, the reporting year to the
    last ended month (docs/web.md). The checkbox counts only once a unit was chosen: before,
    the engine consolidates a unit the reader reads units below."""
    _reader(page)
    if period:
        try:
            chosen = reporting.official_period(page.office, period)
        except InvalidInput as exc:
            raise InvalidInput(page.t("period_code_invalid", code=period[:20])) from exc
        _period(page, str(chosen.date_from), str(chosen.date_to))
    elif date_from or date_to:
        chosen = reporting.free_range(*_period(page, date_from, date_to))
    else:
        chosen = _default_period(page)
    if unit and not UNIT_CODE.fullmatch(unit):
        raise InvalidInput(page.t("unit_invalid"))
    return StatisticsRequest(chosen, unit or None, bool(consolidate) if unit else None,
                             group if group in GROUPINGS else "form")


def _default_period(page: Page) -> reporting.OfficialPeriod:
    presets = reporting.period_presets(page.office)
    return next((p for p in presets if p.kind == "year_to_date"), presets[0])


def _statistics(page: Page, asked: StatisticsRequest, group: str | None = None
                ) -> reporting.Report:
    """Form 06 as asked; a unit the reader may not read is the page's 403, in their words."""
    span = asked.period
    try:
        return auditing.statistics_report(page.office, page.me, span.date_from, span.date_to,
                                          group or asked.group, asked.unit, asked.consolidate,
                                          asked.named, page.lang)
    except NotAllowed as exc:
        raise NotAllowed(page.t("unit_not_readable", unit=asked.unit or "")) from exc


@router.get("/thong-ke", response_class=HTMLResponse)
def statistics_page(page: UserPage, period: str = "", date_from: str = "", date_to: str = "",
                    unit: str = "", consolidate: str = "", group: str = "form",
                    procedure: str = "") -> HTMLResponse:
    asked = _statistics_request(page, period, date_from, date_to, unit, consolidate, group)
    start, end = asked.period.date_from, asked.period.date_to
    report = _statistics(page, asked)
    table = statistics_table(report, page.lang)
    satisfaction, lateness = reports.companion_tables(page.office, page.me, report, page.lang)
    units = reports.unit_choices(page.office, page.me, start, end)
    chosen_unit = next((u for u in units if u.code == report.scope.unit), None)
    if chosen_unit is None and report.scope.unit:  # a unit that did not exist in the period
        chosen_unit = reports.UnitChoice(report.scope.unit, report.scope.reporting_unit,
                                         None, report.consolidated)
        units = [chosen_unit, *units]
    catalogue = queries.procedures(page.office, page.me)
    chosen = procedure if procedure in {p.key for p in catalogue} else \
        (catalogue[0].key if catalogue else "")
    by_procedure = _statistics(page, asked, "procedure")
    steps = auditing.steps_report(page.office, page.me, chosen, start, end) if chosen else None
    charts: dict[str, Any] = {
        "on_time": [{"label": r.label, "rate": r.counts.on_time_rate,
                     "resolved": r.counts.resolved} for r in by_procedure.rows],
        "months": [{"month": m.month.strftime("%m/%Y"), "received": m.received,
                    "resolved": m.resolved}
                   for m in reports.monthly(page.office, page.me, start, end,
                                            units=report.scope.units)],
        "steps": [{"label": s.step_name, "waiting": [s.waiting.median, s.waiting.p90],
                   "working": [s.working.median, s.working.p90], "max": s.working.max,
                   "count": s.completed} for s in (steps.steps if steps else [])],
        "labels": {k: page.t(k) for k in ("chart_on_time", "chart_received",
                                          "chart_resolved", "chart_waiting",
                                          "chart_working", "chart_hours")},
    }
    sent = submissions.as_sent(page.office, page.me, report)
    if sent is not None:
        # A period already sent shows as sent; what was corrected since is a second table.
        table = submissions.sent_table(page.office, sent.submitted, page.lang)
    corrections = submissions.comparison_table(page.office, sent, page.lang) \
        if sent is not None and sent.differences else None
    may_send = (sent is None and asked.named is not None and asked.group == "form"
                and report.scope.unit is not None
                and may_submit_report(page.me, report.scope.unit)
                and reporting.has_ended(asked.period, page.today()))
    presets = reporting.period_presets(page.office)
    if asked.named is not None and asked.period.code not in {p.code for p in presets}:
        presets.append(asked.period)  # a period typed into the address stays selected
    return page.render("statistics.html", report=report, table=table, start=start, end=end,
                       period=asked.period if asked.named else None, presets=presets,
                       units=units, unit=chosen_unit,
                       group=asked.group, groupings=GROUPINGS,
                       outside=reports.outside_group(page.lang),
                       charts=charts,
                       query=asked.query(report), satisfaction=satisfaction,
                       lateness=lateness, procedures=catalogue, procedure=chosen,
                       event_log=may_export_events(page.me), sent=sent,
                       corrections=corrections, may_send=may_send,
                       sender=submissions.sender(page.office, sent.submitted) if sent else "",
                       reconciles=all(r.counts.reconciles() for r in report.rows)
                       and report.total.reconciles())


@router.post("/thong-ke/gui")
def send_report(page: UserPage, form: Posted) -> Response:
    """The unit's leader sends the period's form upward; the page then shows it as sent."""
    if not may_send_reports(page.me):
        raise NotAllowed(page.t("report_send_forbidden"))
    period, unit = text_field(form, "period", 20), text_field(form, "unit", 32)
    consolidate = text_field(form, "consolidate", 1) == "1"
    try:
        chosen = reporting.official_period(page.office, period)
    except InvalidInput as exc:
        raise InvalidInput(page.t("period_code_invalid", code=period[:20])) from exc
    try:
        submissions.submit(page.office, page.me, chosen, unit, consolidate)
    except AlreadyDone as exc:
        raise AlreadyDone(page.t("report_already_sent", period=chosen.label)) from exc
    except InvalidInput as exc:
        raise InvalidInput(page.t("report_not_ended", period=chosen.label)) from exc
    query = urlencode({"period": chosen.code, "unit": unit,
                       **({"consolidate": "1"} if consolidate else {})})
    return page.redirect(f"/thong-ke?{query}")


@router.get("/thong-ke/bao-cao.{fmt}")
def statistics_file(fmt: Annotated[str, Path(pattern=r"^(xlsx|csv)$")], page: UserPage,
                    period: str = "", date_from: str = "", date_to: str = "", unit: str = "",
                    consolidate: str = "", group: str = "form") -> Response:
    """The workbook (the form, its satisfaction and lateness sheets) or the form as CSV."""
    asked = _statistics_request(page, period, date_from, date_to, unit, consolidate, group)
    span = asked.period
    try:
        found = reports.statistics_file(page.office, page.me, span.date_from, span.date_to,
                                        asked.group, fmt, asked.unit, asked.consolidate,
                                        asked.named, page.lang)
    except NotAllowed as exc:
        raise NotAllowed(page.t("unit_not_readable", unit=asked.unit or "")) from exc
    name = span.code.replace("..", "_")
    return _attachment(found.body, f"bieu-06-{name}.{fmt}", found.media_type)


@router.get("/thong-ke/nhat-ky.{fmt}")
def event_log(fmt: Annotated[str, Path(pattern=r"^(xes|csv)$")], page: UserPage,
              date_from: str = "", date_to: str = "") -> Response:
    """The process-mining event log of the dossiers received in the period (auditors, as in
    the API; streamed from a spooled file the same way)."""
    start, end = _period(page, date_from, date_to, report=False)
    name = f"nhat-ky-{start}-{end}.{fmt}"
    media = "application/xml" if fmt == "xes" else "text/csv; charset=utf-8"
    # A byte-order mark before the CSV, so Excel reads the diacritics.
    return exports.spooled(page.office, page.me, "xes" if fmt == "xes" else "csv", media,
                           start, end, name, prefix=b"" if fmt == "xes" else b"\xef\xbb\xbf")


@router.get("/thoi-gian", response_class=HTMLResponse)
def where_time_goes(page: UserPage, procedure: str = "", date_from: str = "",
                    date_to: str = "") -> HTMLResponse:
    """The procedure's diagram coloured by the median time of each step and its late share."""
    _reader(page)
    start, end = _period(page, date_from, date_to)
    catalogue = queries.procedures(page.office, page.me)
    if not catalogue:
        raise NotFound(page.t("no_procedures"))
    chosen = next((p for p in catalogue if p.key == procedure), catalogue[0])
    report = auditing.steps_report(page.office, page.me, chosen.key, start, end)
    heat = {s.step_id: {"name": s.step_name, "median": _total(s.waiting.median,
                                                              s.working.median),
                        "waiting": s.waiting.median, "working": s.working.median,
                        "late_share": s.late_share, "count": s.completed,
                        "pauses": s.pauses_clock}
            for s in report.steps}
    return page.render("time.html", report=report, procedures=catalogue, chosen=chosen,
                       start=start, end=end, heat=heat,
                       labels={k: page.t(k) for k in ("heat_median", "heat_late",
                                                      "heat_count", "unit_h")})


def _total(a: float | None, b: float | None) -> float | None:
    if a is None and b is None:
        return None
    return (a or 0.0) + (b or 0.0)


@router.get("/kiem-tra-nhat-ky", response_class=HTMLResponse)
def verify(page: UserPage, run: bool = False) -> HTMLResponse:
    can_verify_log(page.me)
    result = auditing.verify(page.office, page.me, page.lang) if run else None
    return page.render("verify.html", result=result, checked_at=page.office.now())
