"""Steps of the designer's deploy journey over HTTP (api_deploy.feature)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.conftest import PROCESSES, definition_files
from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("api_deploy.feature")

KEY = "chung_thuc_ban_sao"
BPMN = f"{KEY}.bpmn"


def _copy_files(bpmn: bytes | None = None) -> dict[str, bytes]:
    files = {n: d for n, d in definition_files(PROCESSES).items()
             if n.startswith((KEY, "phi_chung_thuc"))}
    if bpmn is not None:
        files[BPMN] = bpmn
    return files


def _upload(api: ApiOffice, journey: Journey, user: str, files: dict[str, bytes]) -> None:
    journey.answer = api.client(user).post(
        "/procedures", files=[("files", (n, d, "application/xml")) for n, d in files.items()])


def _versions(api: ApiOffice) -> list[int]:
    body = api.client("designer").get(f"/procedures/{KEY}").json()
    return [v["version"] for v in body["versions"]]


def _dossier(api: ApiOffice, journey: Journey, name: str) -> dict[str, Any]:
    return api.dossier(journey.codes[name])


@given(parsers.parse('the one-stop desk has received a copy certification "{name}"'))
@when(parsers.parse('the one-stop desk receives a copy certification "{name}"'))
def receives(api: ApiOffice, journey: Journey, name: str) -> None:
    journey.codes[name] = api.submit()["code"]


@when(parsers.parse("the designer uploads the copy certification giving the justice officer "
                    "{hours:d} hours"))
def uploads_changed(api: ApiOffice, journey: Journey, hours: int) -> None:
    journey.notes["versions"] = _versions(api)
    bpmn = (PROCESSES / BPMN).read_bytes().replace(
        b'name="allowance" value="3h"', f'name="allowance" value="{hours}h"'.encode())
    _upload(api, journey, "designer", _copy_files(bpmn))


@then(parsers.parse('a new version of "{key}" is deployed'))
def new_version(api: ApiOffice, journey: Journey, key: str) -> None:
    answer = journey.last()
    assert answer.status_code == 201, answer.text
    [deployed] = answer.json()["procedures"]
    before = journey.notes["versions"]
    assert (deployed["key"], deployed["created"]) == (key, True)
    assert deployed["version"] == before[-1] + 1
    assert _versions(api) == [*before, deployed["version"]]


@then(parsers.parse('dossier "{old}" runs on the previous version and dossier "{new}" on the '
                    "new one"))
def versions_of_dossiers(api: ApiOffice, journey: Journey, old: str, new: str) -> None:
    latest = _versions(api)[-1]
    assert _dossier(api, journey, old)["version"] == latest - 1
    assert _dossier(api, journey, new)["version"] == latest


@when(parsers.parse('the desk finds dossiers "{first}" and "{second}" complete'))
def desk_checks(api: ApiOffice, journey: Journey, first: str, second: str) -> None:
    for name in (first, second):
        api.do_step(journey.codes[name], {"ket_qua_kiem_tra": "hop_le"})


@then(parsers.parse('the justice officer has {old_hours:d} hours for dossier "{old}" and '
                    '{new_hours:d} hours for dossier "{new}"'))
def allowances(api: ApiOffice, journey: Journey, old_hours: int, old: str, new_hours: int,
               new: str) -> None:
    queue = api.client("justice").get("/tasks", params={"limit": 200}).json()["items"]
    hours = {t["dossier_code"]: t["allowance_hours"] for t in queue}
    assert hours[journey.codes[old]] == old_hours
    assert hours[journey.codes[new]] == new_hours


@then(parsers.parse('dossier "{name}" can still be taken to its result'))
def finishes(api: ApiOffice, journey: Journey, name: str) -> None:
    code = journey.codes[name]
    api.do_step(code, {"ket_qua_xu_ly": "dat"})
    api.do_step(code, {"y_kien_lanh_dao": "dong_y"})
    api.do_step(code, {"hinh_thuc_tra": "truc_tiep"})
    assert api.dossier(code)["status"] == "resolved"


@given("the designer has uploaded the procedures of the processes folder")
def uploaded_folder(api: ApiOffice, journey: Journey) -> None:
    _upload(api, journey, "designer", definition_files(PROCESSES))
    assert journey.last().status_code in (200, 201)


@when("the designer uploads the same files again")
def uploads_again(api: ApiOffice, journey: Journey) -> None:
    journey.notes["versions"] = _versions(api)
    _upload(api, journey, "designer", definition_files(PROCESSES))


@then("the answer is 200 and no new version is made")
def nothing_new(api: ApiOffice, journey: Journey) -> None:
    answer = journey.last()
    assert answer.status_code == 200, answer.text
    assert not any(p["created"] for p in answer.json()["procedures"])
    assert _versions(api) == journey.notes["versions"]


@given(parsers.parse('the designer notes the versions of "{key}"'))
def notes_versions(api: ApiOffice, journey: Journey, key: str) -> None:
    assert key == KEY
    journey.notes["versions"] = _versions(api)


@when(parsers.parse('the designer uploads the copy certification with a lane for the unknown '
                    'department "{department}"'))
def uploads_broken(api: ApiOffice, journey: Journey, department: str) -> None:
    bpmn = (PROCESSES / BPMN).read_bytes().replace(
        b'name="department" value="TU_PHAP"', f'name="department" value="{department}"'.encode())
    _upload(api, journey, "designer", _copy_files(bpmn))


@then(parsers.parse('the answer is 422 with a problem in "{file}" at the lane "{lane}"'))
def located_problem(journey: Journey, file: str, lane: str) -> None:
    answer = journey.last()
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    [problem] = answer.json()["problems"]
    text = (PROCESSES / file).read_bytes()
    line = text[:text.index(f'<bpmn:lane id="{lane}"'.encode())].count(b"\n") + 1
    assert (problem["file"], problem["line"], problem["element"]) == (file, line,
                                                                      f"lane '{lane}'")


@then(parsers.parse('the versions of "{key}" are unchanged'))
def unchanged(api: ApiOffice, journey: Journey, key: str) -> None:
    assert key == KEY
    assert _versions(api) == journey.notes["versions"]


@when("the justice officer uploads the copy certification")
def justice_uploads(api: ApiOffice, journey: Journey) -> None:
    _upload(api, journey, "justice", _copy_files())


@then(parsers.parse("the answer is {status:d}"))
def answer_is(journey: Journey, status: int) -> None:
    assert journey.last().status_code == status
