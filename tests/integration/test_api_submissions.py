"""Sending form 06 upward over HTTP: once per period and unit, after the period has ended, by
the unit's leader; the period then reads as sent, with the corrections since."""

from __future__ import annotations

from datetime import timedelta

from engine.service.demo import FIRST_WARD
from tests.features.api_steps import START, ApiOffice

PATH = "/reports/statistics/submissions"


def test_the_leader_sends_a_month_once_and_it_reads_as_sent(api: ApiOffice) -> None:
    api.at(START + timedelta(days=7))
    leader = api.client("leader")
    body = {"period": "2025-M12", "unit": FIRST_WARD}
    sent = leader.post(PATH, json=body)
    assert sent.status_code == 201, sent.text
    view = sent.json()
    assert (view["period_code"], view["unit"], view["consolidated"]) == (
        "2025-M12", FIRST_WARD, False)
    assert view["intact"] is True and view["corrections"] == []
    assert view["document"]["form"]["code"] == "Biểu số 06/VPCP/KSTT"

    again = leader.post(PATH, json=body)
    assert again.status_code == 409 and again.headers["content-type"] == \
        "application/problem+json"
    running = leader.post(PATH, json={"period": "2026", "unit": FIRST_WARD})
    assert running.status_code == 422  # the year 2026 runs to 14/12/2026
    assert leader.post(PATH, json={"period": "2025-M12",
                                   "unit": "000.00.82.H26"}).status_code == 403

    report = api.client("auditor").get("/reports/statistics", params={
        "period": "2025-M12", "unit": FIRST_WARD}).json()
    assert report["submission"]["submitted_by"] == "leader"
    assert report["submission"]["document"]["totals"] == view["document"]["totals"]
