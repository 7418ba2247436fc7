"""Form 06 sent upward stays as sent: the figures and their audit event are stored together,
later corrections (made through the engine on a clock moved back into the period) leave
them as they were and show as differences, and a sent report opens with one keyed read."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from engine.audit.chain import SYSTEM
from engine.errors import AlreadyDone, Conflict, InvalidInput, NotAllowed, NotFound
from engine.model import User
from engine.reports.submitted import document_digest
from engine.runtime.clock import ManualClock
from engine.service import dossiers, reporting, submissions
from engine.service.demo import CITY, FIRST_WARD
from engine.service.office import Office
from engine.store.submissions import FIND
from engine.store.tables import submitted_reports
from tests.conftest import local
from tests.helpers import accept_at_desk, do_step

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
WHO = {"name": "Nguyễn Văn Bình"}
SECOND_WARD = "000.00.82.H26"  # Phường Dương Nội


@dataclass(frozen=True)
class Month:
    """A reporting month of Decree 09/2019: the 15th of the month before to the 14th."""

    code: str
    date_from: date
    date_to: date
    label: str


FEBRUARY = Month("2026-T02", date(2026, 1, 15), date(2026, 2, 14), "Tháng 02 năm 2026")
MARCH = Month("2026-T03", date(2026, 2, 15), date(2026, 3, 14), "Tháng 03 năm 2026")


def person(office: Office, username: str) -> User:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.org.user(username)
    assert found is not None
    return found


def receive_copy(office: Office, users: dict[str, User]) -> int:
    return dossiers.submit(office, "chung_thuc_ban_sao", WHO, "direct", COPY,
                           users["reception"]).dossier_id


def finish_copy(office: Office, users: dict[str, User], dossier_id: int,
                accepted: bool = False) -> None:
    if not accepted:
        accept_at_desk(office, dossier_id, users["reception"])
    do_step(office, dossier_id, users["justice"], {"ket_qua_xu_ly": "dat"})
    do_step(office, dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, dossier_id, users["reception"], {"hinh_thuc_tra": "truc_tiep"})


@pytest.fixture
def february(office: Office, users: dict[str, User], clock: ManualClock) -> int:
    """Two copy certifications received in the first ward in February's period, one
    resolved the same day, one left open; the clock back at 3 March. Returns the open one."""
    clock.set(local(2026, 2, 10, 9, 0))
    finish_copy(office, users, receive_copy(office, users))
    open_one = receive_copy(office, users)
    accept_at_desk(office, open_one, users["reception"])
    clock.set(local(2026, 3, 3, 9, 0))
    return open_one


def totals(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document["totals"])


def test_a_leader_sends_the_ward_report_with_its_event_on_the_system_chain(
        office: Office, users: dict[str, User], february: int) -> None:
    sent = submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)

    assert (sent.period_code, sent.unit, sent.consolidated) == ("2026-T02", FIRST_WARD, False)
    assert (sent.date_from, sent.date_to) == (FEBRUARY.date_from, FEBRUARY.date_to)
    assert sent.submitted_by == "leader" and sent.submitted_at == local(2026, 3, 3, 9, 0)
    figures = totals(sent.document)
    assert (figures["received"], figures["resolved"], figures["pending"]) == (2, 1, 1)
    # Both were due on 10 February: the open one was overdue when the period ended.
    assert figures["on_time"] == 1 and figures["overdue"] == 1
    # The form's rows: the level, then its field under it.
    assert [r["key"] for r in sent.document["rows"]] == ["commune", "commune|Chứng thực"]
    assert {"title", "subtitle", "notes", "columns", "rows", "totals"} <= set(sent.document)

    with office.db.unit_of_work(readonly=True) as uow:
        event = uow.audit.event(SYSTEM, sent.event_seq)
        head = uow.audit.head(SYSTEM)
    assert event is not None and head is not None and head[0] == sent.event_seq
    assert (event.kind, event.actor, event.at) == ("report_submitted", "leader", sent.submitted_at)
    assert event.data["sha256"] == document_digest(sent.document)
    assert event.data["period"] == "2026-T02" and event.data["label"] == FEBRUARY.label
    assert (event.data["date_from"], event.data["date_to"]) == ("2026-01-15", "2026-02-14")
    assert (event.data["unit"], event.data["consolidated"], event.data["rows"]) == \
        (FIRST_WARD, False, 2)
    assert event.data["totals"]["received"] == 2
    assert event.data["totals"]["on_time_rate"] == 1.0

    read = submissions.submitted(office, users["auditor"], "2026-T02", FIRST_WARD, False)
    assert read == sent
    assert submissions.submitted(office, users["auditor"], "2026-T02", FIRST_WARD, True) is None
    assert reporting.verify_log(office).intact


def test_late_corrections_leave_the_sent_figures_and_show_as_differences(
        office: Office, users: dict[str, User], clock: ManualClock, february: int) -> None:
    sent = submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    as_sent = copy.deepcopy(sent.document)
    events_before = reporting.verify_log(office).events_checked

    # Corrections entered later with the clock set back into the period: the open dossier
    # resolved on 13 February, and a dossier received on 12 February.
    clock.set(local(2026, 2, 13, 9, 0))
    finish_copy(office, users, february, accepted=True)
    clock.set(local(2026, 2, 12, 9, 0))
    accept_at_desk(office, receive_copy(office, users), users["reception"])
    clock.set(local(2026, 3, 4, 10, 0))

    again = submissions.submitted(office, users["leader"], "2026-T02", FIRST_WARD, False)
    assert again is not None and again.document == as_sent
    assert totals(again.document)["received"] == 2

    compared = submissions.compare(office, users["leader"], "2026-T02", FIRST_WARD, False)
    assert compared is not None and compared.document_intact
    assert totals(compared.live)["received"] == 3
    by_row = {(d.key, d.totals): d for d in compared.differences}
    assert set(by_row) == {("commune", False), ("commune|Chứng thực", False), (None, True)}
    row = by_row[("commune|Chứng thực", False)]
    assert row.status == "changed"
    cells = {c.column: (c.submitted, c.live, c.change) for c in row.cells}
    assert cells["received"] == (2, 3, 1) and cells["new_offline"] == (2, 3, 1)
    assert cells["resolved"] == (1, 2, 1) and cells["resolved_late"] == (0, 1, 1)
    assert cells["on_time_rate"] == (1.0, 0.5, -0.5)
    # One resolved (late) and one new and still open: the pending figures did not move.
    assert not {"pending", "overdue", "on_time"} & set(cells)
    assert {c.column for c in by_row[(None, True)].cells} == set(cells)

    table = submissions.comparison_table(office, compared)
    assert table.title == "Chênh lệch so với số liệu hiện tại (cập nhật sau khi gửi)"
    assert [r["figures"] for r in table.rows] == ["Số đã gửi", "Số hiện tại", "Chênh lệch"] * 3
    assert "03/03/2026" in table.subtitle and "04/03/2026" in table.subtitle
    marked = submissions.sent_table(office, again)
    assert marked.totals is not None and marked.totals["received"] == 2
    # Marked as sent, by the sender's full name rather than their login.
    name = users["leader"].full_name
    assert any("ĐÃ GỬI" in note and name in note for note in marked.notes)

    # Sending it again is refused: a correction is a difference, not a second report.
    with pytest.raises(AlreadyDone):
        submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    verified = reporting.verify_log(office)
    assert verified.intact and verified.events_checked > events_before


def test_a_report_with_nothing_corrected_has_no_differences(
        office: Office, users: dict[str, User], february: int) -> None:
    submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    compared = submissions.compare(office, None, "2026-T02", FIRST_WARD, False)
    assert compared is not None and compared.differences == [] and compared.document_intact
    assert submissions.comparison_table(office, compared).notes == [
        "Số liệu hiện tại trùng với số liệu đã gửi."]


def test_a_stored_document_altered_in_the_database_no_longer_matches_its_event(
        office: Office, users: dict[str, User], february: int) -> None:
    sent = submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    forged = copy.deepcopy(sent.document)
    forged["totals"]["received"] = 1
    with office.db.engine.begin() as conn:
        conn.execute(submitted_reports.update().where(submitted_reports.c.id == sent.id)
                     .values(document=forged))
    compared = submissions.compare(office, users["leader"], "2026-T02", FIRST_WARD, False)
    assert compared is not None and not compared.document_intact


def test_the_city_consolidates_its_wards_and_each_scope_is_sent_once(
        office: Office, users: dict[str, User], february: int) -> None:
    city = submissions.submit(office, users["admin"], FEBRUARY, CITY, True)
    alone = submissions.submit(office, users["admin"], FEBRUARY, CITY, False)
    assert totals(city.document)["received"] == 2  # the first ward's dossiers
    assert totals(alone.document)["received"] == 0  # the city itself received none
    inspector = person(office, "inspector")  # the city's auditor reads the city and below
    assert submissions.submitted(office, inspector, "2026-T02", CITY, True) == city
    with pytest.raises(NotAllowed):  # a ward's leader does not read the city's report
        submissions.submitted(office, users["leader"], "2026-T02", CITY, True)


def test_the_operator_sends_under_a_name_without_a_user(
        office: Office, february: int) -> None:
    sent = submissions.submit(office, "cli", FEBRUARY, FIRST_WARD, True)
    assert sent.submitted_by == "cli" and sent.consolidated
    with office.db.unit_of_work(readonly=True) as uow:
        event = uow.audit.event(SYSTEM, sent.event_seq)
    assert event is not None and event.actor == "cli"
    with pytest.raises(InvalidInput):
        submissions.submit(office, "  ", MARCH, FIRST_WARD, True)


def test_a_period_that_has_not_ended_is_refused(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    clock.set(local(2026, 3, 14, 20, 0))  # the period's last day, in the evening
    with pytest.raises(InvalidInput, match="ends on 14/03/2026"):
        submissions.submit(office, users["leader"], MARCH, FIRST_WARD, False)
    # 00:30 on 15 March in Hà Nội is still 14 March in UTC: the office's day counts.
    clock.set(local(2026, 3, 15, 0, 30))
    sent = submissions.submit(office, users["leader"], MARCH, FIRST_WARD, False)
    assert sent.submitted_at == local(2026, 3, 15, 0, 30)


def test_an_unknown_unit_is_refused(office: Office, users: dict[str, User]) -> None:
    with pytest.raises(NotFound):
        submissions.submit(office, users["admin"], FEBRUARY, "999.99.99.H99", False)
    with pytest.raises(NotFound):
        submissions.submit(office, "cli", FEBRUARY, "999.99.99.H99", True)


@pytest.mark.parametrize("who", ["leader.duongnoi", "reception", "auditor", "inspector"])
def test_only_a_leader_of_that_unit_or_an_admin_sends_it(
        office: Office, who: str) -> None:
    with pytest.raises(NotAllowed):
        submissions.submit(office, person(office, who), FEBRUARY, FIRST_WARD, False)
    with office.db.unit_of_work(readonly=True) as uow:
        assert uow.submissions.find("2026-T02", FIRST_WARD, False) is None


def test_a_leader_reads_only_the_reports_of_their_own_units(
        office: Office, users: dict[str, User], february: int) -> None:
    submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    other = person(office, "leader.duongnoi")
    with pytest.raises(NotAllowed):
        submissions.submitted(office, other, "2026-T02", FIRST_WARD, False)
    with pytest.raises(NotAllowed):  # staff read no reports at all
        submissions.submitted(office, users["reception"], "2026-T02", FIRST_WARD, False)
    # Each leader sends their own ward's report for the same period.
    theirs = submissions.submit(office, other, FEBRUARY, SECOND_WARD, False)
    assert totals(theirs.document)["received"] == 0


def test_a_second_submission_of_the_same_key_is_a_conflict(
        office: Office, users: dict[str, User], february: int) -> None:
    submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    with pytest.raises(Conflict, match="already sent"):
        submissions.submit(office, users["admin"], FEBRUARY, FIRST_WARD, False)
    with office.db.unit_of_work(readonly=True) as uow:
        kinds = [e.kind for e in uow.audit.events(SYSTEM)]
    assert kinds.count("report_submitted") == 1


def test_the_store_refuses_a_second_row_for_a_key_on_the_unique_constraint(
        office: Office, users: dict[str, User], february: int) -> None:
    """Two submissions that both passed the check before either wrote: the database's
    unique key stops the second, and its event goes with its rolled-back transaction."""
    sent = submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    with office.db.unit_of_work() as uow, pytest.raises(AlreadyDone):
        uow.submissions.add(period_code=sent.period_code, date_from=sent.date_from,
                            date_to=sent.date_to, unit=sent.unit, consolidated=False,
                            document={}, submitted_by="x", submitted_at=sent.submitted_at,
                            event_seq=sent.event_seq + 1)


def test_a_sent_report_opens_in_one_statement_by_its_unique_key(
        office: Office, users: dict[str, User], february: int) -> None:
    submissions.submit(office, users["leader"], FEBRUARY, FIRST_WARD, False)
    january = Month("2026-T01", date(2025, 12, 15), date(2026, 1, 14), "Tháng 01 năm 2026")
    submissions.submit(office, users["leader"], january, FIRST_WARD, False)
    with office.db.unit_of_work(readonly=True) as uow:
        with office.db.statement_counter() as counted:
            found = uow.submissions.find("2026-T02", FIRST_WARD, False)
        assert found is not None and counted.statements == 1
        # The plan reads the unique key's index, never the table or the dossiers.
        plan = _plan(uow.conn, {"period_code": "2026-T02", "unit": FIRST_WARD,
                                "consolidated": False})
    assert "submitted_reports" in plan
    assert "dossiers" not in plan and "audit_events" not in plan
    if office.db.dialect == "sqlite":
        assert "SEARCH submitted_reports USING INDEX sqlite_autoindex_submitted_reports_1" \
            in plan
    else:
        assert "uq_submitted_reports_period_code_unit_consolidated" in plan
    # The use case: one statement too, once the units are cached.
    with office.db.statement_counter() as counted:
        read = submissions.submitted(office, users["leader"], "2026-T02", FIRST_WARD, False)
    assert read is not None and counted.statements == 1


def _plan(conn: sa.Connection, params: dict[str, Any]) -> str:
    compiled = FIND.compile(dialect=conn.dialect)
    values = compiled.construct_params(params)
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}",
                                    tuple(values[k] for k in compiled.positiontup or ()))
        return "\n".join(str(r[-1]) for r in rows)
    # A table this small is cheaper to scan; forbid that to see which index serves the key.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = conn.exec_driver_sql(f"EXPLAIN {compiled}", values)
    return "\n".join(str(r[0]) for r in rows)
