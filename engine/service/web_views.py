"""Read models the web pages need beyond ``queries``: department members, diagrams, the
files of a version for the modeler, monthly figures, the data printed on the office's forms.

Each function checks who may read what, like ``queries`` does; the pages stay thin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from engine.errors import NotFound
from engine.model import Dossier, User
from engine.service import queries
from engine.service.auditing import check_period
from engine.service.office import Office
from engine.service.permissions import can_lead, require_role
from engine.service.procedures import loaded_version
from engine.service.reporting import statistics

REPORT_READERS = ("auditor", "leader")


@dataclass(frozen=True)
class Member:
    username: str
    full_name: str


@dataclass(frozen=True)
class VersionFiles:
    key: str
    version: int
    main: str  # the procedure's own BPMN file
    files: dict[str, str]


@dataclass(frozen=True)
class Printable:
    """What the printed forms need: the dossier record and its procedure's name."""

    dossier: Dossier
    procedure_name: str


@dataclass(frozen=True)
class MonthFigures:
    month: date  # first day of the month
    received: int  # new in the month
    resolved: int  # resolved, refused or withdrawn in the month


def department_members(office: Office, user: User, department: str) -> list[Member]:
    """Who a leader may hand a step of ``department`` to."""
    can_lead(user, department)
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.org.users_in(department)
    return [Member(u.username, u.full_name) for u in found
            if u.active and u.has_role("staff", "leader")]


def dossier_version_xml(office: Office, user: User, code: str) -> tuple[str, str]:
    """(file name, BPMN XML) of the version a dossier runs on, for whoever may read it."""
    queries.dossier_detail(office, user, code)  # raises unless the user may read the dossier
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code.strip())
        version = loaded_version(office, uow, dossier.version_id).version if dossier else None
    if version is None:
        raise NotFound(f"no diagram for dossier {code!r}")
    name = str(version.meta.get("file") or "")
    if name not in version.files:
        raise NotFound(f"the version of dossier {code!r} has no BPMN file")
    return name, version.files[name]


def version_files(office: Office, user: User, key: str, number: int) -> VersionFiles:
    """Every file of one version, for a designer to edit and deploy again."""
    require_role(user, "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.version(key, number)
    if version is None:
        raise NotFound(f"procedure {key!r} has no version {number}")
    main = str(version.meta.get("file") or "")
    return VersionFiles(key, number, main, dict(version.files))


def departments(office: Office) -> dict[str, str]:
    with office.db.unit_of_work(readonly=True) as uow:
        return {d.code: d.name for d in uow.org.departments()}


def printable(office: Office, user: User, code: str) -> Printable:
    """The dossier as the printed forms show it, for whoever may read the dossier."""
    detail = queries.dossier_detail(office, user, code)
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(detail.code)
    if dossier is None:
        raise NotFound(f"no dossier with code {code!r}")
    return Printable(dossier, detail.procedure_name or dossier.procedure_key)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def monthly(office: Office, user: User, date_from: date, date_to: date,
            limit: int = 24) -> list[MonthFigures]:
    """Received and finished dossiers per calendar month of the period (at most ``limit``
    months, the latest ones)."""
    require_role(user, *REPORT_READERS)
    check_period(date_from, date_to)
    months: list[MonthFigures] = []
    first = date_to.year * 12 + date_to.month - limit  # months counted from year 0
    start = max(_month_start(date_from), date(first // 12, first % 12 + 1, 1))
    while start <= date_to:
        end = min(_next_month(start) - timedelta(days=1), date_to)
        total = statistics(office, max(start, date_from), end, "level").total
        months.append(MonthFigures(start, total.new,
                                   total.resolved + total.refused + total.withdrawn))
        start = _next_month(start)
    return months


@dataclass(frozen=True)
class FormLabels:
    """How a dossier's form data reads: field titles, and the titles of chosen values."""

    titles: dict[str, str]
    choices: dict[str, dict[str, str]]

    def show(self, data: dict[str, object] | None) -> dict[str, str]:
        shown: dict[str, str] = {}
        for key, value in (data or {}).items():
            if key not in self.titles:  # workflow variables no form asks for
                continue
            text = self.choices.get(key, {}).get(str(value), value)
            shown[self.titles.get(key, key)] = "" if text is None else str(text)
        return shown


def form_labels(office: Office, code: str) -> FormLabels:
    """Titles from every form of the version the dossier runs on (no access check: titles
    are part of the procedure, not of the dossier)."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code.strip())
        version = loaded_version(office, uow, dossier.version_id).version if dossier else None
    if version is None:
        return FormLabels({}, {})
    titles: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for schema in office.procedures.get(version).forms.values():
        for name, spec in (schema.get("properties") or {}).items():
            if not isinstance(spec, dict):
                continue
            titles.setdefault(name, str(spec.get("title") or name))
            for option in spec.get("oneOf") or []:
                if isinstance(option, dict) and "const" in option:
                    choices.setdefault(name, {})[str(option["const"])] = \
                        str(option.get("title") or option["const"])
    return FormLabels(titles, choices)


def step_results(office: Office, user: User, code: str) -> dict[int, dict[str, object]]:
    """What each completed step of a dossier recorded, by work item id."""
    detail = queries.dossier_detail(office, user, code)  # raises unless the user may read it
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(detail.code)
        items = uow.items.for_dossier(dossier.id) if dossier else []
    return {i.id: dict(i.result) for i in items if i.status == "completed" and i.result}


def procedure_xml(office: Office, user: User, key: str, number: int) -> tuple[str, str]:
    """(file name, BPMN XML) of one version for the diagrams of reports and the modeler:
    designers, auditors and leaders (the caller hides scripts from all but designers)."""
    require_role(user, "designer", "auditor", "leader")
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.version(key, number)
    if version is None:
        raise NotFound(f"procedure {key!r} has no version {number}")
    name = str(version.meta.get("file") or "")
    if name not in version.files:
        raise NotFound(f"version {number} of {key!r} has no BPMN file")
    return name, version.files[name]
