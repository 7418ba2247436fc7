"""The applicant supplements a dossier online with the receipt's code and secret: what the
office asked for, the files attached and the waiting step completed as the applicant in one
transaction; refusals that write nothing; the time limit and the worker's return."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.audit.chain import dossier_chain
from engine.errors import Conflict, InvalidInput, NotAllowed, TooLarge
from engine.files import FileLimits, LocalFileStore
from engine.model import DossierStatus, User
from engine.reports.statistics import Counts
from engine.runtime.clock import ManualClock
from engine.service import deploy, desk, dossiers, work
from engine.service.applicant_supplement import Upload, supplement, what_is_missing
from engine.service.dossiers import Receipt
from engine.service.office import Office
from engine.service.reporting import statistics
from engine.service.worker import worker_round
from engine.store.tables import attachments, due_date_changes, work_items
from tests.conftest import local
from tests.databases import PROCESSES, definition_files
from tests.helpers import active_items, do_step
from tests.helpers import dossier as dossier_of

PDF = b"%PDF-1.7\n" + b"ban ve mat bang " * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 64
BUILDING = {"chu_dau_tu": "Đặng Văn Khoa", "dia_chi_cong_trinh": "Tổ 7, phường Văn Quán",
            "dien_tich_xay_dung": 60, "so_tang": 3}
ASKED = "Bản vẽ mặt bằng tầng 3\nBản cam kết an toàn công trình liền kề"
COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
STEP = "Task_TiepNhanBoSung"
OWNER = {"name": "Đặng Văn Khoa", "phone": "0987654321", "notify": ["sms"]}


@pytest.fixture
def filing(office: Office, tmp_path: Path) -> Iterator[Office]:
    yield replace(office, files=LocalFileStore(tmp_path / "files"),
                  file_limits=FileLimits(per_file=4096, per_dossier=6000))


def _asked(office: Office, users: dict[str, User]) -> Receipt:
    """A construction permit whose appraisal asked the applicant for a supplement."""
    receipt = dossiers.submit(office, "cap_phep_xay_dung", OWNER, "direct", BUILDING,
                              users["reception"])
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    do_step(office, receipt.dossier_id, users["urban"],
            {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": ASKED})
    return receipt


def _rows(office: Office, dossier_id: int) -> tuple[int, int, int]:
    """The dossier's attachments, events and due-date changes: what a refusal must leave."""
    with office.db.unit_of_work(readonly=True) as uow:
        def count(table: sa.Table) -> int:
            return int(uow.conn.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.dossier_id == dossier_id)).scalar_one())
        events = len(uow.audit.events(dossier_chain(dossier_id)))
        return count(attachments), events, count(due_date_changes)


def _kinds(office: Office, dossier_id: int) -> list[str]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e.kind for e in sorted(uow.audit.events(dossier_chain(dossier_id)),
                                       key=lambda e: e.seq)]


