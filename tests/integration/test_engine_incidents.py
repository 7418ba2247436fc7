"""A dossier whose timer path fails keeps its fault to itself: an incident, retried with
backoff, seen and retried by its leaders; the other dossiers' timers go on firing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.errors import FormInvalid, InvalidInput, NotAllowed, NotOpen
from engine.model import Incident, User
from engine.runtime.clock import ManualClock
from engine.security import hash_password
from engine.service import deploy, dossiers, incidents, timers
from engine.service.backoff import Backoff
from engine.service.office import Office
from engine.service.reporting import verify_log
from engine.service.worker import worker_round
from engine.store import Database
from tests.failing_procedures import divide_after_timer
from tests.helpers import active_items, dossier, members

KEY = "thu_chia_sau_hen_gio"
APPLICANT = {"name": "Lê Văn Cường"}


def submit(office: Office, users: dict[str, User], copies: int) -> int:
    return dossiers.submit(office, KEY, APPLICANT, "direct", {"copies": copies},
                           users["reception"]).dossier_id


@pytest.fixture
def office_with_timers(office: Office) -> Office:
    deploy.deploy(office, divide_after_timer(), "designer")
    return office


def kinds(office: Office, dossier_id: int) -> list[str]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e.kind for e in uow.audit.for_dossier(dossier_id)]


def open_incident(office: Office, dossier_id: int) -> Incident | None:
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.incidents.open_for(dossier_id)


def test_a_failing_timer_path_opens_an_incident_and_the_others_fire(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    office = office_with_timers
    bad = submit(office, users, copies=0)
    good = submit(office, users, copies=2)
    before = dossier(office, bad)
    clock.advance(hours=1, seconds=1)
    done = timers.run_due_timers(office)
    assert done.moved == 1
    assert [n.incident.dossier_id for n in done.failed] == [bad]
    assert [i.step_id for i in active_items(office, good)] == ["xu_ly"]
    # The failed dossier is as it was: same state, no step, and its fault on record.
    after = dossier(office, bad)
    assert (after.state, after.state_rev) == (before.state, before.state_rev)
    assert active_items(office, bad) == []
    incident = open_incident(office, bad)
    assert incident is not None
    assert (incident.kind, incident.step_id, incident.step_name, incident.tries) == \
        ("timer", "tinh_phi", "Tính phí mỗi bản", 1)
    assert incident.expression == "phi_moi_ban = 10000 / copies"
    assert "ZeroDivisionError: division by zero" in incident.error
    assert incident.next_try_at == clock.now() + timedelta(seconds=60)
    assert after.next_timer_at == incident.next_try_at
    assert kinds(office, bad)[-1] == "incident_opened"
    assert "timer_fired" not in kinds(office, bad)
    assert verify_log(office).breaks == []


def test_the_worker_tries_again_only_after_the_backoff_which_doubles(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    office = office_with_timers
    bad = submit(office, users, copies=0)
    clock.advance(hours=1, seconds=1)
    assert len(timers.run_due_timers(office).failed) == 1
    clock.advance(seconds=59)
    idle = timers.run_due_timers(office)
    assert (idle.moved, idle.failed) == (0, [])
    clock.advance(seconds=2)
    again = timers.run_due_timers(office)
    assert [(n.opened, n.incident.tries) for n in again.failed] == [(False, 2)]
    incident = open_incident(office, bad)
    assert incident is not None
    assert incident.next_try_at == clock.now() + timedelta(seconds=120)
    assert kinds(office, bad)[-2:] == ["incident_opened", "incident_retried"]
    with office.db.unit_of_work(readonly=True) as uow:
        retried = uow.audit.for_dossier(bad)[-1]
    assert retried.data["tries"] == 2
    assert "error" not in retried.data  # the same error as the try before: said once


def test_backoff_doubles_up_to_its_ceiling() -> None:
    backoff = Backoff(first_seconds=60, max_seconds=3600)
    assert [backoff.seconds(n) for n in range(1, 9)] == \
        [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff.seconds(10_000) == 3600


def test_a_clerks_step_does_not_bring_the_retry_forward(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    """Even when the dossier row's next timer is back in the past (a step of the dossier
    rewrote it), a dossier whose incident waits is not taken before its next try."""
    office = office_with_timers
    bad = submit(office, users, copies=0)
    clock.advance(hours=1, seconds=1)
    timers.run_due_timers(office)
    with office.db.unit_of_work() as uow:
        uow.dossiers.update(bad, next_timer_at=clock.now() - timedelta(minutes=5))
        uow.commit()
    assert timers.run_due_timers(office).failed == []
    clock.advance(seconds=61)
    assert len(timers.run_due_timers(office).failed) == 1


def test_a_leader_corrects_the_data_and_the_dossier_goes_on(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    office = office_with_timers
    bad = submit(office, users, copies=0)
    clock.advance(hours=1, seconds=1)
    incident = timers.run_due_timers(office).failed[0].incident
    [seen] = incidents.incidents(office, users["leader"])
    assert (seen.id, seen.can_retry, seen.can_correct) == (incident.id, True, True)
    assert seen.departments == ["MOT_CUA"]
    detail = incidents.incident_detail(office, users["leader"], incident.id)
    assert detail.values == {"copies": 0}
    assert detail.form is not None and "copies" in detail.form["properties"]
    with pytest.raises(FormInvalid, match="copies"):
        incidents.correct(office, incident.id, users["leader"], {"copies": -1}, "sai số")
    with pytest.raises(InvalidInput, match="why"):
        incidents.correct(office, incident.id, users["leader"], {"copies": 2}, "  ")
    view = incidents.correct(office, incident.id, users["leader"], {"copies": 2},
                             "Công dân xác nhận nộp 2 bản sao")
    assert (view.status, view.resolved_by, view.tries) == ("resolved", "leader", 1)
    assert view.resolved_by_name == "Đỗ Văn Thành"
    assert [i.step_id for i in active_items(office, bad)] == ["xu_ly"]
    assert dossier(office, bad).data["copies"] == 2
    assert kinds(office, bad)[-5:] == ["incident_opened", "dossier_data_corrected",
                                       "timer_fired", "incident_resolved", "item_handed_over"]
    with office.db.unit_of_work(readonly=True) as uow:
        corrected = next(e for e in uow.audit.for_dossier(bad)
                         if e.kind == "dossier_data_corrected")
    assert corrected.actor == "leader"
    assert corrected.data["changes"] == {"copies": {"from": 0, "to": 2}}
    assert incidents.incidents(office, users["leader"]) == []
    assert [i.id for i in incidents.incidents(office, users["leader"], "resolved")] == \
        [incident.id]
    with pytest.raises(NotOpen):
        incidents.retry(office, incident.id, users["leader"])
    assert timers.run_due_timers(office).moved == 0  # nothing left to try
    assert verify_log(office).breaks == []


def test_a_retry_that_fails_again_counts_a_try_and_puts_the_next_off(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    office = office_with_timers
    bad = submit(office, users, copies=0)
    clock.advance(hours=1, seconds=1)
    incident = timers.run_due_timers(office).failed[0].incident
    clock.advance(seconds=10)
    view = incidents.retry(office, incident.id, users["designer"])
    assert (view.status, view.tries) == ("open", 2)
    assert "ZeroDivisionError" in view.error
    stored = open_incident(office, bad)
    assert stored is not None and stored.next_try_at == clock.now() + timedelta(seconds=120)
    with office.db.unit_of_work(readonly=True) as uow:
        last = uow.audit.for_dossier(bad)[-1]
    assert (last.kind, last.actor) == ("incident_retried", "designer")
    assert active_items(office, bad) == []


def test_who_sees_and_retries_incidents(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    office = office_with_timers
    submit(office, users, copies=0)
    clock.advance(hours=1, seconds=1)
    incident = timers.run_due_timers(office).failed[0].incident
    with office.db.unit_of_work() as uow:
        uow.org.upsert_user("lanh_dao_qldt", "Lãnh đạo phòng QLĐT", hash_password("demo"),
                            (), members({"leader"}, {"QLDT"}))
        other = uow.org.user("lanh_dao_qldt")
        uow.commit()
    assert other is not None
    for staff in ("reception", "justice"):
        with pytest.raises(NotAllowed):
            incidents.incidents(office, users[staff])
        with pytest.raises(NotAllowed):
            incidents.retry(office, incident.id, users[staff])
    assert incidents.incidents(office, other) == []  # no lane of QLDT in this procedure
    with pytest.raises(NotAllowed, match="MOT_CUA"):
        incidents.retry(office, incident.id, other)
    [read] = incidents.incidents(office, users["auditor"])
    assert (read.can_retry, read.can_correct) == (False, False)
    with pytest.raises(NotAllowed):
        incidents.retry(office, incident.id, users["auditor"])
    with pytest.raises(NotAllowed):
        incidents.correct(office, incident.id, users["designer"], {"copies": 1}, "x")
    [designed] = incidents.incidents(office, users["designer"])
    assert (designed.can_retry, designed.can_correct) == (True, False)
    assert incidents.open_incident_count(office) == 1


def test_a_dossier_whose_state_cannot_be_read_is_an_incident_too(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    """Not a step's fault (say, a stored state damaged by hand): still kept to its dossier."""
    office = office_with_timers
    broken = submit(office, users, copies=2)
    good = submit(office, users, copies=3)
    with office.db.unit_of_work() as uow:
        uow.dossiers.update(broken, state='{"format": 1, "tasks": {}}')
        uow.commit()
    clock.advance(hours=1, seconds=1)
    done = timers.run_due_timers(office)
    assert done.moved == 1
    [note] = done.failed
    assert note.incident.dossier_id == broken
    assert note.incident.step_id is None
    assert "KeyError" in note.incident.error
    assert [i.step_id for i in active_items(office, good)] == ["xu_ly"]


def test_a_worker_round_reports_and_never_raises_for_a_dossier(
        office_with_timers: Office, users: dict[str, User], clock: ManualClock) -> None:
    office = office_with_timers
    submit(office, users, copies=0)
    submit(office, users, copies=1)
    clock.advance(hours=1, seconds=1)
    report = worker_round(office)
    assert (report.moved, len(report.failed), report.open_incidents) == (1, 1, 1)
    assert report.database_error is None


def test_a_worker_round_says_when_the_database_is_away(database_url: str,
                                                        clock: ManualClock) -> None:
    """A database that cannot be reached (a closed port, a folder that does not exist) ends
    the round with the reason instead of an exception."""
    url = "postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=2" \
        if database_url.startswith("postgresql") else "sqlite:////nonexistent/folder/x.db"
    away = Office(db=Database(url), agency_code="000.00.81.H26", clock=clock)
    report = worker_round(away)
    assert report.database_error
    assert (report.moved, report.failed) == (0, [])
    away.db.dispose()
