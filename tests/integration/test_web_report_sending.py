"""A unit's leader sends an ended period's form 06 from the statistics page; the page then
shows it as sent, with who sent it, to every reader of the unit, and no one sends it twice."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
from openpyxl import load_workbook

from engine.service.demo import FIRST_WARD
from engine.service.reporting import verify_log
from tests.features.api_steps import START, ApiOffice, csrf_of, web_session

FEBRUARY = f"period=2026-M2&unit={FIRST_WARD}"  # 15/01 – 14/02/2026, ended by March


def _send(web: httpx.Client, period: str = "2026-M2", unit: str = FIRST_WARD) -> httpx.Response:
    csrf = csrf_of(web.get("/thong-ke").text)
    return web.post("/thong-ke/gui", data={"csrf": csrf, "period": period, "unit": unit})


def test_the_leader_sends_the_month_and_it_shows_as_sent(api: ApiOffice) -> None:
    api.at(START)
    api.submit()
    api.at(START + timedelta(days=7))
    leader = web_session(api, "leader")
    auditor = web_session(api, "auditor")
    other = web_session(api, "leader.duongnoi")
    try:
        assert 'id="send"' in leader.get(f"/thong-ke?{FEBRUARY}").text
        assert 'id="send"' not in auditor.get(f"/thong-ke?{FEBRUARY}").text  # not a leader
        # A leader of another ward may not send this ward's report.
        assert _send(other).status_code == 403
        # Nor may anyone send a period that has not ended (March runs to 14/03).
        assert _send(leader, "2026-M3").status_code == 422

        answer = _send(leader)
        assert answer.status_code == 303
        assert "period=2026-M2" in answer.headers["location"]
        with api.office.db.unit_of_work(readonly=True) as uow:
            name = uow.lookups.full_names(["leader"])["leader"]
        for reader in (leader, auditor):
            page = reader.get(f"/thong-ke?{FEBRUARY}").text
            assert 'id="sent"' in page and 'id="send"' not in page
            assert f"{name} gửi lúc" in page  # the sender by name, not by login
        # The downloads of a sent period are the report as sent, marked so.
        sheet = load_workbook(io.BytesIO(auditor.get(
            f"/thong-ke/bao-cao.xlsx?{FEBRUARY}").content))["Biểu 06"]
        notes = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(n.startswith("ĐÃ GỬI") and name in n for n in notes)
        csv_text = auditor.get(f"/thong-ke/bao-cao.csv?{FEBRUARY}").content.decode("utf-8-sig")
        assert "ĐÃ GỬI" in csv_text
        assert _send(leader).status_code == 409  # sent once; corrections show apart
        assert verify_log(api.office).intact
    finally:
        for web in (leader, auditor, other):
            web.close()
