"""The leader's dashboard: the figures of today and of this reporting month for the units
the reader leads or audits, the load of each department and person, what is at risk, and
the steps waiting for the reader's signature, read in one transaction.

The dossier figures are form 06's (``engine.reports.statistics``), so they always agree
with the statistics page; the load is counted over the same queues the departments read.
"At risk" means due within ``AT_RISK_DAYS`` working days: the day the apology rule fires
(one working day before a due date that can no longer be met).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.model import DossierStatus, Reach, User
from engine.reports.periods import PeriodKind, containing
from engine.reports.statistics import Counts, statistics
from engine.service.apologies import DEFAULT_WARNING_DAYS
from engine.service.office import Office
from engine.service.permissions import queue_reach, report_units, require_role
from engine.store import UnitOfWork
from engine.store.work_items import Load

from .common import dossier_status, local, procedure_names, task_views
from .tasks import awaiting_signature
from .types import TaskView

AT_RISK_DAYS = DEFAULT_WARNING_DAYS
LATE_LIMIT = 200  # dossiers listed for an apology; the counts above are never cut


@dataclass(frozen=True)
class Tally:
    """Dossiers of a period: received in it, resolved in it (early / on time / late), and
    those still open at its end (of them overdue)."""

    received: int
    carried_over: int
    resolved: int
    early: int
    on_time: int
    late: int
    pending: int
    overdue: int
    on_time_rate: float | None  # (early + on time) / resolved


@dataclass(frozen=True)
class DepartmentLoad:
    unit: str
    unit_name: str
    department: str
    department_name: str
    open: int  # waiting for someone to claim them
    claimed: int
    overdue: int
    at_risk: int


@dataclass(frozen=True)
class PersonLoad:
    username: str
    full_name: str
    unit: str
    department: str
    department_name: str
    claimed: int
    overdue: int
    at_risk: int


@dataclass(frozen=True)
class LateDossier:
    """An open dossier overdue or at risk with no apology yet."""

    code: str
    procedure_name: str | None
    applicant_name: str | None
    due_at: datetime | None
    deadline_status: str | None  # overdue | due_today | due_tomorrow | within


@dataclass(frozen=True)
class Dashboard:
    today: date
    period_code: str
    period_label: str
    period_from: date
    period_to: date
    at_risk_days: float
    units: list[tuple[str, str]]  # (agency code, name) of the units counted
    today_figures: Tally
    period_figures: Tally
    open_steps: int
    claimed_steps: int
    overdue_steps: int
    at_risk_steps: int
    departments: list[DepartmentLoad]
    people: list[PersonLoad]
    awaiting_signature: list[TaskView]
    overdue: list[TaskView]  # the steps past their own due time, soonest first
    needing_apology: list[LateDossier]


def tally(counts: Counts) -> Tally:
    return Tally(received=counts.new, carried_over=counts.carried_over,
                 resolved=counts.resolved, early=counts.resolved_early,
                 on_time=counts.on_time, late=counts.resolved_late, pending=counts.pending,
                 overdue=counts.overdue, on_time_rate=counts.on_time_rate)


def dashboard(office: Office, user: User) -> Dashboard:
    """What a leader (or an auditor) watches: a ward's leader sees their ward only."""
    require_role(user, "leader", "auditor")
    now = office.now()
    calendar = office.calendar
    today = calendar.local_time(now).date()
    month = containing(PeriodKind.MONTH, today)
    horizon = calendar.add_working_hours(now, AT_RISK_DAYS * calendar.hours.hours_per_day)
    with office.db.unit_of_work(readonly=True) as uow:
        tree = office.units(uow)
        units = report_units(user, tree.below_all)
        reach = queue_reach(user, tree.below_all)

        def figures(first: date, last: date) -> Tally:
            return tally(statistics(uow.reports, calendar.tz, now, first, last, "form",
                                    units).total)

        today_figures, period_figures = figures(today, today), figures(month.date_from,
                                                                         month.date_to)
        loads = uow.items.load(reach, now, horizon)
        counted = sorted(units if units is not None else {load.unit for load in loads})
        unit_names = {u: tree.name(u) or u for u in counted}
        dept_names = _department_names(uow, {load.unit for load in loads})
        people = uow.lookups.full_names({load.claimed_by for load in loads if load.claimed_by})
        signature = awaiting_signature(office, uow, user)
        overdue = task_views(office, uow, uow.items.overdue(now, reach))
        late = _needing_apology(office, uow, reach, now, horizon)
    return Dashboard(
        today=today, period_code=month.code, period_label=month.label,
        period_from=month.date_from, period_to=month.date_to, at_risk_days=AT_RISK_DAYS,
        units=list(unit_names.items()), today_figures=today_figures,
        period_figures=period_figures,
        open_steps=sum(load.steps for load in loads if load.claimed_by is None),
        claimed_steps=sum(load.steps for load in loads if load.claimed_by is not None),
        overdue_steps=sum(load.overdue for load in loads),
        at_risk_steps=sum(load.at_risk for load in loads),
        departments=_by_department(loads, unit_names, dept_names),
        people=_by_person(loads, people, dept_names),
        awaiting_signature=signature, overdue=overdue, needing_apology=late)


