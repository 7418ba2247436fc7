"""Steps of the scans feature (scans.feature), over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("scans.feature")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x05" * 300
PDF = b"%PDF-1.6\n" + b"ban chinh" * 200
# The step each person attaches to, by how the office names it.
STEPS = {"its check of the dossier": "Task_KiemTraHoSo",
         "the comparison step": "Task_XuLy"}


def _attach(api: ApiOffice, journey: Journey, user: str, name: str, data: bytes,
            step: str) -> None:
    journey.answer = api.client(user).post(
        f"/dossiers/{journey.codes['dossier']}/files", data={"slot": STEPS[step]},
        files={"file": (name, data, "application/octet-stream")})


@given("the desk has received a copy certification")
def receives_copy(api: ApiOffice, journey: Journey) -> None:
    journey.codes["dossier"] = api.submit()["code"]


@when(parsers.parse('the desk attaches "{name}" to {step}'))
def desk_attaches(api: ApiOffice, journey: Journey, name: str, step: str) -> None:
    _attach(api, journey, "reception", name, PNG, step)
    assert journey.last().status_code == 201, journey.last().text


@when(parsers.parse('the desk attaches a program named "{name}" to {step}'))
def desk_attaches_a_program(api: ApiOffice, journey: Journey, name: str, step: str) -> None:
    _attach(api, journey, "reception", name, b"MZ\x90\x00\x03\x00\x00\x00", step)


@when("the desk hands the dossier over to the justice office")
def hands_over(api: ApiOffice, journey: Journey) -> None:
    api.do_step(journey.codes["dossier"], {"ket_qua_kiem_tra": "hop_le"})


@when(parsers.parse('the justice officer attaches "{name}" to {step}'))
def justice_attaches(api: ApiOffice, journey: Journey, name: str, step: str) -> None:
    _attach(api, journey, "justice", name, PDF, step)
    assert journey.last().status_code == 201, journey.last().text


def _files(api: ApiOffice, journey: Journey) -> list[dict[str, Any]]:
    answer = api.client("auditor").get(f"/dossiers/{journey.codes['dossier']}/files")
    assert answer.status_code == 200, answer.text
    files: list[dict[str, Any]] = answer.json()["files"]
    return files


@then("the auditor sees these files on the dossier:")
def sees_files(api: ApiOffice, journey: Journey, datatable: list[list[str]]) -> None:
    rows = [[f["slot_name"], f["filename"], f["attached_by_name"]]
            for f in _files(api, journey)]
    assert rows == datatable[1:]
    for f in _files(api, journey):
        got = api.client("auditor").get(f"/dossiers/{journey.codes['dossier']}/files/{f['id']}")
        assert got.status_code == 200 and got.headers["content-type"] == f["content_type"]


@then("the audit trail of the dossier holds each file's hash")
def hashes_in_the_trail(api: ApiOffice, journey: Journey) -> None:
    with api.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(journey.codes["dossier"])
        assert dossier is not None
        events = uow.audit.events(f"d:{dossier.id}")
    recorded = [e.data["sha256"] for e in events if e.kind == "file_attached"]
    assert recorded == [f["sha256"] for f in _files(api, journey)]


@then("the audit log is intact")
def log_intact(api: ApiOffice) -> None:
    result = api.client("auditor").get("/audit/verify").json()
    assert result["intact"] and result["files_checked"] >= 2, result


@then(parsers.parse('the desk is told "{words}"'))
def desk_is_told(journey: Journey, words: str) -> None:
    answer = journey.last()
    assert answer.status_code == 422
    assert words in answer.json()["detail"]


@then("the dossier has no files")
def no_files(api: ApiOffice, journey: Journey) -> None:
    assert _files(api, journey) == []
