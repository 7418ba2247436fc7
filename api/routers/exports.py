"""Event logs for process mining (XES and CSV), for auditors and admins.

The engine writes the log as the rows stream in; it goes to a spooled temporary file (in
memory while small, on disk beyond) and is streamed from there, so a large log is never held
in memory whole and any error surfaces before the first byte is sent.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO, Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from api.deps import CurrentUser, OfficeDep
from api.schemas import ExportPeriod, export_period, problem_responses
from engine.model import User
from engine.service import auditing
from engine.service.office import Office

router = APIRouter(prefix="/exports", tags=["exports"])

Period = Annotated[ExportPeriod, Depends(export_period)]
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
XES = "application/xml"
CSV = "text/csv; charset=utf-8"


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()


def spooled(office: Office, user: User, fmt: auditing.EventFormat, media: str,
            date_from: date | None, date_to: date | None, filename: str,
            prefix: bytes = b"") -> StreamingResponse:
    """The event log as a download, written to a spooled file first (``prefix`` before it,
    e.g. a byte-order mark); the web pages' exports use it too."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        spool.write(prefix)
        summary = auditing.export_events(office, user, fmt, spool, date_from, date_to)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(_chunks(spool), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',  # ours: ASCII
        "X-Traces": str(summary.traces), "X-Events": str(summary.events)})


def _export(fmt: auditing.EventFormat, media: str, period: ExportPeriod, user: CurrentUser,
            office: OfficeDep) -> StreamingResponse:
    name = "_".join(["nhat-ky-su-kien", *(d.isoformat() for d in
                                          (period.date_from, period.date_to) if d)])
    return spooled(office, user, fmt, media, period.date_from, period.date_to, f"{name}.{fmt}")


@router.get("/events.xes", response_class=StreamingResponse,
            responses={200: {"content": {XES: {}}}, **problem_responses(401, 403, 422)})
def events_xes(period: Period, user: CurrentUser, office: OfficeDep) -> StreamingResponse:
    """The event log as XES (IEEE 1849): one trace per dossier received in the period, the
    schedule, start and complete events of each step. ``X-Traces`` and ``X-Events`` give the
    counts."""
    return _export("xes", XES, period, user, office)


@router.get("/events.csv", response_class=StreamingResponse,
            responses={200: {"content": {CSV: {}}}, **problem_responses(401, 403, 422)})
def events_csv(period: Period, user: CurrentUser, office: OfficeDep) -> StreamingResponse:
    """The same events as CSV (UTF-8), one row per event, columns named as in XES."""
    return _export("csv", CSV, period, user, office)
