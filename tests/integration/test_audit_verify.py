"""Tampering with the audit log in the database is caught, wherever and however it is done."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from engine.audit.chain import dossier_chain, event_hash
from engine.audit.verify import verify_log
from engine.model import User
from engine.service import dossiers
from engine.service.office import Office
from engine.store.tables import audit_chains, audit_events
from tests.helpers import do_step

BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}


@pytest.fixture
def chain(office: Office, users: dict[str, User]) -> str:
    """A dossier with a few steps done and another just received: two chains besides
    the system one."""
    receipt = dossiers.submit(office, "dang_ky_ho_kinh_doanh", {"name": "Lê An"}, "direct",
                              BUSINESS, users["reception"])
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, receipt.dossier_id, users["finance"], {"ket_qua_tham_dinh": "dat"})
    dossiers.submit(office, "dang_ky_ho_kinh_doanh", {"name": "Lê Bình"}, "online", BUSINESS,
                    None)
    return dossier_chain(receipt.dossier_id)


def _events(office: Office, chain: str) -> list[Any]:
    with office.db.unit_of_work(readonly=True) as uow:
        return list(uow.conn.execute(sa.select(audit_events).where(
            audit_events.c.chain == chain).order_by(audit_events.c.seq)))


def _run(office: Office, *statements: Any) -> None:
    with office.db.unit_of_work() as uow:
        for statement in statements:
            uow.conn.execute(statement)
        uow.commit()


def test_an_untouched_log_is_intact(office: Office, chain: str) -> None:
    result = verify_log(office)
    with office.db.unit_of_work(readonly=True) as uow:
        events = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
        chains = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_chains)).scalar()
    assert result.intact and result.first is None
    assert (result.events_checked, result.chains_checked) == (events, chains)
    assert chains == 3


def test_an_edited_event_is_caught(office: Office, chain: str) -> None:
    target = _events(office, chain)[3]
    _run(office, audit_events.update().where(audit_events.c.id == target.id)
         .values(data={"step": "Task_ThamDinh", "data": {"ket_qua_tham_dinh": "tu_choi"}}))
    result = verify_log(office)
    assert not result.intact and len(result.breaks) == 1
    first = result.first
    assert first is not None
    assert (first.chain, first.seq, first.event_id) == (chain, target.seq, target.id)
    assert "content was altered" in first.reason


def test_an_edited_time_or_actor_is_caught(office: Office, chain: str) -> None:
    target = _events(office, chain)[2]
    _run(office, audit_events.update().where(audit_events.c.id == target.id)
         .values(actor="someone_else"))
    assert verify_log(office).first is not None


def test_a_removed_middle_event_is_caught(office: Office, chain: str) -> None:
    target = _events(office, chain)[2]
    _run(office, audit_events.delete().where(audit_events.c.id == target.id))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and first.seq == target.seq
    assert first.reason == f"event {target.seq} was removed"


def test_a_removed_last_event_is_caught_by_the_chain_head(office: Office, chain: str) -> None:
    last = _events(office, chain)[-1]
    _run(office, audit_events.delete().where(audit_events.c.id == last.id))
    first = verify_log(office).first
    assert first is not None and (first.chain, first.seq, first.event_id) == (chain, last.seq,
                                                                             None)
    assert "removed from the end" in first.reason


def test_an_inserted_event_is_caught_even_with_a_correct_hash(
        office: Office, chain: str) -> None:
    last = _events(office, chain)[-1]
    seq = last.seq + 1
    forged: dict[str, Any] = dict(chain=chain, seq=seq, dossier_id=last.dossier_id,
                                  work_item_id=None, kind="item_completed", actor="finance",
                                  at=last.at, data={"step": "Task_PheDuyet"},
                                  prev_hash=last.hash)
    forged["hash"] = event_hash(chain, seq, forged["kind"], forged["actor"], forged["at"],
                                forged["data"], forged["dossier_id"], None, last.hash)
    _run(office, audit_events.insert().values(**forged))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and first.seq == seq
    assert "inserted" in first.reason


def test_a_replaced_event_is_caught(office: Office, chain: str) -> None:
    """Deleted and inserted again with a recomputed hash: the next event's link breaks."""
    events = _events(office, chain)
    target = events[1]
    data = {**target.data, "step": "Task_Khac"}
    digest = event_hash(chain, target.seq, target.kind, target.actor, target.at, data,
                        target.dossier_id, target.work_item_id, target.prev_hash)
    _run(office, audit_events.update().where(audit_events.c.id == target.id)
         .values(data=data, hash=digest))
    first = verify_log(office).first
    assert first is not None and first.seq == events[2].seq
    assert "link to the previous event" in first.reason


def test_a_whole_history_removed_is_caught(office: Office, chain: str) -> None:
    _run(office, audit_events.delete().where(audit_events.c.chain == chain))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and "were removed" in first.reason
    _run(office, audit_chains.delete().where(audit_chains.c.chain == chain))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and "no audit chain" in first.reason


def test_every_broken_chain_is_listed(office: Office, chain: str) -> None:
    system = _events(office, "system")[0]
    _run(office, audit_events.update().where(audit_events.c.id == system.id)
         .values(actor="intruder"),
         audit_events.update().where(audit_events.c.chain == chain, audit_events.c.seq == 1)
         .values(kind="dossier_refused"))
    result = verify_log(office)
    assert sorted(b.chain for b in result.breaks) == sorted([chain, "system"])
    with office.db.unit_of_work(readonly=True) as uow:
        events = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
    assert result.events_checked == events  # a broken chain does not stop the walk
