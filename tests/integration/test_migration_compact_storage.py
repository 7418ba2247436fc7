"""Migration 0004 carries a log written by the earlier schema over intact, and back again."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command

from engine.audit.chain import GENESIS, event_hash
from engine.calendar import WorkingCalendar
from engine.runtime.clock import ManualClock
from engine.service.office import Office
from engine.service.reporting import verify_log
from engine.store import Database
from engine.store.migrate import alembic_config
from tests.conftest import fresh_database

RECEIVED = datetime(2026, 3, 3, 2, 0, 0, 123456, tzinfo=UTC)
TASK = str(uuid.UUID(int=0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0))
EVENTS = [("d:1", 1, 1, None, "dossier_submitted", "reception", {"code": "X-1", "fee": 0}),
          ("d:1", 2, 1, 1, "item_handed_over", "reception",
           {"step": "Task_A", "name": "Tiếp nhận", "department": "MOT_CUA"}),
          ("system", 1, None, None, "procedure_deployed", "designer", {"key": "p"})]


def _time(db: Database, value: datetime) -> Any:
    """A time as the earlier schema stored it: text on SQLite, timestamptz on PostgreSQL."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if db.dialect == "sqlite" else value


def _old_log(db: Database) -> dict[str, str]:
    """A dossier, its work item and three events in two chains, written as 0003 kept them;
    returns the hash of each chain's last event."""
    at = _time(db, RECEIVED)
    heads: dict[str, str] = {}
    with db.engine.begin() as conn:
        run = conn.execute
        run(sa.text("INSERT INTO procedures (key, name, latest_version, updated_at) "
                    "VALUES ('p', 'P', 1, :at)"), {"at": at})
        run(sa.text("INSERT INTO procedure_versions (id, procedure_key, version, sha256, "
                    "deployed_at, deployed_by, meta, files) VALUES (1, 'p', 1, 'x', :at, "
                    "'designer', '{}', '{}')"), {"at": at})
        run(sa.text("INSERT INTO dossiers (id, code, agency_code, procedure_key, version_id, "
                    "channel, status, applicant, data, fee, received_at, received_by, due_at, "
                    "receipt_secret_hash, state_rev) VALUES (1, 'X-1', 'A', 'p', 1, 'direct', "
                    "'processing', '{}', '{}', 0, :at, 'reception', :at, 'h', 1)"), {"at": at})
        run(sa.text("INSERT INTO work_items (id, dossier_id, task_uuid, step_id, step_name, "
                    "department_code, status, pauses_clock, created_at) VALUES (1, 1, :task, "
                    "'Task_A', 'Tiếp nhận', 'MOT_CUA', 'open', false, :at)"),
            {"task": TASK, "at": at})
        for chain, seq, dossier_id, item_id, kind, actor, data in EVENTS:
            prev = heads.get(chain, GENESIS)
            digest = event_hash(chain, seq, kind, actor, RECEIVED, data, dossier_id, item_id,
                                prev)
            run(sa.text("INSERT INTO audit_events (chain, seq, dossier_id, work_item_id, kind, "
                        "actor, at, data, prev_hash, hash) VALUES (:chain, :seq, :dossier, "
                        ":item, :kind, :actor, :at, :data, :prev, :hash)"),
                {"chain": chain, "seq": seq, "dossier": dossier_id, "item": item_id,
                 "kind": kind, "actor": actor, "at": at, "prev": prev, "hash": digest,
                 "data": json.dumps(data)})  # the earlier default: ASCII, padded
            heads[chain] = digest
        for chain, head in heads.items():
            run(sa.text("INSERT INTO audit_chains (chain, seq, head) VALUES (:c, :s, :h)"),
                {"c": chain, "s": max(e[1] for e in EVENTS if e[0] == chain), "h": head})
    return heads


def test_the_earlier_log_stays_intact_through_0004_and_back(database_url: str) -> None:
    db = fresh_database(database_url)
    config = alembic_config(database_url)
    command.downgrade(config, "0003")
    heads = _old_log(db)

    command.upgrade(config, "head")
    office = Office(db=db, agency_code="A", clock=ManualClock(RECEIVED),
                    calendar=WorkingCalendar.default())
    result = verify_log(office)
    assert result.intact, result.breaks
    assert (result.events_checked, result.chains_checked) == (3, 2)
    with db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.get(1)
        item = uow.items.get(1)
        events = uow.audit.for_dossier(1)
        assert uow.audit.heads() == {"d:1": (2, heads["d:1"]), "system": (1, heads["system"])}
    assert dossier is not None and (dossier.received_at, dossier.due_at) == (RECEIVED, RECEIVED)
    assert item is not None and (item.task_uuid, item.created_at) == (TASK, RECEIVED)
    assert [(e.seq, e.kind, e.at, e.data, e.dossier_id) for e in events] == \
        [(seq, kind, RECEIVED, data, 1) for chain, seq, _, _, kind, _, data in EVENTS
         if chain == "d:1"]

    command.downgrade(config, "0003")
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT chain, seq, prev_hash, hash, at FROM audit_events "
                                    "ORDER BY chain, seq")).all()
        chains = dict(conn.execute(sa.text("SELECT chain, head FROM audit_chains")).all())
        received, task = conn.execute(sa.text(
            "SELECT d.received_at, w.task_uuid FROM dossiers d JOIN work_items w "
            "ON w.dossier_id = d.id")).one()
    assert [(r.chain, r.seq) for r in rows] == [("d:1", 1), ("d:1", 2), ("system", 1)]
    assert rows[0].prev_hash == GENESIS and rows[1].prev_hash == rows[0].hash
    assert chains == heads
    assert (received, task) == (_time(db, RECEIVED), TASK)
    assert rows[0].at == _time(db, RECEIVED)
    command.upgrade(config, "head")
    db.dispose()
