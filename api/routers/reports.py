"""Reports for auditors and leaders: form 06, where time goes per step, and per person.

Each answers JSON by default; ``format=csv`` (UTF-8 with a byte-order mark, for Excel) and
``format=xlsx`` (laid out like the paper form) are downloads of the same figures.
"""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.deps import CurrentUser, OfficeDep
from api.schemas import (
    DEPARTMENT_PATTERN,
    KEY_PATTERN,
    ReportPeriod,
    problem_responses,
    report_period,
)
from engine.service import auditing
from engine.service.reporting import formats, staff_table, statistics_table, step_table

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


@router.get("/statistics", response_model=auditing.StatisticsView, responses=RESPONSES)
def statistics(
    period: Period,
    user: CurrentUser,
    office: OfficeDep,
    group_by: Literal["field", "procedure", "department", "level"] = "field",
    fmt: Format = "json",
) -> Any:
    """Form 06 (Circular 01/2020/TT-VPCP): dossiers received, resolved and pending in the
    period, one row per group, and the totals. Auditors, leaders and admins."""
    report = auditing.statistics_report(office, user, period.date_from, period.date_to,
                                        group_by)
    if fmt == "json":
        return auditing.statistics_view(office, report)
    return _download(statistics_table(report), fmt, "mau-06", period.date_from,
                     period.date_to, group_by)


@router.get("/steps", response_model=auditing.StepsView, responses=RESPONSES)
def steps(
    procedure: Annotated[str, Query(pattern=KEY_PATTERN, examples=["cap_phep_xay_dung"])],
    period: Period,
    user: CurrentUser,
    office: OfficeDep,
    fmt: Format = "json",
) -> Any:
    """Per step and department of a procedure, over the steps completed in the period: how
    many, the median, 90th percentile and longest waiting and working time in office hours,
    how many were late against the step's allowance; and the steps that most often make a
    dossier late, worst first. Auditors, leaders and admins."""
    report = auditing.steps_report(office, user, procedure, period.date_from, period.date_to)
    if fmt == "json":
        return auditing.steps_view(report)
    return _download(step_table(report), fmt, "buoc-xu-ly", procedure, period.date_from,
                     period.date_to)


@router.get("/staff", response_model=auditing.StaffView, responses=RESPONSES)
def staff(
    period: Period,
    user: CurrentUser,
    office: OfficeDep,
    department: Annotated[str | None, Query(pattern=DEPARTMENT_PATTERN)] = None,
    fmt: Format = "json",
) -> Any:
    """Per person: steps completed in the period, early / on time / late, and the median
    working hours. Auditors and admins see everyone; a leader the departments they belong
    to."""
    scoped = auditing.staff(office, user, period.date_from, period.date_to, department)
    if fmt == "json":
        return auditing.staff_view(scoped)
    return _download(staff_table(scoped.report), fmt, "can-bo", period.date_from,
                     period.date_to, department)
