"""Screenshots of the main pages for the docs: ``make screenshots`` (or
``python -m tests.browser.screenshots [FOLDER]``).

A fresh office with two months of simulated history (the engine's demo history), served for
real and photographed by Chromium at the office desktop sizes 1366×768 and 1920×1080.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from api.app import create_app
from api.testing import LiveServer
from engine.bootstrap import build_office
from engine.model import User
from engine.runtime.clock import ManualClock
from engine.service import deploy, desk, dossiers
from engine.service.demo import seed
from engine.service.office import Office
from engine.settings import Settings
from engine.simulation.history import generate_history
from tests.browser.conftest import ARGS, CHROMIUM, sign_in
from tests.conftest import PROCESSES, definition_files, fresh_database, local

NOW = local(2026, 3, 18, 10, 30)  # a Wednesday morning
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDE = ("queue", "statistics", "modeler")


def _office(folder: str) -> tuple[Settings, Office]:
    url = f"sqlite:///{folder}/motcua.db"
    db = fresh_database(url)
    settings = Settings(database_url=url, secret_key="screenshots-" + "x" * 40,
                        demo_mode=False, agency_name="UBND quận Hà Đông",
                        files_dir=f"{folder}/files")
    office = build_office(settings, clock=ManualClock(NOW), database=db)
    seed(office)
    deploy.deploy(office, definition_files(PROCESSES), "designer")
    generate_history(office, days=60, seed=7, per_day=10, until=NOW)
    return settings, office


def _changed_version(office: Office) -> None:
    """A second version of the copy certification, so the comparison has something to show."""
    files = definition_files(PROCESSES)
    name = "chung_thuc_ban_sao.bpmn"
    files[name] = files[name].replace(b'name="allowance" value="3h"',
                                      b'name="allowance" value="2h"')
    deploy.deploy(office, files, "designer")


def _shoot(page: Page, folder: Path, name: str, path: str, wait: str | None = None) -> None:
    page.goto(path)
    if wait:
        page.wait_for_selector(wait)
    page.wait_for_timeout(400)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def main(folder: Path = OUT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings, office = _office(tmp)
        _changed_version(office)
        receipt = dossiers.submit(office, "chung_thuc_ban_sao",
                                  {"name": "Nguyễn Văn An", "phone": "0912345678"},
                                  "direct", {"ten_giay_to": "Bằng tốt nghiệp", "pages": 5,
                                             "copies": 2}, _user(office, "reception"))
        # The desk checks it (the receipt prints once it is accepted); it goes to justice.
        desk.check(office, _user(office, "reception"), receipt.code,
                   [{"code": "ban_chinh"}, {"code": "ban_sao", "count": 2}], desk.ACCEPT)
        with LiveServer(create_app(settings, office)) as server, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for width, height in ((1366, 768), (1920, 1080)):
                context = browser.new_context(base_url=server.url,
                                              viewport={"width": width, "height": height})
                page = context.new_page()
                out = folder if width == 1366 else folder / "1920"
                out.mkdir(exist_ok=True)
                _session(page, out, receipt.code, wide=width > 1366)
                context.close()
            browser.close()
    print(f"screenshots in {folder}")


def _user(office: Office, username: str) -> User:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.org.user(username)
    assert found is not None
    return found


def _session(page: Page, out: Path, code: str, wide: bool) -> None:
    def shot(name: str, path: str, wait: str | None = None) -> None:
        if not wide or name in WIDE:
            _shoot(page, out, name, path, wait)

    if not wide:
        _shoot(page, out, "sign-in", "/dang-nhap")
    sign_in(page, "justice")
    shot("queue", "/ho-so-phong")
    if not wide:
        page.goto("/ho-so-phong")
        claim = page.locator("#queue button:has-text('Nhận xử lý')").first
        if claim.count():
            claim.click()
            page.click("button:has-text('Hoàn thành bước')")
            page.wait_for_selector("#diagram[data-ready=true]")
            page.screenshot(path=str(out / "step.png"), full_page=True)
    page.context.clear_cookies()
    sign_in(page, "reception")
    shot("reception", "/tiep-nhan/chung_thuc_ban_sao")
    shot("receipt", f"/ho-so/{code}/giay-hen")
    page.context.clear_cookies()
    sign_in(page, "leader")
    shot("leader", "/lanh-dao")
    page.context.clear_cookies()
    sign_in(page, "auditor")
    shot("statistics", "/thong-ke?period=2026-YTD-M3&procedure=cap_phep_xay_dung", "canvas")
    shot("dossier", f"/ho-so/{_late_code(page)}", "#diagram[data-ready=true]")
    shot("where-time-goes", "/thoi-gian?procedure=cap_phep_xay_dung&date_from=2026-01-19"
         "&date_to=2026-03-18", "#heatmap[data-ready=true]")
    shot("verify", "/kiem-tra-nhat-ky?run=true")
    page.context.clear_cookies()
    sign_in(page, "designer")
    shot("procedures", "/thu-tuc")
    shot("modeler", "/thu-tuc/chung_thuc_ban_sao/2/thiet-ke", "#canvas[data-ready=true]")
    shot("compare", "/thu-tuc/chung_thuc_ban_sao/so-sanh?a=1&b=2", "#diagram-new[data-ready=true]")
    page.context.clear_cookies()
    shot("lookup", f"/tra-cuu/{code}")
    if not wide:
        online_shots(page, out)


PDF_SCAN = b"%PDF-1.7\n" + b"ban chinh " * 200


def online_shots(page: Page, out: Path) -> None:
    """An applicant files online: the choice, the form with its scans, the review, the
    answer with the secret."""
    page.context.clear_cookies()
    _shoot(page, out, "online-choose", "/nop-truc-tuyen")
    page.goto("/nop-truc-tuyen/chung_thuc_ban_sao")
    page.fill("#applicant_name", "Trần Thị Bình")
    page.fill("#applicant_phone", "0912345678")
    page.fill("#applicant_email", "binh.tran@example.vn")
    page.check("input[name=notify][value=email]")
    page.fill("#field-ten_giay_to", "Bằng tốt nghiệp đại học")
    page.fill("#field-pages", "5")
    page.fill("#field-copies", "2")
    page.set_input_files("#tep_ban_chinh", files=[{
        "name": "bang-tot-nghiep.pdf", "mimeType": "application/pdf", "buffer": PDF_SCAN}])
    page.screenshot(path=str(out / "online-form.png"), full_page=True)
    page.click("#online-review")
    page.wait_for_url("**/xem-lai")
    page.screenshot(path=str(out / "online-review.png"), full_page=True)
    page.click("#online-send")
    page.wait_for_url("**/da-nop/*")
    page.screenshot(path=str(out / "online-filed.png"), full_page=True)


def _late_code(page: Page) -> str:
    """A finished construction permit: the longest control sheet and Gantt chart."""
    page.goto("/ho-so?procedure=cap_phep_xay_dung&status=resolved")
    return page.locator("table.list tbody tr td a").first.inner_text().strip()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
