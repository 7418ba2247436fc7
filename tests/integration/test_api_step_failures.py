"""Submitting or completing a step whose automatic steps fail: a 422 problem naming the step,
the expression and the error, and nothing written — no dossier, no sequence number, no
changed work item, no audit event. Never a 500 (the API client fails the test on any)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from engine.errors import DefinitionInvalid
from engine.service import deploy
from engine.store.tables import audit_events, dossier_sequences, dossiers, incidents, work_items
from tests import failing_procedures
from tests.features.api_steps import ApiOffice

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module", autouse=True)
def deployed(api: ApiOffice) -> None:
    for files in (failing_procedures.divide_at_submit(), failing_procedures.fee_table_gap(),
                  failing_procedures.condition_on_unset_variable(),
                  failing_procedures.timer_from_the_form(),
                  failing_procedures.divide_after_step()):
        deploy.deploy(api.office, files, "designer")


def footprint(api: ApiOffice) -> dict[str, Any]:
    """Everything a use case writes, counted."""
    with api.office.db.unit_of_work(readonly=True) as uow:
        def count(table: sa.Table) -> int:
            return int(uow.conn.execute(sa.select(sa.func.count()).select_from(table))
                       .scalar_one())
        return {
            "dossiers": count(dossiers), "events": count(audit_events),
            "incidents": count(incidents),
            "sequence": uow.conn.execute(sa.select(sa.func.coalesce(
                sa.func.sum(dossier_sequences.c.last_seq), 0))).scalar_one(),
            "items": sorted(tuple(r) for r in uow.conn.execute(sa.select(
                work_items.c.id, work_items.c.status, work_items.c.claimed_by))),
            "revs": sorted(tuple(r) for r in uow.conn.execute(sa.select(
                dossiers.c.id, dossiers.c.state_rev, dossiers.c.chain_seq))),
        }


def step_failed(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["type"] == "https://motcua.dev/problems/step-failed"
    assert body["title"] == "Bước tự động bị lỗi"  # Vietnamese unless asked otherwise
    return body


def submit(api: ApiOffice, procedure: str, data: dict[str, Any],
           by: str | None = "reception") -> httpx.Response:
    channel = "direct" if by else "online"
    return api.client(by).post("/dossiers", json={
        "procedure": procedure, "applicant": {"name": "Phạm Thị Dung"}, "channel": channel,
        "data": data})


def test_a_script_dividing_by_the_applicants_zero_refuses_the_submission(
        api: ApiOffice) -> None:
    before = footprint(api)
    for by in ("reception", None):  # at the desk and online
        body = step_failed(submit(api, "thu_chia_khi_nop", {"copies": 0}, by))
        assert (body["step"], body["step_name"]) == ("tinh_phi", "Tính phí mỗi bản")
        assert body["expression"] == "phi_moi_ban = 10000 / copies"
        assert "'Tính phí mỗi bản' (tinh_phi)" in body["detail"]
        assert "ZeroDivisionError: division by zero" in body["detail"]
    assert footprint(api) == before
    # The next good dossier takes the next number: none was used up by the failures.
    answer = submit(api, "thu_chia_khi_nop", {"copies": 2})
    assert answer.status_code == 201, answer.text
    assert int(answer.json()["code"].rsplit("-", 1)[1]) == before["sequence"] + 1


def test_a_fee_table_that_covers_no_rule_names_its_step_and_the_input(api: ApiOffice) -> None:
    before = footprint(api)
    body = step_failed(submit(api, "thu_bang_phi_thieu", {"copies": 1, "pages": 50}))
    assert (body["step"], body["step_name"]) == ("tinh_phi", "Tính phí theo bảng")
    assert body["expression"] == "pages"
    assert body["detail"].endswith(
        "bị lỗi: no rule of decision table 'bang_phi_thu' matches pages = 50")
    assert footprint(api) == before
    covered = submit(api, "thu_bang_phi_thieu", {"copies": 1, "pages": 5})
    assert covered.status_code == 201, covered.text
    assert covered.json()["fee"] == 5000


def test_a_service_the_engine_cannot_call_is_refused_at_deploy(api: ApiOffice) -> None:
    """It used to deploy and refuse every submission; now the designer learns at once."""
    before = footprint(api)
    with pytest.raises(DefinitionInvalid) as refused:
        deploy.deploy(api.office, failing_procedures.service_call(), "designer")
    [problem] = refused.value.problems
    assert problem.element == "serviceTask 'tra_cuu'"
    said = str(problem.message)
    assert "no connector" in said and "'http/GetRequest'" in said
    answer = api.client("reception").post("/dossiers", json={
        "procedure": "thu_goi_dich_vu", "applicant": {"name": "Phạm Thị Dung"},
        "channel": "direct", "data": {"copies": 1}})
    assert answer.status_code == 404, answer.text
    assert footprint(api) == before


def test_a_timer_value_the_engine_cannot_read_names_the_timer(api: ApiOffice) -> None:
    before = footprint(api)
    body = step_failed(submit(api, "thu_hen_theo_ngay_nhap", {"ngay_hen": "thứ hai tuần sau"}))
    assert (body["step"], body["step_name"]) == ("cho_hen", "Chờ đến ngày hẹn")
    assert body["expression"] == "ngay_hen"
    assert "biểu thức hẹn giờ ngay_hen không cho ra một chuỗi ISO 8601" in body["detail"]
    assert footprint(api) == before
    answer = submit(api, "thu_hen_theo_ngay_nhap", {"ngay_hen": "2026-03-10T09:00:00+07:00"})
    assert answer.status_code == 201, answer.text


def _claimed(api: ApiOffice, procedure: str, data: dict[str, Any]) -> tuple[str, int]:
    code = api.submit(procedure, data)["code"]
    step = api.current(code)
    api.claim(step["id"], "reception")
    return code, step["id"]


def test_a_condition_on_a_variable_no_step_set_leaves_the_step_claimed(
        api: ApiOffice) -> None:
    code, task_id = _claimed(api, "thu_dieu_kien_thieu_bien", {"copies": 1})
    before = footprint(api)
    # Twice: the first failure left no half-run workflow in the server's cache.
    for _ in range(2):
        body = step_failed(api.client("reception").post(
            f"/tasks/{task_id}/complete", json={"data": {"ket_qua": "tu_choi"}}))
        assert (body["step"], body["step_name"]) == ("hop_le", "Hợp lệ?")
        assert body["expression"] == failing_procedures.CONDITION_ON_UNSET
        assert "NameError: name 'so_lan_bo_sung' is not defined" in body["detail"]
        assert footprint(api) == before
    step = api.current(code)
    assert (step["id"], step["status"], step["claimed_by"]) == (task_id, "claimed", "reception")


def test_a_script_after_a_step_failing_leaves_the_step_and_the_dossier_alone(
        api: ApiOffice) -> None:
    code, task_id = _claimed(api, "thu_chia_sau_buoc", {"copies": 0})
    before = footprint(api)
    body = step_failed(api.client("reception").post(f"/tasks/{task_id}/complete",
                                                     json={"data": {}}))
    assert body["step"] == "tinh_phi"
    assert body["expression"] == "phi_moi_ban = 10000 / copies"
    assert footprint(api) == before
    assert api.current(code)["status"] == "claimed"
    # The dossier still works for what does not divide: the clerk may hand the step back.
    released = api.client("reception").post(f"/tasks/{task_id}/release")
    assert released.status_code == 200, released.text
