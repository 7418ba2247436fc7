"""Reports for auditors and leaders: form 06, where time goes per step, and per person.

Each answers JSON by default; ``format=csv`` (UTF-8 with a byte-order mark, for Excel) and
``format=xlsx`` (laid out like the paper form) are downloads of the same figures.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentUser, LangDep, OfficeDep
from api.schemas import (
    DEPARTMENT_PATTERN,
    KEY_PATTERN,
    OfficeDate,
    ReportPeriod,
    problem_422,
    problem_responses,
    report_period,
)
from engine.errors import InvalidInput
from engine.service import auditing, reporting, submissions
from engine.service.reporting import formats, staff_table, statistics_table, step_table
from engine.service.views import reports as views

router = APIRouter(prefix="/reports", tags=["reports"])

Period = Annotated[ReportPeriod, Depends(report_period)]
Format = Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")]
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, CSV: {}, XLSX: {}},
          "description": "JSON, or with format=csv or format=xlsx a file to download"},
    **problem_responses(401, 403, 404, 422)}


def _download(table: formats.Table, fmt: str, *name: object) -> Response:
    """The table as a file: CSV with a byte-order mark (Excel then reads the diacritics), or
    an Excel workbook laid out like the paper form."""
    if fmt == "csv":
        text = io.StringIO()
        formats.to_csv(table, text)
        body, media = ("\ufeff" + text.getvalue()).encode("utf-8"), CSV
    else:
        binary = io.BytesIO()
        formats.to_xlsx(table, binary)
        body, media = binary.getvalue(), XLSX
    filename = "_".join(str(part) for part in name if part is not None)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


PERIOD_CODE = r"^\s*\d{4}(-([QqMm]\d{1,2}|6[Mm]|9[Mm]|[Yy][Tt][Dd](-[Mm]\d{1,2})?))?\s*$"
UNIT_PATTERN = r"^[0-9A-Za-z.]{1,32}$"


def _statistics_period(office: OfficeDep, lang: LangDep,
                       period: Annotated[str | None, Query(
                           description="an official period: 2026-Q3, 2026-6M, 2026-9M, 2026, "
                           "2026-M11, 2026-YTD or 2026-YTD-M11 (cut-offs of Decree "
                           "09/2019/NĐ-CP)", examples=["2026-Q3"])] = None,
                       date_from: Annotated[OfficeDate | None, Query(
                           alias="from", description="first local date of a free range")] = None,
                       date_to: Annotated[OfficeDate | None, Query(
                           alias="to", description="last local date, included")] = None,
                       ) -> reporting.OfficialPeriod:
    """``period``, or a free range ``from``/``to``: one of the two."""
    if period is not None:
        if date_from is not None or date_to is not None:
            raise problem_422("period", "give either period or from and to, not both", period)
        try:
            return reporting.official_period(office, period)
        except InvalidInput as exc:
            raise problem_422("period", exc.text(lang), period) from exc
    if date_from is None and date_to is None:
        raise problem_422("period", "give period (e.g. 2026-Q3) or both from and to", None)
    if date_from is None or date_to is None:  # half a range: name the half that is missing
        missing = "to" if date_to is None else "from"
        raise problem_422(missing, f"give {missing} too, or period instead of a range", None)
    checked = report_period(date_from, date_to)
    return reporting.free_range(checked.date_from, checked.date_to)


StatisticsPeriod = Annotated[reporting.OfficialPeriod, Depends(_statistics_period)]


@router.get("/statistics", response_model=auditing.StatisticsView, responses=RESPONSES)
def statistics(
    period: StatisticsPeriod,
    user: CurrentUser,
    office: OfficeDep,
    lang: LangDep,
    unit: Annotated[str | None, Query(pattern=UNIT_PATTERN,
                                      description="the reporting unit's agency code")] = None,
    consolidate: Annotated[bool | None, Query(
        description="the unit and every unit below it, one row group per unit")] = None,
    group_by: Literal["form", "field", "procedure", "department", "level"] = "form",
    fmt: Format = "json",
) -> Any:
    """Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): dossiers received, resolved and
    pending in the period, laid out as the form (level, field; per unit when consolidated)
    or one row per group, and the totals. Auditors, leaders and admins, for the units they
    read."""
    named = reporting.named_period(period) if period.kind != "range" else None
    report = auditing.statistics_report(office, user, period.date_from, period.date_to,
                                        group_by, unit, consolidate, named, lang)
    sent = submissions.as_sent(office, user, report)
    if fmt == "json":
        view = auditing.statistics_view(office, report, lang)
        return replace(view, submission=None if sent is None else
                       submissions.submission_view(office, sent))
    if sent is not None:
        # As sent, marked; the corrections since are the JSON's (and the page's) second table.
        return _download(submissions.sent_table(office, sent.submitted, lang), fmt,
                         "bieu-06-da-gui",
                         period.code, report.scope.unit)
    name = ("bieu-06", period.code.replace("..", "_"), report.scope.unit, group_by)
    if fmt == "xlsx":
        # The form, then the period's satisfaction and lateness sheets, as the page gives it.
        sheets = list(zip(views.sheet_names(lang), [
            statistics_table(report, lang), *views.companion_tables(office, user, report, lang)],
            strict=True))
        return Response(views.workbook(sheets), media_type=XLSX, headers={
            "Content-Disposition":
            f'attachment; filename="{"_".join(str(n) for n in name if n is not None)}.xlsx"'})
    return _download(statistics_table(report, lang), fmt, *name)


def _sheet(kind: str, period: reporting.OfficialPeriod, user: Any, office: Any,
           unit: str | None, consolidate: bool | None, fmt: str, lang: str) -> Any:
    units = auditing.sheet_units(office, user, period.date_from, period.date_to, unit,
                                 consolidate)
    if kind == "satisfaction":
        table = reporting.satisfaction_table(auditing.satisfaction_report(
            office, user, period.date_from, period.date_to, units), lang)
    else:
        table = reporting.lateness_table(auditing.lateness_report(
            office, user, period.date_from, period.date_to, units), lang)
    if fmt == "json":
        out = io.StringIO()
        formats.to_json(table, out)
        return Response(out.getvalue(), media_type="application/json")
    return _download(table, fmt, "hai-long" if kind == "satisfaction" else "qua-han",
                     period.code.replace("..", "_"), unit)


Unit = Annotated[str | None, Query(pattern=UNIT_PATTERN,
                                   description="the unit's agency code")]
Below = Annotated[bool | None, Query(description="the unit and every unit below it")]


@router.get("/satisfaction", responses=RESPONSES)
def satisfaction(period: StatisticsPeriod, user: CurrentUser, office: OfficeDep,
                 lang: LangDep, unit: Unit = None, consolidate: Below = None,
                 fmt: Format = "json") -> Any:
    """The applicants' ratings given in the period, per unit and procedure: counts per answer
    and the share satisfied (docs/auditing.md). Readers of form 06, for their units."""
    return _sheet("satisfaction", period, user, office, unit, consolidate, fmt, lang)


@router.get("/lateness", responses=RESPONSES)
def lateness(period: StatisticsPeriod, user: CurrentUser, office: OfficeDep,
             lang: LangDep, unit: Unit = None, consolidate: Below = None,
             fmt: Format = "json") -> Any:
    """The dossiers of the period resolved late or still overdue at its end, with the reasons
    and the apologies issued. Readers of form 06, for their units."""
    return _sheet("lateness", period, user, office, unit, consolidate, fmt, lang)


class SubmitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(pattern=PERIOD_CODE, examples=["2026-Q3"],
                        description="an ended official period")
    unit: str = Field(pattern=UNIT_PATTERN, description="the reporting unit's agency code")
    consolidate: bool = Field(False, description="the unit and every unit below it")


@router.post("/statistics/submissions", status_code=201,
             response_model=submissions.SubmissionView,
             responses=problem_responses(401, 403, 404, 409, 422))
def submit_statistics(body: SubmitRequest, user: CurrentUser, office: OfficeDep,
                      lang: LangDep) -> Any:
    """Send form 06 of an ended period upward (the unit's leader, or an admin): the figures
    are kept as sent, with who and when, as an event on the system audit chain. **409** if
    this unit already sent this period; **422** for a period that has not ended."""
    try:
        period = reporting.official_period(office, body.period)
    except InvalidInput as exc:
        raise problem_422("period", exc.text(lang), body.period) from exc
    sent = submissions.submit(office, user, period, body.unit, body.consolidate)
    return submissions.submission_view(office, submissions.just_sent(office, sent))


@router.get("/steps", response_model=auditing.StepsView, responses=RESPONSES)
def steps(
    procedure: Annotated[str, Query(pattern=KEY_PATTERN, examples=["cap_phep_xay_dung"])],
    period: Period,
    user: CurrentUser,
    office: OfficeDep,
    lang: LangDep,
    fmt: Format = "json",
) -> Any:
    """Per step and department of a procedure, over the steps completed in the period: how
    many, the median, 90th percentile and longest waiting and working time in office hours,
    how many were late against the step's allowance; and the steps that most often make a
    dossier late, worst first. Auditors, leaders and admins."""
    report = auditing.steps_report(office, user, procedure, period.date_from, period.date_to)
    if fmt == "json":
        return auditing.steps_view(report)
    return _download(step_table(report, lang), fmt, "buoc-xu-ly", procedure, period.date_from,
                     period.date_to)


@router.get("/staff", response_model=auditing.StaffView, responses=RESPONSES)
def staff(
    period: Period,
    user: CurrentUser,
    office: OfficeDep,
    lang: LangDep,
    department: Annotated[str | None, Query(pattern=DEPARTMENT_PATTERN)] = None,
    fmt: Format = "json",
) -> Any:
    """Per person: steps completed in the period, early / on time / late, and the median
    working hours. Auditors and admins see everyone; a leader the departments they belong
    to."""
    scoped = auditing.staff(office, user, period.date_from, period.date_to, department)
    if fmt == "json":
        return auditing.staff_view(scoped)
    return _download(staff_table(scoped.report, lang), fmt, "can-bo", period.date_from,
                     period.date_to, department)
