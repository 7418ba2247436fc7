"""``motcua units import`` and ``motcua units list`` on a real database, and the import use
case on SQLite and PostgreSQL: all or nothing, and the same file twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli import app
from engine.errors import NotAllowed, UnitsInvalid
from engine.service.office import Office
from engine.service.units import import_units, list_units
from tests.conftest import ROOT

runner = CliRunner()
SHIPPED = ROOT / "engine" / "units_data" / "ha_noi.csv"
HEADER = "code,agency_code,name,level,parent,valid_from,valid_to,successors,confirmed,source\n"
SMALL = HEADER + ("01,000.00.00.H26,Thành phố Hà Nội,province,,2008-08-01,,,yes,\n"
                  "09552,000.00.81.H26,Phường Hà Đông,commune,01,2025-07-01,,,no,\n")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {"MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path}/units.db"}
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    return env


def _list(env: dict[str, str]) -> list[list[str]]:
    listed = runner.invoke(app, ["units", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    return [line.split("\t") for line in listed.stdout.splitlines()]


def test_the_shipped_file_imports_and_lists_the_merger_history(env: dict[str, str]) -> None:
    done = runner.invoke(app, ["units", "import", str(SHIPPED)], env=env)
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "25 đơn vị: thêm 25, đổi 0, bỏ 0, giữ nguyên 0"
    lines = _list(env)
    assert len(lines) == 25
    assert lines[0][:6] == ["01", "Thành phố Hà Nội", "province", "2008-08-01", "-", "-"]
    assert lines[1][:6] == ["268", "Quận Hà Đông", "district", "2009-05-08", "2025-06-30", "01"]
    biên_giang = next(line for line in lines if line[1] == "Phường Biên Giang")
    assert biên_giang[:7] == ["10123", "Phường Biên Giang", "commune", "2009-05-08",
                              "2025-06-30", "268", "10015"]
    assert biên_giang[7] == "(unconfirmed)"
    new_wards = {line[1] for line in lines if line[3] == "2025-07-01"}
    assert {"Phường Hà Đông", "Phường Dương Nội", "Phường Yên Nghĩa", "Phường Kiến Hưng",
            "Phường Phú Lương"} <= new_wards
    old_wards = [line for line in lines if line[5] == "268"]
    assert len(old_wards) == 17
    assert all(line[6] != "-" for line in old_wards)  # each old ward went somewhere


def test_importing_the_same_file_again_changes_nothing(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["units", "import", str(SHIPPED)], env=env).exit_code == 0
    before = _list(env)
    again = runner.invoke(app, ["units", "import", str(SHIPPED)], env=env)
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == "25 đơn vị: thêm 0, đổi 0, bỏ 0, giữ nguyên 25"
    assert _list(env) == before


def test_a_bad_file_exits_1_with_its_lines_and_writes_nothing(env: dict[str, str],
                                                               tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(SMALL, encoding="utf-8")
    assert runner.invoke(app, ["units", "import", str(good)], env=env).exit_code == 0
    before = _list(env)
    bad = tmp_path / "bad.csv"
    bad.write_text(SMALL + "09886,000.00.82.H26,Phường Dương Nội,commune,02,2025-07-01,,,no,\n"
                   "09562,000.00.81.H26,Phường Yên Nghĩa,commune,01,2025-07-01,,,no,\n",
                   encoding="utf-8")
    refused = runner.invoke(app, ["--lang", "en", "units", "import", str(bad)], env=env)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"{bad}:4: unit '09886': parent '02' is not in the file; add it or write an "
        "existing code",
        f"{bad}:5: unit '09562': overlaps in time with line 3, which has the same agency "
        "code '000.00.81.H26' with no end; end one version before the other begins"]
    assert _list(env) == before


def test_a_later_file_replaces_the_units_as_a_whole(env: dict[str, str],
                                                    tmp_path: Path) -> None:
    assert runner.invoke(app, ["units", "import", str(SHIPPED)], env=env).exit_code == 0
    small = tmp_path / "small.csv"
    small.write_text(SMALL.replace("Phường Hà Đông", "Phường Hà Đông (mới)"), encoding="utf-8")
    done = runner.invoke(app, ["units", "import", str(small)], env=env)
    assert done.stdout.strip() == "2 đơn vị: thêm 0, đổi 2, bỏ 23, giữ nguyên 0"
    assert [line[1] for line in _list(env)] == ["Thành phố Hà Nội", "Phường Hà Đông (mới)"]


def test_a_missing_file_is_said(env: dict[str, str], tmp_path: Path) -> None:
    missing = runner.invoke(app, ["units", "import", str(tmp_path / "none.csv")], env=env)
    assert missing.exit_code == 1 and "none.csv" in missing.stderr


def test_the_import_is_all_or_nothing_on_each_database(office: Office) -> None:
    # The demo organisation the office is seeded with holds the shipped units already.
    small = import_units(office, "units.csv", SMALL)
    assert (small.added, small.removed) == (0, 23)
    stored = list_units(office)
    with pytest.raises(UnitsInvalid):
        import_units(office, "bad.csv", SMALL + "09886,x,Phường Dương Nội,commune,02,"
                     "2025-07-01,,,no,\n")
    assert list_units(office) == stored
    done = import_units(office, "ha_noi.csv", SHIPPED.read_text(encoding="utf-8"))
    assert (done.added, done.removed) == (23, 0)
    again = import_units(office, "ha_noi.csv", SHIPPED.read_text(encoding="utf-8"))
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 25)
    with office.db.unit_of_work(readonly=True) as uow:
        imports = [e for e in uow.audit.events("system") if e.kind == "units_imported"]
    assert [e.data["file"] for e in imports] == ["units.csv", "ha_noi.csv"]  # no-op: silent


def test_only_an_admin_imports_or_lists_through_the_use_case(office: Office,
                                                             users: dict) -> None:
    with pytest.raises(NotAllowed):
        import_units(office, "units.csv", SMALL, user=users["leader"])
    with pytest.raises(NotAllowed):
        list_units(office, users["auditor"])
    import_units(office, "units.csv", SMALL, user=users["admin"])
    assert [u.code for u in list_units(office, users["admin"])] == ["01", "09552"]
