"""The report pages take the periods the API takes: a hundred years or the year 1 is a 422
page in the user's language (it used to take 20 s, or answer 500); the event log, like the
API's, has no longest period but is for auditors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.features.api_steps import ApiOffice, web_session


@pytest.fixture(scope="module")
def auditor(api: ApiOffice) -> Iterator[httpx.Client]:
    web = web_session(api, "auditor")
    yield web
    web.close()


@pytest.mark.parametrize(("path", "query"), [
    ("/thong-ke", "date_from=1926-01-01&date_to=2026-01-01"),  # a hundred years
    ("/thong-ke", "date_from=0001-01-01&date_to=0001-01-02"),
    ("/thong-ke", "date_from=2026-03-01&date_to=9999-12-31"),
    ("/thong-ke", "date_from=2026-03-31&date_to=2026-03-01"),  # backwards
    ("/thong-ke", "period=9999"),  # an official period beyond the last date
    ("/thong-ke/bao-cao.xlsx", "period=1999-Q1"),  # from 15/12/1998
    ("/thoi-gian", "date_from=1926-01-01&date_to=2026-01-01"),
    ("/thoi-gian", "date_from=0001-01-01&date_to=0001-01-02"),
    ("/thong-ke/bao-cao.csv", "date_from=1926-01-01&date_to=2026-01-01"),
    ("/thong-ke/bao-cao.xlsx", "date_from=0001-01-01&date_to=0001-01-02"),
    ("/thong-ke/nhat-ky.csv", "date_from=0001-01-01&date_to=0001-01-02"),
    ("/thong-ke/nhat-ky.xes", "date_from=2026-01-01&date_to=9999-12-31"),
])
def test_report_pages_refuse_periods_the_api_refuses_with_a_page_in_vietnamese(
        auditor: httpx.Client, path: str, query: str) -> None:
    answer = auditor.get(f"{path}?{query}")
    assert answer.status_code == 422, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Khoảng thời gian không hợp lệ" in answer.text
    assert "1098" in answer.text or "1.098" in answer.text


def test_the_period_page_speaks_english_when_asked(api: ApiOffice) -> None:
    web = web_session(api, "auditor")
    web.cookies.set("motcua_lang", "en")
    try:
        answer = web.get("/thong-ke?date_from=1926-01-01&date_to=2026-01-01")
    finally:
        web.close()
    assert answer.status_code == 422
    assert "The period is not valid" in answer.text


def test_the_event_log_has_no_longest_period_like_the_api_but_only_auditors(
        api: ApiOffice, auditor: httpx.Client) -> None:
    api.submit()
    log = auditor.get("/thong-ke/nhat-ky.csv?date_from=2000-01-01&date_to=2100-12-31")
    page = auditor.get("/thong-ke")
    assert log.status_code == 200
    assert log.content.startswith(b"\xef\xbb\xbfcase:concept:name,")
    assert int(log.headers["x-traces"]) >= 1
    assert "/thong-ke/nhat-ky.xes" in page.text
    api_log = api.client("auditor").get("/exports/events.csv",
                                        params={"from": "2000-01-01", "to": "2100-12-31"})
    assert api_log.headers["x-events"] == log.headers["x-events"]

    leader = web_session(api, "leader")
    try:
        statistics = leader.get("/thong-ke")
        refused = leader.get("/thong-ke/nhat-ky.csv")
    finally:
        leader.close()
    assert statistics.status_code == 200
    assert "/thong-ke/nhat-ky.xes" not in statistics.text
    assert refused.status_code == 403
    assert api.client("leader").get("/exports/events.csv").status_code == 403
