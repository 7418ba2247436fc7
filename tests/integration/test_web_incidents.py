"""The incidents page (Sự cố) as leaders, designers and staff meet it in the browser's place:
real HTTP with cookies and the CSRF token, as a browser sends them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from engine.service import deploy, timers
from tests.failing_procedures import divide_after_step, divide_after_timer
from tests.features.api_steps import ApiOffice

_CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


@pytest.fixture(scope="module", autouse=True)
def deployed(api: ApiOffice) -> None:
    deploy.deploy(api.office, divide_after_timer(), "designer")
    deploy.deploy(api.office, divide_after_step(), "designer")


class Browser:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str) -> httpx.Response:
        answer = self.client.get(path)
        found = _CSRF.search(answer.text)
        if found:
            self.csrf = found.group(1)
        return answer

    def post(self, path: str, data: dict[str, str], csrf: bool = True) -> httpx.Response:
        return self.client.post(path, data={**data, **({"csrf": self.csrf} if csrf else {})})


@contextmanager
def signed_in(api: ApiOffice, username: str) -> Iterator[Browser]:
    with httpx.Client(base_url=api.url, follow_redirects=False, timeout=30) as client:
        browser = Browser(client)
        browser.get("/dang-nhap")
        answer = browser.post("/dang-nhap", {"username": username, "password": "demo"})
        assert answer.status_code == 303, answer.text
        yield browser


def page_text(answer: httpx.Response) -> str:
    return html.unescape(answer.text)


def test_a_leader_retries_then_corrects_the_data_on_the_incidents_page(
        api: ApiOffice) -> None:
    code = api.submit("thu_chia_sau_hen_gio", {"copies": 0})["code"]
    api.clock.advance(hours=1, seconds=1)
    [note] = timers.run_due_timers(api.office).failed
    number = note.incident.id
    with signed_in(api, "leader") as leader:
        listing = leader.get("/su-co")
        assert listing.status_code == 200
        text = page_text(listing)
        assert 'href="/su-co"' in text and "Sự cố" in text
        for shown in (code, "Tính phí mỗi bản", "phi_moi_ban = 10000 / copies",
                      "ZeroDivisionError: division by zero", f"/su-co/{number}/chay-lai"):
            assert shown in text
        refused = leader.post(f"/su-co/{number}/chay-lai", {}, csrf=False)
        assert refused.status_code == 403
        retried = leader.post(f"/su-co/{number}/chay-lai", {})
        assert retried.status_code == 303
        assert retried.headers["location"] == "/su-co?done=notice_incident_still_failing"
        assert "Chạy lại vẫn bị lỗi" in page_text(leader.get(retried.headers["location"]))
        detail = page_text(leader.get(f"/su-co/{number}"))
        assert 'name="f_copies" value="0"' in detail
        missing_reason = leader.post(f"/su-co/{number}/sua-du-lieu", {"f_copies": "2"})
        assert missing_reason.status_code == 422
        assert "Ghi lý do sửa dữ liệu" in page_text(missing_reason)
        fixed = leader.post(f"/su-co/{number}/sua-du-lieu",
                            {"f_copies": "2", "reason": "Công dân xác nhận 2 bản"})
        assert fixed.status_code == 303, fixed.text
        assert fixed.headers["location"] == f"/su-co/{number}?done=notice_incident_resolved"
        assert "sự cố đã được khắc phục" in page_text(leader.get(fixed.headers["location"]))
        assert code not in page_text(leader.get("/su-co"))
        resolved = page_text(leader.get("/su-co?da_xu_ly=true"))
        assert code in resolved and "Đỗ Văn Thành" in resolved  # who resolved it, by name
    assert api.current(code)["step_id"] == "xu_ly"


def test_designers_retry_but_do_not_correct_and_staff_do_not_see_the_page(
        api: ApiOffice) -> None:
    api.submit("thu_chia_sau_hen_gio", {"copies": 0})
    api.clock.advance(hours=1, seconds=1)
    [note] = timers.run_due_timers(api.office).failed
    number = note.incident.id
    with signed_in(api, "designer") as designer:
        text = page_text(designer.get("/su-co"))
        assert f"/su-co/{number}/chay-lai" in text
        detail = page_text(designer.get(f"/su-co/{number}"))
        assert "sua-du-lieu" not in detail
        assert designer.post(f"/su-co/{number}/sua-du-lieu",
                             {"f_copies": "1", "reason": "x"}).status_code == 403
    with signed_in(api, "reception") as staff:
        home = page_text(staff.get("/viec-cua-toi"))
        assert 'href="/su-co"' not in home
        assert staff.get("/su-co").status_code == 403
        assert staff.post(f"/su-co/{number}/chay-lai", {}).status_code == 403


def test_completing_a_step_whose_script_fails_shows_the_step_and_changes_nothing(
        api: ApiOffice) -> None:
    code = api.submit("thu_chia_sau_buoc", {"copies": 0})["code"]
    item = api.current(code)["id"]
    with signed_in(api, "reception") as clerk:
        clerk.get(f"/buoc/{item}")
        assert clerk.post(f"/buoc/{item}/nhan", {}).status_code == 303
        clerk.get(f"/buoc/{item}")
        failed = clerk.post(f"/buoc/{item}/hoan-thanh", {})
        assert failed.status_code == 422
        text = page_text(failed)
        assert "'Tính phí mỗi bản' (tinh_phi)" in text
        assert "ZeroDivisionError" in text
    step = api.current(code)
    assert (step["id"], step["status"], step["claimed_by"]) == (item, "claimed", "reception")
