"""Versions in force from a day over HTTP: a deploy ahead, the timeline, a withdrawal, and
the refusals (a day that does not parse, a version in force, one that does not exist)."""

from __future__ import annotations

from tests.conftest import PROCESSES, definition_files
from tests.features.api_steps import ApiOffice

PROBLEM = "application/problem+json"
COPY_BPMN = "chung_thuc_ban_sao.bpmn"


def _next_copy_version() -> list[tuple[str, tuple[str, bytes, str]]]:
    files = {name: data for name, data in definition_files(PROCESSES).items()
             if name.startswith(("chung_thuc_ban_sao", "phi_chung_thuc"))}
    files[COPY_BPMN] = files[COPY_BPMN].replace('name="Tiếp nhận'.encode(),
                                                'name="Nhận'.encode(), 1)
    return [("files", (name, data, "application/octet-stream"))
            for name, data in files.items()]


def _timeline(api: ApiOffice) -> list[tuple[int, str | None, str | None, str]]:
    answer = api.client("auditor").get("/procedures/chung_thuc_ban_sao/versions")
    assert answer.status_code == 200
    return [(v["version"], v["effective_from"], v["until"], v["state"]) for v in answer.json()]


def test_a_designer_deploys_ahead_reads_the_timeline_and_withdraws(api: ApiOffice) -> None:
    designer = api.client("designer")
    assert _next_copy_version()[0][1][1] != definition_files(PROCESSES)[COPY_BPMN]
    answer = designer.post("/procedures", files=_next_copy_version(),
                           data={"effective_from": "2026-04-01"})
    assert answer.status_code == 201, answer.text
    copy = next(p for p in answer.json()["procedures"] if p["key"] == "chung_thuc_ban_sao")
    assert (copy["version"], copy["created"], copy["effective_from"]) == (2, True, "2026-04-01")
    assert _timeline(api) == [(1, "2026-03-03", "2026-04-01", "in_force"),
                              (2, "2026-04-01", None, "upcoming")]
    detail = api.client("reception").get("/procedures/chung_thuc_ban_sao").json()
    assert (detail["in_force_version"], detail["upcoming"]) == (
        1, [{"version": 2, "effective_from": "2026-04-01"}])

    withdrawn = designer.post("/procedures/chung_thuc_ban_sao/versions/2/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "withdrawn"
    assert _timeline(api) == [(1, "2026-03-03", None, "in_force"),
                              (2, "2026-04-01", None, "withdrawn")]


def test_bad_input_is_a_clear_problem_and_moves_nothing(api: ApiOffice) -> None:
    designer = api.client("designer")
    before = _timeline(api)
    bad_day = designer.post("/procedures", files=_next_copy_version(),
                            data={"effective_from": "01/04/2026"})
    assert bad_day.status_code == 422
    assert bad_day.headers["content-type"].startswith(PROBLEM)
    assert "01/04/2026" in bad_day.json()["detail"]
    in_force = designer.post("/procedures/chung_thuc_ban_sao/versions/1/withdraw")
    assert in_force.status_code == 409
    assert in_force.headers["content-type"].startswith(PROBLEM)
    assert designer.post("/procedures/chung_thuc_ban_sao/versions/5/withdraw"
                         ).status_code == 404
    assert designer.get("/procedures/khong_co/versions").status_code == 404
    assert _timeline(api) == before
    assert api.client("reception").get("/procedures/chung_thuc_ban_sao/versions"
                                       ).status_code == 403
    assert api.client("auditor").post("/procedures/chung_thuc_ban_sao/versions/1/withdraw"
                                      ).status_code == 403
