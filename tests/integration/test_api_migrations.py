"""POST /api/v1/procedures/{key}/migrations: designers move running dossiers over HTTP."""

from __future__ import annotations

from engine.service import deploy, dossiers
from tests.bpmn_factory import FORMS, procedure
from tests.features.api_steps import ApiOffice


def versions(api: ApiOffice, key: str) -> list[str]:
    """Two dossiers on version 1, one of them waiting at the step version 2 renames, then
    version 2; their codes."""
    office = api.office
    deploy.deploy(office, {f"{key}.bpmn": procedure(key=key).encode(), **FORMS}, "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        desk = uow.org.user("reception")
    assert desk is not None
    codes = [dossiers.submit(office, key, {"name": "Phạm Thu Hà"}, "direct", {}, desk).code
             for _ in range(2)]
    v2 = procedure(key=key).replace('id="tiep_nhan"', 'id="nhan_ho_so"').replace(
        'targetRef="tiep_nhan"', 'targetRef="nhan_ho_so"').replace(
        'sourceRef="tiep_nhan"', 'sourceRef="nhan_ho_so"').replace(
        ">tiep_nhan<", ">nhan_ho_so<")
    deploy.deploy(office, {f"{key}.bpmn": v2.encode(), **FORMS}, "designer")
    return codes


def test_a_dry_run_then_the_move_of_one_dossier(api: ApiOffice) -> None:
    first, second = versions(api, "thu_api_chuyen")
    designer = api.client("designer")
    dry = designer.post("/procedures/thu_api_chuyen/migrations", json={"to_version": 2},
                        headers={"Accept-Language": "en"})
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["dry_run"] is True
    assert [(d["code"], d["outcome"], d["mapping"]) for d in body["dossiers"]] == [
        (first, "can_move", {"tiep_nhan": "nhan_ho_so"}),
        (second, "can_move", {"tiep_nhan": "nhan_ho_so"})]
    moved = designer.post("/procedures/thu_api_chuyen/migrations", json={
        "to_version": 2, "dry_run": False, "codes": [second]})
    assert moved.status_code == 200, moved.text
    assert [(d["code"], d["outcome"]) for d in moved.json()["dossiers"]] == [(second, "moved")]
    steps = api.dossier(second)["steps"]
    assert [s["step_id"] for s in steps if s["status"] == "open"] == ["nhan_ho_so"]
    assert api.client("auditor").get("/audit/verify").json()["intact"] is True


def test_bad_input_is_a_problem_and_moves_nothing(api: ApiOffice) -> None:
    first, _second = versions(api, "thu_api_sai")
    designer = api.client("designer")
    path = "/procedures/thu_api_sai/migrations"
    missing = designer.post(path, json={"to_version": 9, "dry_run": False})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "phiên bản 9" in missing.json()["detail"]
    older = designer.post(path, json={"to_version": 1, "dry_run": False, "codes": [first]},
                          headers={"Accept-Language": "en"})
    assert older.status_code == 422, older.text
    assert "already on version 1" in older.json()["detail"]
    assert designer.post(path, json={"to_version": 0}).status_code == 422
    assert api.client("reception").post(path, json={"to_version": 2}).status_code == 403
    left = designer.post(path, json={"to_version": 2}).json()["dossiers"]
    assert [d["outcome"] for d in left] == ["can_move", "can_move"]
