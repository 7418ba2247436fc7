"""``motcua validate`` without a database (the demo organisation's departments, or an
organisation file's), and ``motcua calendar due`` by channel, with the unconfirmed days it
crosses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli import app
from tests.bpmn_factory import FORMS, procedure

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
runner = CliRunner()


@pytest.fixture
def nowhere(tmp_path: Path) -> dict[str, str]:
    """A database that does not exist: a folder that is not there."""
    return {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/missing/folder/motcua.db"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    assert runner.invoke(app, ["deploy", str(PROCESSES)], env=env).exit_code == 0
    return env


def test_validate_without_a_database_uses_the_demo_departments(nowhere: dict[str, str]) -> None:
    result = runner.invoke(app, ["validate", str(PROCESSES)], env=nowhere)
    assert result.exit_code == 0, result.output
    assert "kiểm tra theo các phòng ban của tổ chức mẫu" in result.stderr
    assert "MOT_CUA" in result.stderr and "tệp hợp lệ" in result.stdout


def _lanes(tmp_path: Path, department: str) -> Path:
    folder = tmp_path / "thu_tuc"
    folder.mkdir()
    (folder / "thu.bpmn").write_text(procedure(department=department))
    for name, data in FORMS.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("kind", ["toml", "json"])
def test_validate_against_an_organisation_file(tmp_path: Path, nowhere: dict[str, str],
                                               kind: str) -> None:
    folder = _lanes(tmp_path, "PHONG_MOI")
    org = tmp_path / f"to_chuc.{kind}"
    if kind == "toml":
        org.write_text('[[departments]]\ncode = "MOT_CUA"\nname = "Bộ phận Một cửa"\n\n'
                       '[[departments]]\ncode = "PHONG_MOI"\nname = "Phòng mới"\n', "utf-8")
    else:
        org.write_text(json.dumps({"departments": [{"code": "MOT_CUA"},
                                                   {"code": "PHONG_MOI"}]}), "utf-8")
    ok = runner.invoke(app, ["validate", str(folder), "--organisation", str(org)], env=nowhere)
    assert ok.exit_code == 0, ok.output
    assert f"Kiểm tra theo các phòng ban trong {org}" in ok.stderr
    # The demo organisation has no PHONG_MOI: the lane is named, file:line: element: message.
    demo = runner.invoke(app, ["validate", str(folder)], env=nowhere)
    assert demo.exit_code == 1
    assert "PHONG_MOI" in demo.stderr and f"{folder / 'thu.bpmn'}:" in demo.stderr


@pytest.mark.parametrize(("text", "said"), [
    ("departments = 3", "cần danh sách “departments”"),
    ("[[departments]]\nname = 'Không mã'", "phòng ban thứ 1 không có “code”"),
    ("[[departments", "không đọc được tệp tổ chức"),
])
def test_a_bad_organisation_file_exits_1_with_a_message(
        tmp_path: Path, nowhere: dict[str, str], text: str, said: str) -> None:
    org = tmp_path / "to_chuc.toml"
    org.write_text(text, "utf-8")
    result = runner.invoke(app, ["validate", str(PROCESSES), "--organisation", str(org)],
                           env=nowhere)
    assert result.exit_code == 1 and said in result.stderr, result.stderr
    wrong = tmp_path / "to_chuc.yaml"
    wrong.write_text("departments: []", "utf-8")
    other = runner.invoke(app, ["validate", str(PROCESSES), "--organisation", str(wrong)],
                          env=nowhere)
    assert other.exit_code == 1 and ".toml hoặc .json" in other.stderr
    gone = runner.invoke(app, ["validate", str(PROCESSES), "--organisation",
                               str(tmp_path / "khong_co.toml")], env=nowhere)
    assert gone.exit_code == 1 and "khong_co.toml" in gone.stderr


def test_an_online_filing_at_night_counts_from_the_next_opening(env: dict[str, str]) -> None:
    args = ["calendar", "due", "--procedure", "dang_ky_ho_kinh_doanh",
            "--received", "2026-03-05T22:00:00+07:00"]  # Thursday night
    desk = runner.invoke(app, [*args, "--channel", "desk"], env=env)
    online = runner.invoke(app, [*args, "--channel", "online"], env=env)
    assert desk.exit_code == 0 and online.exit_code == 0, (desk.output, online.output)
    assert "08:00 06/03/2026" in online.output and "lúc cơ quan mở cửa tiếp theo" in online.output
    assert "mở cửa" not in desk.output
    # At the desk Thursday is the day of receipt; online it is Friday: one working day later.
    assert desk.output.split()[0] < online.output.split()[0]
    bad = runner.invoke(app, [*args, "--channel", "post-office"], env=env)
    assert bad.exit_code == 1 and "online hoặc desk" in bad.stderr


def test_a_due_date_across_an_unconfirmed_day_off_is_flagged(env: dict[str, str]) -> None:
    across = runner.invoke(app, ["calendar", "due", "--procedure", "dang_ky_ho_kinh_doanh",
                                 "--received", "2026-11-20T09:00:00+07:00"], env=env)
    assert across.exit_code == 0, across.output
    assert "24/11/2026" in across.output and "chưa xác nhận" in across.output
    before = runner.invoke(app, ["calendar", "due", "--procedure", "dang_ky_ho_kinh_doanh",
                                 "--received", "2026-10-01T09:00:00+07:00"], env=env)
    assert before.exit_code == 0 and "chưa xác nhận" not in before.output
    english = runner.invoke(app, ["calendar", "due", "--procedure", "dang_ky_ho_kinh_doanh",
                                  "--received", "2026-11-20T09:00:00+07:00"],
                            env={**env, "MOTCUA_LANG": "en"})
    assert "has not confirmed" in english.output
