"""The applicant's journey in Chromium, with the e-mails caught by a real SMTP server on the
loopback address: a construction permit filed online with its scans, accepted by the desk's
clerk and the site plan asked for by the urban office (each in a browser of their own), the
plan uploaded online, the clock resumed, the result ready; each e-mail arrives once. Then
the sender (``motcua notify send``) is killed while it hands messages over, and run again:
nothing is lost and no e-mail arrives twice (the guarantee of docs/operations.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from engine.model import OutboxMessage, OutboxStatus
from engine.service.sending import send_due
from tests.browser.conftest import DESKTOP, sign_in
from tests.conftest import local
from tests.databases import ROOT
from tests.features.api_steps import ApiOffice, running_api
from tests.notify_servers import Mailbox, smtp_server

PDF = b"%PDF-1.7\n" + b"ban scan giay to " * 120
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x05" * 300
EMAIL = "khoa.dang@example.vn"
SITE_PLAN = "Bản vẽ mặt bằng vị trí công trình"
LEASE_S = 1.0


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with smtp_server(box) as port:
        yield box, port


@pytest.fixture(scope="module")
def web(mailbox: tuple[Mailbox, int]) -> Iterator[ApiOffice]:
    """The office's server, its messages sent to the module's SMTP server."""
    with tempfile.TemporaryDirectory() as folder, running_api(
            f"sqlite:///{folder}/motcua.db", notify_smtp_host="127.0.0.1",
            notify_smtp_port=mailbox[1], notify_smtp_starttls=False,
            notify_lease_seconds=LEASE_S) as running:
        yield running


def _emails(web: ApiOffice, code: str) -> list[OutboxMessage]:
    with web.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        assert dossier is not None
        return [m for m in uow.outbox.for_dossier(dossier.id) if m.channel == "email"]


def _to(box: Mailbox, address: str) -> list[Any]:
    with box.lock:
        return [m for m in box.received if m["To"] == address]


@contextmanager
def _staff(browser: Browser, web: ApiOffice, username: str) -> Iterator[Page]:
    """A member of staff, signed in in a browser of their own."""
    made = browser.new_context(base_url=web.url, locale="vi-VN",
                               viewport={"width": DESKTOP["width"], "height": DESKTOP["height"]},
                               timezone_id="Asia/Ho_Chi_Minh")
    try:
        tab = made.new_page()
        sign_in(tab, username)
        yield tab
    finally:
        made.close()


def _desk_accepts(browser: Browser, web: ApiOffice, code: str) -> None:
    """The desk's clerk finds the scans filed online on the checklist, ticks each paper
    and accepts."""
    with _staff(browser, web, "reception") as desk:
        desk.goto(f"/ho-so/{code}/kiem-tra")
        expect(desk.locator("[data-scan-slot=ban_ve]")).to_contain_text("ban-ve.pdf")
        for paper in ("don_de_nghi", "giay_to_dat", "ban_ve"):
            desk.check(f"#doc-{paper}")
        desk.check("input[name=decision][value=accept]")
        desk.click("button:has-text('Ghi kết quả kiểm tra')")
        desk.wait_for_url("**/da-tiep-nhan")


def _department_asks(browser: Browser, web: ApiOffice, code: str, what: str) -> None:
    """The urban office's officer claims the appraisal from the queue and asks for a paper."""
    with _staff(browser, web, "urban") as officer:
        officer.click("nav >> text=Hồ sơ của phòng")
        row = f"#queue tr:has(a:text-is('{code}')):has(td:text-is('Thẩm định hồ sơ'))"
        officer.locator(row).locator("button:has-text('Nhận xử lý')").click()
        officer.check("input[name=f_ket_qua_tham_dinh][value=bo_sung]")
        officer.fill("#field-noi_dung_bo_sung", what)
        officer.click("button:has-text('Hoàn thành bước')")
        expect(officer.locator(".alert.ok")).to_contain_text("Đã hoàn thành bước")


