"""The event log for process mining: XES (IEEE 1849) and a flat CSV with the same events.

One trace per dossier (its code), one event per lifecycle transition of each step:
``schedule`` when it is handed over to a department, ``start`` when a clerk claims it,
``complete`` when it is done, ``ate_abort`` when the workflow cancelled it. Both files are
written as the rows stream in, one dossier at a time, so a million dossiers fit in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from itertools import groupby
from typing import IO, Any

from lxml import etree

from engine.model import ItemStatus
from engine.reports import bounds
from engine.reports.formats import CSV_LINE_END, inert
from engine.reports.ports import ReportReads

XES = "http://www.xes-standard.org/"
EXTENSIONS = (("Concept", "concept"), ("Time", "time"), ("Organizational", "org"),
              ("Lifecycle", "lifecycle"))
GLOBALS = (
    ("trace", (("string", "concept:name", "__INVALID__"),)),
    ("event", (("string", "concept:name", "__INVALID__"),
               ("date", "time:timestamp", "1970-01-01T00:00:00.000+00:00"),
               ("string", "lifecycle:transition", "complete"))),
)
CSV_COLUMNS = ("case:concept:name", "case:procedure", "case:channel", "case:status",
               "concept:name", "step_id", "lifecycle:transition", "time:timestamp",
               "org:resource", "org:group")


@dataclass(frozen=True)
class Event:
    name: str
    step_id: str
    transition: str  # schedule | start | complete | ate_abort
    at: datetime
    resource: str | None
    group: str


@dataclass
class Trace:
    code: str
    procedure: str
    procedure_name: str
    channel: str
    status: str
    received_at: datetime
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class ExportSummary:
    traces: int
    events: int


def traces(reads: ReportReads, tz: tzinfo, date_from: date | None = None,
           date_to: date | None = None, units: frozenset[str] | None = None) -> Iterator[Trace]:
    """Dossiers received in the local dates [date_from, date_to] of ``tz`` (either end open),
    with their step events in time order."""
    start, end = bounds(tz, date_from, date_to)
    rows = reads.dossier_steps(start, end, units)
    for _, group in groupby(rows, key=lambda r: r.dossier_id):
        items = list(group)
        first = items[0]
        # The name the procedure had when the dossier was received, as every report reads it.
        trace = Trace(first.code, first.procedure_key, first.procedure_name or first.procedure_key,
                      first.channel, first.status, first.received_at)
        ordered: list[tuple[datetime, int, int, Event]] = []
        for r in items:
            if r.item_id is not None:
                ordered.extend(_step_events(r))
        trace.events = [e for *_, e in sorted(ordered, key=lambda t: t[:3])]
        yield trace


def _step_events(r: Any) -> Iterator[tuple[datetime, int, int, Event]]:
    # Sorted by time, then by step (creation order), then schedule < start < end, so a step
    # handed over in the same instant the previous one completed comes after it.
    def event(rank: int, transition: str, at: datetime,
              resource: str | None) -> tuple[datetime, int, int, Event]:
        return at, r.item_id, rank, Event(r.step_name, r.step_id, transition, at, resource,
                                          r.department_code)

    yield event(0, "schedule", r.created_at, None)
    if r.claimed_at is not None:
        yield event(1, "start", r.claimed_at, r.claimed_by)
    if r.item_status == ItemStatus.COMPLETED and r.completed_at is not None:
        yield event(2, "complete", r.completed_at, r.completed_by)
    elif r.item_status == ItemStatus.CANCELLED and r.completed_at is not None:
        yield event(2, "ate_abort", r.completed_at, None)


def _stamp(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="milliseconds")


def export_xes(reads: ReportReads, tz: tzinfo, agency_code: str, stream: IO[bytes],
               date_from: date | None = None, date_to: date | None = None,
               units: frozenset[str] | None = None) -> ExportSummary:
    """Write the XES log of the office ``agency_code`` to a binary stream; timestamps in the
    local time of ``tz`` with their offset."""
    count = events = 0
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_tag("log"), {"xes.version": "1.0",
                                      "xes.features": "nested-attributes"}, nsmap={None: XES}):
            for name, prefix in EXTENSIONS:
                xf.write(_element("extension", name=name, prefix=prefix,
                                  uri=f"{XES}{name.lower()}.xesext"))
            for scope, attributes in GLOBALS:
                holder = _element("global", scope=scope)
                for kind, key, value in attributes:
                    _child(holder, kind, key, value)
                xf.write(holder)
            xf.write(_element("classifier", name="Activity", keys="concept:name"))
            xf.write(_element("classifier", name="Activity and transition",
                              keys="concept:name lifecycle:transition"))
            xf.write(_element("string", key="concept:name", value=f"motcua {agency_code}"))
            for trace in traces(reads, tz, date_from, date_to, units):
                xf.write(_trace_element(trace, tz))
                count += 1
                events += len(trace.events)
    return ExportSummary(count, events)


def _tag(name: str) -> str:
    return f"{{{XES}}}{name}"


def _element(tag: str, /, **attributes: str) -> etree._Element:
    return etree.Element(_tag(tag), attributes, nsmap={None: XES})


def _child(parent: etree._Element, kind: str, key: str, value: str) -> etree._Element:
    return etree.SubElement(parent, _tag(kind), key=key, value=value)


def _trace_element(trace: Trace, tz: tzinfo) -> etree._Element:
    element = _element("trace")
    for key, value in (("concept:name", trace.code), ("procedure", trace.procedure),
                       ("procedure_name", trace.procedure_name), ("channel", trace.channel),
                       ("status", trace.status)):
        _child(element, "string", key, value)
    _child(element, "date", "received_at", _stamp(trace.received_at, tz))
    for e in trace.events:
        event = etree.SubElement(element, _tag("event"))
        _child(event, "string", "concept:name", e.name)
        _child(event, "string", "step_id", e.step_id)
        _child(event, "string", "lifecycle:transition", e.transition)
        _child(event, "date", "time:timestamp", _stamp(e.at, tz))
        if e.resource is not None:
            _child(event, "string", "org:resource", e.resource)
        _child(event, "string", "org:group", e.group)
    return element


def export_csv(reads: ReportReads, tz: tzinfo, stream: IO[str], date_from: date | None = None,
               date_to: date | None = None,
               units: frozenset[str] | None = None) -> ExportSummary:
    """Write one CSV row per event, columns named as in XES (``CSV_COLUMNS``), so process
    mining tools map them without configuration. Every cell is text; one that would start a
    spreadsheet formula gets a leading ``'`` (``formats.inert``)."""
    writer = csv.writer(stream, lineterminator=CSV_LINE_END)
    writer.writerow(CSV_COLUMNS)
    count = events = 0
    for trace in traces(reads, tz, date_from, date_to, units):
        count += 1
        for e in trace.events:
            writer.writerow([inert(cell) for cell in (
                trace.code, trace.procedure, trace.channel, trace.status, e.name, e.step_id,
                e.transition, _stamp(e.at, tz), e.resource or "", e.group)])
            events += 1
    return ExportSummary(count, events)
