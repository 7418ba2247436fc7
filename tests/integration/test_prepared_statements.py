"""The step's statements run on the driver's cursor (engine.store.prepared) write and read
exactly what SQLAlchemy Core writes and reads, raise Core's errors, and are counted."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from engine.model import User
from engine.service import dossiers
from engine.service.office import Office
from engine.store import Database
from engine.store.prepared import Prepared
from engine.store.tables import work_items

AT = datetime(2026, 3, 3, 2, 0, 0, 123456, tzinfo=UTC)


def _item(dossier_id: int, **values: Any) -> dict[str, Any]:
    return {"dossier_id": dossier_id, "task_uuid": "0b5e6a7c-1d2e-4f30-9a8b-7c6d5e4f3a2b",
            "step_id": "tham_dinh", "step_name": "Thẩm định hồ sơ", "unit": "000.00.81.H26",
            "department_code": "TU_PHAP", "status": "open", "allowance_hours": 12.5,
            "pauses_clock": False, "form": "x.json", "created_at": AT,
            "handed_over_by": "reception", "due_at": AT, "result": {"ket_qua": "đạt", "n": 1.5},
            **values}


@pytest.fixture
def db(office: Office) -> Database:
    return office.db


@pytest.fixture
def dossier_id(office: Office, users: dict[str, User]) -> int:
    copy = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
    return dossiers.submit(office, "chung_thuc_ban_sao", {"name": "Võ Thị Mai"}, "direct",
                           copy, users["reception"]).dossier_id


def test_a_work_item_written_on_the_cursor_is_the_row_core_writes(db: Database,
                                                                 dossier_id: int) -> None:
    with db.unit_of_work() as uow:
        fast = uow.items.insert(**_item(dossier_id))
        core = int(uow.conn.execute(work_items.insert().returning(work_items.c.id),
                                    _item(dossier_id)).scalar_one())
        uow.commit()
    columns = [c for c in work_items.c if c.name != "id"]
    with db.unit_of_work(readonly=True) as uow:
        rows = {r.id: tuple(r[1:]) for r in uow.conn.execute(
            sa.select(work_items.c.id, *columns).where(work_items.c.id.in_([fast, core])))}
        # And the values as stored, below the column types.
        raw = {r[0]: tuple(r[1:]) for r in uow.conn.exec_driver_sql(
            "SELECT id, task_uuid, created_at, result, allowance_hours FROM work_items "
            f"WHERE id IN ({fast}, {core})")}
        read_fast = uow.items.get(fast)
    assert rows[fast] == rows[core]
    assert raw[fast] == raw[core]
    assert read_fast is not None and read_fast.created_at == AT
    assert read_fast.result == {"ket_qua": "đạt", "n": 1.5} and read_fast.pauses_clock is False


def test_a_compare_and_set_on_the_cursor_counts_rows_and_statements(db: Database,
                                                                   dossier_id: int) -> None:
    with db.unit_of_work() as uow:
        item_id = uow.items.insert(**_item(dossier_id))
        uow.commit()
    with db.statement_counter() as counter, db.unit_of_work() as uow:
        assert uow.items.transition(item_id, ("open",), None, status="claimed",
                                    claimed_by="justice", claimed_at=AT)
        assert not uow.items.transition(item_id, ("open",), None, status="claimed",
                                        claimed_by="finance", claimed_at=AT)
        uow.commit()
    assert counter.statements == 2
    with db.unit_of_work(readonly=True) as uow:
        item = uow.items.get(item_id)
    assert item is not None and (item.claimed_by, item.claimed_at) == ("justice", AT)


def test_a_driver_error_comes_out_as_core_raises_it(db: Database) -> None:
    with db.unit_of_work() as uow, pytest.raises(sa.exc.IntegrityError):
        uow.items.insert(**_item(10**9))  # no such dossier: the foreign key refuses it


def test_a_statement_is_compiled_once_per_dialect(db: Database) -> None:
    statement = Prepared(sa.select(work_items.c.id).where(work_items.c.id == sa.bindparam("i")))
    with db.unit_of_work(readonly=True) as uow:
        assert statement.first(uow.conn, {"i": -1}) is None
        compiled = statement._by_dialect[db.dialect]
        assert statement.all(uow.conn, {"i": -1}) == []
        assert statement._by_dialect[db.dialect] is compiled
