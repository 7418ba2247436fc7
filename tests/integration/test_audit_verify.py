"""Tampering with the audit log in the database is caught, wherever and however it is done."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from engine.audit.chain import chain_id, dossier_chain, event_hash
from engine.model import User
from engine.service import dossiers
from engine.service.office import Office
from engine.service.reporting import verify_log
from engine.store.tables import audit_events
from engine.store.tables import dossiers as dossier_rows
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
            audit_events.c.chain_id == chain_id(chain)).order_by(audit_events.c.seq)))


def _the(event: Any) -> sa.ColumnElement[bool]:
    """The row of one event: its chain and its place in it."""
    return sa.and_(audit_events.c.chain_id == event.chain_id, audit_events.c.seq == event.seq)


def _chains(office: Office) -> int:
    """Chains with a recorded head: the system chain and one per dossier."""
    with office.db.unit_of_work(readonly=True) as uow:
        return len(uow.audit.heads())


def _run(office: Office, *statements: Any) -> None:
    with office.db.unit_of_work() as uow:
        for statement in statements:
            uow.conn.execute(statement)
        uow.commit()


def test_an_untouched_log_is_intact(office: Office, chain: str) -> None:
    result = verify_log(office)
    with office.db.unit_of_work(readonly=True) as uow:
        events = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
    chains = _chains(office)
    assert result.intact and result.first is None
    assert (result.events_checked, result.chains_checked) == (events, chains)
    assert chains == 3


def test_an_edited_event_is_caught(office: Office, chain: str) -> None:
    target = _events(office, chain)[3]
    _run(office, audit_events.update().where(_the(target))
         .values(data={"step": "Task_ThamDinh", "data": {"ket_qua_tham_dinh": "tu_choi"}}))
    result = verify_log(office)
    assert not result.intact and len(result.breaks) == 1
    first = result.first
    assert first is not None
    assert (first.chain, first.seq) == (chain, target.seq)
    assert "content or its link to the event before was altered" in str(first.reason)


def test_an_edited_time_or_actor_is_caught(office: Office, chain: str) -> None:
    target = _events(office, chain)[2]
    _run(office, audit_events.update().where(_the(target))
         .values(actor="someone_else"))
    assert verify_log(office).first is not None


def test_a_removed_middle_event_is_caught(office: Office, chain: str) -> None:
    target = _events(office, chain)[2]
    _run(office, audit_events.delete().where(_the(target)))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and first.seq == target.seq
    assert str(first.reason) == f"event {target.seq} was removed"


def test_a_removed_last_event_is_caught_by_the_chain_head(office: Office, chain: str) -> None:
    last = _events(office, chain)[-1]
    _run(office, audit_events.delete().where(_the(last)))
    first = verify_log(office).first
    assert first is not None and (first.chain, first.seq) == (chain, last.seq)
    assert "removed from the end" in str(first.reason)


def test_an_inserted_event_is_caught_even_with_a_correct_hash(
        office: Office, chain: str) -> None:
    last = _events(office, chain)[-1]
    seq = last.seq + 1
    forged: dict[str, Any] = dict(chain_id=last.chain_id, seq=seq, work_item_id=None,
                                  kind="item_completed", actor="finance", at=last.at,
                                  data={"step": "Task_PheDuyet"})
    forged["hash"] = event_hash(chain, seq, forged["kind"], forged["actor"], forged["at"],
                                forged["data"], last.chain_id, None, last.hash)
    _run(office, audit_events.insert().values(**forged))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and first.seq == seq
    assert "inserted" in str(first.reason)


def test_a_replaced_event_is_caught(office: Office, chain: str) -> None:
    """Replaced with a hash recomputed over its predecessor: the next event's hash, which
    covers the replaced one's, breaks."""
    events = _events(office, chain)
    target = events[1]
    data = {**target.data, "step": "Task_Khac"}
    digest = event_hash(chain, target.seq, target.kind, target.actor, target.at, data,
                        target.chain_id, target.work_item_id, events[0].hash)
    _run(office, audit_events.update().where(_the(target)).values(data=data, hash=digest))
    first = verify_log(office).first
    assert first is not None and first.seq == events[2].seq
    assert "link to the event before" in str(first.reason)


def test_a_whole_history_removed_is_caught(office: Office, chain: str) -> None:
    _run(office, audit_events.delete().where(audit_events.c.chain_id == chain_id(chain)))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and "were removed" in str(first.reason)
    _run(office, dossier_rows.update().where(dossier_rows.c.id == chain_id(chain))
         .values(chain_seq=None, chain_head=None))
    first = verify_log(office).first
    assert first is not None and first.chain == chain and "no audit chain" in str(first.reason)


def test_every_broken_chain_is_listed(office: Office, chain: str) -> None:
    system = _events(office, "system")[0]
    _run(office, audit_events.update().where(_the(system))
         .values(actor="intruder"),
         audit_events.update().where(audit_events.c.chain_id == chain_id(chain),
                                     audit_events.c.seq == 1)
         .values(kind="dossier_refused"))
    result = verify_log(office)
    assert sorted(b.chain for b in result.breaks) == sorted([chain, "system"])
    with office.db.unit_of_work(readonly=True) as uow:
        events = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
    assert result.events_checked == events  # a broken chain does not stop the walk