def _department_names(uow: UnitOfWork, units: set[str]) -> dict[tuple[str, str], str]:
    return {(d.agency_code, d.code): d.name for d in uow.org.departments_in(sorted(units))}


def _by_department(loads: list[Load], unit_names: dict[str, str],
                   dept_names: dict[tuple[str, str], str]) -> list[DepartmentLoad]:
    rows: dict[tuple[str, str], list[Load]] = {}
    for load in loads:
        rows.setdefault((load.unit, load.department), []).append(load)
    out = []
    for (unit, department), parts in rows.items():
        out.append(DepartmentLoad(
            unit=unit, unit_name=unit_names.get(unit, unit), department=department,
            department_name=dept_names.get((unit, department), department),
            open=sum(p.steps for p in parts if p.claimed_by is None),
            claimed=sum(p.steps for p in parts if p.claimed_by is not None),
            overdue=sum(p.overdue for p in parts), at_risk=sum(p.at_risk for p in parts)))
    return sorted(out, key=lambda d: (-(d.open + d.claimed), d.unit_name, d.department_name))


def _by_person(loads: list[Load], people: dict[str, str],
               dept_names: dict[tuple[str, str], str]) -> list[PersonLoad]:
    out = [PersonLoad(username=load.claimed_by, full_name=people.get(load.claimed_by,
                                                                      load.claimed_by),
                      unit=load.unit, department=load.department,
                      department_name=dept_names.get((load.unit, load.department),
                                                     load.department),
                      claimed=load.steps, overdue=load.overdue, at_risk=load.at_risk)
           for load in loads if load.claimed_by is not None]
    return sorted(out, key=lambda p: (-p.claimed, p.full_name))


def _needing_apology(office: Office, uow: UnitOfWork, reach: Reach, now: datetime,
                     horizon: datetime) -> list[LateDossier]:
    """Open dossiers due before the horizon, not yet apologised for, that went through a
    department the reader reads (as ``deadlines.at_risk`` chooses them); a dossier waiting
    for the applicant has its clock stopped, so it is left out."""
    names = procedure_names(uow)
    found = [d for d in uow.dossiers.at_risk(horizon, LATE_LIMIT)
             if d.status != DossierStatus.AWAITING_SUPPLEMENT]
    places: dict[int, set[tuple[str, str]]] = {}
    for step in uow.lookups.steps_of([d.id for d in found]):
        places.setdefault(step.dossier_id, set()).add((step.unit, step.department_code))
    out = []
    for d in found:
        if not any(reach.covers(*place) for place in places.get(d.id, ())):
            continue
        applicant = d.applicant.get("name") if isinstance(d.applicant, dict) else None
        out.append(LateDossier(d.code, names.get(d.procedure_key),
                               applicant if isinstance(applicant, str) else None,
                               local(office, d.due_at), dossier_status(office, now, d)))
    return out
