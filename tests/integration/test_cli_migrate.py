"""``motcua dossiers migrate`` as the operator runs it at the server's shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.bootstrap import build_office
from engine.cli import app
from engine.service import deploy, dossiers
from engine.service.office import Office
from engine.settings import Settings
from tests.bpmn_factory import FORMS, procedure

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    return env


@pytest.fixture
def office(env: dict[str, str]) -> Iterator[Office]:
    built = build_office(Settings(database_url=env["MOTCUA_DATABASE_URL"]))
    yield built
    built.db.dispose()


def two_versions(office: Office) -> list[str]:
    """Two dossiers on version 1, then version 2 (a longer allowance for the second step)."""
    deploy.deploy(office, {"thu.bpmn": procedure().encode(), **FORMS}, "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        desk = uow.org.user("reception")
    assert desk is not None
    codes = [dossiers.submit(office, "thu_tuc_thu", {"name": "Lê Văn An"}, "direct", {},
                             desk).code for _ in range(2)]
    v2 = procedure(second_allowance="2d")
    deploy.deploy(office, {"thu.bpmn": v2.encode(), **FORMS}, "designer")
    return codes


def test_a_dry_run_then_a_move(env: dict[str, str], office: Office) -> None:
    first, second = two_versions(office)
    dry = runner.invoke(app, ["dossiers", "migrate", "--procedure", "thu_tuc_thu",
                              "--to-version", "2", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert f"{first}  v1 → v2  chuyển được" in dry.output
    assert "Chạy thử: chưa hồ sơ nào được chuyển." in dry.output
    moved = runner.invoke(app, ["--lang", "en", "dossiers", "migrate", "--procedure",
                                "thu_tuc_thu", "--to-version", "2", "--code", second], env=env)
    assert moved.exit_code == 0, moved.output
    assert moved.output.splitlines() == [
        f"{second}  v1 → v2  moved",
        "thu_tuc_thu → version 2: 1 dossiers; can move or moved 1, cannot move 0, skipped 0"]
    rest = runner.invoke(app, ["dossiers", "migrate", "--procedure", "thu_tuc_thu",
                               "--to-version", "2", "--dry-run"], env=env)
    assert first in rest.output and second not in rest.output
    verify = runner.invoke(app, ["audit", "verify"], env=env)
    assert verify.exit_code == 0, verify.output


@pytest.mark.parametrize("args", [
    ["--to-version", "9"],  # no such version
    ["--to-version", "1", "--code", "CODE"],  # the version it is on already
    ["--to-version", "2", "--code", "000.00.00.H00-000000-0000"],  # no such dossier
])
def test_bad_input_exits_1_and_moves_nothing(env: dict[str, str], office: Office,
                                             args: list[str]) -> None:
    first, _second = two_versions(office)
    args = [first if a == "CODE" else a for a in args]
    result = runner.invoke(app, ["dossiers", "migrate", "--procedure", "thu_tuc_thu", *args],
                           env=env)
    assert result.exit_code == 1
    assert result.stderr.strip()
    assert "Traceback" not in result.output
    rest = runner.invoke(app, ["dossiers", "migrate", "--procedure", "thu_tuc_thu",
                               "--to-version", "2", "--dry-run"], env=env)
    assert "2 hồ sơ; chuyển được hoặc đã chuyển 2" in rest.output
