"""Dossiers through the engine on a real database, restored from storage at every step."""

from __future__ import annotations

import re
import threading

import pytest

from engine.audit.chain import dossier_chain
from engine.audit.verify import check_chain
from engine.errors import (
    AlreadyClaimed,
    FormInvalid,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotOpen,
    StaleState,
)
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import dossiers, work
from engine.service.office import Office
from tests.conftest import local
from tests.helpers import active_items, all_items, do_step, dossier, the_item

COPY = {"pages": 5, "copies": 1, "ten_giay_to": "Bằng tốt nghiệp THPT"}
APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345"}


def submit_copy(office: Office, users: dict[str, User], **form: object) -> dossiers.Receipt:
    return dossiers.submit(office, "chung_thuc_ban_sao", APPLICANT, "direct",
                           {**COPY, **form}, users["reception"])


def test_submission_gets_a_circular_01_code_due_date_fee_and_first_work_item(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    assert receipt.code == "000.00.81.H26-260303-0001"
    assert receipt.fee == 7000
    assert receipt.due_at == local(2026, 3, 3, 17, 0)
    assert re.fullmatch(r"[A-Z2-9]{8}", receipt.secret)
    item = the_item(office, receipt.dossier_id)
    assert (item.step_id, item.department_code, item.status) == (
        "Task_KiemTraHoSo", "MOT_CUA", "open")
    assert item.handed_over_by == "reception"
    assert item.due_at is not None and item.due_at > local(2026, 3, 3, 9, 0)


def test_codes_count_per_agency_and_day_and_restart_the_next_day(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    codes = [submit_copy(office, users).code for _ in range(3)]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    clock.set(local(2026, 3, 4, 8, 5))
    assert submit_copy(office, users).code == "000.00.81.H26-260304-0001"


def test_a_copy_is_certified_by_the_right_people_and_resolved(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = submit_copy(office, users)
    steps = [
        ("reception", {"ket_qua_kiem_tra": "hop_le"}),
        ("justice", {"ket_qua_xu_ly": "dat", "so_chung_thuc": "123/2026"}),
        ("leader", {"y_kien_lanh_dao": "dong_y"}),
        ("reception", {"hinh_thuc_tra": "truc_tiep"}),
    ]
    departments = []
    for who, data in steps:
        clock.advance(minutes=20)
        departments.append(the_item(office, receipt.dossier_id).department_code)
        do_step(office, receipt.dossier_id, users[who], data)
    assert departments == ["MOT_CUA", "TU_PHAP", "LANH_DAO", "MOT_CUA"]
    done = dossier(office, receipt.dossier_id)
    assert done.status == "resolved"
    assert done.resolved_at == local(2026, 3, 3, 10, 20)
    assert done.state is None  # a finished dossier keeps its data, not its task tree
    assert done.data["fee"] == 7000
    assert [i.status for i in all_items(office, receipt.dossier_id)] == ["completed"] * 4
    with office.db.unit_of_work(readonly=True) as uow:
        events = uow.audit.for_dossier(receipt.dossier_id)
        head = uow.audit.heads()[dossier_chain(receipt.dossier_id)]
    kinds = [e.kind for e in events]
    assert kinds[0] == "dossier_submitted" and kinds[-1] == "dossier_resolved"
    assert kinds.count("item_handed_over") == 4
    assert kinds.count("item_claimed") == 4 and kinds.count("item_completed") == 4
    assert check_chain(dossier_chain(receipt.dossier_id), [(e, head) for e in events]) is None


def test_reception_refuses_an_ineligible_dossier(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    do_step(office, receipt.dossier_id, users["reception"],
            {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Bản chính bị tẩy xóa"})
    assert dossier(office, receipt.dossier_id).status == "not_accepted"
    assert active_items(office, receipt.dossier_id) == []


def test_only_staff_of_the_items_department_may_claim(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    item = the_item(office, receipt.dossier_id)
    for outsider in ("justice", "finance", "auditor", "designer"):
        with pytest.raises(NotAllowed):
            work.claim(office, item.id, users[outsider])
    claimed = work.claim(office, item.id, users["reception"])
    assert claimed.claimed_by == "reception"


def test_claiming_a_claimed_item_fails_and_never_overwrites(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    item = the_item(office, receipt.dossier_id)
    work.claim(office, item.id, users["reception"])
    with pytest.raises(AlreadyClaimed):
        work.claim(office, item.id, users["leader"])
    assert the_item(office, receipt.dossier_id).claimed_by == "reception"


def test_only_the_claimant_completes_and_not_twice(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    item = the_item(office, receipt.dossier_id)
    work.claim(office, item.id, users["leader"])
    with pytest.raises(AlreadyClaimed):  # a colleague holds it: a conflict naming them
        work.complete(office, item.id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    work.complete(office, item.id, users["leader"], {"ket_qua_kiem_tra": "hop_le"})
    with pytest.raises(NotOpen):
        work.complete(office, item.id, users["leader"], {"ket_qua_kiem_tra": "hop_le"})


def test_form_data_is_checked_against_the_steps_form(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    item = the_item(office, receipt.dossier_id)
    work.claim(office, item.id, users["reception"])
    with pytest.raises(FormInvalid) as missing:
        work.complete(office, item.id, users["reception"], {})
    assert missing.value.field == "ket_qua_kiem_tra"
    with pytest.raises(FormInvalid) as bad_enum:
        work.complete(office, item.id, users["reception"], {"ket_qua_kiem_tra": "maybe"})
    assert bad_enum.value.field == "ket_qua_kiem_tra"
    with pytest.raises(FormInvalid) as smuggled:
        work.complete(office, item.id, users["reception"],
                      {"ket_qua_kiem_tra": "hop_le", "fee": 0})
    assert smuggled.value.field == "fee"
    # Nothing was half-written: the item is still claimed and the dossier unchanged.
    assert the_item(office, receipt.dossier_id).status == "claimed"
    assert dossier(office, receipt.dossier_id).state_rev == 1


def test_submission_errors_are_clear(office: Office, users: dict[str, User]) -> None:
    with pytest.raises(NotFound, match="no procedure 'khong_co'"):
        dossiers.submit(office, "khong_co", APPLICANT, "direct", {}, users["reception"])
    with pytest.raises(InvalidInput, match="channel"):
        dossiers.submit(office, "chung_thuc_ban_sao", APPLICANT, "fax", COPY,
                        users["reception"])
    with pytest.raises(FormInvalid) as exc:
        dossiers.submit(office, "chung_thuc_ban_sao", APPLICANT, "direct",
                        {"copies": 1, "ten_giay_to": "Giấy khai sinh"},
                        users["reception"])
    assert exc.value.field == "pages"
    with pytest.raises(NotAllowed):
        dossiers.submit(office, "chung_thuc_ban_sao", APPLICANT, "direct", COPY,
                        users["justice"])
    with office.db.unit_of_work(readonly=True) as uow:
        assert uow.dossiers.search()[1] == 0


def test_leader_reassigns_within_the_department_only(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    item = the_item(office, receipt.dossier_id)
    with pytest.raises(NotAllowed):
        work.reassign(office, item.id, users["reception"], "reception")
    with pytest.raises(NotAllowed):
        work.reassign(office, item.id, users["leader"], "justice")
    moved = work.reassign(office, item.id, users["leader"], "reception")
    assert (moved.status, moved.claimed_by) == ("claimed", "reception")
    released = work.release(office, item.id, users["reception"])
    assert (released.status, released.claimed_by) == ("open", None)


def test_two_concurrent_completes_of_one_item_exactly_one_wins(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    item = the_item(office, receipt.dossier_id)
    work.claim(office, item.id, users["reception"])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def finish() -> None:
        barrier.wait()
        try:
            work.complete(office, item.id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
            outcomes.append("ok")
        except (NotOpen, StaleState):
            outcomes.append("conflict")

    threads = [threading.Thread(target=finish) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    handed = [i for i in all_items(office, receipt.dossier_id) if i.step_id == "Task_XuLy"]
    assert len(handed) == 1  # never a doubled step


def test_a_state_write_based_on_an_old_revision_is_refused(
        office: Office, users: dict[str, User]) -> None:
    receipt = submit_copy(office, users)
    rev = dossier(office, receipt.dossier_id).state_rev
    with office.db.unit_of_work() as uow:
        uow.dossiers.save_state(receipt.dossier_id, rev, state="{}")
        with pytest.raises(StaleState):
            uow.dossiers.save_state(receipt.dossier_id, rev, state="{}")


def test_an_absurd_fee_is_refused_not_stored() -> None:
    from engine.service.dossiers import _fee

    assert _fee("7000") == 7000 and _fee(None) == 0
    with pytest.raises(InvalidInput, match="check the quantities"):
        _fee(2**53)
