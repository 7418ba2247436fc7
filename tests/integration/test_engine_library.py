"""Library files (called processes deployed on their own) and the confirmation a deploy
needs to turn a procedure into another."""

from __future__ import annotations

import pytest

from engine.errors import DefinitionInvalid, FormInvalid, ReplacementUnconfirmed
from engine.model import User
from engine.service import deploy, dossiers
from engine.service.office import Office
from tests.bpmn_factory import FORMS, HEADER, procedure, props
from tests.helpers import do_step, dossier, the_item

LIBRARY = HEADER + (
    '<bpmn:process id="tham_dinh_chung" name="Thẩm định chung" isExecutable="true">'
    '<bpmn:laneSet id="ls"><bpmn:lane id="lane_tp" name="Tư pháp">'
    f'{props(department="TU_PHAP")}<bpmn:flowNodeRef>s</bpmn:flowNodeRef>'
    "<bpmn:flowNodeRef>tham_dinh</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef>"
    "</bpmn:lane></bpmn:laneSet>"
    '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="a" sourceRef="s" targetRef="tham_dinh"/>'
    '<bpmn:userTask id="tham_dinh" name="Thẩm định">'
    f'{props(allowance="4h", form="thu.xu_ly.json")}</bpmn:userTask>'
    '<bpmn:sequenceFlow id="b" sourceRef="tham_dinh" targetRef="e"/><bpmn:endEvent id="e"/>'
    "</bpmn:process></bpmn:definitions>")


def _calling() -> str:
    """The factory's procedure with its second step done by the library's process."""
    xml = procedure(key="goi_thu_vien", name="Gọi thư viện")
    start = xml.index('<bpmn:userTask id="xu_ly"')
    end = xml.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    return (xml[:start] + '<bpmn:callActivity id="xu_ly" name="Thẩm định" '
            'calledElement="tham_dinh_chung"><bpmn:incoming>f2</bpmn:incoming>'
            "<bpmn:outgoing>f3</bpmn:outgoing></bpmn:callActivity>" + xml[end:])


def test_a_called_process_deploys_alone_and_a_later_procedure_runs_it(
        office: Office, users: dict[str, User]) -> None:
    [library] = deploy.deploy(office, {"chung/tham_dinh.bpmn": LIBRARY.encode(),
                                       "chung/thu.xu_ly.json": FORMS["thu.xu_ly.json"]},
                              "designer")
    assert (library.kind, library.key, library.version, library.provides) == (
        "library", "chung/tham_dinh.bpmn", 1, ["tham_dinh_chung"])
    again = deploy.deploy(office, {"chung/tham_dinh.bpmn": LIBRARY.encode(),
                                   "chung/thu.xu_ly.json": FORMS["thu.xu_ly.json"]}, "designer")
    assert [(r.version, r.created) for r in again] == [(1, False)]

    # The procedure comes later, without the library's file: it is found among the deployed.
    [proc] = deploy.deploy(office, {"goi.bpmn": _calling().encode(),
                                    "thu.tiep_nhan.json": FORMS["thu.tiep_nhan.json"]},
                           "designer")
    assert (proc.kind, proc.key, proc.created) == ("procedure", "goi_thu_vien", True)
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.latest("goi_thu_vien")
    assert version is not None
    assert sorted(version.files) == ["chung/tham_dinh.bpmn", "chung/thu.xu_ly.json", "goi.bpmn",
                                     "thu.tiep_nhan.json"]

    receipt = dossiers.submit(office, "goi_thu_vien", {"name": "A"}, "direct", {},
                              users["reception"])
    do_step(office, receipt.dossier_id, users["reception"], {})
    called = the_item(office, receipt.dossier_id)
    assert (called.step_id, called.department_code) == ("tham_dinh", "TU_PHAP")
    do_step(office, receipt.dossier_id, users["justice"], {"ket_qua": "dat"})
    assert dossier(office, receipt.dossier_id).status == "resolved"


