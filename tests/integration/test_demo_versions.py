"""The demo's construction permit ships two versions: the rules in force, and the 2026
commune-level rules from their day. A fresh deploy of ``processes/`` puts them in order; a
history across the day has dossiers on both; redeploying changes nothing."""

from __future__ import annotations

from datetime import date

from engine.runtime.clock import ManualClock
from engine.service import deploy, versions
from engine.service.demo import seed
from engine.service.office import Office
from engine.simulation.history import generate_history
from tests.conftest import PROCESSES, definition_files, local

KEY = "cap_phep_xay_dung"
RULES_2026 = date(2026, 7, 1)  # unconfirmed: see processes/cap_phep_xay_dung_2026.bpmn


def test_the_shipped_versions_of_the_permit_are_in_order_with_their_days(
        office: Office) -> None:
    shipped = definition_files(PROCESSES, coming=True)
    made = deploy.deploy(office, shipped, "designer")
    assert [(r.key, r.version, r.created) for r in made if r.created] == [(KEY, 2, True)]
    found = versions.timeline(office, None, KEY)
    assert [(v.version, v.effective_from, v.until) for v in found] == [
        (1, None, RULES_2026), (2, RULES_2026, None)]
    with office.db.unit_of_work(readonly=True) as uow:
        deadlines = [uow.catalog.version(KEY, n).meta["deadline"]  # type: ignore[union-attr]
                     for n in (1, 2)]
    assert deadlines == [15, 10]
    again = deploy.deploy(office, shipped, "designer")
    assert not any(r.created for r in again)
    assert versions.timeline(office, None, KEY) == found


def test_a_history_across_the_day_has_permits_on_both_versions(
        database_url: str) -> None:
    from engine.calendar import WorkingCalendar
    from tests.conftest import fresh_database

    db = fresh_database(database_url)
    office = Office(db=db, agency_code="000.00.81.H26",
                    clock=ManualClock(local(2026, 3, 3, 9)), calendar=WorkingCalendar.default())
    seed(office)
    deploy.deploy(office, definition_files(PROCESSES, coming=True), "designer")
    generate_history(office, days=60, seed=3, per_day=12, until=local(2026, 7, 31, 17))
    counts = {v.version: v.dossiers for v in versions.timeline(office, None, KEY)}
    db.dispose()
    assert counts[1] > 0 and counts[2] > 0, counts
