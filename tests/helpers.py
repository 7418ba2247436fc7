"""Small verbs the engine tests and features share."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.model import Dossier, Membership, User, WorkItem
from engine.service import deploy, work
from engine.service.demo import FIRST_WARD
from engine.service.demo_history import procedures_before_the_reform
from engine.service.office import Office
from engine.service.views.types import TaskView
from tests.databases import PROCESSES, definition_files


def members(roles: set[str], departments: set[str],
            unit: str = FIRST_WARD) -> list[Membership]:
    """The memberships of someone with ``roles`` in each of ``departments`` of ``unit`` (the
    first ward unless told), or in the whole unit when no department is given."""
    held = frozenset(roles)
    if not departments:
        return [Membership(unit, None, held)]
    return [Membership(unit, d, held) for d in sorted(departments)]


LONG_AGO = date(2000, 1, 1)


def deploy_as_before_the_reform(office: Office) -> None:
    """A new version of the shipped procedures with household business registration and
    construction permits at district level, as the law stood until 30 June 2025: reports
    that group by level have two levels to show. Deploy it before the dossiers are filed.

    The office becomes a single office with no administrative units imported (the first
    ward's departments and people stay): with no district to find above the ward, the
    routing would refuse a district-level procedure, while a single office resolves
    everything it receives."""
    with office.db.unit_of_work() as uow:
        uow.units.replace_all([])
        uow.commit()
    office.forget_units()
    # In force from long before the tests' morning: tests file dossiers on earlier days too.
    deploy.deploy(office, procedures_before_the_reform(definition_files(PROCESSES)), "designer",
                  effective_from=LONG_AGO)


def active_items(office: Office, dossier_id: int) -> list[WorkItem]:
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.items.active_for_dossier(dossier_id)


def all_items(office: Office, dossier_id: int) -> list[WorkItem]:
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.items.for_dossier(dossier_id)


def dossier(office: Office, dossier_id: int) -> Dossier:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.get(dossier_id)
    assert found is not None
    return found


def the_item(office: Office, dossier_id: int, step_id: str | None = None) -> WorkItem:
    items = [i for i in active_items(office, dossier_id) if step_id is None or i.step_id == step_id]
    assert len(items) == 1, f"expected one active item {step_id or ''}, found {items}"
    return items[0]


def accept_at_desk(office: Office, dossier_id: int, desk: User) -> None:
    """The desk's step passed (the shipped procedures' check): form 06 counts the dossier
    as received from then on, and it waits for the next step."""
    do_step(office, dossier_id, desk, {"ket_qua_kiem_tra": "hop_le"})


def do_step(office: Office, dossier_id: int, user: User, data: dict[str, Any],
            step_id: str | None = None) -> TaskView:
    item = the_item(office, dossier_id, step_id)
    work.claim(office, item.id, user)
    return work.complete(office, item.id, user, data)
