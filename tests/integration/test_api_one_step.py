"""One request per step: an open step is claimed and completed by one POST, in one
transaction, and the answer names the dossier's next open steps."""

from __future__ import annotations

from typing import Any

from engine.audit.chain import dossier_chain
from engine.model import AuditEvent
from tests.features.api_steps import ApiOffice
from tests.features.auditor_steps import dossier_id

CHECKED = {"ket_qua_kiem_tra": "hop_le"}


def _events(api: ApiOffice, code: str, item_id: int) -> list[AuditEvent]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return [e for e in uow.audit.events(dossier_chain(dossier_id(api, code)))
                if e.work_item_id == item_id]


def _step(api: ApiOffice, item_id: int, user: str) -> dict[str, Any]:
    answer = api.client(user).get(f"/tasks/{item_id}")
    assert answer.status_code == 200, answer.text
    task: dict[str, Any] = answer.json()["task"]
    return task


def test_an_open_step_is_claimed_and_completed_in_one_request(api: ApiOffice) -> None:
    code = api.submit()["code"]
    step = api.current(code)
    assert step["status"] == "open"
    done = api.client("reception").post(f"/tasks/{step['id']}/complete",
                                        json={"data": CHECKED})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "completed"
    assert body["claimed_by"] == body["completed_by"] == "reception"
    assert body["claimed_at"] == body["completed_at"]
    events = _events(api, code, step["id"])
    kinds = [e.kind for e in events]
    assert kinds[-2:] == ["item_claimed", "item_completed"]
    claimed, completed = events[-2:]
    assert claimed.at == completed.at and claimed.seq + 1 == completed.seq
    assert claimed.actor == completed.actor == "reception"


def test_a_failing_completion_leaves_the_step_open_and_unclaimed(api: ApiOffice) -> None:
    code = api.submit()["code"]
    step = api.current(code)
    before = _events(api, code, step["id"])
    bad = api.client("reception").post(f"/tasks/{step['id']}/complete",
                                       json={"data": {"ket_qua_kiem_tra": "co_le"}})
    assert bad.status_code == 422
    assert bad.json()["field"] == "ket_qua_kiem_tra"
    task = _step(api, step["id"], "reception")
    assert task["status"] == "open" and task["claimed_by"] is None
    assert task["claimed_at"] is None
    assert _events(api, code, step["id"]) == before  # no claim recorded either


def test_a_step_a_colleague_holds_is_a_conflict_naming_them(api: ApiOffice) -> None:
    code = api.submit()["code"]
    step = api.current(code)
    api.claim(step["id"], "leader")
    taken = api.client("reception").post(f"/tasks/{step['id']}/complete",
                                         json={"data": CHECKED})
    assert taken.status_code == 409
    assert taken.headers["content-type"] == "application/problem+json"
    problem = taken.json()
    assert problem["type"].endswith("/already-claimed")
    department = _step(api, step["id"], "reception")["department_name"]
    assert department and department in problem["detail"]
    assert "leader" not in problem["detail"].split()  # a full name, not the login
    task = _step(api, step["id"], "reception")
    assert task["status"] == "claimed" and task["claimed_by"] == "leader"
    # Claim still reserves a step; its holder completes it without claiming again.
    held = api.client("leader").post(f"/tasks/{step['id']}/complete", json={"data": CHECKED})
    assert held.status_code == 200, held.text
    assert [e.kind for e in _events(api, code, step["id"])].count("item_claimed") == 1


def test_the_answer_names_the_next_steps_and_who_may_take_them(api: ApiOffice) -> None:
    code = api.submit()["code"]
    desk = api.current(code)
    first = api.complete(desk["id"], "reception", CHECKED)
    [justice] = first["next_steps"]
    assert justice == {
        "id": api.current(code)["id"], "step_id": api.current(code)["step_id"],
        "name": api.current(code)["step_name"], "department_code": "TU_PHAP",
        "department": _step(api, justice["id"], "justice")["department_name"],
        "unit": api.current(code)["unit"], "may_take": False}
    assert justice["department"] != "TU_PHAP"  # the name people read, not the code

    second = api.complete(justice["id"], "justice",
                          {"ket_qua_xu_ly": "dat", "so_chung_thuc": "125/2026"})
    [sign] = second["next_steps"]
    assert sign["department_code"] == "LANH_DAO" and sign["may_take"] is False

    third = api.complete(sign["id"], "leader", {"y_kien_lanh_dao": "dong_y"})
    [handing] = third["next_steps"]
    assert handing["department_code"] == "MOT_CUA"
    assert handing["id"] == api.current(code)["id"]
    # The leader serves the desk too, so may take the return step; justice may not.
    assert handing["may_take"] is True

    last = api.complete(handing["id"], "reception", {"hinh_thuc_tra": "truc_tiep"})
    assert last["next_steps"] == []
    assert api.dossier(code)["status"] not in ("processing", "received")
