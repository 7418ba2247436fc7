"""``motcua worker`` as an operator runs it: one bad dossier is an incident, not an exit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from engine import cli_worker
from engine.bootstrap import build_office
from engine.cli import app
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import dossiers
from engine.service.office import Office
from engine.settings import Settings
from engine.store import Database
from tests.failing_procedures import divide_after_timer

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
           # No second try while the test runs, however slow the machine.
           "MOTCUA_INCIDENT_RETRY_SECONDS": "3600"}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    assert runner.invoke(app, ["demo"], env=env).exit_code == 0
    for name, data in divide_after_timer().items():
        (tmp_path / name).write_bytes(data)
    deployed = runner.invoke(app, ["deploy", *(str(tmp_path / name)
                                               for name in divide_after_timer())], env=env)
    assert deployed.exit_code == 0, deployed.output
    return env


def _submitted_two_hours_ago(env: dict[str, str], copies: list[int]) -> list[str]:
    """Dossiers whose one-hour timer is already due by the worker's (real) clock."""
    earlier = ManualClock(datetime.now(UTC) - timedelta(hours=2))
    office = build_office(Settings(database_url=env["MOTCUA_DATABASE_URL"]), clock=earlier)
    with office.db.unit_of_work(readonly=True) as uow:
        reception = uow.org.user("reception")
    assert isinstance(reception, User)
    codes = [dossiers.submit(office, "thu_chia_sau_hen_gio", {"name": "Đinh Văn Nam"},
                             "direct", {"copies": n}, reception).code for n in copies]
    office.db.dispose()
    return codes


def test_worker_once_reports_the_incident_and_exits_0(env: dict[str, str]) -> None:
    bad, _good = _submitted_two_hours_ago(env, [0, 3])
    first = runner.invoke(app, ["--lang", "en", "worker", "--once"], env=env)
    assert first.exit_code == 0, first.output
    lines = first.output.strip().splitlines()
    assert lines[0].startswith(f"incident 1 opened: dossier {bad}: the automatic step "
                               "'Tính phí mỗi bản' (tinh_phi) failed: ZeroDivisionError: "
                               "division by zero; next try ")
    assert lines[-1] == "1 dossier moved, 0 flagged at risk, 1 incident open"
    again = runner.invoke(app, ["worker", "--once"], env=env)
    assert again.exit_code == 0, again.output
    assert again.output.strip().splitlines() == [  # Vietnamese unless asked otherwise
        "0 hồ sơ được chuyển tiếp, 0 có nguy cơ trễ hạn, 1 sự cố đang mở"]


def test_the_worker_waits_longer_each_time_the_database_is_away(
        monkeypatch: pytest.MonkeyPatch) -> None:
    away = Office(db=Database("sqlite:////nonexistent/folder/x.db"), agency_code="000")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 4:
            raise KeyboardInterrupt  # the operator stops it; the worker never did

    monkeypatch.setattr(cli_worker.time, "sleep", sleep)
    with pytest.raises(KeyboardInterrupt):
        cli_worker.run_worker(away, interval=5, once=False)
    assert waits == [1, 2, 4, 8]
    with pytest.raises(typer.Exit) as stopped:
        cli_worker.run_worker(away, interval=5, once=True)
    assert stopped.value.exit_code == 1
