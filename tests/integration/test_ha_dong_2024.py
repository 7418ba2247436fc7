"""``motcua demo-history --scenario ha-dong-2024``: the seed report's 2024, small.

Two weeks at a tenth of the seed's volumes, ending on the seed's last day (30 November 2024),
made by the command through the engine on a new SQLite file.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from engine.calendar import WorkingCalendar
from engine.cli import app
from engine.model import Dossier
from engine.service.demo_history import (
    COMMUNE_BEFORE_THE_REFORM,
    DISTRICT,
    DISTRICT_UNTIL_THE_REFORM,
)
from engine.service.demo_wards_2024 import ward_people, wards_2024
from engine.simulation.ha_dong_2024 import (
    CALIBRATED_FROM,
    CALIBRATED_TO,
    HA_DONG_2024,
    desk_load,
    desks,
)
from engine.store import Database
from tests.databases import LOCAL, PROCESSES

runner = CliRunner()
FIRST, LAST = "2024-11-18", "2024-11-30"
SCALE = 0.1


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], list[Dossier]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hadong')}/hadong.db"
    env = {"MOTCUA_DATABASE_URL": url}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    result = runner.invoke(app, ["demo-history", "--scenario", "ha-dong-2024", "--scale",
                                 str(SCALE), "--from", FIRST, "--to", LAST, "--processes",
                                 str(PROCESSES)], env=env)
    assert result.exit_code == 0, result.output
    db = Database(url)
    with db.unit_of_work(readonly=True) as uow:
        found, _ = uow.dossiers.search(limit=100_000)
    db.engine.dispose()
    return env, found


def test_the_rates_give_the_seed_volumes_over_its_window() -> None:
    """Expected arrivals of 1 January – 30 November, summed over the desks, are the seed's."""
    calendar = WorkingCalendar.default()
    window = [CALIBRATED_FROM + timedelta(days=n)
              for n in range((CALIBRATED_TO - CALIBRATED_FROM).days + 1)]
    load = sum(desk_load(d) for d in window if calendar.is_working_day(d))
    found = desks(calendar, scale=0.5)
    assert found[0].unit == DISTRICT and len(found) == 1 + 17
    for level, plan in ((found[:1], HA_DONG_2024.district), (found[1:], HA_DONG_2024.wards)):
        online = sum(d.arrivals.online_per_day * len(window) for d in level if d.arrivals)
        offline = sum(d.arrivals.desk_per_working_day * load for d in level if d.arrivals)
        assert online + offline == pytest.approx(plan.received * 0.5)
        assert online / (online + offline) == pytest.approx(plan.online_share)


def test_the_wards_of_2024_have_their_own_people() -> None:
    wards = wards_2024()
    assert len(wards) == 17 and len({w.agency for w in wards}) == 17
    names = [p.username for p in ward_people()]
    assert len(names) == len(set(names)) == 15 * 3
    # Today's wards named like former ones keep their plain usernames.
    assert "reception.yennghiacu" in names and "reception.yennghia" not in names


def _filed(dossier: Dossier) -> date:
    return dossier.received_at.astimezone(LOCAL).date()


def test_district_and_ward_dossiers_at_their_units_and_levels(
        made: tuple[dict[str, str], list[Dossier]]) -> None:
    found = made[1]
    assert found and all(date(2024, 11, 18) <= _filed(d) <= date(2024, 11, 30) for d in found)
    district = [d for d in found if d.level == "district"]
    assert {d.receiving_unit for d in district} == {DISTRICT}
    assert {d.resolving_unit for d in district} == {DISTRICT}
    assert {d.procedure_key for d in district} == set(DISTRICT_UNTIL_THE_REFORM)
    wards = {w.agency for w in wards_2024()}
    commune = [d for d in found if d.level == "commune"]
    assert {d.receiving_unit for d in commune} <= wards
    assert len({d.receiving_unit for d in commune}) >= 12  # nearly every ward's desk
    assert {d.procedure_key for d in commune} == set(COMMUNE_BEFORE_THE_REFORM)
    assert len(district) + len(commune) == len(found)
    # As many as the desks' rates make over these days, within four standard deviations.
    calendar = WorkingCalendar.default()
    days = [date(2024, 11, 18) + timedelta(days=n) for n in range(13)]
    found_desks = desks(calendar, SCALE)
    for some, level in ((district, found_desks[:1]), (commune, found_desks[1:])):
        expected = sum(d.arrivals.online_per_day + (d.arrivals.desk_per_working_day
                                                    * desk_load(day)
                                                    if calendar.is_working_day(day) else 0)
                       for d in level if d.arrivals for day in days)
        assert abs(len(some) - expected) < 4 * expected ** 0.5, (len(some), expected)


def test_online_shares_near_the_targets(made: tuple[dict[str, str], list[Dossier]]) -> None:
    for level, plan in (("district", HA_DONG_2024.district), ("commune", HA_DONG_2024.wards)):
        some = [d for d in made[1] if d.level == level]
        share = sum(d.channel == "online" for d in some) / len(some)
        # Four standard deviations of a share of this many dossiers.
        spread = 4 * (plan.online_share * (1 - plan.online_share) / len(some)) ** 0.5
        assert abs(share - plan.online_share) < spread, (level, share)


def test_the_audit_trail_is_intact(made: tuple[dict[str, str], list[Dossier]]) -> None:
    result = runner.invoke(app, ["audit", "verify"], env=made[0])
    assert result.exit_code == 0, result.output
    assert "nguyên vẹn" in result.stdout


def test_the_report_by_level_reconciles(made: tuple[dict[str, str], list[Dossier]]) -> None:
    result = runner.invoke(app, ["report", "statistics", "--from", FIRST, "--to", LAST,
                                 "--group-by", "level", "--format", "json"], env=made[0])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rows = {r["label"]: r for r in report["rows"]}
    assert set(rows) == {"Cấp huyện", "Cấp xã"}
    counted = {"Cấp huyện": "district", "Cấp xã": "commune"}
    for label, row in rows.items():
        # Received once the desk accepted it: the last day's filings may still be at the desk.
        level = [d for d in made[1] if d.level == counted[label] and d.accepted_at is not None]
        assert row["received"] == row["new_online"] + row["new_offline"] == len(level)
        assert row["received"] == (row["resolved"] + row["refused"] + row["withdrawn"]
                                   + row["pending"])
    # The district plans no refusal and no late dossier; the wards some of both.
    assert rows["Cấp huyện"]["refused"] == rows["Cấp huyện"]["resolved_late"] == 0
    assert rows["Cấp xã"]["refused"] > 0


def test_a_database_with_dossiers_is_refused(
        made: tuple[dict[str, str], list[Dossier]]) -> None:
    again = runner.invoke(app, ["demo-history", "--scenario", "ha-dong-2024", "--from", LAST,
                                "--to", LAST, "--processes", str(PROCESSES)], env=made[0])
    assert again.exit_code == 1
    assert "đã được triển khai" in again.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--scenario", "ha-dong-2025"], "--scenario phải là reform hoặc ha-dong-2024"),
    (["--scenario", "ha-dong-2024", "--per-day", "5"], "hãy dùng --scale"),
])
def test_a_wrong_scenario_or_option_is_explained(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["demo-history", *args],
                           env={"MOTCUA_DATABASE_URL": "sqlite:///:memory:"})
    assert result.exit_code == 1
    assert message in result.stderr
