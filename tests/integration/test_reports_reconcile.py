"""Form 06 always reconciles, and its SQL agrees with the definitions computed row by row.

Two sources of random data: dossiers written straight through the store (hypothesis chooses
times on and around day boundaries, statuses, pauses and due-date moves), and a history made
by the real engine with a seeded generator, checked over seeded random periods.
"""

from __future__ import annotations

import random
import tempfile
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.calendar import WorkingCalendar
from engine.reports import period
from engine.reports.statistics import GROUPINGS, Counts
from engine.runtime.clock import ManualClock
from engine.service import deploy
from engine.service.demo import seed
from engine.service.office import Office
from engine.service.reporting import statistics
from engine.simulation.history import generate_history
from engine.store.reports import BUCKETS, Window
from engine.store.tables import dossiers, due_date_changes, work_items
from tests.conftest import DB_PARAMS, POSTGRES_URL, PROCESSES, definition_files, fresh_database
from tests.conftest import local as local_time

BASE = local_time(2026, 3, 1)  # a Sunday; whole hours from here hit local midnights too


def oracle(office: Office, window: Window, by: str = "procedure_key"
           ) -> dict[str | None, Counts]:
    """The buckets of every procedure (or of the dossiers' column ``by``: ``field``,
    ``level``), from the definitions in docs/auditing.md."""
    with office.db.unit_of_work(readonly=True) as uow:
        rows = uow.conn.execute(sa.select(dossiers)).all()
        paused = uow.conn.execute(sa.select(work_items).where(
            work_items.c.pauses_clock.is_(True))).all()
        moves = uow.conn.execute(sa.select(due_date_changes).where(
            due_date_changes.c.kind == "pause").order_by(due_date_changes.c.at,
                                                          due_date_changes.c.id)).all()
    start, end, as_of = window.start, window.end, window.as_of
    found: dict[str | None, Counter[str]] = defaultdict(Counter)
    for d in rows:
        if d.received_at >= end or (d.resolved_at is not None and d.resolved_at < start):
            continue
        finished = d.resolved_at is not None and d.resolved_at < end
        # Received for resolution when the desk accepted it: one still being checked at the
        # end (or accepted after it) is in no row.
        accepted = d.accepted_at is not None and d.accepted_at < end
        if not finished and not accepted:
            continue
        c = found[d._mapping[by]]
        if d.status == "not_accepted":
            c["not_accepted"] += int(finished)
            continue
        if not accepted:  # finished while still being checked (withdrawn): never received
            continue
        if d.accepted_at < start:
            c["carried_over"] += 1
        else:
            c[{"online": "new_online", "direct": "new_desk", "post": "new_post"}[d.channel]] += 1
        if finished:
            if d.status in ("refused", "withdrawn"):
                c[d.status] += 1
            else:
                judged = d.timeliness if d.timeliness in ("early", "on_time", "late") else \
                    "no_deadline"
                if window.early_rule == "moment" and judged in ("early", "on_time"):
                    before = d.due_at is not None and d.resolved_at < d.due_at
                    judged = "early" if before else "on_time"
                c[f"resolved_{judged}"] += 1
            continue
        later = [m for m in moves if m.dossier_id == d.id and m.at >= as_of]
        due = later[0].previous_due_at if later else d.due_at
        pauses = [p.created_at for p in paused if p.dossier_id == d.id and p.created_at < as_of
                  and (p.completed_at is None or p.completed_at >= as_of)]
        if pauses:
            late = due is not None and due < min(pauses)
            c["supplement_overdue" if late else "supplement_within"] += 1
        else:
            c["pending_overdue" if due is not None and due < as_of else "pending_within"] += 1
    return {key: Counts(**{b: c[b] for b in BUCKETS}) for key, c in found.items()}


def _clear(office: Office) -> None:
    with office.db.unit_of_work() as uow:
        for table in ("due_date_changes", "work_items", "dossiers"):
            uow.conn.exec_driver_sql(f"DELETE FROM {table}")
        uow.commit()




def hours(most_days: int) -> st.SearchStrategy[int]:
    """Whole hours, often whole days, so events fall exactly on the period's edges."""
    return st.one_of(st.integers(0, most_days).map(lambda d: 24 * d),
                     st.integers(0, 24 * most_days))


dossier_specs = st.fixed_dictionaries({
    "received": hours(40),
    "status": st.sampled_from(("processing", "awaiting_supplement", "resolved", "resolved",
                               "refused", "withdrawn", "not_accepted")),
    "took": hours(15),
    # Hours from the filing to the desk's acceptance (capped by the finishing); None: the
    # desk is still checking it (never accepted).
    "accepted": st.one_of(st.just(0), st.just(0), st.none(), hours(3)),
    "channel": st.sampled_from(("online", "direct", "post")),
    "timeliness": st.sampled_from(("early", "on_time", "late", None)),
    "due": st.none() | hours(20),
    "pause": st.none() | st.tuples(hours(10), st.none() | hours(10).filter(bool)),
    "moved": st.none() | st.tuples(hours(20), hours(20)),
    "procedure": st.sampled_from(("chung_thuc_ban_sao", "dang_ky_ho_kinh_doanh")),
    # The level the dossier was received at: a procedure may change level between deploys.
    "level": st.sampled_from(("district", "commune")),
})


