"""Procedure versions in force from a day: the version a dossier starts on is the one in
force on the day it counts from; a version deployed ahead can be withdrawn before its day."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import Conflict, DefinitionInvalid, InvalidInput, NotFound
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import deploy, dossiers, versions
from engine.service.office import Office
from tests.bpmn_factory import FORMS, procedure, procedure_files
from tests.conftest import local

DECREE_DAY = date(2026, 3, 10)  # a Tuesday, a week after the tests' morning


def _second(**props: str) -> dict[str, bytes]:
    """The test procedure with another step name: its next version."""
    xml = procedure(process_props=props or None).replace('name="Xử lý"', 'name="Xử lý hồ sơ"')
    return {"thu.bpmn": xml.encode(), **FORMS}


def _submit(office: Office, users: dict[str, User], channel: str = "direct"
            ) -> dossiers.Receipt:
    actor = users["reception"] if channel == "direct" else None
    return dossiers.submit(office, "thu_tuc_thu", {"name": "Nguyễn Văn An"}, channel, {},
                           actor)


def _ahead(office: Office) -> None:
    deploy.deploy(office, procedure_files(), "designer")
    ahead = deploy.deploy(office, _second(), "designer", effective_from=DECREE_DAY)
    assert [(r.version, r.created, r.effective_from) for r in ahead] == [
        (2, True, DECREE_DAY)]


def test_a_version_deployed_ahead_applies_from_its_day(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    _ahead(office)
    assert _submit(office, users).version == 1
    clock.set(local(2026, 3, 9, 16, 59))
    assert _submit(office, users).version == 1
    clock.set(local(2026, 3, 10, 8, 0))
    assert _submit(office, users).version == 2
    found = versions.timeline(office, users["designer"], "thu_tuc_thu")
    assert [(v.version, v.effective_from, v.until, v.state, v.dossiers) for v in found] == [
        (1, date(2026, 3, 3), DECREE_DAY, "replaced", 2),
        (2, DECREE_DAY, None, "in_force", 1)]
    assert found[0].deployed_by_name != "designer"  # the full name, where people read


def test_an_online_filing_out_of_hours_starts_on_the_version_of_the_day_it_counts_from(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    _ahead(office)
    clock.set(local(2026, 3, 9, 20, 0))  # Monday night: counts from Tuesday's opening
    assert _submit(office, users, "online").version == 2
    assert _submit(office, users, "direct").version == 1  # the desk counts from now
    # The due date the calendar tells for it uses the same version.
    due = versions.receipt_day(office, "online", local(2026, 3, 9, 20, 0))
    assert due == DECREE_DAY


def test_the_catalogue_shows_the_version_in_force_and_announces_the_next(
        office: Office, users: dict[str, User]) -> None:
    from engine.service import queries

    _ahead(office)
    detail = queries.procedure_detail(office, users["reception"], "thu_tuc_thu")
    assert (detail.in_force_version, detail.latest_version) == (1, 2)
    assert [s["name"] for s in detail.steps if s["id"] == "xu_ly"] == ["Xử lý"]
    assert [(u.version, u.effective_from) for u in detail.upcoming] == [(2, DECREE_DAY)]


def test_a_version_is_withdrawn_before_its_day_and_never_applies(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    _ahead(office)
    line = versions.withdraw(office, users["designer"], "thu_tuc_thu", 2)
    assert (line.state, line.withdrawn_by) == ("withdrawn", users["designer"].full_name)
    clock.set(local(2026, 3, 11, 9, 0))
    assert _submit(office, users).version == 1
    with office.db.unit_of_work(readonly=True) as uow:
        events = [e for e in uow.audit.events("system")
                  if e.kind == "procedure_version_withdrawn"]
    assert [e.data["version"] for e in events] == [2]
    with pytest.raises(Conflict):
        versions.withdraw(office, "cli", "thu_tuc_thu", 2)
    # The same content deployed again for its day is a new version, not the withdrawn one.
    again = deploy.deploy(office, _second(), "designer", effective_from=date(2026, 3, 20))
    assert [(r.version, r.created) for r in again] == [(3, True)]


def test_withdrawing_a_version_in_force_or_with_dossiers_or_unknown_is_refused(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    _ahead(office)
    before = versions.timeline(office, None, "thu_tuc_thu")
    with pytest.raises(Conflict, match="03/03/2026"):
        versions.withdraw(office, "cli", "thu_tuc_thu", 1)
    with pytest.raises(NotFound):
        versions.withdraw(office, "cli", "thu_tuc_thu", 9)
    with pytest.raises(NotFound):
        versions.withdraw(office, "cli", "khong_co", 1)
    clock.set(local(2026, 3, 9, 20, 0))
    _submit(office, users, "online")  # counted from 10/03: it runs on version 2 already
    with pytest.raises(Conflict):
        versions.withdraw(office, "cli", "thu_tuc_thu", 2)
    after = versions.timeline(office, None, "thu_tuc_thu")
    assert [(v.version, v.withdrawn_at) for v in after] == [
        (v.version, v.withdrawn_at) for v in before]


def test_the_file_may_say_the_day_and_the_deploy_may_not_contradict_it(
        office: Office, users: dict[str, User]) -> None:
    deploy.deploy(office, procedure_files(), "designer")
    with pytest.raises(DefinitionInvalid) as exc:
        deploy.deploy(office, _second(effective_from="2026-03-10"), "designer",
                      effective_from=date(2026, 3, 11))
    assert "10/03/2026" in exc.value.problems[0].text("vi")
    with pytest.raises(DefinitionInvalid):
        deploy.deploy(office, _second(effective_from="10/03/2026"), "designer")
    assert [v.version for v in versions.timeline(office, None, "thu_tuc_thu")] == [1]
    said = deploy.deploy(office, _second(effective_from="2026-03-10"), "designer")
    assert [(r.version, r.effective_from) for r in said] == [(2, DECREE_DAY)]
    again = deploy.deploy(office, _second(effective_from="2026-03-10"), "designer",
                          effective_from=DECREE_DAY)
    assert [(r.version, r.created) for r in again] == [(2, False)]
    assert _submit(office, users).version == 1


def test_a_first_version_without_a_day_is_in_force_since_ever(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    deploy.deploy(office, procedure_files(), "designer")
    clock.set(local(2025, 7, 7, 9, 0))  # a simulated past: nothing came before it
    assert _submit(office, users).version == 1
    [line] = versions.timeline(office, None, "thu_tuc_thu")
    assert (line.effective_from, line.state) == (date(2026, 3, 3), "in_force")


def test_a_procedure_with_no_version_in_force_yet_is_refused_at_the_desk(
        office: Office, users: dict[str, User]) -> None:
    deploy.deploy(office, procedure_files(), "designer", effective_from=DECREE_DAY)
    with pytest.raises(Conflict, match="10/03/2026"):
        _submit(office, users)
    with office.db.unit_of_work(readonly=True) as uow:
        assert uow.dossiers.search()[1] == 0


def test_a_day_in_the_past_applies_to_dossiers_received_from_now_only(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    clock.set(local(2026, 3, 2, 9, 0))
    deploy.deploy(office, procedure_files(), "designer", effective_from=date(2026, 3, 2))
    clock.set(local(2026, 3, 5, 9, 0))
    old = _submit(office, users)
    # Before the day of the version in force it would never apply: refused, nothing added.
    with pytest.raises(DefinitionInvalid) as exc:
        deploy.deploy(office, _second(), "designer", effective_from=date(2026, 3, 1))
    assert "02/03/2026" in exc.value.problems[0].text("vi")
    assert [v.version for v in versions.timeline(office, None, "thu_tuc_thu")] == [1]
    deploy.deploy(office, _second(), "designer", effective_from=date(2026, 3, 4))
    assert _submit(office, users).version == 2
    with office.db.unit_of_work(readonly=True) as uow:
        kept = uow.dossiers.by_code(old.code)
        assert kept is not None
        assert uow.catalog.by_id(kept.version_id).version == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["2027-02-30", "mai", "1/1/27", "2027/01/01", "1999-12-31"])
def test_a_day_that_does_not_parse_is_refused_clearly(text: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        versions.parse_day(text, vietnamese=True)
    assert text in exc.value.text("vi")


def test_a_day_is_read_iso_or_as_vietnamese_write_it() -> None:
    assert versions.parse_day("2027-01-01") == date(2027, 1, 1)
    assert versions.parse_day(" 01/07/2026 ", vietnamese=True) == date(2026, 7, 1)
    with pytest.raises(InvalidInput):
        versions.parse_day("01/07/2026")  # the command line and the API take ISO only
