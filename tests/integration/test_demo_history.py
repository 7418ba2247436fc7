"""``motcua demo-history``: the past across the 1 July 2025 reform, at the desks of each era."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from engine.cli import app
from engine.model import Dossier
from engine.service.demo_history import (
    DISTRICT,
    DISTRICT_UNTIL_THE_REFORM,
    FORMER_WARDS,
    USERS,
)
from engine.store import Database
from tests.databases import LOCAL, PROCESSES

runner = CliRunner()
REFORM = date(2025, 7, 1)
NEW_WARDS = {f"000.00.8{n}.H26" for n in range(1, 7)}
FORMER = {w.agency for w in FORMER_WARDS}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], list[Dossier]]:
    """A fresh database with the ten days around the reform."""
    url = f"sqlite:///{tmp_path_factory.mktemp('past')}/past.db"
    env = {"MOTCUA_DATABASE_URL": url}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    result = runner.invoke(app, ["demo-history", "--from", "2025-06-25", "--to", "2025-07-04",
                                 "--per-day", "3", "--seed", "5", "--processes",
                                 str(PROCESSES)], env=env)
    assert result.exit_code == 0, result.output
    assert " hồ sơ, " in result.stdout and "reception.quan" in result.stdout
    db = Database(url)
    with db.unit_of_work(readonly=True) as uow:
        found, _ = uow.dossiers.search(limit=10_000)
    db.engine.dispose()
    return env, found


def _filed(dossier: Dossier) -> date:
    return dossier.received_at.astimezone(LOCAL).date()


def test_before_the_reform_the_district_and_its_wards_receive(
        made: tuple[dict[str, str], list[Dossier]]) -> None:
    before = [d for d in made[1] if _filed(d) < REFORM]
    assert before and all(date(2025, 6, 25) <= _filed(d) for d in before)
    district = [d for d in before if d.level == "district"]
    assert district and {d.receiving_unit for d in district} == {DISTRICT}
    assert {d.resolving_unit for d in district} == {DISTRICT}
    assert {d.procedure_key for d in district} <= {"dang_ky_ho_kinh_doanh",
                                                    "cap_phep_xay_dung"}
    commune = [d for d in before if d.level == "commune"]
    assert commune and {d.receiving_unit for d in commune} <= FORMER
    assert {d.procedure_key for d in commune} <= {"chung_thuc_ban_sao", "dang_ky_khai_sinh"}
    assert len(district) + len(commune) == len(before)


def test_since_the_reform_the_new_wards_receive_everything_at_commune_level(
        made: tuple[dict[str, str], list[Dossier]]) -> None:
    after = [d for d in made[1] if _filed(d) >= REFORM]
    assert after and all(_filed(d) <= date(2025, 7, 4) for d in after)
    assert {d.level for d in after} == {"commune"}
    assert {d.receiving_unit for d in after} <= NEW_WARDS
    # The law changed on 1 July for the two district-level procedures only: the others keep
    # their version (the same content makes no new one).
    reformed = set(DISTRICT_UNTIL_THE_REFORM)
    before = {d.version_id for d in made[1] if _filed(d) < REFORM and d.procedure_key in reformed}
    assert not before & {d.version_id for d in after if d.procedure_key in reformed}


def test_the_audit_trail_of_the_past_is_intact(
        made: tuple[dict[str, str], list[Dossier]]) -> None:
    result = runner.invoke(app, ["audit", "verify"], env=made[0])
    assert result.exit_code == 0, result.output
    assert "nguyên vẹn" in result.stdout


def test_a_database_with_the_procedures_deployed_is_refused(
        made: tuple[dict[str, str], list[Dossier]]) -> None:
    again = runner.invoke(app, ["demo-history", "--from", "2025-06-30", "--to", "2025-07-01",
                                "--processes", str(PROCESSES)], env=made[0])
    assert again.exit_code == 1
    assert "đã được triển khai" in again.stderr


def test_the_usernames_of_the_past_are_documented() -> None:
    text = (PROCESSES.parent / "docs" / "organisation.md").read_text("utf-8")
    assert "motcua demo-history" in text
    assert all(f"`{name}`" in text for name in USERS)
