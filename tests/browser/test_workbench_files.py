"""Designers edit the forms and fee tables of a procedure beside its diagram: a form's JSON
Schema with a live preview drawn as the clerk's step page draws it, a fee table in dmn-js,
then validate and deploy the whole bundle; a problem in a form leads to its tab."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import DESKTOP, sign_in
from tests.features.api_steps import COPY, ApiOffice

KEY = "chung_thuc_ban_sao"
FORM = f"{KEY}.xu_ly.json"
FEES = f"phi_{KEY}.dmn"


@pytest.fixture
def clerk(browser: Browser, web: ApiOffice) -> Iterator[BrowserContext]:
    """A second browser, for a clerk beside the designer."""
    made = browser.new_context(base_url=web.url, viewport=DESKTOP, locale="vi-VN")
    made.set_default_timeout(15_000)
    yield made
    made.close()


def _latest(web: ApiOffice) -> int:
    latest: int = web.client("designer").get(f"/procedures/{KEY}").json()["latest_version"]
    return latest


def _open_workbench(page: Page, web: ApiOffice, tab: str) -> int:
    number = _latest(web)
    sign_in(page, "designer")
    page.goto(f"/thu-tuc/{KEY}/{number}/thiet-ke")
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    page.click(f"[data-tab={tab}]")
    expect(page.locator(f"#tab-{tab}")).to_be_visible()
    return number


def _field_html(page: Page, name: str, within: str = "") -> str:
    html: str = page.locator(f"{within} #field-{name}").evaluate(
        "e => e.closest('.field').outerHTML")
    return html


def test_a_form_preview_is_the_clerks_form_and_survives_syntax_errors(
        page: Page, web: ApiOffice, clerk: BrowserContext) -> None:
    # The clerk's step page for this form: the justice officer's claimed step.
    code = web.submit()["code"]
    web.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    step = web.current(code)
    web.claim(step["id"], "justice")
    justice = clerk.new_page()
    sign_in(justice, "justice")
    justice.goto(f"/buoc/{step['id']}")
    clerks_field = _field_html(justice, "ket_qua_xu_ly")

    _open_workbench(page, web, "forms")
    page.click(f"#form-list button[data-file='{FORM}']")
    expect(page.locator("#form-list button[aria-current=true]")).to_have_text(FORM)
    expect(page.locator("#form-preview #field-ket_qua_xu_ly")).to_have_count(1)
    assert _field_html(page, "ket_qua_xu_ly", "#form-preview") == clerks_field

    schema = json.loads(page.input_value("#form-schema"))
    schema["properties"]["so_trang_bo_sung"] = {"type": "string", "title": "Số trang bổ sung"}
    schema["required"] = [*schema.get("required", []), "so_trang_bo_sung"]
    page.fill("#form-schema", json.dumps(schema, ensure_ascii=False, indent=2))
    label = page.locator("#form-preview label[for=field-so_trang_bo_sung]")
    expect(label).to_contain_text("Số trang bổ sung")
    expect(label.locator(".req")).to_have_count(1)
    expect(page.locator("#form-preview #field-so_trang_bo_sung")).to_have_attribute(
        "aria-required", "true")
    saved = page.evaluate(f"window.motcuaWorkbench.files['{FORM}']")
    assert "so_trang_bo_sung" in json.loads(saved)["required"]

    page.fill("#form-schema", '{\n  "type": "object",\n  "properties": {\n    "a": }\n}')
    expect(page.locator("#form-syntax")).to_contain_text("Lỗi cú pháp JSON ở dòng 4, cột 10")
    expect(page.locator("#form-schema")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-preview")).to_have_attribute("data-stale", "true")
    expect(page.locator("#form-preview #field-so_trang_bo_sung")).to_have_count(1)
    page.fill("#form-schema", '{"type": "array"}')  # well-formed, but not a form
    expect(page.locator("#form-preview [data-problem]")).to_contain_text("Chưa xem trước được")
    expect(page.locator("#form-syntax")).to_have_text("Cú pháp JSON đúng.")
    assert not page.script_errors  # type: ignore[attr-defined]


def test_a_fee_changed_in_dmn_js_is_deployed_and_charged(page: Page, web: ApiOffice) -> None:
    number = _open_workbench(page, web, "dmn")
    expect(page.locator(f"#dmn-canvas[data-ready=true][data-file='{FEES}']")).to_have_count(1)
    cell = page.locator("#dmn-canvas td.output-cell", has_text="pages * 2000")
    expect(cell).to_have_count(1)
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("pages * 3000")
    page.wait_for_function(
        f"window.motcuaWorkbench.files['{FEES}'].includes('pages * 3000')")
    page.click("[data-tab=diagram]")
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Hợp lệ")
    page.click("#deploy")
    page.wait_for_url(f"**/so-sanh?a={number}&b={number + 1}")

    assert _latest(web) == number + 1
    receipt = web.submit(data={**COPY, "pages": 2, "copies": 1})
    assert receipt["version"] == number + 1
    assert receipt["fee"] == 6000  # two pages at 3.000 đồng, no longer 2.000
    assert not page.script_errors  # type: ignore[attr-defined]


def test_a_problem_in_a_form_opens_the_forms_tab_at_that_form(page: Page,
                                                             web: ApiOffice) -> None:
    broken = f"{KEY}.kiem_tra.json"
    _open_workbench(page, web, "forms")
    page.click(f"#form-list button[data-file='{broken}']")
    page.fill("#form-schema", '{"type": "array"}')
    page.click(f"#form-list button[data-file='{FORM}']")  # the editor moves on
    page.click("[data-tab=diagram]")
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Số lỗi")
    problem = page.locator(f"#problems li[data-workbench-file='{broken}']")
    expect(problem).to_contain_text(broken)
    expect(problem).to_contain_text('"type": "object"')
    expect(page.locator(".has-problem")).to_have_count(0)  # on no diagram element
    problem.click()
    expect(page.locator("#tab-forms")).to_be_visible()
    expect(page.locator("#tab-diagram")).to_be_hidden()
    expect(page.locator("#form-list button[aria-current=true]")).to_have_text(broken)
    expect(page.locator("#form-schema")).to_have_value('{"type": "array"}')
    assert not page.script_errors  # type: ignore[attr-defined]


def test_a_new_fee_table_starts_from_a_template_that_validates(page: Page,
                                                               web: ApiOffice) -> None:
    _open_workbench(page, web, "dmn")
    page.fill("#dmn-name", "phi moi.dmn")
    page.click("#dmn-add")
    expect(page.locator("#dmn-name-error")).to_contain_text("kết thúc bằng .dmn")
    page.fill("#dmn-name", FEES)
    page.click("#dmn-add")
    expect(page.locator("#dmn-name-error")).to_contain_text(f"đã có tệp {FEES}")
    page.fill("#dmn-name", "le_phi_moi.dmn")
    page.click("#dmn-add")
    expect(page.locator("#dmn-canvas[data-ready=true][data-file='le_phi_moi.dmn']")
           ).to_have_count(1)
    expect(page.locator("#dmn-list button[aria-current=true]")).to_have_text("le_phi_moi.dmn")
    expect(page.locator("#dmn-canvas th.output-cell")).to_contain_text("Lệ phí (đồng)")
    expect(page.locator("#dmn-canvas td[data-element-id=OutputEntry_1]")).to_have_text("0")
    added = page.evaluate("window.motcuaWorkbench.files['le_phi_moi.dmn']")
    assert 'name="fee"' in added and 'id="le_phi_moi"' in added
    page.click("[data-tab=diagram]")
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Hợp lệ")
    assert not page.script_errors  # type: ignore[attr-defined]