def _write(office: Office, specs: list[dict[str, Any]]) -> None:
    at = lambda h: BASE + timedelta(hours=h)  # noqa: E731
    with office.db.unit_of_work() as uow:
        versions = {k: uow.catalog.latest(k) for k in ("chung_thuc_ban_sao",
                                                       "dang_ky_ho_kinh_doanh")}
        for n, s in enumerate(specs):
            received = at(s["received"])
            finished = s["status"] in ("resolved", "refused", "withdrawn", "not_accepted")
            version = versions[s["procedure"]]
            assert version is not None
            accepted = None if s["accepted"] is None or s["status"] == "not_accepted" else \
                received + timedelta(hours=min(s["accepted"], s["took"]) if finished
                                     else s["accepted"])
            dossier_id = uow.dossiers.insert(
                code=f"T-{n}", agency_code="T", procedure_key=s["procedure"],
                version_id=version.id, channel=s["channel"], status=s["status"], applicant={},
                data={}, fee=0, received_at=received, accepted_at=accepted, received_by="t",
                due_at=None if s["due"] is None else received + timedelta(hours=s["due"]),
                resolved_at=received + timedelta(hours=s["took"]) if finished else None,
                timeliness=s["timeliness"] if finished else None,
                receipt_secret_hash="0" * 64, state=None, state_rev=0,
                procedure_code=version.meta["code"], procedure_name=version.meta["name"],
                field=version.meta["field"], level=s["level"], receiving_unit="T",
                resolving_unit="T")
            if s["pause"] is not None:
                begin, length = s["pause"]
                created = received + timedelta(hours=begin)
                uow.items.insert(
                    dossier_id=dossier_id, task_uuid=str(uuid.uuid4()), step_id="bo_sung",
                    step_name="Bổ sung", unit="000.00.81.H26", department_code="MOT_CUA",
                    status="completed" if length else "open", pauses_clock=True,
                    created_at=created,
                    completed_at=created + timedelta(hours=length) if length else None)
            if s["moved"] is not None:
                when, before = s["moved"]
                uow.dossiers.add_due_change(
                    dossier_id=dossier_id, kind="pause", at=received + timedelta(hours=when),
                    actor="t", previous_due_at=received + timedelta(hours=before),
                    new_due_at=received + timedelta(hours=before + 8), reason="t",
                    paused_hours=8.0)
        uow.commit()


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(dossier_specs, max_size=25),
       first=st.integers(min_value=0, max_value=40), days=st.integers(min_value=0, max_value=20),
       now=hours(70))
def test_random_rows_reconcile_and_match_the_definitions(
        office: Office, clock: ManualClock, specs: list[dict[str, Any]], first: int, days: int,
        now: int) -> None:
    _clear(office)
    _write(office, specs)
    clock.set(BASE + timedelta(hours=now))
    start = BASE.date() + timedelta(days=first)
    for rule in ("day", "moment"):
        office.early_rule = rule
        try:
            report = statistics(office, start, start + timedelta(days=days), "procedure")
        finally:
            office.early_rule = "day"
        window = period(office.calendar.tz, start, start + timedelta(days=days)) \
            .window(clock.now())
        expected = oracle(office, replace(window, early_rule=rule))
        assert {r.key: r.counts for r in report.rows} == expected, rule
        assert all(r.counts.reconciles() for r in report.rows) and report.total.reconciles()
    form = statistics(office, start, start + timedelta(days=days))
    leaves = [r.counts for r in form.rows if r.kind == "field"]
    by_day = oracle(office, window)
    assert sum(leaves, Counts()) == form.total == sum(by_day.values(), Counts())
    assert all(r.counts.reconciles() for r in form.rows)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(dossier_specs, max_size=25),
       first=st.integers(min_value=0, max_value=40), days=st.integers(min_value=0, max_value=20),
       now=hours(70))
def test_fields_and_department_totals_match_the_definitions(
        office: Office, clock: ManualClock, specs: list[dict[str, Any]], first: int, days: int,
        now: int) -> None:
    """Fields and levels are what the dossiers were received with, the department report's
    totals from distinct dossiers: all give what the definitions give."""
    _clear(office)
    _write(office, specs)
    clock.set(BASE + timedelta(hours=now))
    start = BASE.date() + timedelta(days=first)
    window = period(office.calendar.tz, start, start + timedelta(days=days)).window(clock.now())
    expected = oracle(office, window)
    by_field = statistics(office, start, start + timedelta(days=days), "field")
    assert {r.key: r.counts for r in by_field.rows} == oracle(office, window, "field")
    by_level = statistics(office, start, start + timedelta(days=days), "level")
    assert {r.key: r.counts for r in by_level.rows} == oracle(office, window, "level")
    by_department = statistics(office, start, start + timedelta(days=days), "department")
    assert by_department.total == by_field.total == sum(expected.values(), Counts())


