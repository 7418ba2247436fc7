"""``motcua audit verify`` re-hashes the attached files of the settings' file store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from engine.bootstrap import build_office
from engine.cli import app
from engine.files import LocalFileStore
from engine.service import attachments, deploy, dossiers
from engine.settings import Settings
from tests.conftest import PROCESSES, definition_files

runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def test_audit_verify_names_a_swapped_file_and_exits_1(tmp_path: Path) -> None:
    env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
           "MOTCUA_FILES_DIR": str(tmp_path / "files")}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    settings = Settings(database_url=env["MOTCUA_DATABASE_URL"],
                        files_dir=env["MOTCUA_FILES_DIR"])
    office = build_office(settings)
    deploy.deploy(office, definition_files(PROCESSES), "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        desk = uow.org.user("reception")
    assert desk is not None
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", {"name": "Lê An"}, "direct",
                              {"ten_giay_to": "Học bạ", "pages": 3, "copies": 1}, desk)
    scan = attachments.attach(office, desk, receipt.code, "Task_KiemTraHoSo", "hoc-ba.png", PNG)
    office.db.dispose()
    intact = runner.invoke(app, ["audit", "verify"], env=env)
    assert intact.exit_code == 0, intact.output
    assert "1 tệp đính kèm" in intact.output  # Vietnamese unless told otherwise
    LocalFileStore(tmp_path / "files").path(scan.sha256).write_bytes(PNG + b"!")
    broken = runner.invoke(app, ["audit", "verify"], env=env)
    assert broken.exit_code == 1
    assert f"chuỗi d:{receipt.dossier_id}" in broken.output
    assert "hoc-ba.png" in broken.output and "đã bị tráo" in broken.output
