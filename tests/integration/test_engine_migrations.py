"""Moving running dossiers to a newer version of their procedure (engine.service.migrations),
on real SpiffWorkflow and real storage (SQLite; PostgreSQL with -m postgres)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import deploy, dossiers, migrations, reporting, timers, versions, work
from engine.service.office import Office
from tests.bpmn_factory import FORMS, HEADER, procedure, props
from tests.conftest import DATA, definition_files
from tests.helpers import active_items, all_items, do_step, dossier, the_item

KEY = "thu_tuc_thu"
APPLICANT = {"name": "Trần Thị Bình"}


def renamed(xml: str, old: str, new: str) -> str:
    """The step ``old`` under the id ``new``, at the same place."""
    for pattern in ('id="{}"', 'sourceRef="{}"', 'targetRef="{}"', ">{}<"):
        xml = xml.replace(pattern.format(old), pattern.format(new))
    return xml


def without_xu_ly(xml: str) -> str:
    """The step ``xu_ly`` taken out: the desk's step, with the second step's form, leads to
    the gateway."""
    start = xml.index('<bpmn:userTask id="xu_ly"')
    end = xml.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    xml = xml[:start] + xml[end:]
    xml = xml.replace('<bpmn:sequenceFlow id="f2" sourceRef="tiep_nhan" targetRef="xu_ly"/>',
                      '<bpmn:sequenceFlow id="f2" sourceRef="tiep_nhan" targetRef="gw_ket_qua"/>')
    xml = xml.replace('<bpmn:sequenceFlow id="f3" sourceRef="xu_ly" targetRef="gw_ket_qua"/>', "")
    xml = xml.replace("<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>",
                      "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>")
    xml = xml.replace('value="thu.tiep_nhan.json"', 'value="thu.xu_ly.json"')
    return xml.replace("<bpmn:flowNodeRef>xu_ly</bpmn:flowNodeRef>", "")


def put(office: Office, xml: str) -> None:
    deploy.deploy(office, {"thu.bpmn": xml.encode(), **FORMS}, "designer")


def submit(office: Office, users: dict[str, User], key: str = KEY) -> int:
    return dossiers.submit(office, key, APPLICANT, "direct", {}, users["reception"]).dossier_id


def kinds(office: Office, dossier_id: int) -> list[str]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e.kind for e in uow.audit.for_dossier(dossier_id)]


def events(office: Office, dossier_id: int, kind: str) -> list[dict[str, object]]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e.data for e in uow.audit.for_dossier(dossier_id) if e.kind == kind]


def version_of(office: Office, dossier_id: int) -> int:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.catalog.by_id(dossier(office, dossier_id).version_id)
    assert found is not None
    return found.version


def log_intact(office: Office) -> bool:
    return reporting.verify_log(office).intact


def at_xu_ly(office: Office, users: dict[str, User]) -> int:
    """A dossier past the desk, its second step claimed by the desk clerk."""
    dossier_id = submit(office, users)
    accept_at_desk_plain(office, dossier_id, users["reception"])
    work.claim(office, the_item(office, dossier_id, "xu_ly").id, users["reception"])
    return dossier_id


def accept_at_desk_plain(office: Office, dossier_id: int, desk: User) -> None:
    do_step(office, dossier_id, desk, {}, "tiep_nhan")


def test_a_dry_run_lists_every_older_dossier_and_moves_nothing(
        office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    waiting, passed = submit(office, users), at_xu_ly(office, users)
    put(office, without_xu_ly(procedure()))
    report = migrations.migrate(office, users["designer"], KEY, 2)
    assert report.dry_run
    found = {d.dossier_id: d for d in report.dossiers}
    assert set(found) == {waiting, passed}
    assert found[waiting].can_move and found[waiting].from_version == 1
    assert not found[passed].can_move
    assert [(r.code, r.step) for r in found[passed].reasons] == [("step_gone", "xu_ly")]
    assert "xu_ly" in found[passed].reasons[0].message.params["step"]
    assert version_of(office, waiting) == version_of(office, passed) == 1
    assert "dossier_migrated" not in kinds(office, waiting)


def test_the_open_step_kept_keeps_its_claim_and_its_due_date(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    put(office, procedure())
    dossier_id = at_xu_ly(office, users)
    item = the_item(office, dossier_id, "xu_ly")
    due_before = dossier(office, dossier_id).due_at
    put(office, procedure(second_allowance="2d", process_props={"deadline": "5"}))
    clock.advance(hours=1)
    report = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    assert [d.outcome for d in report.dossiers] == ["moved"]
    assert version_of(office, dossier_id) == 2
    after = the_item(office, dossier_id, "xu_ly")
    assert (after.id, after.status, after.claimed_by) == (item.id, "claimed", "reception")
    assert after.due_at == item.due_at  # handed over under the old allowance
    assert dossier(office, dossier_id).due_at == due_before  # counts from receipt
    [moved] = events(office, dossier_id, "dossier_migrated")
    assert moved["from_version"] == 1 and moved["to_version"] == 2 and moved["mapping"] == {}
    assert log_intact(office)
    work.complete(office, item.id, users["reception"], {"ket_qua": "dat"})
    assert dossier(office, dossier_id).status == "resolved"
    assert log_intact(office)


def test_the_new_deadline_applies_when_the_designer_says_so(
        office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    dossier_id = submit(office, users)
    before = dossier(office, dossier_id).due_at
    put(office, procedure(process_props={"deadline": "5"}))
    migrations.migrate(office, users["designer"], KEY, 2, dry_run=False,
                       apply_new_deadline=True)
    after = dossier(office, dossier_id).due_at
    assert before is not None and after is not None and after > before
    with office.db.unit_of_work(readonly=True) as uow:
        [change] = uow.dossiers.due_changes(dossier_id)
    assert (change.kind, change.previous_due_at, change.new_due_at) == ("migration", before,
                                                                        after)
    assert log_intact(office)


def test_a_renamed_step_keeps_its_item_under_the_new_id(
        office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    dossier_id = at_xu_ly(office, users)
    item = the_item(office, dossier_id, "xu_ly")
    put(office, renamed(procedure(), "xu_ly", "tham_dinh"))
    report = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    assert report.dossiers[0].mapping == {"xu_ly": "tham_dinh"}
    after = the_item(office, dossier_id)
    assert (after.id, after.step_id, after.claimed_by) == (item.id, "tham_dinh", "reception")
    assert events(office, dossier_id, "dossier_migrated")[0]["mapping"] == {
        "xu_ly": "tham_dinh"}
    work.complete(office, item.id, users["reception"], {"ket_qua": "tu_choi"})
    assert dossier(office, dossier_id).status == "refused"
    assert log_intact(office)


def test_a_removed_step_blocks_the_dossier_waiting_at_it_and_not_the_others(
        office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    waiting, passed = submit(office, users), at_xu_ly(office, users)
    put(office, without_xu_ly(procedure()))
    report = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    outcomes = {d.dossier_id: d.outcome for d in report.dossiers}
    assert outcomes == {waiting: "moved", passed: "blocked"}
    assert version_of(office, passed) == 1
    assert [i.step_id for i in active_items(office, passed)] == ["xu_ly"]
    # The moved one goes on by the new version: its desk step has the new form, and after
    # it the dossier goes straight to the result.
    assert the_item(office, waiting).form == "thu.xu_ly.json"
    do_step(office, waiting, users["reception"], {"ket_qua": "dat"}, "tiep_nhan")
    assert dossier(office, waiting).status == "resolved"
    assert log_intact(office)


def test_a_step_gone_from_the_new_version_cancels_its_item(
        office: Office, users: dict[str, User]) -> None:
    """The desk's step replaced by another one at another place: the item of the old step
    is cancelled with the reason and the new step handed over with its own allowance."""
    put(office, procedure())
    dossier_id = submit(office, users)
    first = the_item(office, dossier_id, "tiep_nhan")
    v2 = renamed(procedure(allowance="4h"), "tiep_nhan", "kiem_tra")
    put(office, v2)
    migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    item = the_item(office, dossier_id)
    # SpiffWorkflow aligns a step whose id changed at the same place: the item stays.
    assert (item.id, item.step_id) == (first.id, "kiem_tra")
    assert log_intact(office)


def test_a_dossier_waiting_on_a_timer_keeps_the_moment_it_fires(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    deploy.deploy(office, definition_files(DATA / "cho_hen_gio.bpmn", DATA / "forms"),
                  "designer")
    dossier_id = submit(office, users, "cho_hen_gio")
    fires_at = dossier(office, dossier_id).next_timer_at
    clock.advance(minutes=30)
    text = (DATA / "cho_hen_gio.bpmn").read_text().replace('name="Xử lý"',
                                                             'name="Xử lý hồ sơ"')
    deploy.deploy(office, {"cho_hen_gio.bpmn": text.encode(),
                           "thu.buoc.json": (DATA / "forms" / "thu.buoc.json").read_bytes()},
                  "designer")
    report = migrations.migrate(office, users["designer"], "cho_hen_gio", 2, dry_run=False)
    assert [d.outcome for d in report.dossiers] == ["moved"]
    assert dossier(office, dossier_id).next_timer_at == fires_at
    clock.advance(minutes=29)
    assert timers.fire_due_timers(office) == 0
    clock.advance(minutes=2)
    assert timers.fire_due_timers(office) == 1
    assert [(i.step_id, i.step_name) for i in active_items(office, dossier_id)] == [
        ("xu_ly", "Xử lý hồ sơ")]
    assert log_intact(office)


def nested(inner_allowance: str = "1d", extra_top: bool = False) -> str:
    """Start → Tiếp nhận → an embedded sub-process (Thẩm định) → end."""
    dept = props(department="MOT_CUA")
    step = props(allowance="1d", form="thu.tiep_nhan.json")
    inner = props(allowance=inner_allowance, form="thu.tiep_nhan.json")
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>"
                   for n in ("start", "tiep_nhan", "con", "tra", "end"))
    last = ('<bpmn:userTask id="tra" name="Trả kết quả">' + step +
            '<bpmn:incoming>g3</bpmn:incoming><bpmn:outgoing>g4</bpmn:outgoing>'
            '</bpmn:userTask><bpmn:sequenceFlow id="g4" sourceRef="tra" targetRef="end"/>'
            if extra_top else "")
    after_con = "tra" if extra_top else "end"
    end_in = "g4" if extra_top else "g3"
    return HEADER + (
        '<bpmn:process id="long_con" name="Thủ tục có quy trình con" isExecutable="true">'
        + props(procedure_code="1.000009", field="Thử nghiệm", level="commune", deadline="3",
                deadline_unit="working_days")
        + f'<bpmn:laneSet id="ls"><bpmn:lane id="lane_a" name="Một cửa">{dept}{refs}'
        "</bpmn:lane></bpmn:laneSet>"
        '<bpmn:startEvent id="start"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="g1" sourceRef="start" targetRef="tiep_nhan"/>'
        f'<bpmn:userTask id="tiep_nhan" name="Tiếp nhận">{step}'
        "<bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing></bpmn:userTask>"
        '<bpmn:sequenceFlow id="g2" sourceRef="tiep_nhan" targetRef="con"/>'
        '<bpmn:subProcess id="con" name="Thẩm định">'
        "<bpmn:incoming>g2</bpmn:incoming><bpmn:outgoing>g3</bpmn:outgoing>"
        '<bpmn:startEvent id="con_start"><bpmn:outgoing>h1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="h1" sourceRef="con_start" targetRef="tham_dinh"/>'
        f'<bpmn:userTask id="tham_dinh" name="Thẩm định">{inner}'
        "<bpmn:incoming>h1</bpmn:incoming><bpmn:outgoing>h2</bpmn:outgoing></bpmn:userTask>"
        '<bpmn:sequenceFlow id="h2" sourceRef="tham_dinh" targetRef="con_end"/>'
        '<bpmn:endEvent id="con_end"><bpmn:incoming>h2</bpmn:incoming></bpmn:endEvent>'
        "</bpmn:subProcess>"
        f'<bpmn:sequenceFlow id="g3" sourceRef="con" targetRef="{after_con}"/>'
        f"{last}"
        f'<bpmn:endEvent id="end"><bpmn:incoming>{end_in}</bpmn:incoming></bpmn:endEvent>'
        f'<bpmn:endEvent id="tu_choi" name="Từ chối">{props(outcome="refused")}</bpmn:endEvent>'
        "</bpmn:process></bpmn:definitions>")


def put_nested(office: Office, xml: str) -> None:
    deploy.deploy(office, {"con.bpmn": xml.encode(), **FORMS}, "designer")


def test_a_dossier_inside_a_changed_sub_process_stays_and_one_before_it_moves(
        office: Office, users: dict[str, User]) -> None:
    put_nested(office, nested())
    before = submit(office, users, "long_con")
    inside = submit(office, users, "long_con")
    do_step(office, inside, users["reception"], {}, "tiep_nhan")
    assert [i.step_id for i in active_items(office, inside)] == ["tham_dinh"]
    put_nested(office, nested(inner_allowance="2d"))
    report = migrations.migrate(office, users["designer"], "long_con", 2, dry_run=False)
    found = {d.dossier_id: d for d in report.dossiers}
    assert found[before].outcome == "moved"
    assert found[inside].outcome == "blocked"
    assert [r.code for r in found[inside].reasons] == ["subprocess_changed"]
    # The one moved meets the new sub-process: its step gets the new allowance (2 days).
    do_step(office, before, users["reception"], {}, "tiep_nhan")
    day = office.calendar.hours.hours_per_day
    assert the_item(office, before, "tham_dinh").allowance_hours == 2 * day
    assert log_intact(office)


def test_a_dossier_inside_an_unchanged_sub_process_moves(
        office: Office, users: dict[str, User]) -> None:
    put_nested(office, nested())
    inside = submit(office, users, "long_con")
    do_step(office, inside, users["reception"], {}, "tiep_nhan")
    put_nested(office, nested(extra_top=True))
    report = migrations.migrate(office, users["designer"], "long_con", 2, dry_run=False)
    assert [d.outcome for d in report.dossiers] == ["moved"]
    do_step(office, inside, users["reception"], {}, "tham_dinh")
    # The new version's last step follows the sub-process.
    assert [i.step_id for i in active_items(office, inside)] == ["tra"]
    do_step(office, inside, users["reception"], {}, "tra")
    assert dossier(office, inside).status == "resolved"
    assert log_intact(office)


def test_a_step_completed_after_the_dry_run_is_judged_again_never_doubled(
        office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    dossier_id = submit(office, users)
    put(office, procedure(second_allowance="2d"))
    plan = migrations.migrate(office, users["designer"], KEY, 2)
    accept_at_desk_plain(office, dossier_id, users["reception"])  # meanwhile, at the desk
    report = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False, plan=plan)
    [move] = report.dossiers
    assert (move.outcome, move.retried) == ("moved", True)
    assert [i.step_id for i in active_items(office, dossier_id)] == ["xu_ly"]
    assert [i.step_id for i in all_items(office, dossier_id)] == ["tiep_nhan", "xu_ly"]
    assert kinds(office, dossier_id).count("dossier_migrated") == 1
    assert log_intact(office)


def test_a_second_run_moves_nothing_more(office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    dossier_id = submit(office, users)
    put(office, procedure(second_allowance="2d"))
    migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    again = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    assert again.dossiers == []
    assert kinds(office, dossier_id).count("dossier_migrated") == 1


def test_data_the_new_version_needs_blocks_the_move(
        office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    dossier_id = submit(office, users)
    start = '<bpmn:startEvent id="start">' + props(form="thu.nop.json")
    xml = procedure().replace('<bpmn:startEvent id="start">', start)
    files = {"thu.bpmn": xml.encode(),
             **FORMS, "thu.nop.json": b'{"type": "object", "properties": {"so_thua": '
                                      b'{"type": "string", "title": "S\xe1\xbb\x91 th\xe1'
                                      b'\xbb\xada"}}, "required": ["so_thua"]}'}
    deploy.deploy(office, files, "designer")
    [move] = migrations.migrate(office, users["designer"], KEY, 2).dossiers
    assert (move.dossier_id, move.outcome) == (dossier_id, "blocked")
    assert [(r.code, r.message.params["fields"]) for r in move.reasons] == [
        ("data_missing", "so_thua")]


def test_form_06_of_a_past_period_is_the_same_after_a_move(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    put(office, procedure())
    done = submit(office, users)
    do_step(office, done, users["reception"], {}, "tiep_nhan")
    do_step(office, done, users["reception"], {"ket_qua": "dat"}, "xu_ly")
    running = submit(office, users)
    do_step(office, running, users["reception"], {}, "tiep_nhan")  # accepted: it counts
    day = clock.now().date()
    before = reporting.statistics(office, date(day.year, 1, 1), day)
    assert (before.total.resolved_early + before.total.resolved_on_time,
            before.total.pending_within) == (1, 1)
    clock.advance(days=3)
    put(office, renamed(procedure(process_props={"deadline": "10"}), "xu_ly", "tham_dinh"))
    migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    assert version_of(office, running) == 2
    after = reporting.statistics(office, date(day.year, 1, 1), day)
    assert (after.rows, after.total) == (before.rows, before.total)


def test_bad_input_moves_nothing(office: Office, users: dict[str, User]) -> None:
    put(office, procedure())
    dossier_id = submit(office, users)
    put(office, procedure(second_allowance="2d"))
    designer = users["designer"]
    with pytest.raises(NotFound):
        migrations.migrate(office, designer, KEY, 7, dry_run=False)
    with pytest.raises(NotFound):
        migrations.migrate(office, designer, "khong_co", 2, dry_run=False)
    with pytest.raises(NotFound):
        migrations.migrate(office, designer, KEY, 2, dry_run=False, codes=["000.00.00.H00-1"])
    with pytest.raises(NotAllowed):
        migrations.migrate(office, users["reception"], KEY, 2, dry_run=False)
    migrations.migrate(office, designer, KEY, 2, dry_run=False)
    code = dossier(office, dossier_id).code
    with pytest.raises(InvalidInput):  # back to an older version
        migrations.migrate(office, designer, KEY, 1, dry_run=False, codes=[code])
    with pytest.raises(InvalidInput):
        migrations.migrate(office, designer, KEY, 1, dry_run=False)
    assert version_of(office, dossier_id) == 2
    assert kinds(office, dossier_id).count("dossier_migrated") == 1


class RacingClock(ManualClock):
    """The office's clock, which lets a colleague's step commit when a move of one dossier
    asks it the time (``_move_in``, once per try: after the move read the dossier and moved
    its workflow, before it writes anything): two real transactions, the second one
    committing in the middle of the first."""

    def __init__(self, start: ManualClock) -> None:
        super().__init__(start.now())
        self.races: list[Callable[[], object]] = []

    def now(self) -> datetime:
        # Asked through Office.now, by the move of one dossier.
        if self.races and sys._getframe(2).f_code.co_name == "_move_in":
            race = self.races.pop(0)
            thread = threading.Thread(target=race)
            thread.start()
            thread.join()
        return super().now()


def _racing(office: Office, clock: ManualClock) -> tuple[Office, RacingClock]:
    if office.db.dialect != "postgresql":
        pytest.skip("SQLite writers queue one at a time: no step can commit inside a move")
    racing = RacingClock(clock)
    return replace(office, clock=racing), racing


@pytest.mark.postgres
def test_a_step_completed_during_the_move_makes_it_try_again(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    office, racing = _racing(office, clock)
    put(office, procedure())
    dossier_id = submit(office, users)
    item = the_item(office, dossier_id, "tiep_nhan")
    work.claim(office, item.id, users["reception"])
    put(office, procedure(second_allowance="2d"))
    racing.races = [lambda: work.complete(office, item.id, users["reception"], {})]
    report = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    [move] = report.dossiers
    assert (move.outcome, move.retried) == ("moved", True)
    assert [(i.step_id, i.status) for i in all_items(office, dossier_id)] == [
        ("tiep_nhan", "completed"), ("xu_ly", "open")]
    # Handed over by the colleague's step under version 1: it keeps that allowance.
    assert the_item(office, dossier_id).allowance_hours == office.calendar.hours.hours_per_day
    assert kinds(office, dossier_id).count("dossier_migrated") == 1
    assert version_of(office, dossier_id) == 2
    assert log_intact(office)


@pytest.mark.postgres
def test_a_dossier_that_moves_on_twice_during_the_move_is_skipped_and_reported(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    office, racing = _racing(office, clock)
    put(office, procedure())
    dossier_id = submit(office, users)
    put(office, procedure(second_allowance="2d"))
    desk = users["reception"]
    racing.races = [lambda: do_step(office, dossier_id, desk, {}, "tiep_nhan"),
                    lambda: do_step(office, dossier_id, desk, {"ket_qua": "dat"}, "xu_ly")]
    report = migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    [move] = report.dossiers
    assert move.outcome == "skipped" and [r.code for r in move.reasons] == ["changed"]
    assert dossier(office, dossier_id).status == "resolved"
    assert "dossier_migrated" not in kinds(office, dossier_id)
    assert version_of(office, dossier_id) == 1
    assert log_intact(office)


def test_a_version_not_in_force_yet_or_withdrawn_is_no_target(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    put(office, procedure())
    dossier_id = submit(office, users)
    later = clock.now().date() + timedelta(days=30)
    deploy.deploy(office, {"thu.bpmn": procedure(second_allowance="2d").encode(), **FORMS},
                  "designer", effective_from=later)
    with pytest.raises(InvalidInput) as not_yet:
        migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    assert not_yet.value.message.id == "migrate_not_in_force_yet"
    versions.withdraw(office, users["designer"], KEY, 2)
    with pytest.raises(InvalidInput) as withdrawn:
        migrations.migrate(office, users["designer"], KEY, 2, dry_run=False)
    assert withdrawn.value.message.id == "migrate_version_withdrawn"
    assert version_of(office, dossier_id) == 1
    assert "dossier_migrated" not in kinds(office, dossier_id)
