"""Incidents over HTTP: who sees them, retrying one, correcting the data, and the count in
the health check."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from engine.service import deploy, timers
from tests.failing_procedures import divide_after_timer
from tests.features.api_steps import ApiOffice

KEY = "thu_chia_sau_hen_gio"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module", autouse=True)
def deployed(api: ApiOffice) -> None:
    deploy.deploy(api.office, divide_after_timer(), "designer")


def problem(answer: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"https://motcua.dev/problems/{slug}"
    return body


def ok(answer: httpx.Response) -> Any:
    assert answer.status_code == 200, answer.text
    return answer.json()


def open_count(api: ApiOffice) -> int:
    health = ok(api.client().get("/healthz"))
    assert health["status"] == "ok"
    count: int = health["incidents"]
    return count


def failed_dossier(api: ApiOffice) -> tuple[str, dict[str, Any]]:
    """A dossier whose timer path divides by zero, after the worker's round."""
    code = api.submit(KEY, {"copies": 0})["code"]
    api.clock.advance(hours=1, seconds=1)
    timers.run_due_timers(api.office)
    [incident] = [i for i in ok(api.client("leader").get("/incidents"))
                  if i["dossier_code"] == code]
    return code, incident


def test_an_incident_is_seen_retried_and_resolved_after_a_correction(api: ApiOffice) -> None:
    before = open_count(api)
    code, incident = failed_dossier(api)
    assert open_count(api) == before + 1
    assert incident["step_id"] == "tinh_phi"
    assert incident["step_name"] == "Tính phí mỗi bản"
    assert incident["expression"] == "phi_moi_ban = 10000 / copies"
    assert "ZeroDivisionError" in incident["error"]
    assert (incident["status"], incident["tries"], incident["kind"]) == ("open", 1, "timer")
    assert (incident["can_retry"], incident["can_correct"]) == (True, True)
    assert incident["next_try_at"].endswith("+07:00")  # office time, like every view
    path = f"/incidents/{incident['id']}"
    # Designers and auditors see every incident; auditors only read.
    assert [i["id"] for i in ok(api.client("designer").get("/incidents"))].count(
        incident["id"]) == 1
    [read] = [i for i in ok(api.client("auditor").get("/incidents"))
              if i["id"] == incident["id"]]
    assert (read["can_retry"], read["can_correct"]) == (False, False)
    problem(api.client("auditor").post(f"{path}/retry"), 403, "forbidden")
    problem(api.client("reception").get("/incidents"), 403, "forbidden")
    problem(api.client("justice").post(f"{path}/retry"), 403, "forbidden")
    problem(api.client().get("/incidents"), 401, "unauthenticated")
    problem(api.client().post(f"{path}/retry"), 401, "unauthenticated")
    # A retry before the cause is fixed fails again, and says so.
    again = ok(api.client("leader").post(f"{path}/retry"))
    assert (again["status"], again["tries"]) == ("open", 2)
    detail = ok(api.client("leader").get(path))
    assert detail["values"] == {"copies": 0}
    assert "copies" in detail["form"]["properties"]
    bad = problem(api.client("leader").post(f"{path}/correction", json={
        "data": {"copies": -2}, "reason": "sửa số bản"}), 422, "invalid-form-data")
    assert bad["field"] == "copies"
    problem(api.client("designer").post(f"{path}/correction", json={
        "data": {"copies": 2}, "reason": "sửa số bản"}), 403, "forbidden")
    fixed = ok(api.client("leader").post(f"{path}/correction", json={
        "data": {"copies": 2}, "reason": "Công dân xác nhận 2 bản"}))
    assert (fixed["status"], fixed["resolved_by"]) == ("resolved", "leader")
    assert open_count(api) == before
    assert api.current(code)["step_id"] == "xu_ly"
    problem(api.client("leader").post(f"{path}/retry"), 409, "not-open")
    resolved = ok(api.client("leader").get("/incidents", params={"status": "resolved"}))
    assert incident["id"] in [i["id"] for i in resolved]
    assert ok(api.client("auditor").get("/audit/verify"))["intact"] is True


def test_unknown_incidents_and_bad_filters(api: ApiOffice) -> None:
    problem(api.client("leader").get("/incidents/2147483000"), 404, "not-found")
    problem(api.client("leader").post("/incidents/2147483000/retry"), 404, "not-found")
    problem(api.client("leader").get("/incidents", params={"status": "closed"}), 422,
            "invalid-request")
    problem(api.client("leader").post("/incidents/1/correction", json={"data": {}}), 422,
            "invalid-request")
