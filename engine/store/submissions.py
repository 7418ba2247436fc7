"""Reports sent upward, each read by its key (period, unit, scope) in one statement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from engine.errors import AlreadyDone
from engine.i18n import msg
from engine.model import SubmittedReport
from engine.store.tables import submitted_reports

_t = submitted_reports
_COLUMNS = [c.name for c in _t.columns if c.name != "id"]
# By the unique key, so its index answers it: the time does not grow with the reports kept.
FIND = sa.select(_t).where(_t.c.period_code == sa.bindparam("period_code"),
                           _t.c.unit == sa.bindparam("unit"),
                           _t.c.consolidated == sa.bindparam("consolidated"))

_INSERT = _t.insert().returning(_t.c.id)


class SubmittedReports:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, period_code: str, unit: str, consolidated: bool) -> SubmittedReport | None:
        row = self.conn.execute(FIND, {"period_code": period_code, "unit": unit,
                                       "consolidated": consolidated}).first()
        return None if row is None else _report(row)

    def add(self, *, period_code: str, date_from: date, date_to: date, unit: str,
            consolidated: bool, document: dict[str, Any], submitted_by: str,
            submitted_at: datetime, event_seq: int) -> SubmittedReport:
        """Insert the report; a concurrent second submission for its key loses on the
        unique key."""
        report = SubmittedReport(0, period_code, date_from, date_to, unit, consolidated,
                                 document, submitted_by, submitted_at, event_seq)
        values = {name: getattr(report, name) for name in _COLUMNS}
        try:
            new_id = self.conn.execute(_INSERT, values).scalar_one()
        except IntegrityError as exc:
            raise AlreadyDone(msg("err_form_06_unit_was_already_2",
                                  period_code=period_code, unit=unit)) from exc
        return replace(report, id=int(new_id))


def _report(r: Any) -> SubmittedReport:
    return SubmittedReport(r.id, r.period_code, r.date_from, r.date_to, r.unit,
                           bool(r.consolidated), r.document, r.submitted_by, r.submitted_at,
                           r.event_seq)
