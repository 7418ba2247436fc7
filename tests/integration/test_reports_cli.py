"""The auditors' commands: demo history, audit verify, reports in every format, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from engine.cli import app
from engine.store import Database
from tests.conftest import PROCESSES

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated demo office with a fortnight of history up to now."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/cli.db"
    env = {"MOTCUA_DATABASE_URL": url}
    for command in (["migrate"], ["demo"], ["deploy", str(PROCESSES)]):
        assert runner.invoke(app, command, env=env).exit_code == 0
    made = runner.invoke(app, ["demo-history", "--period", "2w", "--seed", "3",
                               "--per-day", "4"], env=env)
    assert made.exit_code == 0, made.output
    assert " hồ sơ, " in made.stdout
    return env


def _year(env: dict[str, str]) -> list[str]:
    return ["--from", "2000-01-01", "--to", "2100-12-31"]


def _after_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A form-06 CSV's column header row and the table rows under it (to the empty line
    before the notes)."""
    at = next(n for n, row in enumerate(rows) if row and row[0] == "STT")
    body = rows[at + 1:]
    return rows[at], body[:body.index([])]


def test_statistics_in_every_format(env: dict[str, str], tmp_path: Path) -> None:
    table = runner.invoke(app, ["report", "statistics", *_year(env)], env=env)
    assert table.exit_code == 0, table.output
    assert table.stdout.startswith("Biểu số 06/VPCP/KSTT\n")
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC" in table.stdout
    assert "Tổng cộng" in table.stdout and "NGƯỜI LẬP BIỂU" in table.stdout
    as_json = runner.invoke(app, ["report", "statistics", *_year(env), "--group-by",
                                  "procedure", "--format", "json"], env=env)
    document = json.loads(as_json.stdout)
    assert document["form"]["code"] == "Biểu số 06/VPCP/KSTT"
    totals = document["totals"]
    assert totals["received"] == totals["resolved"] + totals["refused"] + \
        totals["withdrawn"] + totals["pending"] > 0
    assert totals["received"] == totals["carried_over"] + totals["new_online"] + \
        totals["new_offline"]
    assert totals["resolved"] == totals["resolved_early"] + totals["on_time"] + \
        totals["resolved_late"]
    assert totals["pending"] == totals["within"] + totals["overdue"]
    out = tmp_path / "form06.csv"
    result = runner.invoke(app, ["report", "statistics", *_year(env), "--format", "csv",
                                 "--output", str(out)], env=env)
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for diacritics
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Biểu số 06/VPCP/KSTT"]
    header, body = _after_header(rows)
    assert header[2] == "Số hồ sơ nhận giải quyết – Tổng số" and body[-1][1] == "Tổng cộng"
    # The same totals as the JSON of another grouping: a grouping only cuts the rows.
    assert [int(v) for v in body[-1][2:13]] == [totals[k] for k in (
        "received", "new_online", "new_offline", "carried_over", "resolved", "resolved_early",
        "on_time", "resolved_late", "pending", "within", "overdue")]
    assert rows[-1] == ["THỦ TRƯỞNG ĐƠN VỊ   (Ký, ghi rõ họ tên, đóng dấu)"]
    book = tmp_path / "form06.xlsx"
    result = runner.invoke(app, ["report", "statistics", *_year(env), "--group-by", "level",
                                 "--format", "xlsx", "--output", str(book)], env=env)
    assert result.exit_code == 0
    sheet = load_workbook(book).active
    assert sheet is not None and sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(n for n, row in enumerate(cells) if row[0] == "STT")
    assert cells[at][1:3] == ["Cấp", "Số hồ sơ nhận giải quyết"]
    assert cells[at + 1][2] == "Tổng số"
    levels = [row for row in cells[at + 2:] if row[1] == "Cấp xã"]
    assert levels and levels[0][2] == totals["received"]  # the demo's procedures: all commune


def test_bad_arguments_are_explained(env: dict[str, str]) -> None:
    env = {**env, "MOTCUA_LANG": "en"}
    cases = [
        (["report", "statistics", "--from", "01/03/2026", "--to", "2026-03-31"], "YYYY-MM-DD"),
        (["report", "statistics", *_year(env), "--group-by", "ward"], "group by one of"),
        (["report", "statistics", *_year(env), "--format", "xlsx"], "needs --output"),
        (["report", "steps", "--procedure", "khong_co", *_year(env)], "no procedure"),
        (["demo-history", "--period", "forever"], "--period"),
        # Dates whose bounds do not exist in UTC: explained, not a traceback.
        (["report", "statistics", "--from", "0001-01-01", "--to", "0001-01-02"],
         "--from: 01/01/0001 is not a date between 01/01/2000 and 31/12/2100"),
        (["export", "csv", "--to", "9999-12-31"], "--to: 31/12/9999 is not a date between"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 1, args
        assert message in result.stderr


def test_step_and_staff_reports(env: dict[str, str]) -> None:
    steps = runner.invoke(app, ["report", "steps", "--procedure", "chung_thuc_ban_sao",
                                *_year(env), "--format", "json"], env=env)
    assert steps.exit_code == 0, steps.output
    rows = json.loads(steps.stdout)["rows"]
    assert {r["step_id"] for r in rows} >= {"Task_KiemTraHoSo", "Task_XuLy"}
    staff = runner.invoke(app, ["report", "staff", *_year(env), "--department", "TU_PHAP",
                                "--format", "csv"], env=env)
    assert staff.exit_code == 0
    assert {r[1] for r in list(csv.reader(io.StringIO(staff.stdout)))[1:]} <= {"justice",
                                                                               "justice2"}


def test_exports(env: dict[str, str], tmp_path: Path) -> None:
    xes = tmp_path / "log.xes"
    result = runner.invoke(app, ["export", "xes", "--output", str(xes)], env=env)
    assert result.exit_code == 0 and " hồ sơ (trace), " in result.stderr
    assert xes.read_bytes().startswith(b"<?xml")
    as_csv = runner.invoke(app, ["export", "csv"], env=env)
    assert as_csv.stdout.startswith("case:concept:name,")


def test_audit_verify_exits_1_when_the_log_was_altered(env: dict[str, str]) -> None:
    intact = runner.invoke(app, ["audit", "verify"], env=env)
    assert intact.exit_code == 0, intact.output
    assert "nhật ký kiểm tra nguyên vẹn" in intact.stdout
    db = Database(env["MOTCUA_DATABASE_URL"])
    with db.unit_of_work() as uow:
        chain = uow.conn.exec_driver_sql(
            "SELECT min(chain_id) FROM audit_events WHERE chain_id > 0").scalar()
        uow.conn.exec_driver_sql(
            f"UPDATE audit_events SET data = '{{}}' WHERE chain_id = {chain} AND seq = 2")
        uow.commit()
    db.dispose()
    broken = runner.invoke(app, ["audit", "verify"], env=env)
    assert broken.exit_code == 1
    assert f"HỎNG: chuỗi d:{chain}, số thứ tự 2: nội dung sự kiện" in broken.stdout
