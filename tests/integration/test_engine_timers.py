"""BPMN timers fired by the worker use case, with the clock moved by the test."""

from __future__ import annotations

from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import deploy, dossiers, timers, work
from engine.service.office import Office
from tests.conftest import DATA, definition_files
from tests.helpers import active_items, all_items, dossier, the_item

APPLICANT = {"name": "Trần Thị Bình"}


def start(office: Office, users: dict[str, User]) -> int:
    deploy.deploy(office, definition_files(DATA / "nhac_viec_thu.bpmn", DATA / "forms"), "designer")
    return dossiers.submit(office, "nhac_viec_thu", APPLICANT, "direct", {},
                           users["reception"]).dossier_id


def kinds(office: Office, dossier_id: int) -> list[str]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e.kind for e in uow.audit.for_dossier(dossier_id)]


def test_nothing_fires_before_its_time(office: Office, users: dict[str, User],
                                       clock: ManualClock) -> None:
    dossier_id = start(office, users)
    assert dossier(office, dossier_id).next_timer_at is not None
    clock.advance(hours=23)
    assert timers.fire_due_timers(office) == 0
    assert [i.step_id for i in active_items(office, dossier_id)] == ["tiep_nhan"]


def test_an_interrupting_timer_cancels_the_step_and_ends_the_dossier(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    dossier_id = start(office, users)
    clock.advance(days=1, seconds=1)
    assert timers.fire_due_timers(office) == 1
    assert dossier(office, dossier_id).status == "withdrawn"
    assert [i.status for i in all_items(office, dossier_id)] == ["cancelled"]
    assert kinds(office, dossier_id)[-3:] == ["timer_fired", "item_cancelled",
                                             "dossier_withdrawn"]
    assert timers.fire_due_timers(office) == 0  # fired once, never twice


def test_a_non_interrupting_reminder_hands_a_step_to_the_department(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    dossier_id = start(office, users)
    item = the_item(office, dossier_id)
    work.claim(office, item.id, users["reception"])
    work.complete(office, item.id, users["reception"], {})
    clock.advance(hours=2, seconds=1)
    assert timers.fire_due_timers(office) == 1
    steps = sorted(i.step_id for i in active_items(office, dossier_id))
    assert steps == ["nhac_viec", "xu_ly"]
    assert "timer_fired" in kinds(office, dossier_id)
    assert timers.fire_due_timers(office) == 0


def test_workers_running_at_once_fire_each_timer_once(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    import threading

    ids = [start(office, users) for _ in range(6)]
    clock.advance(days=1, seconds=1)
    barrier = threading.Barrier(3)
    moved: list[int] = []

    def worker() -> None:
        barrier.wait()
        for _ in range(6):
            moved.append(timers.fire_due_timers(office, limit=2))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(moved) == 6
    for dossier_id in ids:
        assert kinds(office, dossier_id).count("timer_fired") == 1
        assert dossier(office, dossier_id).status == "withdrawn"


def test_an_intermediate_timer_holds_the_dossier_until_the_worker_fires_it(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    deploy.deploy(office, definition_files(DATA / "cho_hen_gio.bpmn", DATA / "forms"), "designer")
    dossier_id = dossiers.submit(office, "cho_hen_gio", APPLICANT, "direct", {},
                                 users["reception"]).dossier_id
    assert active_items(office, dossier_id) == []
    clock.advance(minutes=59)
    assert timers.fire_due_timers(office) == 0
    clock.advance(minutes=2)
    assert timers.fire_due_timers(office) == 1
    assert [i.step_id for i in active_items(office, dossier_id)] == ["xu_ly"]
    assert "timer_fired" in kinds(office, dossier_id)
