"""The designer's workbench, diagram side: a file drawn in Camunda Modeler opened from disk
keeps its camunda: properties; a new procedure from the template validates and deploys; a
broken file opened from disk shows each problem on its element."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from playwright.sync_api import Page, expect

from engine.definitions.vocabulary import NS, properties_of
from tests.browser.conftest import sign_in
from tests.conftest import DATA
from tests.features.api_steps import ApiOffice

CAMUNDA = DATA / "camunda_thu.bpmn"
FORM = DATA / "forms" / "thu.buoc.json"


def _open_from_disk(page: Page, path: Path) -> None:
    page.set_input_files("#open-file", str(path))
    expect(page.locator("#status")).to_contain_text(path.name)
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)


def test_a_camunda_file_from_disk_keeps_its_vocabulary(page: Page, tmp_path: Path) -> None:
    sign_in(page, "designer")
    page.goto("/thiet-ke/moi")
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    _open_from_disk(page, CAMUNDA)
    expect(page.locator("#props-body")).to_have_attribute("data-vocabulary", "camunda")
    expect(page.locator("#prop-procedure_code")).to_have_value("1.000001")
    expect(page.locator("#prop-deadline_unit")).to_have_value("working_days")
    # A choice reads by its meaning; the file keeps the value.
    expect(page.locator("#prop-deadline_unit option:checked")).to_have_text("ngày làm việc")
    page.click("[data-element-id=lane_a]", position={"x": 60, "y": 20})
    expect(page.locator("#prop-department")).to_have_value("MOT_CUA")
    expect(page.locator("#prop-department option:checked")).not_to_have_text("MOT_CUA")
    assert page.locator("#prop-department option:checked").inner_text().endswith(" (MOT_CUA)")
    page.click("[data-element-id=tiep_nhan]")
    expect(page.locator("#prop-allowance")).to_have_value("1d")
    page.fill("#prop-allowance", "0.5d")
    page.locator("#prop-allowance").dispatch_event("change")
    # The form its steps name comes with the file, as the forms tab would add it.
    page.evaluate("([name, text]) => motcuaWorkbench.setFile(name, text)",
                  [FORM.name, FORM.read_text(encoding="utf-8")])
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Hợp lệ")
    with page.expect_download() as saved:
        page.click("#download")
    assert saved.value.suggested_filename == "camunda_thu.bpmn"
    xml = Path(saved.value.path()).read_text(encoding="utf-8")
    assert 'camunda:property name="allowance" value="0.5d"' in xml
    assert 'value="1d"' in xml  # the other step kept its allowance
    assert "spiffworkflow" not in xml
    # the edit was one command: undoing it gives the file's value back
    page.evaluate("motcuaModeler.get('commandStack').undo()")
    page.click("[data-element-id=xu_ly]")
    page.click("[data-element-id=tiep_nhan]")
    expect(page.locator("#prop-allowance")).to_have_value("1d")
    assert not page.script_errors  # type: ignore[attr-defined]


def test_a_new_procedure_from_the_template_validates_and_deploys(page: Page,
                                                                 web: ApiOffice) -> None:
    sign_in(page, "designer")
    page.goto("/thu-tuc")
    page.click("#new-procedure")
    page.wait_for_url("**/thiet-ke/moi")
    page.fill("#t-key", "trich_luc_ho_tich")
    page.fill("#t-name", "Cấp bản sao trích lục hộ tịch")
    page.fill("#t-code", "2.000635")
    page.fill("#t-field", "Hộ tịch")
    page.select_option("#t-level", "commune")
    page.fill("#t-deadline", "2")
    page.select_option("#t-unit", "working_days")
    page.check("input[name=departments][value=TU_PHAP]")
    page.check("input[name=departments][value=LANH_DAO]")
    page.click("#template-make")
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    for lane in ("Lane_MOT_CUA", "Lane_TU_PHAP", "Lane_LANH_DAO"):
        expect(page.locator(f"[data-element-id={lane}]")).to_have_count(1)
    expect(page.locator("#props-body")).to_have_attribute("data-vocabulary", "spiff")
    expect(page.locator("#prop-procedure_code")).to_have_value("2.000635")
    page.click("[data-element-id=Task_TiepNhan]")
    expect(page.locator("#prop-form")).to_have_value("trich_luc_ho_tich.tiep_nhan.json")
    # the form choices follow the workbench's files
    page.evaluate("motcuaWorkbench.setFile('trich_luc_ho_tich.phu_luc.json',"
                  " '{\"type\": \"object\"}')")
    expect(page.locator("#prop-form option[value='trich_luc_ho_tich.phu_luc.json']")
           ).to_have_count(1)
    page.evaluate("motcuaWorkbench.removeFile('trich_luc_ho_tich.phu_luc.json')")
    expect(page.locator("#prop-form option[value='trich_luc_ho_tich.phu_luc.json']")
           ).to_have_count(0)
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Hợp lệ")
    page.click("#deploy")
    page.wait_for_url("**/thu-tuc/trich_luc_ho_tich/1/thiet-ke")
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    expect(page.locator("#prop-procedure_code")).to_have_value("2.000635")
    detail = web.client("designer").get("/procedures/trich_luc_ho_tich").json()
    assert detail["latest_version"] == 1
    # the desk's first and last steps, the chosen departments between them in list order
    assert [s["department"] for s in detail["steps"]] == [
        "MOT_CUA", "LANH_DAO", "TU_PHAP", "MOT_CUA"]
    assert not page.script_errors  # type: ignore[attr-defined]


def test_a_broken_file_from_disk_shows_its_problems_on_their_elements(
        page: Page, tmp_path: Path) -> None:
    broken = tmp_path / "hong.bpmn"
    text = CAMUNDA.read_text(encoding="utf-8")
    text = text.replace('"allowance" value="1d"', '"allowance" value="một ngày"', 1)
    broken.write_text(text.replace('value="MOT_CUA"', 'value="KHONG_CO"'), encoding="utf-8")
    sign_in(page, "designer")
    page.goto("/thiet-ke/moi")
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    _open_from_disk(page, broken)
    page.click("#validate")
    expect(page.locator("#status")).to_contain_text("Số lỗi")
    expect(page.locator("[data-element-id=tiep_nhan].has-problem")).to_have_count(1)
    expect(page.locator("[data-element-id=lane_a].has-problem")).to_have_count(1)
    allowance = page.locator("#problems li[data-element=tiep_nhan]", has_text="một ngày")
    expect(allowance).to_contain_text("hong.bpmn:")
    expect(page.locator("#problems li[data-element=lane_a]")).to_contain_text("KHONG_CO")
    # the form its steps name is not in the bundle: said at the same step
    expect(page.locator("#problems li[data-element=tiep_nhan]", has_text="thu.buoc.json")
           ).to_have_count(1)
    page.click("#deploy")  # refused the same way: nothing is stored
    expect(page.locator("#problems li[data-element=tiep_nhan]")).to_have_count(2)
    assert "/thiet-ke/moi" in page.url
    assert not page.script_errors  # type: ignore[attr-defined]


def test_both_vocabularies_on_one_step_the_panel_reads_and_writes_what_the_engine_reads(
        page: Page, tmp_path: Path) -> None:
    both = tmp_path / "ca_hai.bpmn"
    both.write_text(CAMUNDA.read_text(encoding="utf-8").replace(
        'xmlns:camunda=', 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'
        ' xmlns:camunda=').replace(
        '<bpmn:userTask id="tiep_nhan" name="Tiếp nhận"><bpmn:extensionElements>',
        '<bpmn:userTask id="tiep_nhan" name="Tiếp nhận"><bpmn:extensionElements>'
        '<spiffworkflow:properties><spiffworkflow:property name="allowance" value="2h"/>'
        '</spiffworkflow:properties>'), encoding="utf-8")
    sign_in(page, "designer")
    page.goto("/thiet-ke/moi")
    expect(page.locator("#canvas[data-ready=true]")).to_have_count(1)
    _open_from_disk(page, both)
    expect(page.locator("#props-body")).to_have_attribute("data-vocabulary", "spiff")
    page.click("[data-element-id=tiep_nhan]")
    task = "//bpmn:userTask[@id='tiep_nhan']"
    engine_reads = properties_of(etree.fromstring(both.read_bytes()).xpath(task, namespaces=NS)[0])
    expect(page.locator("#prop-allowance")).to_have_value(engine_reads["allowance"])
    page.fill("#prop-allowance", "3h")
    page.locator("#prop-allowance").dispatch_event("change")
    xml = page.evaluate("motcuaModeler.saveXML({format: true}).then(r => r.xml)")
    [step] = etree.fromstring(xml.encode()).xpath(task, namespaces=NS)
    assert properties_of(step)["allowance"] == "3h"
    assert len(step.xpath(".//*[@name='allowance']")) == 1  # one pair, in one vocabulary
    assert not page.script_errors  # type: ignore[attr-defined]
