"""Step definitions for moving running dossiers to a new version, as the office says it.

Every action goes through the engine's use cases as a demo user; every check reads what the
office would see: the version a dossier runs on, its due date, the dry run's verdicts and the
audit log's check. Times are local Hà Nội times ("09:00 on 2026-03-03")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest
from pytest_bdd import given, parsers, then, when

from engine.i18n import translate
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import deploy, dossiers, migrations, reporting
from engine.service.office import Office
from tests.bpmn_factory import FORMS, procedure
from tests.conftest import LOCAL
from tests.helpers import do_step, dossier

KEY = "thu_tuc_thu"


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%H:%M on %Y-%m-%d").replace(tzinfo=LOCAL)


def decree_version() -> str:
    """The decree's version: the handling step merged into the desk's check (which now
    decides the result), five working days."""
    xml = procedure(process_props={"deadline": "5"})
    start = xml.index('<bpmn:userTask id="xu_ly"')
    end = xml.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    xml = xml[:start] + xml[end:]
    for old, new in (('sourceRef="tiep_nhan" targetRef="xu_ly"',
                      'sourceRef="tiep_nhan" targetRef="gw_ket_qua"'),
                     ('<bpmn:sequenceFlow id="f3" sourceRef="xu_ly" targetRef="gw_ket_qua"/>',
                      ""),
                     ("<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>",
                      "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>"),
                     ('value="thu.tiep_nhan.json"', 'value="thu.xu_ly.json"'),
                     ("<bpmn:flowNodeRef>xu_ly</bpmn:flowNodeRef>", "")):
        xml = xml.replace(old, new)
    return xml


@dataclass
class Moving:
    ids: dict[str, int] = field(default_factory=dict)
    dry_run: migrations.MigrationReport | None = None


@pytest.fixture
def moving() -> Moving:
    return Moving()


def _version(office: Office, dossier_id: int) -> int:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.catalog.by_id(dossier(office, dossier_id).version_id)
    assert found is not None
    return found.version


@given(parsers.parse('the office runs the procedure "{name}" with a deadline of {days:d} '
                     "working days"))
def office_runs(office: Office, name: str, days: int) -> None:
    xml = procedure(name=name, process_props={"deadline": str(days)})
    deploy.deploy(office, {"thu.bpmn": xml.encode(), **FORMS}, "designer")


@given(parsers.parse('dossier "{label}" is received at {at}'))
@when(parsers.parse('dossier "{label}" is received at {at}'))
def received(office: Office, users: dict[str, User], clock: ManualClock, moving: Moving,
             label: str, at: str) -> None:
    clock.set(_moment(at))
    moving.ids[label] = dossiers.submit(office, KEY, {"name": "Đỗ Thị Mai"}, "direct", {},
                                        users["reception"]).dossier_id


@given(parsers.parse('the one-stop desk passes dossier "{label}" to its handling step'))
@when(parsers.parse('the one-stop desk passes dossier "{label}" to its handling step'))
def desk_passes(office: Office, users: dict[str, User], moving: Moving, label: str) -> None:
    do_step(office, moving.ids[label], users["reception"], {}, "tiep_nhan")


@given(parsers.parse("the decree's version of the procedure is deployed at {at}"))
def decree_deployed(office: Office, clock: ManualClock, at: str) -> None:
    clock.set(_moment(at))
    deploy.deploy(office, {"thu.bpmn": decree_version().encode(), **FORMS}, "designer")


@when(parsers.parse('the handling step of dossier "{label}" is done'))
def handling_done(office: Office, users: dict[str, User], moving: Moving, label: str) -> None:
    do_step(office, moving.ids[label], users["reception"], {"ket_qua": "dat"}, "xu_ly")


@when(parsers.parse('the one-stop desk finishes dossier "{label}" under the new rules'))
def desk_finishes(office: Office, users: dict[str, User], moving: Moving, label: str) -> None:
    do_step(office, moving.ids[label], users["reception"], {"ket_qua": "dat"}, "tiep_nhan")


@when(parsers.parse("the designer tries moving the dossiers to version {number:d}"))
def tries(office: Office, users: dict[str, User], moving: Moving, number: int) -> None:
    moving.dry_run = migrations.migrate(office, users["designer"], KEY, number)


@when(parsers.parse("the designer moves the dossiers to version {number:d} with the new "
                    "deadline"))
def moves(office: Office, users: dict[str, User], moving: Moving, number: int) -> None:
    migrations.migrate(office, users["designer"], KEY, number, dry_run=False,
                       apply_new_deadline=True)


def _judged(moving: Moving, label: str) -> migrations.DossierMove:
    assert moving.dry_run is not None
    [found] = [d for d in moving.dry_run.dossiers if d.dossier_id == moving.ids[label]]
    return found


@then(parsers.parse('the dry run says dossier "{label}" can move'))
def can_move(moving: Moving, label: str) -> None:
    assert _judged(moving, label).outcome == migrations.PLANNED


@then(parsers.parse('the dry run says dossier "{label}" cannot move because "{why}"'))
def cannot_move(moving: Moving, label: str, why: str) -> None:
    judged = _judged(moving, label)
    assert judged.outcome == migrations.BLOCKED
    assert [translate("vi", r.message) for r in judged.reasons] == [why]


@then(parsers.parse('dossier "{label}" is handled under version {number:d} and is due at '
                    "{at}"))
def handled_under(office: Office, moving: Moving, label: str, number: int, at: str) -> None:
    dossier_id = moving.ids[label]
    assert _version(office, dossier_id) == number
    due = dossier(office, dossier_id).due_at
    assert due is not None and due.astimezone(LOCAL) == _moment(at)


@then(parsers.parse('dossier "{label}" is resolved'))
def resolved(office: Office, moving: Moving, label: str) -> None:
    assert dossier(office, moving.ids[label]).status == "resolved"


@then(parsers.parse('the due-date history of dossier "{label}" shows the move'))
def due_history(office: Office, moving: Moving, label: str) -> None:
    with office.db.unit_of_work(readonly=True) as uow:
        changes = uow.dossiers.due_changes(moving.ids[label])
    assert [(c.kind, c.actor, c.reason) for c in changes] == [("migration", "designer",
                                                               "v1 → v2")]


@then("the audit log is intact")
def log_intact(office: Office) -> None:
    assert reporting.verify_log(office).intact
