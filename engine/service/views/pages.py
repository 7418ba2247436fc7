"""The web pages of one dossier and of one step, each read in one transaction: everything
the page shows, including which of its buttons the user may press (asked of
``permissions``, the rules the use cases enforce)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.audit.chain import dossier_chain
from engine.audit.timeline import FINISHED, ControlSheet
from engine.errors import NotFound
from engine.i18n import msg
from engine.model import ACTIVE_ITEM_STATUSES, Dossier, ItemStatus, User, WorkItem
from engine.runtime.procedures import LoadedProcedure
from engine.service.documents import last_pausing_step
from engine.service.office import Office
from engine.service.permissions import (
    may_apologise,
    may_handle,
    may_lead,
    may_reprint_receipt,
)
from engine.service.procedures import loaded_version
from engine.store import UnitOfWork

from .common import (
    Names,
    dossier_by_code,
    dossier_department_names,
    dossier_people,
    procedure_names,
)
from .dossiers import build_detail, build_sheet, require_dossier_reader
from .messages import message_views
from .tasks import Member, members_of, read_task_detail
from .types import DossierDetail, MessageView, TaskDetail


@dataclass(frozen=True)
class FormLabels:
    """How a dossier's form data reads: field titles, and the titles of chosen values."""

    titles: dict[str, str]
    choices: dict[str, dict[str, str]]

    def show(self, data: dict[str, object] | None) -> dict[str, object]:
        """Titles → what to show: a choice's title, text, or a number or yes/no as stored
        (the page writes it in the reader's language: 85,5 m², not 85.5)."""
        shown: dict[str, object] = {}
        for key, value in (data or {}).items():
            if key not in self.titles:  # workflow variables no form asks for
                continue
            text = self.choices.get(key, {}).get(str(value), value)
            keep = isinstance(text, bool | int | float)
            shown[self.titles.get(key, key)] = text if keep else "" if text is None else str(text)
        return shown


@dataclass(frozen=True)
class DiagramState:
    """What the dossier's diagram marks: the steps under way and those done."""

    current_steps: list[str]
    done_steps: list[str]


@dataclass(frozen=True)
class DossierPageView:
    detail: DossierDetail
    sheet: ControlSheet
    results: dict[int, dict[str, object]]  # what each completed step recorded, by item id
    labels: FormLabels
    diagram: DiagramState
    has_supplement: bool  # a supplement request was issued (its letter can be printed)
    apology_count: int
    can_apologise: bool
    can_reprint: bool
    checking: bool = False  # the desk's check is still to be made: no receipt yet
    refused_at_desk: bool = False  # the desk refused it at its check: a refusal slip
    messages: tuple[MessageView, ...] = ()  # to the applicant, with their delivery


@dataclass(frozen=True)
class StepPageView:
    detail: TaskDetail
    sheet: ControlSheet
    results: dict[int, dict[str, object]]
    labels: FormLabels
    diagram: DiagramState
    departments: dict[str, str]
    members: list[Member]  # whom a leader may hand the step to
    mine: bool
    can_claim: bool
    can_release: bool
    desk_check: bool = False  # the desk's check of the documents is done on its own page


def labels_of(loaded: LoadedProcedure | None) -> FormLabels:
    """Titles from every form of the version (part of the procedure, not of the dossier)."""
    titles: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for schema in (loaded.forms.values() if loaded else []):
        for name, spec in (schema.get("properties") or {}).items():
            if not isinstance(spec, dict):
                continue
            titles.setdefault(name, str(spec.get("title") or name))
            for option in spec.get("oneOf") or []:
                if isinstance(option, dict) and "const" in option:
                    choices.setdefault(name, {})[str(option["const"])] = \
                        str(option.get("title") or option["const"])
    return FormLabels(titles, choices)


def _results(items: list[WorkItem]) -> dict[int, dict[str, object]]:
    return {i.id: dict(i.result) for i in items if i.status == ItemStatus.COMPLETED and i.result}


def _diagram(sheet: ControlSheet) -> DiagramState:
    return DiagramState([r.step_id for r in sheet.rows if r.status in ACTIVE_ITEM_STATUSES],
                        [r.step_id for r in sheet.rows if r.status == ItemStatus.COMPLETED])


