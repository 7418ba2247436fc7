"""The event logs for process mining over HTTP: XES and CSV streamed, read back, and counted
against the database."""

from __future__ import annotations

import csv
import io
from collections import Counter
from functools import cache
from typing import Any

import sqlalchemy as sa
from lxml import etree

from engine.store.tables import dossiers, work_items
from tests.features.api_steps import ApiOffice, local
from tests.features.auditor_steps import finish, receive

XES = "{http://www.xes-standard.org/}"


@cache
def history(api: ApiOffice) -> dict[str, str]:
    """Dossiers of March (finished, half-way, refused at the desk) and one of April."""
    codes = {"done": receive(api, "chung_thuc_ban_sao", local(2026, 3, 9, 9, 0))}
    finish(api, codes["done"], "chung_thuc_ban_sao", local(2026, 3, 9, 10, 0))
    codes["claimed"] = receive(api, "dang_ky_ho_kinh_doanh", local(2026, 3, 10, 9, 0))
    api.do_step(codes["claimed"], {"ket_qua_kiem_tra": "hop_le"})
    api.claim(api.current(codes["claimed"])["id"], "finance")
    codes["refused"] = receive(api, "chung_thuc_ban_sao", local(2026, 3, 31, 16, 0), "online")
    api.do_step(codes["refused"], {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Mờ"})
    codes["april"] = receive(api, "chung_thuc_ban_sao", local(2026, 4, 1, 9, 0))
    return codes


def _expected(api: ApiOffice, first: Any = None, last: Any = None) -> tuple[int, int]:
    """(dossiers, events) the database holds for dossiers received in [first, last)."""
    d, wi = dossiers.c, work_items.c
    where = [*([d.received_at >= first] if first else []),
             *([d.received_at < last] if last else [])]
    with api.office.db.unit_of_work(readonly=True) as uow:
        traces = uow.conn.execute(sa.select(sa.func.count()).select_from(dossiers)
                                  .where(*where)).scalar()
        items = list(uow.conn.execute(sa.select(wi.status, wi.claimed_at, wi.completed_at)
                                      .select_from(work_items.join(dossiers,
                                                                   d.id == wi.dossier_id))
                                      .where(*where)))
    events = sum(1 + (i.claimed_at is not None)
                 + (i.status in ("completed", "cancelled") and i.completed_at is not None)
                 for i in items)
    return int(traces or 0), events


def _xes(content: bytes) -> list[tuple[str, list[dict[str, str]]]]:
    """(trace name, events as key → value) of an XES document."""
    log = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert log.tag == f"{XES}log"
    traces = []
    for trace in log.iter(f"{XES}trace"):
        name = next(a.get("value") for a in trace if a.get("key") == "concept:name")
        events = [{a.get("key"): a.get("value") for a in event}
                  for event in trace.iter(f"{XES}event")]
        traces.append((name, events))
    return traces


def test_the_xes_log_holds_every_dossier_and_step_event(api: ApiOffice) -> None:
    codes = history(api)
    with api.client("auditor").stream("GET", "/exports/events.xes") as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/xml"
        assert answer.headers["content-disposition"] == \
            'attachment; filename="nhat-ky-su-kien.xes"'
        assert "content-length" not in answer.headers  # streamed in chunks
        content = b"".join(answer.iter_bytes())
    traces = _xes(content)
    expected_traces, expected_events = _expected(api)
    assert len(traces) == expected_traces
    assert sum(len(events) for _, events in traces) == expected_events
    assert answer.headers["x-traces"] == str(expected_traces)
    assert answer.headers["x-events"] == str(expected_events)
    by_code = dict(traces)
    done = by_code[codes["done"]]
    assert Counter(e["lifecycle:transition"] for e in done) == \
        {"schedule": 4, "start": 4, "complete": 4}
    assert done[0] == {"concept:name": "Tiếp nhận, kiểm tra hồ sơ",
                       "step_id": "Task_KiemTraHoSo", "lifecycle:transition": "schedule",
                       "time:timestamp": "2026-03-09T09:00:00.000+07:00",
                       "org:group": "MOT_CUA"}
    assert done[-1]["org:resource"] == "reception"
    claimed = by_code[codes["claimed"]]
    assert [(e["step_id"], e["lifecycle:transition"]) for e in claimed] == [
        ("Task_TiepNhan", "schedule"), ("Task_TiepNhan", "start"),
        ("Task_TiepNhan", "complete"), ("Task_ThamDinh", "schedule"),
        ("Task_ThamDinh", "start")]
    assert claimed[-1]["org:resource"] == "finance"


def test_the_period_selects_dossiers_by_the_day_received(api: ApiOffice) -> None:
    codes = history(api)
    answer = api.client("admin").get("/exports/events.xes",
                                     params={"from": "2026-03-10", "to": "2026-03-31"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == \
        'attachment; filename="nhat-ky-su-kien_2026-03-10_2026-03-31.xes"'
    traces = _xes(answer.content)
    assert [name for name, _ in traces] == [codes["claimed"], codes["refused"]]
    assert (len(traces), sum(len(e) for _, e in traces)) == \
        _expected(api, local(2026, 3, 10), local(2026, 4, 1))
    since = _xes(api.client("auditor").get("/exports/events.xes",
                                           params={"from": "2026-04-01"}).content)
    assert [name for name, _ in since] == [codes["april"]]


def test_the_csv_log_has_the_same_events(api: ApiOffice) -> None:
    history(api)
    xes = _xes(api.client("auditor").get("/exports/events.xes").content)
    answer = api.client("auditor").get("/exports/events.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == \
        'attachment; filename="nhat-ky-su-kien.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8"))))
    assert list(rows[0]) == ["case:concept:name", "case:procedure", "case:channel",
                             "case:status", "concept:name", "step_id", "lifecycle:transition",
                             "time:timestamp", "org:resource", "org:group"]
    assert len(rows) == _expected(api)[1] == int(answer.headers["x-events"])
    assert [(r["case:concept:name"], r["step_id"], r["lifecycle:transition"],
             r["time:timestamp"]) for r in rows] == \
        [(name, e["step_id"], e["lifecycle:transition"], e["time:timestamp"])
         for name, events in xes for e in events]


def test_export_errors(api: ApiOffice) -> None:
    auditor = api.client("auditor")
    for path in ("/exports/events.xes", "/exports/events.csv"):
        backwards = auditor.get(path, params={"from": "2026-04-01", "to": "2026-03-01"})
        assert backwards.status_code == 422 and backwards.json()["field"] == "to"
        bad = auditor.get(path, params={"from": "yesterday"})
        assert bad.status_code == 422 and bad.json()["field"] == "from"
        for user, status in [("leader", 403), ("justice", 403), ("designer", 403),
                             (None, 401)]:
            answer = api.client(user).get(path)
            assert answer.status_code == status, (path, user)
            assert answer.headers["content-type"] == "application/problem+json"