def _spec(received: int, status: str = "processing", **values: Any) -> dict[str, Any]:
    return {"received": received, "status": status, "took": 0, "channel": "direct",
            "timeliness": None, "due": None, "pause": None, "moved": None,
            "procedure": "chung_thuc_ban_sao", "level": "commune", "accepted": 0, **values}


def test_a_dossier_counts_as_received_when_the_desk_accepts_it(
        office: Office, clock: ManualClock) -> None:
    """Filed on the last evening of 2 March, accepted the next morning: received on 3 March,
    neither received nor pending on 2 March. One still being checked is in no bucket; one
    refused at the desk stays apart; one accepted when filed is as before."""
    _clear(office)
    _write(office, [
        _spec(24 + 22, accepted=11),  # 2 March 22:00, accepted 3 March 09:00
        _spec(24 + 8, accepted=None),  # 2 March, still being checked
        _spec(24 + 8, "not_accepted", took=2, accepted=None),  # refused at the desk on 2 March
        _spec(24 + 9),  # no desk check: accepted when filed
    ])
    clock.set(BASE + timedelta(days=30))
    second = statistics(office, date(2026, 3, 2), date(2026, 3, 2), "procedure")
    assert [r.counts for r in second.rows] == [Counts(new_desk=1, pending_within=1,
                                                      not_accepted=1)]
    third = statistics(office, date(2026, 3, 3), date(2026, 3, 3), "procedure")
    assert [r.counts for r in third.rows] == [Counts(carried_over=1, new_desk=1,
                                                     pending_within=2)]
    assert second.total.reconciles() and third.total.reconciles()


def test_the_edges_of_the_period(office: Office, clock: ManualClock) -> None:
    """2 March alone: [24 h, 48 h) after BASE; what happens at 48 h is after the period."""
    _clear(office)
    _write(office, [
        _spec(24),  # received at the first instant: new
        _spec(48),  # received at the end: outside
        _spec(0, "resolved", took=24, timeliness="on_time"),  # finished at the first instant
        _spec(0, "resolved", took=48, due=48),  # finished at the end: pending, due not passed
        _spec(0, due=47),  # overdue
        _spec(0, pause=(48, None)),  # paused only from the end on: not paused then
        _spec(0, pause=(0, 48)),  # resumed at the end, so after the period: paused then
        _spec(0, pause=(0, None)),  # still paused
        _spec(0, due=100, moved=(48, 40)),  # due 40 h then; a pause moved it at the end
    ])
    clock.set(BASE + timedelta(days=30))
    report = statistics(office, date(2026, 3, 2), date(2026, 3, 2), "procedure")
    assert [r.counts for r in report.rows] == [Counts(
        carried_over=7, new_desk=1, resolved_on_time=1, pending_within=3, pending_overdue=2,
        supplement_within=2)]


# ---- a history made by the engine ----------------------------------------------------------

@pytest.fixture(scope="module", params=DB_PARAMS)
def history(request: pytest.FixtureRequest) -> Iterator[Office]:
    with tempfile.TemporaryDirectory() as folder:
        url = POSTGRES_URL if request.param == "postgresql" else f"sqlite:///{folder}/h.db"
        assert url is not None
        db = fresh_database(url)
        office = Office(db=db, agency_code="000.00.81.H26",
                        clock=ManualClock(local_time(2026, 3, 3, 9)),
                        calendar=WorkingCalendar.default())
        seed(office)
        deploy.deploy(office, definition_files(PROCESSES), "designer")
        generate_history(office, days=45, seed=11, per_day=6)
        yield office
        db.dispose()


def test_an_engine_history_reconciles_over_random_periods(history: Office) -> None:
    rng = random.Random(5)
    today = history.now().astimezone(history.calendar.tz).date()
    for _ in range(12):
        first = today - timedelta(days=rng.randint(0, 50))
        last = min(first + timedelta(days=rng.randint(0, 30)), today + timedelta(days=3))
        for group_by in GROUPINGS:
            report = statistics(history, first, last, group_by)
            assert all(r.counts.reconciles() for r in report.rows), (first, last, group_by)
            assert report.total.reconciles()
        by_procedure = statistics(history, first, last, "procedure")
        window = period(history.calendar.tz, first, last).window(history.now())
        assert {r.key: r.counts for r in by_procedure.rows} == oracle(history, window)


def test_the_history_looks_like_an_office(history: Office) -> None:
    report = statistics(history, date(2026, 1, 1), date(2026, 3, 3), "procedure")
    total = report.total
    assert total.new > 150
    assert total.online_rate is not None and 0.2 < total.online_rate < 0.45
    assert total.pending > 0 and total.refused > 0
    assert {r.key for r in report.rows} == {"cap_phep_xay_dung", "chung_thuc_ban_sao",
                                            "dang_ky_ho_kinh_doanh", "dang_ky_khai_sinh"}


