"""A Gantt chart of a dossier's steps as inline SVG: for each hand-over, the time it waited in
the department's queue and the time someone worked on it, against the step's due time.

Drawn on the server from the control sheet, so it prints and needs no script. Every text
comes from the records and is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from engine.model import ACTIVE_ITEM_STATUSES
from engine.service.views.dossiers import ControlSheet, SheetRow

WIDTH = 1100
LABEL = 260  # left column with the step names
ROW = 30
TOP = 34
BAR = 14


def _span(sheet: ControlSheet, now: datetime) -> tuple[datetime, datetime]:
    moments: list[datetime] = [sheet.header.received_at]
    for row in sheet.rows:
        moments += [m for m in (row.handed_over_at, row.claimed_at, row.completed_at,
                                row.due_at) if m is not None]
    if sheet.header.due_at is not None:
        moments.append(sheet.header.due_at)
    if any(r.status in ACTIVE_ITEM_STATUSES for r in sheet.rows):
        moments.append(now)
    start, end = min(moments), max(moments)
    if end - start < timedelta(hours=1):
        end = start + timedelta(hours=1)
    return start, end


def _ticks(start: datetime, end: datetime) -> list[datetime]:
    """Midnights (local) between start and end, thinned to at most ten."""
    first = start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    days = [first + timedelta(days=i) for i in range(max(0, (end - first).days + 1))]
    step = max(1, len(days) // 10 + (1 if len(days) % 10 else 0))
    return days[::step]


def _bar(x1: float, x2: float, y: float, css: str, title: str) -> str:
    width = max(x2 - x1, 2.0)
    return (f'<rect class="{css}" x="{x1:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{BAR}" rx="2"><title>{escape(title)}</title></rect>')


def gantt_svg(sheet: ControlSheet, now: datetime, t: Callable[..., str],
              fmt: Callable[[datetime | None], str]) -> Markup:
    """The chart; ``t`` translates the legend and tooltips, ``fmt`` prints a moment."""
    start, end = _span(sheet, now)
    scale = (WIDTH - LABEL - 20) / (end - start).total_seconds()

    def x(moment: datetime) -> float:
        return LABEL + (moment - start).total_seconds() * scale

    height = TOP + ROW * len(sheet.rows) + 40
    parts = [f'<svg class="gantt" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="gantt-title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="gantt-title">{escape(t("gantt_title", code=sheet.header.code))}'
             '</title>']
    for tick in _ticks(start, end):
        parts.append(f'<line class="tick" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP - 8}" '
                     f'y2="{height - 34}"/><text class="tick-label" x="{x(tick) + 3:.1f}" '
                     f'y="{TOP - 12}">{escape(tick.strftime("%d/%m"))}</text>')
    for index, row in enumerate(sheet.rows):
        parts.append(_row(row, TOP + index * ROW, x, now, t, fmt))
    if sheet.header.due_at is not None:
        due = x(sheet.header.due_at)
        parts.append(f'<line class="dossier-due" x1="{due:.1f}" x2="{due:.1f}" y1="{TOP - 8}" '
                     f'y2="{height - 34}"><title>{escape(t("dossier_due"))}: '
                     f'{escape(fmt(sheet.header.due_at))}</title></line>')
    legend_y = height - 14
    parts.append(
        f'<g class="legend" transform="translate({LABEL},{legend_y})">'
        f'<rect class="waiting" x="0" y="-10" width="14" height="10"/>'
        f'<text x="20" y="0">{escape(t("gantt_waiting"))}</text>'
        f'<rect class="working" x="170" y="-10" width="14" height="10"/>'
        f'<text x="190" y="0">{escape(t("gantt_working"))}</text>'
        f'<line class="step-due" x1="340" x2="340" y1="-12" y2="2"/>'
        f'<text x="348" y="0">{escape(t("step_due"))}</text>'
        f'<line class="dossier-due" x1="500" x2="500" y1="-12" y2="2"/>'
        f'<text x="508" y="0">{escape(t("dossier_due"))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _row(row: SheetRow, y: float, x: Callable[[datetime], float], now: datetime,
         t: Callable[..., str], fmt: Callable[[datetime | None], str]) -> str:
    name = f"{row.number}. {row.step_name}"
    shown = name if len(name) <= 38 else name[:37] + "…"
    parts = [f'<g class="gantt-row r-{escape(row.result or "none")}">',
             f'<text class="step-name" x="6" y="{y + BAR - 2:.1f}">{escape(shown)}'
             f'<title>{escape(name)} – {escape(row.department_name or row.department)}</title>'
             '</text>']
    pending = row.status in ACTIVE_ITEM_STATUSES
    waited_until = row.claimed_at or (now if pending else row.completed_at)
    if waited_until is not None:
        parts.append(_bar(x(row.handed_over_at), x(waited_until), y, "waiting",
                          f"{t('gantt_waiting')}: {fmt(row.handed_over_at)} → "
                          f"{fmt(waited_until)} ({row.waiting_hours or 0:g} h)"))
    if row.claimed_at is not None:
        until = row.completed_at or (now if pending else row.claimed_at)
        who = row.claimed_by_name or row.claimed_by or ""
        parts.append(_bar(x(row.claimed_at), x(until), y,
                          "working" + (" pending" if pending else ""),
                          f"{t('gantt_working')}: {fmt(row.claimed_at)} → {fmt(until)}"
                          f" ({row.working_hours or 0:g} h) – {who}"))
    if row.due_at is not None:
        due = x(row.due_at)
        parts.append(f'<line class="step-due" x1="{due:.1f}" x2="{due:.1f}" y1="{y - 3:.1f}" '
                     f'y2="{y + BAR + 3:.1f}"><title>{escape(t("step_due"))}: '
                     f'{escape(fmt(row.due_at))}</title></line>')
    parts.append("</g>")
    return "".join(parts)
