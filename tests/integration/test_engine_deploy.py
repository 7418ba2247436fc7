"""Deploying: versions per procedure, unchanged content, dossiers keep their version."""

from __future__ import annotations

import pytest

from engine.errors import DefinitionInvalid, NotAllowed
from engine.model import User
from engine.service import deploy, dossiers
from engine.service.office import Office
from tests.bpmn_factory import FORMS, procedure, procedure_files
from tests.conftest import PROCESSES, definition_files
from tests.helpers import do_step, dossier, the_item


def test_redeploying_unchanged_files_makes_no_new_version(office: Office) -> None:
    again = deploy.deploy(office, definition_files(PROCESSES), "designer")
    assert {r.key: (r.version, r.created) for r in again if r.kind == "procedure"} == {
        "cap_phep_xay_dung": (1, False), "chung_thuc_ban_sao": (1, False),
        "dang_ky_ho_kinh_doanh": (1, False), "dang_ky_khai_sinh": (1, False),
    }
    # The fee tables are library files too, so that later procedures may call them.
    assert {r.key: (r.version, r.created, r.provides) for r in again if r.kind == "library"} \
        == {"le_phi_dang_ky_ho_kinh_doanh.dmn": (1, False, ["le_phi_dang_ky_ho_kinh_doanh"]),
            "phi_chung_thuc_ban_sao.dmn": (1, False, ["phi_chung_thuc_ban_sao"])}


def test_a_changed_file_makes_the_next_version_and_old_dossiers_keep_theirs(
        office: Office, users: dict[str, User]) -> None:
    first = deploy.deploy(office, procedure_files(), "designer")
    assert [(r.key, r.version, r.created) for r in first] == [("thu_tuc_thu", 1, True)]
    old = dossiers.submit(office, "thu_tuc_thu", {"name": "A"}, "direct", {},
                          users["reception"])
    renamed = procedure().replace('name="Xử lý"', 'name="Xử lý hồ sơ"')
    second = deploy.deploy(office, {"thu.bpmn": renamed.encode(), **FORMS}, "designer")
    assert [(r.version, r.created) for r in second] == [(2, True)]
    new = dossiers.submit(office, "thu_tuc_thu", {"name": "B"}, "direct", {},
                          users["reception"])
    assert (old.version, new.version) == (1, 2)
    do_step(office, old.dossier_id, users["reception"], {})
    do_step(office, new.dossier_id, users["reception"], {})
    assert the_item(office, old.dossier_id).step_name == "Xử lý"
    assert the_item(office, new.dossier_id).step_name == "Xử lý hồ sơ"
    back = deploy.deploy(office, procedure_files(), "designer")
    assert [(r.version, r.created) for r in back] == [(3, True)]
    assert dossier(office, old.dossier_id).version_id != dossier(office, new.dossier_id).version_id


def test_an_invalid_bundle_deploys_nothing(office: Office) -> None:
    good = procedure(key="tot").encode()
    bad = procedure(key="xau", department=None).encode()
    with pytest.raises(DefinitionInvalid) as exc:
        deploy.deploy(office, {"tot.bpmn": good, "xau.bpmn": bad, **FORMS}, "designer")
    assert [p.file for p in exc.value.problems] == ["xau.bpmn"]
    with office.db.unit_of_work(readonly=True) as uow:
        assert uow.catalog.latest("tot") is None


def test_only_designers_deploy(office: Office, users: dict[str, User]) -> None:
    with pytest.raises(NotAllowed):
        deploy.deploy(office, procedure_files(), users["reception"])
    assert deploy.deploy(office, procedure_files(), users["designer"])


def test_every_deploy_is_an_audit_event(office: Office) -> None:
    deploy.deploy(office, procedure_files(), "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        events = uow.audit.events("system")
    deployed = [e for e in events if e.kind == "procedure_deployed"]
    assert deployed[-1].data["key"] == "thu_tuc_thu"
    assert len(deployed) == 5  # four shipped procedures, then this one
    assert sorted(e.data["path"] for e in events if e.kind == "library_file_deployed") == [
        "le_phi_dang_ky_ho_kinh_doanh.dmn", "phi_chung_thuc_ban_sao.dmn"]


def test_files_from_camunda_modeler_deploy_and_run(office: Office,
                                                   users: dict[str, User]) -> None:
    from tests.conftest import DATA

    files = definition_files(DATA / "camunda_thu.bpmn", DATA / "forms")
    [result] = deploy.deploy(office, files, "designer")
    assert (result.key, result.version) == ("camunda_thu", 1)
    receipt = dossiers.submit(office, "camunda_thu", {"name": "C"}, "direct", {},
                              users["reception"])
    item = the_item(office, receipt.dossier_id)
    assert (item.department_code, item.allowance_hours) == ("MOT_CUA", 7.5)
    do_step(office, receipt.dossier_id, users["reception"], {})
    do_step(office, receipt.dossier_id, users["reception"], {})
    assert dossier(office, receipt.dossier_id).status == "resolved"
