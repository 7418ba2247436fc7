"""Group commit on SQLite (``MOTCUA_SQLITE_GROUP_COMMIT``): writers queued at one moment share
one transaction, each answered after its commit; one member's failure is its own, the
group's commit failure everyone's."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from bench.office import ANSWER, FIRST_WARD, START, bench_office, open_items, people, submit
from engine.calendar import WorkingCalendar
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service import work
from engine.service.office import Office
from engine.store import Database


@pytest.fixture
def folder() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as found:
        yield found


@pytest.fixture
def db(folder: str) -> Iterator[Database]:
    found = Database(f"sqlite:///{folder}/group.db", group_commit=True)
    with found.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
                             "REFERENCES parent (id))")
        conn.exec_driver_sql("INSERT INTO parent (id) VALUES (1)")
    yield found
    found.dispose()


def _ids(db: Database) -> set[int]:
    with db.unit_of_work(readonly=True) as uow:
        return {int(x) for x in uow.conn.exec_driver_sql("SELECT id FROM child").scalars()}


def _write(db: Database, row: int, parent: int = 1, then: Callable[[], None] | None = None,
           fail: bool = False, defer: bool = False, out: dict[int, object] | None = None
           ) -> None:
    try:
        with db.unit_of_work() as uow:
            if defer:  # this transaction checks its foreign keys at COMMIT only
                uow.conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            uow.conn.execute(sa.text("INSERT INTO child (id, parent_id) VALUES (:i, :p)"),
                             {"i": row, "p": parent})
            if then is not None:
                then()
            if fail:
                raise RuntimeError("this member fails")
            uow.commit()
            if out is not None:  # what another connection reads the moment commit returned
                out[row] = row in _ids(db)
    except Exception as exc:
        if out is not None:
            out[row] = exc


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the members never queued"
        time.sleep(0.001)


def _group_of(db: Database, *members: dict[str, object]) -> dict[int, object]:
    """Run the members while the first holds its turn until all others have queued."""
    assert db.group is not None
    results: dict[int, object] = {}
    queued = threading.Event()

    def hold() -> None:
        queued.wait(10)

    first, *others = members
    threads = [threading.Thread(target=_write, kwargs={**first, "then": hold, "db": db,
                                                       "out": results})]
    threads += [threading.Thread(target=_write, kwargs={**m, "db": db, "out": results})
                for m in others]
    threads[0].start()
    _until(lambda: db.group is not None and db.group._group is not None)  # the leader's
    for t in threads[1:]:
        t.start()
    group = db.group._group
    _until(lambda: group is not None and group.waiting == len(others))  # all queued in it
    queued.set()
    for t in threads:
        t.join(20)
    return results


def test_queued_writers_share_one_commit_and_are_answered_after_it(db: Database) -> None:
    results = _group_of(db, {"row": 1}, {"row": 2}, {"row": 3})
    assert results == {1: True, 2: True, 3: True}  # each saw its row committed on return
    assert db.group is not None and (db.group.groups, db.group.members) == (1, 3)
    assert _ids(db) == {1, 2, 3}


def test_a_failing_member_loses_only_its_own_writes(db: Database) -> None:
    results = _group_of(db, {"row": 1}, {"row": 2, "fail": True}, {"row": 3})
    assert results[1] is True and results[3] is True
    assert isinstance(results[2], RuntimeError)
    assert _ids(db) == {1, 3}


def test_a_failing_commit_reaches_every_member(db: Database) -> None:
    # The leader's row breaks a foreign key that the transaction checks when it commits.
    results = _group_of(db, {"row": 1, "parent": 99, "defer": True}, {"row": 2}, {"row": 3})
    assert all(isinstance(results[r], sa.exc.IntegrityError) for r in (1, 2, 3)), results
    assert _ids(db) == set()  # none was answered, none was kept
    assert _group_of(db, {"row": 4}, {"row": 5}) == {4: True, 5: True}  # the next group


def test_clerks_at_32_desks_complete_their_steps_in_groups(folder: str) -> None:
    url = f"sqlite:///{folder}/office.db"
    bench_office(url).db.dispose()  # the demo organisation and the bench procedure
    office = Office(db=Database(url, group_commit=True), agency_code=FIRST_WARD,
                    clock=ManualClock(START), calendar=WorkingCalendar.default(),
                    workflows=WorkflowCache())
    staff = people(office)
    dossier_ids = [submit(office, staff) for _ in range(32)]
    errors: list[BaseException] = []

    def clerk(dossier_id: int) -> None:
        try:
            while items := open_items(office, dossier_id):
                item = items[0]
                work.complete(office, item.id, staff[item.department_code], ANSWER)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(d,)) for d in dossier_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with office.db.unit_of_work(readonly=True) as uow:
        assert {uow.dossiers.get(d).status for d in dossier_ids} == {"resolved"}  # type: ignore[union-attr]
        for d in dossier_ids:
            events = uow.audit.for_dossier(d)
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
    group = office.db.group
    assert group is not None and group.members >= 32 * 5
    office.db.dispose()
