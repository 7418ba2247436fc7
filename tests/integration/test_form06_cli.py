"""``motcua report statistics`` as Biểu số 06/VPCP/KSTT: official periods, units and
consolidation, the form's elements in JSON and CSV, and a terminal table that fits 80
columns. The dossiers are made by the engine in the demo's wards (``form06_data.wards``),
in quarter I of 2026, which has ended whenever the tests run."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from engine.calendar import WorkingCalendar
from engine.cli import app
from engine.reports.statistics import figure_columns
from engine.runtime.clock import ManualClock
from engine.runtime.workflows import WorkflowCache
from engine.service.office import Office
from tests.databases import AGENCY, MORNING, ROOT, seeded_database
from tests.integration.form06_data import DUONG_NOI, UNITS_IN_ORDER, wards

runner = CliRunner()
CODE = "Biểu số 06/VPCP/KSTT"
Q1_LINE = "(Từ ngày 15/12/2025 đến ngày 14/03/2026)"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('form06')}/form06.db"
    db = seeded_database(url)
    clock = ManualClock(MORNING)
    wards(Office(db=db, agency_code=AGENCY, clock=clock, calendar=WorkingCalendar.default(),
                 workflows=WorkflowCache(size=0)), clock)
    db.dispose()
    yield {"MOTCUA_DATABASE_URL": url}


def _report(env: dict[str, str], *args: str, **more_env: str) -> Result:
    return runner.invoke(app, ["report", "statistics", *args], env={**env, **more_env})


def _csv(result: Result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_an_official_period_names_its_dates_and_label(env: dict[str, str]) -> None:
    rows = _csv(_report(env, "--period", "2026-Q1", "--unit", DUONG_NOI, "--format", "csv"))
    assert rows[0] == [CODE]
    assert ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"] \
        in rows
    assert [f"Quý I năm 2026 {Q1_LINE}"] in rows  # the period line under the title
    assert ["Đơn vị báo cáo: Phường Dương Nội"] in rows
    subtitle = next(r[0] for r in rows if r and r[0].startswith("Kỳ báo cáo:"))
    # Pending dossiers judged at the end of the quarter: 14 March included.
    assert subtitle == f"Kỳ báo cáo: Quý I năm 2026 {Q1_LINE}; số liệu đang giải quyết " \
        "tính đến 00:00 15/03/2026"
    assert any(r and r[0].startswith("Thời gian chốt số liệu: Nghị định 09/2019/NĐ-CP")
               for r in rows)
    totals = next(r for r in rows if len(r) > 1 and r[1] == "Tổng cộng")
    assert totals[2:13] == ["2", "0", "2", "0", "1", "1", "0", "0", "1", "0", "1"]
    # The code is case-insensitive, and the same quarter as its dates gives the same table.
    lower = _csv(_report(env, "--period", "2026-q1", "--unit", DUONG_NOI, "--format", "csv"))
    assert lower == rows
    dated = _csv(_report(env, "--from", "2025-12-15", "--to", "2026-03-14", "--unit",
                         DUONG_NOI, "--format", "csv"))
    assert next(r for r in dated if len(r) > 1 and r[1] == "Tổng cộng") == totals
    assert [Q1_LINE] in dated  # a free range has no label


@pytest.mark.parametrize(("args", "says"), [
    (["--period", "2026-Q5"], "unknown reporting period '2026-Q5'"),
    (["--period", "Q1"], "unknown reporting period 'Q1'"),
    (["--period", "2026-Q1", "--from", "2026-01-01"], "either --period or --from and --to"),
    (["--from", "2026-01-01"], "give --period (e.g. 2026-Q3) or both --from and --to"),
    (["--period", "2026-Q1", "--unit", "000.99.99.H26"], "unknown unit '000.99.99.H26'"),
])
def test_a_bad_period_or_unit_exits_1_saying_why(env: dict[str, str], args: list[str],
                                                 says: str) -> None:
    result = _report({**env, "MOTCUA_LANG": "en"}, *args)
    assert result.exit_code == 1
    assert says in result.stderr
    assert result.stdout == ""


def test_json_carries_the_forms_elements_and_its_row_groups(env: dict[str, str]) -> None:
    result = _report(env, "--period", "2026-Q1", "--consolidate", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    form = document["form"]
    assert form["code"] == CODE
    assert form["title"] == ("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực "
                             "tiếp giải quyết TTHC")
    assert form["period_line"] == f"Quý I năm 2026 {Q1_LINE}"
    assert form["unit_of_measure"] == "Đơn vị tính: Số hồ sơ TTHC"
    assert form["reporting_unit"] == "Đơn vị báo cáo: Thành phố Hà Nội"
    assert form["signers"] == [["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"],
                               ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"]]
    units = [r for r in document["rows"] if r["kind"] == "unit"]
    assert [r["label"] for r in units] == UNITS_IN_ORDER
    assert {(r["kind"], r["depth"]) for r in document["rows"]} == {
        ("unit", 0), ("level", 1), ("field", 2)}
    totals = document["totals"]
    for key in ("received", "resolved", "pending", "not_accepted"):
        assert totals[key] == sum(r[key] for r in units), key
    assert (totals["received"], totals["not_accepted"]) == (4, 1)


def test_csv_ends_with_the_notes_and_the_signatures(env: dict[str, str],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "bieu06.csv"
    result = _report(env, "--period", "2026-Q1", "--unit", DUONG_NOI, "--format", "csv",
                     "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [CODE]
    header = next(n for n, r in enumerate(rows) if r and r[0] == "STT")
    assert [r[1] for r in rows[header + 1:header + 4]] == [
        "Cấp xã", "Chứng thực", "Thành lập và hoạt động của hộ kinh doanh"]
    blank = rows.index([])
    assert rows[blank - 1][1] == "Tổng cộng"  # the table ends with its totals row
    assert re.fullmatch(r"Hà Nội, ngày \d\d tháng \d\d năm \d{4}", rows[-3][0])
    assert rows[-2:] == [["NGƯỜI LẬP BIỂU   (Ký, ghi rõ họ tên)"],
                         ["THỦ TRƯỞNG ĐƠN VỊ   (Ký, ghi rõ họ tên, đóng dấu)"]]


def test_the_moment_rule_shows_in_the_figures_and_the_notes(env: dict[str, str]) -> None:
    by_day = json.loads(_report(env, "--period", "2026-Q1", "--unit", "000.00.81.H26",
                                "--format", "json").stdout)
    by_moment = json.loads(_report(env, "--period", "2026-Q1", "--unit", "000.00.81.H26",
                                   "--format", "json",
                                   MOTCUA_REPORT_EARLY_RULE="moment").stdout)
    # The copy certified at 10:00 on the day it was due by 17:00.
    assert (by_day["totals"]["resolved_early"], by_day["totals"]["on_time"]) == (1, 1)
    assert (by_moment["totals"]["resolved_early"], by_moment["totals"]["on_time"]) == (2, 0)
    assert any("(so theo ngày)" in n for n in by_day["notes"])
    assert any("(so theo thời điểm)" in n for n in by_moment["notes"])


def test_the_terminal_table_fits_80_columns_and_shows_every_column(env: dict[str, str]
                                                                   ) -> None:
    result = _report(env, "--period", "2026-Q1", "--consolidate", "--format", "table",
                     COLUMNS="80")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == CODE
    assert max(len(line) for line in lines) <= 80
    text = result.stdout
    for column in figure_columns("vi"):  # the form's and those beside it
        assert column.short and column.short in text, column.key
    for name in UNITS_IN_ORDER:
        assert name in text
    assert "NGƯỜI LẬP BIỂU" in lines[-2] and "THỦ TRƯỞNG ĐƠN VỊ" in lines[-1]


def test_a_wider_terminal_gets_wider_blocks(env: dict[str, str]) -> None:
    """In a process of its own: the command's console reads COLUMNS when it starts (under
    pytest-xdist the test process itself runs with COLUMNS=80)."""
    result = subprocess.run(
        [sys.executable, "-m", "engine.cli", "report", "statistics", "--period", "2026-Q1",
         "--consolidate"], env={**os.environ, **env, "COLUMNS": "100"}, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    widest = max(len(line) for line in result.stdout.splitlines())
    assert 80 < widest <= 100


def test_the_form_reads_in_english_when_asked(env: dict[str, str]) -> None:
    vietnamese = _csv(_report(env, "--period", "2026-Q1", "--format", "csv"))
    english = _csv(_report(env, "--period", "2026-Q1", "--format", "csv", MOTCUA_LANG="en"))
    assert english[0] == vietnamese[0] == [CODE]  # the form's code is its name
    assert any(line and line[0].startswith("HANDLING AND RESULTS") for line in english)
    header = next(line for line in english if line and line[0] == "No.")
    assert header[2] == "Dossiers received for resolution – Total"
    def figures(lines: list[list[str]], stt: str) -> list[list[str]]:
        at = next(n for n, line in enumerate(lines) if line and line[0] == stt)
        return [line[2:] for line in lines[at + 1:] if len(line) > 2]

    assert len(figures(vietnamese, "STT")) > 2
    assert figures(vietnamese, "STT") == figures(english, "No.")
    table = _report(env, "--period", "2026-Q1", "--format", "table", MOTCUA_LANG="en",
                    COLUMNS="80")
    assert "PREPARED BY" in table.stdout and "Recv." in table.stdout
