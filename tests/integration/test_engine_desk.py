"""The desk's check as a use case: each decision's events, the dossier's outcome and what
form 06 counts, written in one transaction or not at all."""

from __future__ import annotations

from datetime import date

import pytest

from engine.audit.chain import dossier_chain
from engine.errors import AlreadyClaimed, AlreadyDone, InvalidInput, NotAllowed
from engine.model import DossierStatus, User
from engine.reports.statistics import Counts
from engine.runtime.clock import ManualClock
from engine.service import desk, dossiers, work
from engine.service.office import Office
from engine.service.reporting import statistics
from tests.conftest import local
from tests.helpers import do_step

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
WHO = {"name": "Nguyễn Văn Bình"}
ORIGINAL = [{"code": "ban_chinh", "form": "original", "count": 1}]


def _submit(office: Office, users: dict[str, User]) -> tuple[int, str]:
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", WHO, "direct", COPY,
                              users["reception"])
    return receipt.dossier_id, receipt.code


def _kinds(office: Office, dossier_id: int) -> list[str]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e.kind for e in sorted(uow.audit.events(dossier_chain(dossier_id)),
                                       key=lambda e: e.seq)]


def _status(office: Office, dossier_id: int) -> str:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.get(dossier_id)
    assert found is not None
    return found.status


def test_accepting_completes_the_desk_step_with_its_events(
        office: Office, users: dict[str, User]) -> None:
    dossier_id, code = _submit(office, users)
    done = desk.check(office, users["reception"], code, ORIGINAL, "accept")
    assert done.decision == "accept" and [d.code for d in done.received] == ["ban_chinh"]
    assert done.checked_by_name == "Nguyễn Thị Lan"
    kinds = _kinds(office, dossier_id)
    # Claimed, checked and completed in one act; the justice officer's step handed over.
    assert kinds[-4:] == ["item_claimed", "desk_checked", "item_completed", "item_handed_over"]
    view = desk.desk_view(office, users["reception"], code)
    assert not view.waiting and view.last is not None and view.last.decision == "accept"
    with pytest.raises(AlreadyDone):
        desk.check(office, users["reception"], code, ORIGINAL, "refuse", "Sai thủ tục")