def test_a_permit_filed_online_supplemented_online_with_each_email_once(
        page: Page, browser: Browser, web: ApiOffice, mailbox: tuple[Mailbox, int],
        tmp_path: Path) -> None:
    box = mailbox[0]
    web.at(local(2026, 6, 8, 9, 0))  # a Monday
    scans = {}
    for code, name, body in (("don_de_nghi", "don-de-nghi.pdf", PDF),
                             ("giay_to_dat", "so-do.png", PNG),
                             ("ban_ve", "ban-ve.pdf", PDF)):
        scans[code] = tmp_path / name
        scans[code].write_bytes(body)

    # The applicant files online, without an account.
    page.goto("/nop-truc-tuyen")
    page.locator("article:has(input[value=cap_phep_xay_dung]) input[type=radio]").check()
    page.click("#online-next")
    page.wait_for_url("**/nop-truc-tuyen/cap_phep_xay_dung?don_vi=*")
    page.fill("#applicant_name", "Đặng Văn Khoa")
    page.fill("#applicant_id_number", "001085012345")
    page.fill("#applicant_phone", "0912 345 678")
    page.fill("#applicant_email", EMAIL)
    page.check("input[name=notify][value=email]")
    page.fill("#field-chu_dau_tu", "Đặng Văn Khoa")
    page.fill("#field-dia_chi_cong_trinh", "Tổ 7, phường Văn Quán")
    page.fill("#field-dien_tich_xay_dung", "60")
    page.fill("#field-so_tang", "3")
    for code, path in scans.items():
        page.set_input_files(f"#tep_{code}", str(path))
    page.click("#online-review")
    page.wait_for_url("**/xem-lai")
    page.click("#online-send")
    page.wait_for_url("**/nop-truc-tuyen/da-nop/*")
    code = page.inner_text("#dossier-code").strip()
    secret = page.inner_text("#receipt-secret").strip()

    page.goto(f"/tra-cuu/{code.lower()}")
    expect(page.locator("#public-stage")).to_have_attribute("data-stage", "desk_check")

    # The desk accepts; the department asks for a site plan.
    web.at(local(2026, 6, 8, 10, 0))
    _desk_accepts(browser, web, code)
    page.reload()
    expect(page.locator("#public-stage")).to_have_attribute("data-stage", "processing")
    web.at(local(2026, 6, 9, 10, 0))
    _department_asks(browser, web, code, SITE_PLAN)
    send_due(web.office)
    assert len(_to(box, EMAIL)) == 2  # received, then the supplement request

    # The applicant uploads the site plan from the status page.
    web.at(local(2026, 6, 11, 10, 0))
    plan = tmp_path / "mat-bang-vi-tri.pdf"
    plan.write_bytes(PDF)
    page.goto(f"/tra-cuu/{code}")
    expect(page.locator("#public-stage")).to_have_attribute("data-stage",
                                                            "awaiting_supplement")
    page.locator("#supplement-open input[name=secret]").fill(secret)
    page.locator("#supplement-open button[type=submit]").click()
    expect(page.locator("ol.supplement-missing li")).to_contain_text(SITE_PLAN)
    page.locator("#file_0").set_input_files(str(plan))
    page.locator("#supplement-send button[type=submit]").click()
    page.wait_for_url(f"**/tra-cuu/{code}/bo-sung/da-nhan")

    # The clock resumed: the page says the office handles it, and the due date moved.
    page.goto(f"/tra-cuu/{code}")
    expect(page.locator("#public-stage")).to_have_attribute("data-stage", "processing")
    sheet = web.client("auditor").get(f"/dossiers/{code}/timeline").json()
    [pause] = sheet["pauses"]
    assert pause["resumed_at"] == "2026-06-11T10:00:00+07:00" and pause["paused_hours"] == 15

    # The department and the leader finish; the result is ready at the desk.
    web.do_step(code, {"ket_qua_tham_dinh": "dat"})
    web.do_step(code, {"ket_qua_hien_trang": "phu_hop", "ngay_kiem_tra": "2026-06-12",
                       "bien_ban": "Hiện trạng khu đất phù hợp với hồ sơ."})
    web.do_step(code, {"y_kien_lanh_dao": "dong_y"})
    page.reload()
    expect(page.locator("#public-stage")).to_have_attribute("data-stage", "result_ready")
    expect(page.locator("#public-stage")).to_have_text("Đã có kết quả, mời đến nhận")
    expect(page.locator("#steps-done li")).to_have_count(6)

    # Every e-mail queued is sent, and arrives once however often the sender runs.
    send_due(web.office)
    send_due(web.office)
    rows = _emails(web, code)
    assert [r.kind for r in rows] == ["received", "supplement", "result_ready"]
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    arrived = _to(box, EMAIL)
    assert len(arrived) == len(rows)
    assert len({m["Message-ID"] for m in arrived}) == len(arrived)
    assert all(code in m.get_content() for m in arrived)
    assert secret not in " ".join(m.get_content() for m in arrived)
    assert page.script_errors == []  # type: ignore[attr-defined]


def _file_and_accept(web: ApiOffice, n: int) -> str:
    filing = {"procedure": "chung_thuc_ban_sao", "data": {
        "ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}, "applicant": {
        "name": "Võ Thị Mai", "phone": "0903123456", "email": f"mai{n}@example.vn",
        "notify": ["email"]}}
    answer = httpx.post(f"{web.url}/api/v1/public/filings", data={
        "filing": json.dumps(filing), "documents": ["ban_chinh", "ban_sao"]},
        files=[("files", ("ban-chinh.pdf", PDF, "application/pdf")),
               ("files", ("ban-sao.png", PNG, "image/png"))],
        headers={"X-Forwarded-For": f"192.0.2.{60 + n}"})
    assert answer.status_code == 201, answer.text
    code = str(answer.json()["code"])
    done = web.client("reception").post(f"/dossiers/{code}/check", json={
        "decision": "accept", "documents": [{"code": "ban_chinh", "form": "original",
                                             "count": 1}]})
    assert done.status_code == 200, done.text
    return code