def test_a_procedure_calling_what_nobody_deployed_is_refused_located(office: Office) -> None:
    with pytest.raises(DefinitionInvalid) as refused:
        deploy.deploy(office, {"goi.bpmn": _calling().encode(), **FORMS}, "designer")
    problems = refused.value.problems
    assert [(p.file, p.element) for p in problems] == [("goi.bpmn", "callActivity 'xu_ly'")]
    assert "tham_dinh_chung" in str(problems[0].message)


def test_reusing_a_procedures_id_for_another_procedure_needs_confirming(office: Office) -> None:
    deploy.deploy(office, {"thu.bpmn": procedure().encode(), **FORMS}, "designer")
    other = procedure(name="Một thủ tục khác", department="TU_PHAP").encode()
    with pytest.raises(ReplacementUnconfirmed) as refused:
        deploy.deploy(office, {"khac.bpmn": other, **FORMS}, "designer")
    assert refused.value.keys == ["thu_tuc_thu"]
    (problem,) = refused.value.problems
    assert problem.element == "process 'thu_tuc_thu'"
    assert "«Thủ tục thử» with the departments MOT_CUA" in str(problem.message)
    assert "--new-version-of thu_tuc_thu" in str(problem.message)
    assert deploy.validate(office, {"khac.bpmn": other, **FORMS}) == [problem]
    assert deploy.validate(office, {"khac.bpmn": other, **FORMS}, ["thu_tuc_thu"]) == []
    [confirmed] = deploy.deploy(office, {"khac.bpmn": other, **FORMS}, "designer",
                                new_version_of=["thu_tuc_thu"])
    assert (confirmed.version, confirmed.created) == (2, True)
    # Only a name or only the departments changing is an ordinary new version.
    renamed = procedure(name="Tên mới", department="TU_PHAP").encode()
    [third] = deploy.deploy(office, {"khac.bpmn": renamed, **FORMS}, "designer")
    assert third.version == 3


def test_forms_in_a_folder_are_found_by_the_name_the_steps_give(office: Office,
                                                               users: dict[str, User]) -> None:
    """As `motcua deploy processes/` keys them: forms/… beside the BPMN files."""
    from engine.service import queries
    from tests.conftest import PROCESSES

    files = {p.relative_to(PROCESSES).as_posix(): p.read_bytes()
             for p in PROCESSES.rglob("*") if p.suffix in (".bpmn", ".dmn", ".json")}
    assert "forms/chung_thuc_ban_sao.nop_ho_so.json" in files
    deploy.deploy(office, files, "designer")
    detail = queries.procedure_detail(office, users["reception"], "chung_thuc_ban_sao")
    assert detail.latest_version == 2  # the files' keys are part of the content
    assert detail.start_form is not None
    assert "copies" in detail.start_form["properties"]
    with pytest.raises(FormInvalid, match="applicant"):  # the start form is found, enforced
        dossiers.submit(office, "chung_thuc_ban_sao", {"copies": "nhiều"}, "direct", {},
                        users["reception"])


def test_library_files_are_listed_for_designers_and_auditors(office: Office,
                                                             users: dict[str, User]) -> None:
    from engine.errors import NotAllowed
    from engine.service import queries

    deploy.deploy(office, {"chung/tham_dinh.bpmn": LIBRARY.encode(),
                           "chung/thu.xu_ly.json": FORMS["thu.xu_ly.json"]}, "designer")
    listed = {f.path: f for f in queries.library_files(office, users["designer"])}
    assert listed["chung/tham_dinh.bpmn"].provides == ["tham_dinh_chung"]
    assert listed["phi_chung_thuc_ban_sao.dmn"].provides == ["phi_chung_thuc_ban_sao"]
    assert [f.path for f in queries.library_files(office, users["auditor"])] == sorted(listed)
    with pytest.raises(NotAllowed):
        queries.library_files(office, users["reception"])


def test_a_procedure_may_not_take_the_library_pages_name(office: Office) -> None:
    with pytest.raises(DefinitionInvalid) as refused:
        deploy.deploy(office, {"thu.bpmn": procedure(key="library").encode(), **FORMS},
                      "designer")
    assert [p.element for p in refused.value.problems] == ["process 'library'"]
