"""Where time goes: per step and department, how long a step waits and how long it is worked
on, in working hours, and which steps most often make a dossier late.

Working hours need the calendar, so the completed items of the period are streamed through
Python (one batch at a time); the late-step ranking is a SQL aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from engine.calendar import WorkingCalendar
from engine.errors import NotFound
from engine.i18n import DEFAULT, msg, translate
from engine.model import Timeliness
from engine.reports import Period, percentile, period, share, working_hours
from engine.reports.formats import Column, Table
from engine.reports.ports import ReportReads


@dataclass(frozen=True)
class Durations:
    """Working hours: median, 90th percentile (linear interpolation) and maximum."""

    median: float | None
    p90: float | None
    max: float | None

    @classmethod
    def of(cls, values: list[float]) -> Durations:
        ordered = sorted(values)
        return cls(percentile(ordered, 0.5), percentile(ordered, 0.9),
                   ordered[-1] if ordered else None)


@dataclass(frozen=True)
class StepStats:
    step_id: str
    step_name: str
    department: str
    pauses_clock: bool  # waiting for the applicant, not for the office
    completed: int
    waiting: Durations  # handed over → claimed (the last claim, after any release)
    working: Durations  # claimed → completed
    late: int  # completed after the step's own allowance
    late_share: float | None
    late_dossiers: int  # late dossiers of the period in which this step was late
    department_name: str | None = None  # as the reader's unit names it (filled by the caller)


@dataclass(frozen=True)
class LateStep:
    step_id: str
    step_name: str
    department: str
    dossiers: int
    share: float | None  # of the period's late dossiers


@dataclass(frozen=True)
class StepReport:
    procedure: str
    procedure_name: str
    period: Period
    steps: list[StepStats]
    late_dossiers: int  # resolved late in the period
    late_steps: list[LateStep] = field(default_factory=list)  # most frequent first


@dataclass
class _Acc:
    name: str
    pauses_clock: bool
    waiting: list[float] = field(default_factory=list)
    working: list[float] = field(default_factory=list)
    late: int = 0


def step_report(reads: ReportReads, calendar: WorkingCalendar, now: datetime, procedure: str,
                date_from: date, date_to: date,
                units: frozenset[str] | None = None) -> StepReport:
    """Steps of ``procedure`` completed in the local dates [date_from, date_to], in the order
    they first appear, and the ranking of steps by the late dossiers they were late in."""
    span = period(calendar.tz, date_from, date_to)
    window = span.window(now, units)
    acc: dict[tuple[str, str], _Acc] = {}
    if not reads.procedure_exists(procedure):
        raise NotFound(msg("err_procedure_deployed", procedure=procedure))
    # Named as its dossiers were received, like every report: a later rename leaves it.
    name = reads.procedure_name(procedure, window.end) or procedure
    for r in reads.completed_items(window, procedure=procedure):
        a = acc.setdefault((r.step_id, r.department_code), _Acc(r.step_name, r.pauses_clock))
        a.name = r.step_name  # the newest version's wording
        a.waiting.append(working_hours(calendar, r.created_at, r.claimed_at))
        a.working.append(working_hours(calendar, r.claimed_at, r.completed_at))
        a.late += r.timeliness == Timeliness.LATE
    late_total, ranked = reads.late_steps(window, procedure)
    late_steps = [LateStep(r["step_id"], r["step_name"], r["department_code"], r["dossiers"],
                           share(r["dossiers"], late_total)) for r in ranked]
    blamed = {(s.step_id, s.department): s.dossiers for s in late_steps}
    steps = [StepStats(step, a.name, dept, a.pauses_clock, len(a.working),
                       Durations.of(a.waiting), Durations.of(a.working), a.late,
                       share(a.late, len(a.working)), blamed.get((step, dept), 0))
             for (step, dept), a in acc.items()]
    return StepReport(procedure, name, span, steps, late_total, late_steps)


def step_table(report: StepReport, lang: str = DEFAULT) -> Table:
    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    times = t("repstep_times")
    columns = [
        Column("step_name", t("repstep_step"), kind="text"),
        Column("step_id", t("repstep_step_id"), kind="text"),
        Column("department", t("rep_department"), kind="text"),
        Column("completed", t("repstep_completed")),
        Column("waiting_median", t("repstep_waiting_median"), times, "float"),
        Column("waiting_p90", t("repstep_waiting_p90"), times, "float"),
        Column("waiting_max", t("repstep_waiting_max"), times, "float"),
        Column("working_median", t("repstep_working_median"), times, "float"),
        Column("working_p90", t("repstep_working_p90"), times, "float"),
        Column("working_max", t("repstep_working_max"), times, "float"),
        Column("late", t("repstep_late")),
        Column("late_share", t("repstep_late_share"), kind="ratio"),
        Column("late_dossiers", t("repstep_late_dossiers")),
    ]
    waiting_for_applicant = t("repstep_applicant")
    rows = []
    for s in report.steps:
        rows.append({
            "step_id": s.step_id,
            "step_name": s.step_name + (waiting_for_applicant if s.pauses_clock else ""),
            "department": s.department, "completed": s.completed,
            "waiting_median": s.waiting.median, "waiting_p90": s.waiting.p90,
            "waiting_max": s.waiting.max, "working_median": s.working.median,
            "working_p90": s.working.p90, "working_max": s.working.max, "late": s.late,
            "late_share": s.late_share, "late_dossiers": s.late_dossiers,
        })
    p = report.period
    ranked = ", ".join(f"{s.step_name} ({s.dossiers})" for s in report.late_steps[:3])
    notes = [t("repstep_note_ranked", count=report.late_dossiers, ranked=ranked) if ranked
             else t("repstep_note", count=report.late_dossiers)]
    return Table(t("repstep_title", procedure=report.procedure_name),
                 t("repstep_subtitle", start=f"{p.date_from:%d/%m/%Y}",
                   end=f"{p.date_to:%d/%m/%Y}"), columns, rows, None, notes, lang=lang)
