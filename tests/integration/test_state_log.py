"""A clerk's step writes no workflow state: the dossier keeps its snapshot, the audit chain
keeps the step, and a restore replays the steps after the snapshot. Checked against a
workflow never stored, across the snapshot interval, against a chain that disagrees, and
with the process killed (SIGKILL) at random moments while it completes steps."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from bench.office import (
    ANSWER,
    FIRST_WARD,
    START,
    bench_office,
    open_items,
    people,
    reset_database,
    submit,
)
from engine.audit.chain import dossier_chain
from engine.calendar import WorkingCalendar
from engine.errors import StepFailed
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache, ready_task_ids
from engine.service import work
from engine.service.office import Office
from engine.service.procedures import loaded_version
from engine.service.restore import SNAPSHOT_EVERY, restore
from engine.service.snapshots import snapshot_all
from engine.service.worker import worker_round
from engine.store import Database
from tests.databases import POSTGRES_URL, ROOT

URLS = ["sqlite"] + ([pytest.param("postgresql", marks=pytest.mark.postgres)]
                     if POSTGRES_URL else [])


@pytest.fixture(params=URLS)
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "postgresql":
        assert POSTGRES_URL
        reset_database(POSTGRES_URL)
        yield POSTGRES_URL
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/motcua.db"


def _restored(office: Office, dossier_id: int) -> tuple[set[str], dict[str, object]]:
    """Ready tasks and data of the dossier's workflow as a restore rebuilds it."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.get(dossier_id)
        assert dossier is not None
        workflow = restore(uow, dossier, loaded_version(office, uow, dossier.version_id))
    return ready_task_ids(workflow), dict(workflow.data)


def _step(office: Office, dossier_id: int) -> None:
    item = open_items(office, dossier_id)[0]
    work.complete(office, item.id, people(office)[item.department_code], ANSWER)


def test_the_snapshot_stays_and_the_steps_replay_to_the_live_workflow(url: str) -> None:
    live = bench_office(url, cache=True)  # its cache keeps the workflow never stored
    cold = Office(db=Database(url), agency_code=FIRST_WARD, clock=ManualClock(START),
                  calendar=WorkingCalendar.default(), workflows=WorkflowCache(size=0))
    dossier_id = submit(live, people(live))
    with live.db.unit_of_work(readonly=True) as uow:
        first = uow.dossiers.get(dossier_id)
    assert first is not None and first.state is not None and first.state_tail == 0
    for done in range(1, SNAPSHOT_EVERY):
        _step(live, dossier_id)
        with live.db.unit_of_work(readonly=True) as uow:
            now = uow.dossiers.get(dossier_id)
            cached = live.workflows.take(dossier_id, now.state_rev if now else -1)
        assert now is not None and cached is not None
        live.workflows.put(dossier_id, now.state_rev, cached)
        if now.state is None:  # finished: nothing left to restore
            break
        assert now.state == first.state and now.state_seq == first.state_seq
        assert now.state_tail == done
        # The ids of the tasks the steps created are those of the first run: the open work
        # items (written by those steps) name them.
        ready, data = _restored(cold, dossier_id)
        assert ready == ready_task_ids(cached) == {i.task_uuid for i in open_items(cold,
                                                                                   dossier_id)}
        assert data == dict(cached.data)


