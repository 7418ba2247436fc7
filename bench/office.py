"""What every benchmark starts from: a migrated database with the demo organisation and the
bench procedure deployed, and the people who work its steps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.calendar import WorkingCalendar
from engine.model import User, WorkItem
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service import deploy, dossiers, work
from engine.service.demo import FIRST_WARD, seed
from engine.service.office import Office
from engine.store import Database
from engine.store.migrate import upgrade

HERE = Path(__file__).resolve().parent
PROCEDURE_DIR = HERE / "procedure"
KEY = "bench_nam_buoc"
START_FORM: dict[str, Any] = {"ten_giay_to": "Bằng tốt nghiệp", "so_ban": 3}
ANSWER: dict[str, Any] = {"ket_qua": "dat"}
USER_STEPS = 5
# Department of each step → who works it (demo users).
WORKERS = {"MOT_CUA": "reception", "TU_PHAP": "justice", "LANH_DAO": "leader"}
# Tuesday 3 March 2026, 09:00 in Hà Nội.
START = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def procedure_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(PROCEDURE_DIR.rglob("*"))
            if p.suffix in (".bpmn", ".json")}


def bench_office(url: str, cache: bool = True, migrate: bool = True,
                 scripts: Any = None) -> Office:
    """An office on ``url`` with the demo organisation and the bench procedure deployed;
    ``scripts`` replaces the sandbox (SpiffWorkflow's own engine, to measure the sandbox)."""
    if migrate:
        upgrade(url)
    office = Office(db=Database(url), agency_code=FIRST_WARD, clock=ManualClock(START),
                    calendar=WorkingCalendar.default(),
                    workflows=WorkflowCache() if cache else WorkflowCache(size=0),
                    scripts=scripts)
    seed(office)
    deploy.deploy(office, procedure_files(), "bench")
    return office


def people(office: Office) -> dict[str, User]:
    """Department code → the demo user who works that department's steps."""
    with office.db.unit_of_work(readonly=True) as uow:
        found = {dept: uow.org.user(name) for dept, name in WORKERS.items()}
        found["reception"] = uow.org.user("reception")
    return {k: v for k, v in found.items() if v is not None}


def submit(office: Office, staff: dict[str, User]) -> int:
    receipt = dossiers.submit(office, KEY, {"name": "Nguyễn Văn A"}, "direct", START_FORM,
                              staff["reception"])
    return receipt.dossier_id


def open_items(office: Office, dossier_id: int) -> list[WorkItem]:
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.items.active_for_dossier(dossier_id)


def finish(office: Office, staff: dict[str, User], dossier_id: int) -> int:
    """Claim and complete every step of one dossier; returns the number of steps."""
    steps = 0
    items = open_items(office, dossier_id)
    while items:
        item = items[0]
        user = staff[item.department_code]
        work.claim(office, item.id, user)
        work.complete(office, item.id, user, ANSWER)
        steps += 1
        items = open_items(office, dossier_id)
    return steps


def reset_database(url: str) -> None:
    """Empty a benchmark database: every table dropped, then every migration up again. SQLite
    benchmarks use a fresh file instead; PostgreSQL ones get a database of their own (it is
    wiped)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = sa.MetaData()
        tables.reflect(conn)
        tables.drop_all(conn)
    engine.dispose()
    upgrade(url)