def test_the_applicant_sees_what_the_department_asked_and_sends_it(
        filing: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = _asked(filing, users)
    first_due = dossier_of(filing, receipt.dossier_id).due_at
    assert dossier_of(filing, receipt.dossier_id).status == DossierStatus.AWAITING_SUPPLEMENT
    clock.set(local(2026, 3, 5, 10, 0))  # two days later, Thursday
    seen = what_is_missing(filing, receipt.code.lower(), receipt.secret.lower())
    assert seen.kind == "step" and seen.step_name == "Tiếp nhận hồ sơ bổ sung"
    assert [m.name for m in seen.missing] == ["Bản vẽ mặt bằng tầng 3",
                                              "Bản cam kết an toàn công trình liền kề"]
    assert {m.slot for m in seen.missing} == {STEP}
    assert seen.limit_at is None and not seen.late and seen.asked_at == local(2026, 3, 3, 9, 0)

    done = supplement(filing, receipt.code, receipt.secret,
                      [Upload(STEP, "mat-bang.pdf", PDF), Upload(STEP, "cam-ket.png", PNG)],
                      "Gửi bổ sung theo phiếu")
    assert done.files == 2 and done.kind == "step"
    moved = dossier_of(filing, receipt.dossier_id)
    assert moved.status == DossierStatus.PROCESSING
    assert first_due is not None and moved.due_at is not None and moved.due_at > first_due
    with filing.db.unit_of_work(readonly=True) as uow:
        [change] = uow.dossiers.due_changes(receipt.dossier_id)
        items = uow.items.for_dossier(receipt.dossier_id)
    # Waited from Tuesday 09:00 to Thursday 10:00: 2 days and 1 hour of office time.
    assert (change.kind, change.paused_hours, change.new_due_at) == ("pause", 16.0,
                                                                    moved.due_at)
    answered = next(i for i in items if i.step_id == STEP)
    assert answered.completed_by == "applicant"
    assert answered.result == {"ket_qua_bo_sung": "da_bo_sung"}
    # The department appraises again.
    assert [i.step_id for i in active_items(filing, receipt.dossier_id)] == ["Task_ThamDinh"]
    kinds = _kinds(filing, receipt.dossier_id)
    assert kinds[-7:] == ["file_attached", "file_attached", "supplement_submitted",
                          "item_claimed", "item_completed", "clock_resumed", "item_handed_over"]
    with pytest.raises(Conflict):  # nothing waits any more
        what_is_missing(filing, receipt.code, receipt.secret)


def test_refusals_write_nothing(filing: Office, users: dict[str, User]) -> None:
    receipt = _asked(filing, users)
    before = _rows(filing, receipt.dossier_id)
    with pytest.raises(NotAllowed) as wrong:
        supplement(filing, receipt.code, "WRONG123", [Upload(STEP, "a.pdf", PDF)])
    assert "mã bí mật" in wrong.value.text("vi")
    with pytest.raises(NotAllowed):
        what_is_missing(filing, receipt.code, "WRONG123")
    with pytest.raises(InvalidInput) as kind:
        supplement(filing, receipt.code, receipt.secret,
                   [Upload(STEP, "a.pdf", PDF), Upload(STEP, "virus.exe", b"MZ" + b"\0" * 90)])
    assert "virus.exe" in kind.value.text("vi") and "PDF" in kind.value.text("en")
    with pytest.raises(TooLarge):
        supplement(filing, receipt.code, receipt.secret,
                   [Upload(STEP, "big.pdf", PDF + b"x" * 5000)])
    with pytest.raises(InvalidInput):
        supplement(filing, receipt.code, receipt.secret, [])
    with pytest.raises(InvalidInput):
        supplement(filing, receipt.code, receipt.secret, [Upload("giay_to_dat", "a.pdf", PDF)])
    assert _rows(filing, receipt.dossier_id) == before
    assert dossier_of(filing, receipt.dossier_id).status == DossierStatus.AWAITING_SUPPLEMENT


def test_the_desk_s_request_is_answered_online_and_the_desk_checks_again(
        filing: Office, users: dict[str, User], clock: ManualClock) -> None:
    receipt = dossiers.submit(filing, "chung_thuc_ban_sao", {"name": "Nguyễn Văn Bình"},
                              "direct", COPY, users["reception"])
    desk.check(filing, users["reception"], receipt.code, [], "supplement", "Thiếu bản chính")
    seen = what_is_missing(filing, receipt.code, receipt.secret)
    assert seen.kind == "desk" and seen.reasons == "Thiếu bản chính"
    assert [m.slot for m in seen.missing] == ["ban_chinh"] and seen.supplemented_at is None
    clock.set(local(2026, 3, 3, 14, 0))
    supplement(filing, receipt.code, receipt.secret, [Upload("ban_chinh", "bc.pdf", PDF)])
    view = desk.desk_view(filing, users["reception"], receipt.code)
    assert view.waiting  # the desk decides
    again = what_is_missing(filing, receipt.code, receipt.secret)
    assert again.supplemented_at == local(2026, 3, 3, 14, 0)
    with filing.db.unit_of_work(readonly=True) as uow:
        [sent] = [e for e in uow.audit.events(dossier_chain(receipt.dossier_id))
                  if e.kind == "supplement_submitted"]
        files = uow.attachments.for_dossier(receipt.dossier_id)
    assert sent.actor == "applicant" and sent.data["kind"] == "desk"
    assert [(f.slot, f.attached_by) for f in files] == [("ban_chinh", "applicant")]
    desk.check(filing, users["reception"], receipt.code,
               [{"code": "ban_chinh", "form": "original", "count": 1}], "accept")
    assert dossier_of(filing, receipt.dossier_id).accepted_at is not None
    with pytest.raises(Conflict):
        what_is_missing(filing, receipt.code, receipt.secret)


def _with_limit(office: Office, days: str) -> None:
    """A new version of the construction permit giving the applicant ``days`` to supplement."""
    files = definition_files(PROCESSES)
    text = files["cap_phep_xay_dung.bpmn"].decode()
    text = text.replace(
        '<spiffworkflow:property name="missing_field" value="noi_dung_bo_sung"/>',
        '<spiffworkflow:property name="missing_field" value="noi_dung_bo_sung"/>'
        f'<spiffworkflow:property name="supplement_limit_days" value="{days}"/>')
    deploy.deploy(office, {"cap_phep_xay_dung.bpmn": text.encode(),
                           **{k: v for k, v in files.items()
                              if k.startswith("cap_phep_xay_dung.")
                              and k.endswith(".json")}}, "designer")


def test_past_the_limit_a_supplement_is_refused_and_the_worker_returns_the_dossier(
        filing: Office, users: dict[str, User], clock: ManualClock) -> None:
    _with_limit(filing, "5")
    receipt = _asked(filing, users)  # asked on Tuesday 3 March, 09:00
    seen = what_is_missing(filing, receipt.code, receipt.secret)
    assert seen.limit_at == local(2026, 3, 10, 17, 0)  # 5 working days from the 4th
    clock.set(local(2026, 3, 10, 16, 59))
    assert worker_round(filing).returned == []
    clock.set(local(2026, 3, 11, 8, 0))
    before = _rows(filing, receipt.dossier_id)
    with pytest.raises(Conflict) as late:
        supplement(filing, receipt.code, receipt.secret, [Upload(STEP, "a.pdf", PDF)])
    assert "hết thời hạn" in late.value.text("vi")
    assert _rows(filing, receipt.dossier_id) == before
    assert what_is_missing(filing, receipt.code, receipt.secret).late

    report = worker_round(filing)
    assert report.returned == [receipt.code]
    returned = dossier_of(filing, receipt.dossier_id)
    assert returned.status == DossierStatus.WITHDRAWN and returned.resolved_at is not None
    with filing.db.unit_of_work(readonly=True) as uow:
        events = sorted(uow.audit.events(dossier_chain(receipt.dossier_id)),
                        key=lambda e: e.seq)
        waiting = uow.conn.execute(sa.select(work_items.c.completed_by, work_items.c.result)
                                   .where(work_items.c.step_id == STEP)).one()
    [why] = [e for e in events if e.kind == "dossier_returned"]
    assert why.actor == "timer" and why.data["reason"] == "supplement_time_limit"
    assert why.data["limit_days"] == 5
    assert tuple(waiting) == ("timer", {"ket_qua_bo_sung": "rut_ho_so"})
    assert worker_round(filing).returned == []  # once
    with filing.db.unit_of_work(readonly=True) as uow:
        sent = [(m.kind, m.channel) for m in uow.outbox.for_dossier(receipt.dossier_id)]
    assert sent == [("received", "sms"), ("supplement", "sms"), ("returned", "sms")]

    form = statistics(filing, date(2026, 3, 1), date(2026, 3, 31), "procedure")
    counts = {r.key: r.counts for r in form.rows}["cap_phep_xay_dung"]
    # Decided in the period, in the withdrawn column beside the form; nothing left pending.
    assert counts == Counts(new_desk=1, withdrawn=1) and counts.reconciles()


def test_the_applicant_and_the_desk_answering_at_once_complete_the_step_once(
        filing: Office, users: dict[str, User]) -> None:
    receipt = _asked(filing, users)
    [item] = active_items(filing, receipt.dossier_id)
    work.claim(filing, item.id, users["reception"])  # the desk took the papers in, too
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def applicant() -> None:
        start.wait()
        try:
            supplement(filing, receipt.code, receipt.secret, [Upload(STEP, "a.pdf", PDF)])
            outcomes["applicant"] = "done"
        except Conflict as exc:
            outcomes["applicant"] = type(exc).__name__

    def clerk() -> None:
        start.wait()
        try:
            work.complete(filing, item.id, users["reception"], {"ket_qua_bo_sung": "da_bo_sung"})
            outcomes["desk"] = "done"
        except Conflict as exc:
            outcomes["desk"] = type(exc).__name__

    threads = [threading.Thread(target=applicant), threading.Thread(target=clerk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()).count("done") == 1, outcomes
    kinds = _kinds(filing, receipt.dossier_id)
    assert kinds.count("clock_resumed") == 1
    assert [i.step_id for i in active_items(filing, receipt.dossier_id)] == ["Task_ThamDinh"]
    files, _events, changes = _rows(filing, receipt.dossier_id)
    assert changes == 1 and files == (1 if outcomes["applicant"] == "done" else 0)
