"""The motcua command, as a designer and an operator use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli import app
from tests.bpmn_factory import FORMS, procedure
from tests.conftest import PROCESSES

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    env = {"MOTCUA_DATABASE_URL": url}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    return env


def test_deploy_prints_a_version_per_procedure_and_nothing_new_when_unchanged(
        env: dict[str, str]) -> None:
    first = runner.invoke(app, ["deploy", str(PROCESSES)], env=env)
    assert first.exit_code == 0, first.output
    assert "chung_thuc_ban_sao v1\n" in first.output
    assert len(re.findall(r"^\w+ v1$", first.output, re.M)) == 4
    again = runner.invoke(app, ["deploy", str(PROCESSES)], env=env)
    assert again.exit_code == 0
    assert "chung_thuc_ban_sao v1 (không đổi)" in again.output


def test_an_invalid_file_exits_1_with_file_line_element_message(
        env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "xau.bpmn"
    bad.write_text(procedure(department=None, allowance=None))
    for name, data in FORMS.items():
        (tmp_path / name).write_bytes(data)
    for command in ("validate", "deploy"):
        result = runner.invoke(app, [command, str(tmp_path)], env=env)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert lines == [  # Vietnamese unless asked otherwise
            f"{bad}:5: lane 'lane_a': làn 'Một cửa' chưa có thuộc tính 'department'",
            f"{bad}:8: userTask 'tiep_nhan': bước 'Tiếp nhận' chưa có 'allowance' "
            "(ví dụ '0.5d' hoặc '4h')",
        ]
    english = [
        f"{bad}:5: lane 'lane_a': lane 'Một cửa' has no 'department' property",
        f"{bad}:8: userTask 'tiep_nhan': task 'Tiếp nhận' has no 'allowance' "
        "(e.g. '0.5d' or '4h')",
    ]
    asked = runner.invoke(app, ["--lang", "en", "validate", str(tmp_path)], env=env)
    assert asked.stderr.strip().splitlines() == english
    by_env = runner.invoke(app, ["validate", str(tmp_path)], env={**env, "MOTCUA_LANG": "en"})
    assert by_env.stderr.strip().splitlines() == english


def test_validate_accepts_the_shipped_procedures(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["validate", str(PROCESSES)], env=env)
    assert result.exit_code == 0, result.output


def test_an_unmigrated_database_is_explained(tmp_path: Path) -> None:
    env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"}
    result = runner.invoke(app, ["deploy", str(PROCESSES)], env=env)
    assert result.exit_code == 1
    assert "hãy chạy `motcua migrate` trước" in result.stderr


def test_calendar_commands(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["deploy", str(PROCESSES)], env=env).exit_code == 0
    due = runner.invoke(app, ["calendar", "due", "--procedure", "dang_ky_ho_kinh_doanh",
                              "--received", "2026-02-12T09:30:00+07:00"], env=env)
    assert due.exit_code == 0, due.output
    # Received Thursday before Tết Bính Ngọ (16–20 Feb off): Fri 13, Mon 23, Tue 24.
    assert due.output.startswith("2026-02-24T17:00:00+07:00")
    days = runner.invoke(app, ["calendar", "working-days", "2026-02-12", "2026-02-27"],
                         env=env)
    assert days.output.strip() == "6"
    naive = runner.invoke(app, ["calendar", "due", "--procedure", "dang_ky_ho_kinh_doanh",
                                "--received", "2026-02-12T09:30"], env=env)
    assert naive.exit_code == 1 and "độ lệch UTC" in naive.stderr


def test_unlock_explains_that_in_memory_lockouts_are_out_of_its_reach(
        env: dict[str, str]) -> None:
    result = runner.invoke(app, ["users", "unlock", "justice"], env=env)
    assert result.exit_code == 1
    assert "memory://" in result.stderr
    assert "DELETE /api/v1/auth/lockouts/users/NAME" in result.stderr


def test_folders_key_files_by_their_path_and_bpmn20_files_are_read(
        env: dict[str, str], tmp_path: Path) -> None:
    """Two forms of one name in different folders, each procedure naming its own; a
    .bpmn20.xml file (an older Camunda and Activiti suffix) is a BPMN file."""
    root = tmp_path / "quy_trinh"
    for folder, key in (("mot", "thu_tuc_mot"), ("hai", "thu_tuc_hai")):
        (root / folder / "forms").mkdir(parents=True)
        name = "thu.bpmn" if folder == "mot" else "thu.bpmn20.xml"
        (root / folder / name).write_text(procedure(key=key, name=f"Thủ tục {folder}"))
        for form, data in FORMS.items():
            (root / folder / "forms" / form).write_bytes(data)
    result = runner.invoke(app, ["deploy", str(root)], env=env)
    assert result.exit_code == 0, result.output
    assert "thu_tuc_mot v1\n" in result.output
    assert "thu_tuc_hai v1\n" in result.output


def test_a_procedure_turned_into_another_needs_new_version_of(
        env: dict[str, str], tmp_path: Path) -> None:
    for name, data in FORMS.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "thu.bpmn").write_text(procedure())
    assert runner.invoke(app, ["deploy", str(tmp_path)], env=env).exit_code == 0
    (tmp_path / "thu.bpmn").write_text(procedure(name="Thủ tục khác", department="TU_PHAP"))
    refused = runner.invoke(app, ["deploy", str(tmp_path)], env=env)
    assert refused.exit_code == 1
    assert f"{tmp_path / 'thu.bpmn'}:: process 'thu_tuc_thu': " in refused.output
    assert "--new-version-of thu_tuc_thu" in refused.output
    confirmed = runner.invoke(app, ["deploy", str(tmp_path), "--new-version-of", "thu_tuc_thu"],
                              env=env)
    assert confirmed.exit_code == 0, confirmed.output
    assert "thu_tuc_thu v2\n" in confirmed.output


def test_a_version_deployed_ahead_is_listed_and_withdrawn_before_its_day(
        env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "thu.bpmn").write_text(procedure())
    for name, data in FORMS.items():
        (tmp_path / name).write_bytes(data)
    assert runner.invoke(app, ["deploy", str(tmp_path)], env=env).exit_code == 0
    (tmp_path / "thu.bpmn").write_text(procedure().replace('name="Xử lý"', 'name="Xét"'))
    bad = runner.invoke(app, ["deploy", str(tmp_path), "--effective-from", "01/01/2099"],
                        env=env)
    assert bad.exit_code == 1 and "01/01/2099" in bad.output
    ahead = runner.invoke(app, ["deploy", str(tmp_path), "--effective-from", "2099-01-01"],
                          env=env)
    assert ahead.exit_code == 0, ahead.output
    assert "thu_tuc_thu v2 (áp dụng từ 01/01/2099)" in ahead.output
    listed = runner.invoke(app, ["procedures", "versions", "thu_tuc_thu"], env=env)
    assert listed.exit_code == 0, listed.output
    lines = [line.split("\t") for line in listed.output.splitlines()]
    assert lines[0][0] == "Phiên bản"
    assert [(c[0], c[4], c[7]) for c in lines[1:]] == [
        ("v1", "01/01/2099", "Đang áp dụng"), ("v2", "-", "Sắp áp dụng")]
    for refused in (["1"], ["7"]):  # in force already; no such version
        result = runner.invoke(app, ["procedures", "withdraw", "thu_tuc_thu", *refused],
                               env=env)
        assert result.exit_code == 1 and "thu_tuc_thu" in result.output
    done = runner.invoke(app, ["procedures", "withdraw", "thu_tuc_thu", "2"], env=env)
    assert done.exit_code == 0 and "v2" in done.output
    listed = runner.invoke(app, ["procedures", "versions", "thu_tuc_thu"], env=env)
    assert [line.split("\t")[7] for line in listed.output.splitlines()[1:]] == [
        "Đang áp dụng", "Đã rút"]
    again = runner.invoke(app, ["procedures", "withdraw", "thu_tuc_thu", "2"], env=env)
    assert again.exit_code == 1
