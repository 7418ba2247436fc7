"""The audit log's verification over HTTP: an intact log, and tampering done in the database
(bypassing the engine) found at the right event. Every test puts the log back as it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import sqlalchemy as sa

from engine.store.tables import audit_events
from tests.features.api_steps import ApiOffice
from tests.features.auditor_steps import dossier_id, event_of, set_event_data, verify


@cache
def two_dossiers(api: ApiOffice) -> tuple[str, str]:
    first = api.submit()["code"]
    api.certify(first)
    second = api.submit()["code"]
    api.do_step(second, {"ket_qua_kiem_tra": "hop_le"})
    return first, second


def _counts(api: ApiOffice) -> tuple[int, int]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        events = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
        chains = len(uow.audit.heads())
    return int(events or 0), chains


def _chain(api: ApiOffice, code: str) -> list[Any]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return list(uow.conn.execute(sa.select(audit_events).where(
            audit_events.c.chain_id == dossier_id(api, code)).order_by(audit_events.c.seq)))


@contextmanager
def removed(api: ApiOffice, row: Any) -> Iterator[None]:
    """The event row deleted, then inserted back exactly as it was."""
    with api.office.db.unit_of_work() as uow:
        uow.conn.execute(audit_events.delete().where(audit_events.c.chain_id == row.chain_id,
                                                     audit_events.c.seq == row.seq))
        uow.commit()
    try:
        yield
    finally:
        with api.office.db.unit_of_work() as uow:
            uow.conn.execute(audit_events.insert().values(**row._mapping))
            uow.commit()


def test_an_untouched_log_is_intact(api: ApiOffice) -> None:
    two_dossiers(api)
    result = verify(api)
    assert result["intact"] is True
    assert result["first_break"] is None and result["breaks"] == []
    assert result["more_breaks"] is False
    assert (result["events_checked"], result["chains_checked"]) == _counts(api)
    assert result["checked_at"].endswith("+07:00")
    assert verify(api, "admin")["intact"] is True


def test_an_edited_event_is_found_by_its_place_in_its_chain(api: ApiOffice) -> None:
    first, _ = two_dossiers(api)
    event = event_of(api, first, "item_completed", "Task_XuLy")
    set_event_data(api, event, {**event.data, "data": {"ket_qua_xu_ly": "tu_choi"}})
    try:
        result = verify(api)
    finally:
        set_event_data(api, event, event.data)
    assert result["intact"] is False
    assert result["first_break"] == {
        "chain": f"d:{dossier_id(api, first)}", "seq": event.seq,
        "reason": "nội dung sự kiện hoặc liên kết với sự kiện trước đó đã bị sửa",
        "dossier_code": first}
    assert result["breaks"] == [result["first_break"]]
    assert (result["events_checked"], result["chains_checked"]) == _counts(api)
    assert verify(api)["intact"] is True  # put back as written, the chain matches again


def test_the_findings_follow_accept_language(api: ApiOffice) -> None:
    first, _ = two_dossiers(api)
    event = event_of(api, first, "item_completed", "Task_XuLy")
    set_event_data(api, event, {**event.data, "data": {"ket_qua_xu_ly": "tu_choi"}})
    try:
        english = api.client("auditor").get("/audit/verify", headers={"Accept-Language": "en"})
    finally:
        set_event_data(api, event, event.data)
    assert english.json()["first_break"]["reason"] == \
        "the event's content or its link to the event before was altered"


def test_an_event_removed_from_the_middle(api: ApiOffice) -> None:
    first, _ = two_dossiers(api)
    chain = _chain(api, first)
    gone = chain[2]
    with removed(api, gone):
        result = verify(api)
    assert result["intact"] is False
    assert result["first_break"] == {
        "chain": f"d:{gone.chain_id}", "seq": gone.seq,
        "reason": f"sự kiện {gone.seq} đã bị xóa", "dossier_code": first}
    assert verify(api)["intact"] is True


def test_the_last_event_removed(api: ApiOffice) -> None:
    _, second = two_dossiers(api)
    last = _chain(api, second)[-1]
    with removed(api, last):
        result = verify(api)
    assert result["first_break"] == {
        "chain": f"d:{last.chain_id}", "seq": last.seq,
        "reason": f"sự kiện {last.seq} ở cuối chuỗi đã bị xóa", "dossier_code": second}
    assert verify(api)["intact"] is True


def test_two_broken_chains_are_both_listed(api: ApiOffice) -> None:
    first, second = two_dossiers(api)
    edits = [event_of(api, code, "dossier_submitted") for code in (first, second)]
    for event in edits:
        set_event_data(api, event, {**event.data, "fee": 0})
    try:
        result = verify(api)
    finally:
        for event in edits:
            set_event_data(api, event, event.data)
    assert [(b["dossier_code"], b["seq"]) for b in result["breaks"]] == \
        sorted([(first, edits[0].seq), (second, edits[1].seq)],
               key=lambda b: dossier_id(api, b[0]))
    assert result["first_break"] == result["breaks"][0]


def test_only_auditors_and_admins_verify(api: ApiOffice) -> None:
    for user, status in [("leader", 403), ("reception", 403), ("designer", 403),
                         (None, 401)]:
        answer = api.client(user).get("/audit/verify")
        assert answer.status_code == status, user
        assert answer.headers["content-type"] == "application/problem+json"
    assert api.client("auditor").post("/audit/verify").status_code == 405
