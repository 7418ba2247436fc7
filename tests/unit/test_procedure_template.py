"""A new procedure from the template: the generated bundle passes the deploy checks as it
is, opens as drawn (every node, flow and lane has its diagram element), and runs."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from engine.definitions import read_bundle, template
from engine.definitions.vocabulary import NS
from engine.errors import FormInvalid
from engine.model import User
from engine.service import deploy, diagrams, dossiers
from engine.service.office import Office
from tests.helpers import do_step, dossier, the_item

DESK = ("MOT_CUA", "Bộ phận Tiếp nhận và Trả kết quả")
KNOWN = {"MOT_CUA", "TU_PHAP", "LANH_DAO", "TC_KH", "QLDT"}


def _template(unit: str = "working_days", deadline: float | None = 5,
              departments: tuple[tuple[str, str], ...] = (
                  DESK, ("TU_PHAP", "Phòng Tư pháp"), ("LANH_DAO", "Lãnh đạo UBND"))
              ) -> template.Template:
    return template.Template(key="trich_luc_thu", name="Cấp bản sao trích lục hộ tịch",
                             code="2.000635", field="Hộ tịch", level="commune",
                             deadline=deadline, deadline_unit=unit, desk=DESK,
                             departments=departments)


@pytest.mark.parametrize(("unit", "deadline"), [
    ("working_days", 5), ("same_day", None), ("working_hours", 4), ("days", 0.5)])
def test_the_generated_bundle_passes_every_deploy_check(unit: str, deadline: float | None
                                                        ) -> None:
    main, files = template.bundle(_template(unit, deadline))
    bundle = read_bundle({n: t.encode() for n, t in files.items()}, KNOWN)
    assert bundle.problems == []
    [procedure] = bundle.procedures
    meta = procedure.meta
    assert (meta.file, meta.key, meta.code, meta.level, meta.deadline_unit) == (
        main, "trich_luc_thu", "2.000635", "commune", unit)
    assert [lane[1] for lane in meta.lanes.values()] == ["MOT_CUA", "TU_PHAP", "LANH_DAO"]
    steps = list(meta.steps.values())
    assert [(s.name, s.department) for s in steps] == [
        ("Tiếp nhận, kiểm tra hồ sơ", "MOT_CUA"), ("Xử lý – Phòng Tư pháp", "TU_PHAP"),
        ("Xử lý – Lãnh đạo UBND", "LANH_DAO"), ("Trả kết quả", "MOT_CUA")]
    assert sorted(meta.outcomes.values()) == ["not_accepted", "resolved"]
    # the desk checks the documents at its first step (none listed yet: the designer adds them)
    desk = meta.desk_step()
    assert desk is not None and desk.id == steps[0].id and meta.documents == ()
    # every step and the start event have their form, and the deploy keeps them
    assert {s.form for s in steps} | {meta.start_form} == set(files) - {main}
    assert set(procedure.files) == set(files)


def test_the_diagram_has_a_shape_or_edge_for_every_element() -> None:
    _main, files = template.bundle(_template())
    tree = etree.fromstring(files["trich_luc_thu.bpmn"].encode())
    drawn = set(tree.xpath("//bpmndi:BPMNShape/@bpmnElement | //bpmndi:BPMNEdge/@bpmnElement",
                           namespaces={"bpmndi": template.BPMNDI_NS}))
    elements = set(tree.xpath(
        "//bpmn:process/*[@id and not(self::bpmn:laneSet)]/@id | //bpmn:lane/@id"
        " | //bpmn:participant/@id", namespaces=NS))
    assert elements and elements <= drawn
    for edge in tree.xpath("//bpmndi:BPMNEdge", namespaces={"bpmndi": template.BPMNDI_NS}):
        assert len(edge) >= 2  # waypoints


def test_allowances_fit_the_deadline_and_the_forms_follow_the_conventions() -> None:
    assert template.allowances(_template("working_days", 5), 4) == "1.2d"
    assert template.allowances(_template("same_day", None), 4) == "1.8h"
    _main, files = template.bundle(_template())
    desk = json.loads(files["trich_luc_thu.tiep_nhan.json"])
    assert desk["required"] == ["ket_qua_kiem_tra"]
    assert [c["const"] for c in desk["properties"]["ket_qua_kiem_tra"]["oneOf"]] == [
        "hop_le", "tu_choi"]
    assert desk["allOf"][0]["then"] == {"required": ["ly_do_tu_choi"]}


def test_a_designer_draws_one_validates_it_deploys_it_and_it_runs(
        office: Office, users: dict[str, User]) -> None:
    made = diagrams.new_procedure(
        office, users["designer"], key="trich_luc_thu", name="Cấp bản sao trích lục",
        code="2.000635", field="Hộ tịch", level="commune", deadline="2",
        deadline_unit="working_days", departments=["TU_PHAP", "MOT_CUA"])
    files = {n: t.encode() for n, t in made.files.items()}
    assert made.main == "trich_luc_thu.bpmn"
    assert deploy.validate(office, files) == []
    [result] = deploy.deploy(office, files, users["designer"])
    assert (result.key, result.version, result.created) == ("trich_luc_thu", 1, True)
    receipt = dossiers.submit(office, "trich_luc_thu", {"name": "Lê Văn A"}, "direct",
                               {"noi_dung": "Một bản"},
                              users["reception"])
    assert the_item(office, receipt.dossier_id).department_code == "MOT_CUA"
    do_step(office, receipt.dossier_id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    assert the_item(office, receipt.dossier_id).department_code == "TU_PHAP"
    do_step(office, receipt.dossier_id, users["justice"], {})
    do_step(office, receipt.dossier_id, users["reception"], {})
    assert dossier(office, receipt.dossier_id).status == "resolved"
    refused = dossiers.submit(office, "trich_luc_thu", {"name": "Lê Văn B"}, "direct",
                              {"noi_dung": "Hai bản"},
                              users["reception"])
    do_step(office, refused.dossier_id, users["reception"],
            {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Thiếu giấy tờ"})
    assert dossier(office, refused.dossier_id).status == "not_accepted"


@pytest.mark.parametrize(("changes", "field"), [
    ({"key": "Trích lục"}, "key"), ({"level": "ward"}, "level"), ({"deadline": "0"}, "deadline"),
    ({"departments": ["KHONG_CO"]}, "departments"), ({"name": " "}, "name")])
def test_the_template_form_names_the_field_to_fix(office: Office, users: dict[str, User],
                                                  changes: dict[str, object], field: str
                                                  ) -> None:
    values: dict[str, object] = {
        "key": "trich_luc_thu", "name": "Trích lục", "code": "2.000635", "field": "Hộ tịch",
        "level": "commune", "deadline": "2", "deadline_unit": "working_days",
        "departments": ["TU_PHAP"], **changes}
    with pytest.raises(FormInvalid) as raised:
        diagrams.new_procedure(office, users["designer"], **values)  # type: ignore[arg-type]
    assert raised.value.field == field