def _sheet_parts(office: Office, uow: UnitOfWork, dossier: Dossier, items: list[WorkItem],
                 departments: dict[str, str], people: Names
                 ) -> tuple[ControlSheet, FormLabels]:
    sheet = build_sheet(office, uow, dossier, items, procedure_names(uow), departments,
                        people.people)
    return sheet, labels_of(loaded_version(office, uow, dossier.version_id))


def dossier_page_view(office: Office, user: User, code: str) -> DossierPageView:
    """The dossier page: its detail, control sheet, Gantt data, step results, form labels,
    and whether its letters exist, in one transaction."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = dossier_by_code(uow, code)
        items = require_dossier_reader(office, uow, user, dossier)
        names = procedure_names(uow)
        departments = dossier_department_names(uow, dossier, office.reception_department)
        people = dossier_people(uow, dossier, items, departments)
        detail = build_detail(office, uow, dossier, items, names, people)
        events = uow.audit.events(dossier_chain(dossier.id))
        pausing = last_pausing_step(events)
        sheet, labels = _sheet_parts(office, uow, dossier, items, departments, people)
        desk_step = loaded_version(office, uow, dossier.version_id).meta.desk_step()
        messages = message_views(office, uow, dossier.id)
        reprint = may_reprint_receipt(office.reception_department, user,
                                      (dossier.receiving_unit, dossier.resolving_unit),
                                      office.units(uow).below_all)
    supplement = next((i for i in items if i.id == pausing), None)
    places = {(i.unit, i.department_code) for i in items}
    checking = desk_step is not None and any(
        i.step_id == desk_step.id and i.status in ACTIVE_ITEM_STATUSES for i in items)
    checks = [e for e in events if e.kind == "desk_checked"]
    last = max(checks, key=lambda e: e.seq).data.get("decision") if checks else None
    refused = last == "refuse"
    return DossierPageView(
        detail=detail, sheet=sheet, results=_results(items), labels=labels,
        diagram=_diagram(sheet),
        has_supplement=(supplement is not None and supplement.completed_at is not None)
        or (checking and last == "supplement"),
        apology_count=sum(1 for c in sheet.due_history if c.kind == "apology"),
        can_apologise=may_apologise(user, places) and detail.status not in FINISHED
        and detail.due_at is not None,
        can_reprint=reprint and not checking and not refused, checking=checking,
        refused_at_desk=refused, messages=messages)


def step_page_view(office: Office, user: User, item_id: int) -> StepPageView:
    """The page of one step: the step with its form, its dossier's sheet and results, and
    the people a leader may hand it to, in one transaction."""
    with office.db.unit_of_work(readonly=True) as uow:
        detail, dossier, items = read_task_detail(office, uow, user, item_id)
        task = detail.task
        departments = dossier_department_names(uow, dossier, office.reception_department)
        sheet, labels = _sheet_parts(office, uow, dossier, items, departments,
                                     dossier_people(uow, dossier, items, departments))
        leads = may_lead(user, task.unit, task.department)
        members = members_of(uow, task.unit, task.department) \
            if leads and task.status in ACTIVE_ITEM_STATUSES else []
        desk_step = loaded_version(office, uow, dossier.version_id).meta.desk_step()
    mine = task.status == ItemStatus.CLAIMED and task.claimed_by == user.username
    return StepPageView(
        detail=detail, sheet=sheet, results=_results(items), labels=labels,
        diagram=_diagram(sheet), departments=departments, members=members, mine=mine,
        can_claim=task.status == ItemStatus.OPEN and may_handle(user, task.unit, task.department),
        can_release=task.status == ItemStatus.CLAIMED and (mine or leads),
        desk_check=desk_step is not None and desk_step.id == task.step_id
        and task.status in ACTIVE_ITEM_STATUSES)


def dossier_version_xml(office: Office, user: User, code: str) -> tuple[str, str]:
    """(file name, BPMN XML) of the version a dossier runs on, for whoever may read it."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = dossier_by_code(uow, code)
        require_dossier_reader(office, uow, user, dossier)
        version = loaded_version(office, uow, dossier.version_id).version
    name = str(version.meta.get("file") or "")
    if name not in version.files:
        raise NotFound(msg("err_version_dossier_has_bpmn_file", code=code))
    return name, version.files[name]
