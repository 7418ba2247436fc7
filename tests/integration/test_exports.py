"""The event log export: read back by pm4py and lxml, it holds what the database holds."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from engine.exports.events import CSV_COLUMNS, XES
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import dossiers, work
from engine.service.office import Office
from engine.service.reporting import export_csv, export_xes
from engine.store.tables import dossiers as dossier_rows
from engine.store.tables import work_items
from tests.conftest import local
from tests.helpers import do_step, members, the_item

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}


@pytest.fixture
def log(office: Office, users: dict[str, User], clock: ManualClock) -> Office:
    """One certification finished on 2 March, one half done and one just received on 3 March."""
    clock.set(local(2026, 3, 2, 9, 0))
    done = dossiers.submit(office, "chung_thuc_ban_sao", {"name": "An"}, "direct", COPY,
                           users["reception"]).dossier_id
    clock.set(local(2026, 3, 2, 9, 20))
    do_step(office, done, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    clock.set(local(2026, 3, 2, 11, 0))
    do_step(office, done, users["justice"], {"ket_qua_xu_ly": "dat"})
    do_step(office, done, users["leader"], {"y_kien_lanh_dao": "dong_y"})
    do_step(office, done, users["reception"], {"hinh_thuc_tra": "truc_tiep"})
    clock.set(local(2026, 3, 3, 9, 0))
    half = dossiers.submit(office, "chung_thuc_ban_sao", {"name": "Bình"}, "online", COPY,
                           None).dossier_id
    do_step(office, half, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    work.claim(office, the_item(office, half).id, users["justice"])
    dossiers.submit(office, "chung_thuc_ban_sao", {"name": "Chi"}, "direct", COPY,
                    users["reception"])
    return office


def _expected(office: Office) -> tuple[int, int]:
    """Traces and events the database holds: every step is scheduled, some started, some
    completed."""
    with office.db.unit_of_work(readonly=True) as uow:
        traces = uow.conn.execute(sa.select(sa.func.count()).select_from(dossier_rows)).scalar()
        items = uow.conn.execute(sa.select(work_items.c.claimed_at, work_items.c.status)).all()
    events = sum(1 + (i.claimed_at is not None) + (i.status in ("completed", "cancelled"))
                 for i in items)
    return int(traces or 0), events


def test_pm4py_reads_every_trace_and_event(log: Office, tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py")
    path = tmp_path / "log.xes"
    with path.open("wb") as out:
        summary = export_xes(log, out)
    traces, events = _expected(log)
    assert (summary.traces, summary.events) == (traces, events) == (3, 18)
    frame = pm4py.read_xes(str(path))
    assert frame["case:concept:name"].nunique() == traces
    assert len(frame) == events
    finished = frame[frame["case:concept:name"].str.endswith("260302-0001")]
    assert list(finished["lifecycle:transition"])[:3] == ["schedule", "start", "complete"]
    assert set(finished["org:group"]) == {"MOT_CUA", "TU_PHAP", "LANH_DAO"}
    assert set(finished["org:resource"].dropna()) == {"reception", "justice", "leader"}
    assert set(frame["case:channel"]) == {"direct", "online"}


def test_the_xes_file_is_well_formed_and_local_timed(log: Office) -> None:
    out = io.BytesIO()
    export_xes(log, out)
    root = etree.fromstring(out.getvalue())
    assert root.tag == f"{{{XES}}}log"
    traces = root.findall(f"{{{XES}}}trace")
    first = traces[0]
    assert first.find(f"{{{XES}}}string[@key='concept:name']").get("value") == \
        "000.00.81.H26-260302-0001"
    stamps = [d.get("value") for d in first.iter(f"{{{XES}}}date")
              if d.get("key") == "time:timestamp"]
    assert stamps[0] == "2026-03-02T09:00:00.000+07:00"
    assert stamps == sorted(stamps)
    assert sum(len(t.findall(f"{{{XES}}}event")) for t in traces) == _expected(log)[1]


def test_the_csv_has_one_row_per_event(log: Office) -> None:
    out = io.StringIO()
    summary = export_csv(log, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == summary.events == _expected(log)[1]
    claimed = [r for r in rows if r["case:concept:name"].endswith("260303-0001")]
    assert [(r["concept:name"], r["lifecycle:transition"], r["org:resource"])
            for r in claimed][-2:] == [("Đối chiếu bản sao với bản chính", "schedule", ""),
                                       ("Đối chiếu bản sao với bản chính", "start", "justice")]


def test_a_period_keeps_the_dossiers_received_in_it(log: Office) -> None:
    only_third = export_csv(log, io.StringIO(), date(2026, 3, 3), date(2026, 3, 3))
    from_third = export_csv(log, io.StringIO(), date(2026, 3, 3), None)
    up_to_second = export_xes(log, io.BytesIO(), None, date(2026, 3, 2))
    assert (only_third.traces, from_third.traces, up_to_second.traces) == (2, 2, 1)
    assert up_to_second.events == 12


def test_cells_that_a_spreadsheet_would_run_are_made_inert(office: Office) -> None:
    """A designer's step name and a username are text people chose: in the CSV log neither
    may start a formula."""
    from engine.service import deploy
    from tests.bpmn_factory import FORMS, procedure

    xml = procedure(key="thu_cong_thuc").replace(
        'name="Tiếp nhận"', 'name="=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)"')
    deploy.deploy(office, {"thu_cong_thuc.bpmn": xml.encode(), **FORMS}, "designer")
    with office.db.unit_of_work() as uow:
        uow.org.upsert_user("-clerk", "Cán bộ thử", "unused", (), members({"staff"}, {"MOT_CUA"}))
        uow.commit()
    with office.db.unit_of_work(readonly=True) as uow:
        clerk = uow.org.user("-clerk")
    assert clerk is not None
    received = dossiers.submit(office, "thu_cong_thuc", {"name": "An"}, "direct", {}, clerk)
    work.claim(office, the_item(office, received.dossier_id).id, clerk)
    out = io.StringIO(newline="")
    export_csv(office, out)
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue(), newline=""))
            if r["case:procedure"] == "thu_cong_thuc"]
    assert {r["concept:name"] for r in rows} == \
        {"'=HYPERLINK(\"http://evil.example\",\"x\")"}
    assert {r["org:resource"] for r in rows} == {"", "'-clerk"}
    assert all(r["time:timestamp"].startswith("2026-") for r in rows)  # untouched
