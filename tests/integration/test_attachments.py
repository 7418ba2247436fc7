"""Files attached to a dossier: who attaches to which slot, the kinds and sizes refused, the
row and its chained event written together, and the log check that re-hashes every file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.audit.chain import dossier_chain
from engine.errors import InvalidInput, NotAllowed, NotFound, TooLarge
from engine.files import FileKind, FileLimits, LocalFileStore, digest
from engine.i18n import translate
from engine.model import User
from engine.service import attachments, dossiers
from engine.service.office import Office
from engine.service.reporting import verify_log
from engine.store.tables import attachments as attachment_rows
from tests.helpers import do_step

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 64
PDF = b"%PDF-1.7\n" + b"drawing" * 500
BUSINESS = {"ten_ho_kinh_doanh": "Tạp hóa Minh Anh", "nganh_nghe": "Bán lẻ",
            "dia_chi": "Số 5 Quang Trung, Hà Đông", "von_kinh_doanh": 50_000_000}


@pytest.fixture
def filing(office: Office, tmp_path: Path) -> Iterator[Office]:
    """The office with a folder store and small limits."""
    yield replace(office, files=LocalFileStore(tmp_path / "files"),
                  file_limits=FileLimits(per_file=4096, per_dossier=6000))


@pytest.fixture
def code(filing: Office, users: dict[str, User]) -> str:
    receipt = dossiers.submit(filing, "dang_ky_ho_kinh_doanh", {"name": "Lê An"}, "direct",
                              BUSINESS, users["reception"])
    return receipt.code


def _dossier_id(office: Office, code: str) -> int:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.by_code(code)
    assert found is not None
    return found.id


def test_the_desk_attaches_to_its_open_step_with_an_event_in_the_chain(
        filing: Office, users: dict[str, User], code: str) -> None:
    view = attachments.attach(filing, users["reception"], code, "Task_TiepNhan",
                              "C:\\scans\\cccd mặt trước.png", PNG)
    assert (view.slot, view.slot_name, view.kind) == ("Task_TiepNhan",
                                                      "Tiếp nhận, kiểm tra hồ sơ", "png")
    assert view.filename == "cccd mặt trước.png" and view.content_type == "image/png"
    assert view.sha256 == digest(PNG) and view.attached_by_name != "reception"
    with filing.db.unit_of_work(readonly=True) as uow:
        events = uow.audit.events(dossier_chain(_dossier_id(filing, code)))
    attached = [e for e in events if e.kind == "file_attached"]
    assert len(attached) == 1 and attached[0].data["sha256"] == digest(PNG)
    assert attached[0].actor == "reception" and attached[0].work_item_id is not None
    listed = attachments.attachments(filing, users["auditor"], code)
    assert [f.id for f in listed.files] == [view.id] and listed.slots == []
    got = attachments.download(filing, users["leader"], code, view.id)
    assert (got.data, got.content_type) == (PNG, "image/png")


def test_a_department_attaches_only_to_its_own_open_step(
        filing: Office, users: dict[str, User], code: str) -> None:
    with pytest.raises(NotAllowed):  # not yet handed over to the finance office
        attachments.attach(filing, users["finance"], code, "Task_ThamDinh", "ban-ve.pdf", PDF)
    do_step(filing, _dossier_id(filing, code), users["reception"],
            {"ket_qua_kiem_tra": "hop_le"})
    with pytest.raises(NotAllowed) as refused:  # the desk's step is done
        attachments.attach(filing, users["reception"], code, "Task_TiepNhan", "a.png", PNG)
    assert code in refused.value.text("vi")
    with pytest.raises(NotAllowed) as refused:  # not the finance office's step
        attachments.attach(filing, users["finance"], code, "Task_TiepNhan", "a.png", PNG)
    assert "Tiếp nhận, kiểm tra hồ sơ" in refused.value.text("vi")
    with pytest.raises(NotAllowed):  # another department's step
        attachments.attach(filing, users["justice"], code, "Task_ThamDinh", "a.pdf", PDF)
    view = attachments.attach(filing, users["finance"], code, "Task_ThamDinh", "ban-ve.pdf", PDF)
    assert view.kind == "pdf"
    slots = attachments.attachments(filing, users["finance"], code).slots
    assert [(s.code, s.kind) for s in slots] == [("Task_ThamDinh", "step")]


def test_bytes_decide_the_kind_and_sizes_are_limited(
        filing: Office, users: dict[str, User], code: str) -> None:
    desk = users["reception"]
    with pytest.raises(InvalidInput) as wrong:
        attachments.attach(filing, desk, code, "Task_TiepNhan", "scan.pdf", b"MZ\x90 not a pdf")
    assert "PDF, JPEG" in wrong.value.text("vi")
    with pytest.raises(TooLarge) as large:
        attachments.attach(filing, desk, code, "Task_TiepNhan", "big.pdf", b"%PDF-" + b"x" * 4096)
    assert large.value.message is not None
    assert "4 KB per file" in translate("en", large.value.message)
    with pytest.raises(InvalidInput):
        attachments.attach(filing, desk, code, "Task_TiepNhan", "empty.png", b"")
    with pytest.raises(InvalidInput) as unknown:
        attachments.attach(filing, desk, code, "KHONG_CO", "a.png", PNG)
    assert "KHONG_CO" in unknown.value.text("vi")
    attachments.attach(filing, desk, code, "Task_TiepNhan", "1.pdf", PDF[:3000])
    attachments.attach(filing, desk, code, "Task_TiepNhan", "2.pdf", PDF[:2950] + b"2")
    with pytest.raises(TooLarge):  # 3000 + 2951 stored; 6000 per dossier
        attachments.attach(filing, desk, code, "Task_TiepNhan", "3.png", PNG)
    with filing.db.unit_of_work(readonly=True) as uow:
        assert len(uow.attachments.for_dossier(_dossier_id(filing, code))) == 2


def test_readers_only_and_never_another_units_people(
        filing: Office, users: dict[str, User], code: str) -> None:
    view = attachments.attach(filing, users["reception"], code, "Task_TiepNhan", "a.png", PNG)
    with pytest.raises(NotAllowed):
        attachments.attachments(filing, users["designer"], code)
    with pytest.raises(NotAllowed):  # no step of the dossier in the justice office yet
        attachments.download(filing, users["justice"], code, view.id)
    with pytest.raises(NotFound):
        attachments.download(filing, users["auditor"], code, view.id + 1000)


def test_the_same_bytes_twice_are_stored_once(
        filing: Office, users: dict[str, User], code: str, tmp_path: Path) -> None:
    for name in ("front.png", "again.png"):
        attachments.attach(filing, users["reception"], code, "Task_TiepNhan", name, PNG)
    stored = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [digest(PNG)]
    assert len(attachments.attachments(filing, users["auditor"], code).files) == 2


def test_the_log_check_catches_a_swapped_and_a_missing_file(
        filing: Office, users: dict[str, User], code: str) -> None:
    store = filing.files
    assert isinstance(store, LocalFileStore)
    png = attachments.attach(filing, users["reception"], code, "Task_TiepNhan", "a.png", PNG)
    pdf = attachments.attach(filing, users["reception"], code, "Task_TiepNhan", "b.pdf", PDF)
    intact = verify_log(filing)
    assert intact.intact and intact.files_checked == 2
    store.path(png.sha256).write_bytes(PNG + b"edited")
    store.path(pdf.sha256).unlink()
    result = verify_log(filing)
    assert not result.intact and result.files_checked == 2
    reasons = [str(b.reason) for b in result.breaks]
    assert any("a.png" in r and "swapped" in r for r in reasons), reasons
    assert any("b.pdf" in r and "missing" in r for r in reasons), reasons
    assert {b.chain for b in result.breaks} == {dossier_chain(_dossier_id(filing, code))}
    with pytest.raises(NotFound):  # a swapped file is never handed out
        attachments.download(filing, users["auditor"], code, png.id)


def test_the_log_check_catches_a_row_pointed_at_other_bytes(
        filing: Office, users: dict[str, User], code: str) -> None:
    first = attachments.attach(filing, users["reception"], code, "Task_TiepNhan", "a.png", PNG)
    other = attachments.attach(filing, users["reception"], code, "Task_TiepNhan", "b.pdf", PDF)
    with filing.db.unit_of_work() as uow:
        uow.conn.execute(sa.update(attachment_rows).where(attachment_rows.c.id == first.id)
                         .values(sha256=other.sha256))
        uow.commit()
    result = verify_log(filing)
    assert [b.seq for b in result.breaks if "other bytes" in str(b.reason)] != []


def test_a_required_document_is_attached_by_the_desk_that_received_the_dossier(
        filing: Office, users: dict[str, User], code: str) -> None:
    desk = users["reception"]
    slots = attachments.attachments(filing, desk, code).slots
    # The household business registration's documents, then the desk's open step.
    assert [(s.code, s.kind) for s in slots] == [
        ("giay_de_nghi", "document"), ("giay_to_phap_ly", "document"),
        ("bien_ban_hop", "document"), ("uy_quyen_chu_ho", "document"),
        ("Task_TiepNhan", "step")]
    view = attachments.attach(filing, desk, code, "giay_de_nghi", "de-nghi.jpg",
                              b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    assert (view.slot_name, view.kind, view.content_type) == (
        "Giấy đề nghị đăng ký hộ kinh doanh", "jpeg", "image/jpeg")
    assert view.slot == "giay_de_nghi"
    with filing.db.unit_of_work(readonly=True) as uow:
        rows = uow.attachments.for_dossier(_dossier_id(filing, code))
    assert [(r.slot, r.work_item_id) for r in rows] == [("giay_de_nghi", None)]
    with pytest.raises(NotAllowed):  # never a department's
        attachments.attach(filing, users["finance"], code, "giay_de_nghi", "a.png", PNG)
    do_step(filing, _dossier_id(filing, code), desk, {"ket_qua_kiem_tra": "hop_le"})
    # Handed over: the desk no longer holds the dossier.
    assert attachments.attachments(filing, desk, code).slots == []
    with pytest.raises(NotAllowed):
        attachments.attach(filing, desk, code, "giay_de_nghi", "de-nghi-2.png", PNG)
    slots = attachments.attachments(filing, users["finance"], code).slots
    assert [s.code for s in slots] == ["Task_ThamDinh"]  # the finance office's step only
    with pytest.raises(NotAllowed) as refused:
        attachments.attach(filing, users["finance"], code, "giay_de_nghi", "a.png", PNG)
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in refused.value.text("vi")


@pytest.mark.parametrize(("sent", "kept"), [
    ("C:\\Users\\lan\\Scans\\cccd.png", "cccd.png"),
    ("../../etc/passwd.png", "passwd.png"),
    ("bản\u0000sao\r\n.pdf", "bảnsao.pdf"),
    ("", "tep.png"),
    ("..", "tep.png"),
    ("a" * 300 + ".png", "a" * 196 + ".png"),
])
def test_the_senders_file_name_is_kept_without_folders_or_control_characters(
        sent: str, kept: str) -> None:
    assert attachments.clean_filename(sent, FileKind.PNG) == kept