def test_a_sender_killed_while_sending_loses_nothing_and_sends_no_email_twice(
        web: ApiOffice) -> None:
    web.at(local(2026, 6, 15, 9, 0))
    codes = [_file_and_accept(web, n) for n in range(6)]
    box = Mailbox(delay_s=0.1)  # slow enough to be killed in the middle of a batch
    with smtp_server(box) as port:
        env = {**os.environ, "PYTHONPATH": str(ROOT),
               "MOTCUA_DATABASE_URL": web.settings.database_url,
               "MOTCUA_NOTIFY_SMTP_HOST": "127.0.0.1", "MOTCUA_NOTIFY_SMTP_PORT": str(port),
               "MOTCUA_NOTIFY_SMTP_STARTTLS": "false",
               "MOTCUA_NOTIFY_LEASE_SECONDS": str(LEASE_S)}
        command = [sys.executable, "-m", "engine.cli", "notify", "send", "--batch", "4"]
        sender = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        end = time.monotonic() + 30
        while not box.received and time.monotonic() < end:
            time.sleep(0.01)
        assert box.received, "the sender sent nothing in 30 s"
        time.sleep(0.05)  # inside the next hand-over
        sender.send_signal(signal.SIGKILL)
        sender.wait(10)
        assert len(box.received) < len(codes)  # killed with work left to do
        time.sleep(LEASE_S + 0.3)  # the dead sender's lease ends
        finished = subprocess.run(command, env=env, capture_output=True, text=True,
                                  timeout=120)
        assert finished.returncode == 0, finished.stderr
    rows = [r for code in codes for r in _emails(web, code)]
    assert len(rows) == len(codes)  # one "received" each
    # Each is sent, or, the one whose hand-over the kill cut, uncertain (shown to staff).
    assert {r.status for r in rows} <= {OutboxStatus.SENT, OutboxStatus.UNCERTAIN}
    uncertain = [r for r in rows if r.status == OutboxStatus.UNCERTAIN]
    assert len(uncertain) <= 1
    ids = box.ids()
    assert len(ids) == len(set(ids))  # no e-mail twice
    recipients = [m["To"] for m in box.received]
    assert len(recipients) == len(set(recipients))
    assert len(ids) >= len(rows) - len(uncertain)  # nothing lost


def test_a_lost_secret_got_again_by_sms_then_the_survey_answered(page: Page,
                                                                 web: ApiOffice) -> None:
    web.at(local(2026, 6, 16, 9, 0))
    receipt = web.submit()  # a copy certification at the desk; the applicant gave a phone
    code = receipt["code"]
    web.certify(code)
    page.goto(f"/tra-cuu/{code}")
    page.click("#lost-secret")
    page.wait_for_url("**/tra-cuu/quen-ma?code=*")
    page.fill("#id_number", "001 085 012 345")
    page.fill("#phone", "0912.345.678")
    page.check("input[name=channel][value=sms]")
    page.click("button:has-text('Gửi mã mới')")
    page.wait_for_url("**/tra-cuu/quen-ma?*sent=sms")
    expect(page.locator("#recovery-sent")).to_contain_text("Nếu thông tin khớp với hồ sơ")
    with web.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        assert dossier is not None
        [sms] = [m for m in uow.outbox.for_dossier(dossier.id) if m.kind == "secret"]
    new = sms.body.split(code)[-1].strip(" .:")[-8:]
    assert new not in page.content() and new != receipt["secret"]

    page.goto(f"/tra-cuu/{code}")
    form = page.locator("form.rating")
    for question, value in (("satisfaction", "4"), ("access", "5"), ("procedure", "yes"),
                            ("staff_attitude", "5"), ("on_time", "yes"), ("feedback", "no")):
        form.locator(f"input[name={question}][value='{value}']").check()
    form.locator("input[name=visits]").fill("1")
    form.locator("#secret").fill(receipt["secret"])  # the old one: refused
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert.error")).to_be_visible()
    form = page.locator("form.rating")
    form.locator("input[name=satisfaction][value='4']").check()
    form.locator("#secret").fill(new)
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert.ok")).to_be_visible()
    assert web.client().post(f"/public/dossiers/{code}/rating", json={
        "secret": new, "satisfaction": 1}).status_code == 409  # rated once
    # The answers kept on the page after the refused try are the ones stored.
    totals = web.client("auditor").get("/reports/satisfaction",
                                       params={"period": "2026-M7"}).json()["totals"]
    assert totals["rated"] == 1 and totals["access_share"] == 1.0
    assert totals["feedback_share"] == 0.0 and totals["mean_visits"] == 1.0
    assert page.script_errors == []  # type: ignore[attr-defined]