def test_a_supplement_request_keeps_the_dossier_at_the_desk(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    dossier_id, code = _submit(office, users)
    asked = desk.check(office, users["reception"], code, [], "supplement")
    assert [d.code for d in asked.missing] == ["ban_chinh"]
    assert _kinds(office, dossier_id)[-1] == "desk_checked"
    view = desk.desk_view(office, users["reception"], code)
    assert view.waiting and _status(office, dossier_id) == DossierStatus.PROCESSING
    due_before = desk.desk_view(office, users["reception"], code).dossier.due_at
    assert due_before == local(2026, 3, 3, 17, 0)
    clock.set(local(2026, 3, 3, 14, 0))
    desk.check(office, users["reception"], code, ORIGINAL, "accept")
    view = desk.desk_view(office, users["reception"], code)
    assert [c.decision for c in view.checks] == ["supplement", "accept"]
    # The 3.5 working hours the applicant took (09:00–12:00, 13:30–14:00) do not count.
    assert view.dossier.due_at == local(2026, 3, 4, 11, 30)
    with office.db.unit_of_work(readonly=True) as uow:
        changes = uow.dossiers.due_changes(dossier_id)
    assert [(c.kind, c.paused_hours) for c in changes] == [("pause", 3.5)]


def test_refusing_ends_the_dossier_as_not_accepted(
        office: Office, users: dict[str, User]) -> None:
    dossier_id, code = _submit(office, users)
    desk.check(office, users["reception"], code, ORIGINAL, "refuse",
               "Bản chính bị tẩy xóa")
    assert _status(office, dossier_id) == DossierStatus.NOT_ACCEPTED
    assert _kinds(office, dossier_id)[-1] == "dossier_not_accepted"


def test_bad_checks_write_nothing(office: Office, users: dict[str, User]) -> None:
    dossier_id, code = _submit(office, users)
    before = _kinds(office, dossier_id)
    for received, decision, reasons in (
            ([{"code": "ho_chieu"}], "accept", None), (ORIGINAL, None, None),
            (ORIGINAL, "refuse", "   "), ([], "accept", None),
            ([{"code": "ban_chinh", "count": 0}], "accept", None)):
        with pytest.raises(InvalidInput):
            desk.check(office, users["reception"], code, received, decision, reasons)
    with pytest.raises(NotAllowed):
        desk.check(office, users["justice"], code, ORIGINAL, "accept")
    assert _kinds(office, dossier_id) == before


def test_form_06_counts_a_dossier_refused_at_the_desk_apart(
        office: Office, users: dict[str, User]) -> None:
    _accepted, accepted_code = _submit(office, users)
    desk.check(office, users["reception"], accepted_code, ORIGINAL, "accept")
    _refused, refused_code = _submit(office, users)
    desk.check(office, users["reception"], refused_code, [], "refuse", "Không thuộc thẩm quyền")
    plain, _plain_code = _submit(office, users)  # a step completed without the checklist
    do_step(office, plain, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    report = statistics(office, date(2026, 3, 1), date(2026, 3, 31), "procedure")
    counts = {r.key: r.counts for r in report.rows}["chung_thuc_ban_sao"]
    assert counts == Counts(new_desk=2, pending_within=2, not_accepted=1)
    assert counts.reconciles()


def test_a_step_a_colleague_holds_is_not_checked_over_them(
        office: Office, users: dict[str, User]) -> None:
    dossier_id, code = _submit(office, users)
    with office.db.unit_of_work(readonly=True) as uow:
        item = uow.items.active_for_dossier(dossier_id)[0]
    work.claim(office, item.id, users["leader"])
    with pytest.raises(AlreadyClaimed) as held:
        desk.check(office, users["reception"], code, ORIGINAL, "accept")
    assert "đã được" in held.value.text("vi")
    # The holder checks it themselves.
    assert desk.check(office, users["leader"], code, ORIGINAL, "accept").decision == "accept"


def _accepted_at(office: Office, dossier_id: int) -> object:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.get(dossier_id)
    assert found is not None
    return found.accepted_at


def test_a_dossier_filed_on_the_last_day_is_received_in_the_month_the_desk_accepts_it(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    clock.set(local(2026, 3, 31, 16, 30))
    late, late_code = _submit(office, users)  # filed on 31 March, accepted on 1 April
    checking, checking_code = _submit(office, users)  # still being checked on 30 April
    desk.check(office, users["reception"], checking_code, [], "supplement")
    refused, refused_code = _submit(office, users)
    desk.check(office, users["reception"], refused_code, [], "refuse", "Sai thủ tục")
    assert _accepted_at(office, late) is None and _accepted_at(office, checking) is None
    clock.set(local(2026, 4, 1, 8, 0))
    desk.check(office, users["reception"], late_code, ORIGINAL, "accept")
    assert _accepted_at(office, late) == local(2026, 4, 1, 8, 0)
    assert _accepted_at(office, refused) is None
    clock.set(local(2026, 5, 4, 9, 0))

    def month(first: date, last: date) -> Counts:
        report = statistics(office, first, last, "procedure")
        found = {r.key: r.counts for r in report.rows}.get("chung_thuc_ban_sao", Counts())
        assert found.reconciles() and report.total.reconciles()
        return found

    # March: neither received nor pending; only the refusal, apart.
    assert month(date(2026, 3, 1), date(2026, 3, 31)) == Counts(not_accepted=1)
    # April: received (new, at the desk) and pending; the one still checked is nowhere.
    assert month(date(2026, 4, 1), date(2026, 4, 30)) == Counts(new_desk=1,
                                                                pending_overdue=1)