def test_a_new_snapshot_every_few_steps_and_none_once_finished(
        url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("engine.service.progress.SNAPSHOT_EVERY", 2)
    office = bench_office(url, cache=False)
    dossier_id = submit(office, people(office))
    seen = []
    while open_items(office, dossier_id):
        _step(office, dossier_id)
        with office.db.unit_of_work(readonly=True) as uow:
            found = uow.dossiers.get(dossier_id)
            head = uow.audit.head(dossier_chain(dossier_id))
        assert found is not None and head is not None
        seen.append((found.state_tail, found.state_seq, head[0], found.state))
    tails = [tail for tail, *_ in seen]
    assert tails == [1, 0, 1, 0, 0]  # five steps: logged, snapshot, logged, snapshot, end
    (_, seq1, _, state1), (_, seq2, head2, state2) = seen[0], seen[1]
    assert seq1 is not None and state2 != state1 and seq2 == head2 > seq1  # with its own step
    assert seen[-1][1] is None and seen[-1][3] is None  # finished: no state at all


def test_a_chain_that_disagrees_with_the_dossier_is_never_guessed_at(url: str) -> None:
    office = bench_office(url, cache=False)
    dossier_id = submit(office, people(office))
    _step(office, dossier_id)
    with office.db.unit_of_work() as uow:
        uow.dossiers.update(dossier_id, state_tail=2)
        uow.commit()
    item = open_items(office, dossier_id)[0]
    with pytest.raises(StepFailed, match=r"000.*\b2\b.*\b1\b"):
        work.complete(office, item.id, people(office)[item.department_code], ANSWER)
    assert open_items(office, dossier_id)[0].status == item.status  # nothing written


CHILD = """
import sys
from engine.bootstrap import build_office
from engine.service import work
from engine.settings import Settings
from bench.office import ANSWER, open_items, people
office = build_office(Settings(database_url=sys.argv[1]))
staff = people(office)
for dossier_id in map(int, sys.argv[2:]):
    while items := open_items(office, dossier_id):
        item = items[0]
        work.complete(office, item.id, staff[item.department_code], ANSWER)
        print(item.id, flush=True)
"""
KILLS = 3


def _run(url: str, dossier_ids: list[int], kill_after_s: float | None) -> list[int]:
    """Item ids the child acknowledged (printed after their commit) before it was killed."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, *map(str, dossier_ids)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    if kill_after_s is None:
        out, _ = child.communicate(timeout=300)
        assert child.returncode == 0
        return [int(x) for x in out.split()]
    first = child.stdout.readline()  # started: the kill lands among the steps
    time.sleep(kill_after_s)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=60)
    return [int(x) for x in (first + out).split()]


def test_a_killed_server_loses_no_acknowledged_step_and_applies_none_twice(url: str) -> None:
    office = bench_office(url, cache=False)
    staff = people(office)
    dossier_ids = [submit(office, staff) for _ in range(12)]
    office.db.dispose()
    acknowledged: list[int] = []
    rng = random.Random(19)
    for _ in range(KILLS):
        acknowledged += _run(url, dossier_ids, rng.uniform(0.05, 0.6))
        _check(office, dossier_ids, acknowledged)
    acknowledged += _run(url, dossier_ids, None)  # the rest, to the end
    _check(office, dossier_ids, acknowledged)
    with office.db.unit_of_work(readonly=True) as uow:
        assert {uow.dossiers.get(d).status for d in dossier_ids} == {"resolved"}  # type: ignore[union-attr]


def _check(office: Office, dossier_ids: list[int], acknowledged: list[int]) -> None:
    with office.db.unit_of_work(readonly=True) as uow:
        for dossier_id in dossier_ids:
            completed = Counter(e.work_item_id for e in uow.audit.for_dossier(dossier_id)
                                if e.kind == "item_completed")
            assert max(completed.values(), default=1) == 1  # no step applied twice
            for item in uow.items.for_dossier(dossier_id):
                if item.id in acknowledged:
                    assert item.status == "completed" and completed[item.id] == 1
    for dossier_id in dossier_ids:
        open_now = {i.task_uuid for i in open_items(office, dossier_id)}
        with office.db.unit_of_work(readonly=True) as uow:
            dossier = uow.dossiers.get(dossier_id)
        assert dossier is not None
        if dossier.state is not None:
            assert _restored(office, dossier_id)[0] == open_now
        else:
            assert not open_now


def test_the_worker_snapshots_a_dossier_gone_idle(url: str) -> None:
    office = bench_office(url, cache=False)
    dossier_id = submit(office, people(office))
    _step(office, dossier_id)
    assert worker_round(office).snapshots == 0  # its clerk may be at the next step
    assert isinstance(office.clock, ManualClock)
    office.clock.advance(minutes=11)
    assert worker_round(office).snapshots == 1
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.get(dossier_id)
        head = uow.audit.head(dossier_chain(dossier_id))
    assert found is not None and head is not None
    assert (found.state_tail, found.state_seq) == (0, head[0])
    assert _restored(office, dossier_id)[0] == {i.task_uuid for i in open_items(office,
                                                                                  dossier_id)}
    _step(office, dossier_id)  # and the dossier goes on from the new snapshot
    assert snapshot_all(office) == 1 and snapshot_all(office) == 0


def test_a_downgrade_waits_for_the_logged_steps_to_be_snapshotted(url: str) -> None:
    from alembic import command

    from engine.store.migrate import alembic_config

    office = bench_office(url, cache=False)
    dossier_id = submit(office, people(office))
    _step(office, dossier_id)
    office.db.dispose()
    with pytest.raises(RuntimeError, match="motcua state snapshot"):
        command.downgrade(alembic_config(url), "0018")
    assert snapshot_all(office) == 1
    command.downgrade(alembic_config(url), "0018")
    command.upgrade(alembic_config(url), "head")
    assert _restored(office, dossier_id)[0] == {i.task_uuid for i in open_items(office,
                                                                                  dossier_id)}
