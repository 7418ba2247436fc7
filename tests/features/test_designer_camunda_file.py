"""Steps of the designer who brings a Camunda Modeler file (designer_brings_a_camunda_file.feature).

The file is tests/data/camunda_modeler_tham_dinh.bpmn, exported by Camunda Modeler 5 with its
forms in tests/data/forms; the designer's fixes are made to its text, as an editor would, so
every line the validator names stays where the designer sees it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import HANDLER, ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("designer_brings_a_camunda_file.feature")

DATA = Path(__file__).resolve().parents[1] / "data"
BPMN = "camunda_modeler_tham_dinh.bpmn"
KEY = "dang_ky_ket_hon"
# The forms the designer brought: the appraisal's is written when the validator asks for it.
BROUGHT_FORMS = ("nop_ho_so", "tiep_nhan", "ky_duyet")
ANSWERS: dict[str, dict[str, Any]] = {
    "with the papers complete": {"giay_to_day_du": True},
    "finding the couple eligible": {"ket_qua_tham_dinh": "du_dieu_kien",
                                    "y_kien_tham_dinh": "Đủ điều kiện kết hôn"},
    "approving the registration": {"approved": True},
}


def _files(journey: Journey) -> dict[str, bytes]:
    """What the designer uploads: the BPMN file and its forms, as edited so far."""
    if "files" not in journey.notes:
        forms = {f"{KEY}.{step}.json": (DATA / "forms" / f"{KEY}.{step}.json").read_bytes()
                 for step in BROUGHT_FORMS}
        journey.notes["files"] = {BPMN: (DATA / BPMN).read_bytes(), **forms}
    files: dict[str, bytes] = journey.notes["files"]
    return files


def _bpmn(journey: Journey) -> str:
    return _files(journey)[BPMN].decode()


def _element(text: str, tag: str, element_id: str) -> re.Match[str]:
    """The element as the file writes it, from its start tag to its end tag."""
    found = re.search(rf'<bpmn:{tag} id="{element_id}".*?</bpmn:{tag}>', text, re.S)
    assert found, f"no {tag} {element_id} in {BPMN}"
    return found


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _upload(api: ApiOffice, journey: Journey, path: str) -> None:
    files = [("files", (n, d, "application/octet-stream")) for n, d in _files(journey).items()]
    journey.answer = api.client("designer").post(path, files=files)


def _problem_at(journey: Journey, element: str) -> dict[str, Any]:
    found = [p for p in journey.last().json()["problems"] if p["element"] == element]
    assert len(found) == 1, journey.last().text
    problem: dict[str, Any] = found[0]
    return problem


# --- the designer and the validator ------------------------------------------------------


@when("the designer validates the Camunda Modeler file with its forms")
def validates(api: ApiOffice, journey: Journey) -> None:
    _upload(api, journey, "/procedures/validate")


@when("the designer deploys the Camunda Modeler file with its forms")
def deploys(api: ApiOffice, journey: Journey) -> None:
    _upload(api, journey, "/procedures")


@then(parsers.parse('the answer is 422 with {count:d} problems in "{file}"'))
def refused(journey: Journey, count: int, file: str) -> None:
    answer = journey.last()
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problems = answer.json()["problems"]
    assert len(problems) == count, answer.text
    assert {p["file"] for p in problems} == {file}


@then(parsers.parse('the condition of "{flow}" is refused: "{message}"'))
def condition_refused(journey: Journey, flow: str, message: str) -> None:
    problem = _problem_at(journey, f"sequenceFlow '{flow}'")
    text = _bpmn(journey)
    found = _element(text, "sequenceFlow", flow)
    condition = found.start() + found.group(0).index("<bpmn:conditionExpression")
    assert problem["line"] == _line(text, condition)
    assert message in problem["message"], problem["message"]


@then(parsers.parse('the step "{task}" is refused: "{message}"'))
def step_refused(journey: Journey, task: str, message: str) -> None:
    problem = _problem_at(journey, f"userTask '{task}'")
    text = _bpmn(journey)
    assert problem["line"] == _line(text, _element(text, "userTask", task).start())
    assert message in problem["message"], problem["message"]


@then(parsers.parse("the problem of \"{task}\" says to write '{written}'"))
def says_what_to_write(journey: Journey, task: str, written: str) -> None:
    assert written in _problem_at(journey, f"userTask '{task}'")["message"]


@then(parsers.parse('"{key}" is not deployed'))
def not_deployed(api: ApiOffice, key: str) -> None:
    assert api.client("designer").get(f"/procedures/{key}").status_code == 404
    assert key not in [p["key"] for p in api.client("designer").get("/procedures").json()]


@given(parsers.parse('the designer writes the condition of "{flow}" as "{python}"'))
def writes_condition(journey: Journey, flow: str, python: str) -> None:
    text = _bpmn(journey)
    found = _element(text, "sequenceFlow", flow)
    fixed = re.sub(r"(<bpmn:conditionExpression[^>]*>).*?(</bpmn:conditionExpression>)",
                   lambda m: m.group(1) + python + m.group(2), found.group(0), flags=re.S)
    assert fixed != found.group(0)
    _files(journey)[BPMN] = (text[:found.start()] + fixed + text[found.end():]).encode()


@given(parsers.parse('the designer gives the step "{task}" the form "{form}"'))
def gives_form(journey: Journey, task: str, form: str) -> None:
    """As the validator says: a camunda:property next to the step's others, and the form file
    (the Camunda form key may stay; the engine reads the property)."""
    text = _bpmn(journey)
    found = _element(text, "userTask", task)
    fixed = re.sub(r"(\n *)(<camunda:property [^\n]*/>)(\s*</camunda:properties>)",
                   lambda m: (f'{m.group(1)}{m.group(2)}{m.group(1)}'
                              f'<camunda:property name="form" value="{form}" />{m.group(3)}'),
                   found.group(0), count=1)
    assert fixed != found.group(0)
    files = _files(journey)
    files[BPMN] = (text[:found.start()] + fixed + text[found.end():]).encode()
    files[form] = (DATA / "forms" / form).read_bytes()


@then(parsers.parse("the answer is {status:d}"))
def answer_is(journey: Journey, status: int) -> None:
    assert journey.last().status_code == status, journey.last().text


@then(parsers.parse('version {version:d} of "{key}" is deployed, its BPMN the designer\'s '
                    "Camunda file"))
def deployed(api: ApiOffice, journey: Journey, version: int, key: str) -> None:
    answer = journey.last()
    assert answer.status_code == 201, answer.text
    [procedure] = answer.json()["procedures"]
    assert (procedure["key"], procedure["version"], procedure["created"]) == (key, version, True)
    stored = api.client("designer").get(f"/procedures/{key}/versions/{version}/bpmn")
    assert stored.status_code == 200
    assert stored.content == _files(journey)[BPMN]
    assert 'exporter="Camunda Modeler"' in stored.text and "camunda:formKey" in stored.text


# --- a dossier through the sub-process ---------------------------------------------------


@when(parsers.parse('the one-stop desk receives a marriage registration of "{groom}" and '
                    '"{bride}"'))
def receives(api: ApiOffice, journey: Journey, groom: str, bride: str) -> None:
    receipt = api.submit(KEY, {"ho_ten_ben_nam": groom, "ho_ten_ben_nu": bride},
                         applicant={"name": groom})
    journey.codes["dossier"] = receipt["code"]


@then(parsers.parse('the step "{name}" is in the queue of "{department}" with {hours:g} '
                    "working hours"))
def in_queue(api: ApiOffice, journey: Journey, name: str, department: str,
             hours: float) -> None:
    """As the department's own officer sees its queue; the step is the dossier's only one."""
    code = journey.codes["dossier"]
    queue = api.client(HANDLER[department]).get(
        "/tasks", params={"department": department, "procedure": KEY, "limit": 200})
    assert queue.status_code == 200, queue.text
    mine = [t for t in queue.json()["items"] if t["dossier_code"] == code]
    assert len(mine) == 1, f"not in the queue of {department}: {api.current(code)}"
    item = mine[0]
    assert (item["step_name"], item["department"], item["status"]) == (name, department, "open")
    assert item["allowance_hours"] == hours
    assert api.current(code)["id"] == item["id"]
    journey.notes["step"] = item


@then(parsers.parse('the step shows the form "{title}"'))
def shows_form(api: ApiOffice, journey: Journey, title: str) -> None:
    item = journey.notes["step"]
    detail = api.client(HANDLER[item["department"]]).get(f"/tasks/{item['id']}")
    assert detail.status_code == 200, detail.text
    form = detail.json()["form"]
    assert form is not None and form["title"] == title
    assert "ket_qua_tham_dinh" in form["required"]


@when(parsers.parse("{user} completes it {how}"))
def completes(api: ApiOffice, journey: Journey, user: str, how: str) -> None:
    item = journey.notes["step"]
    assert HANDLER[item["department"]] == user
    api.claim(item["id"], user)
    done = api.complete(item["id"], user, ANSWERS[how])
    assert (done["status"], done["completed_by"]) == ("completed", user)


@then("the dossier is resolved")
def resolved(api: ApiOffice, journey: Journey) -> None:
    dossier = api.dossier(journey.codes["dossier"])
    assert dossier["status"] == "resolved"
    assert dossier["resolved_at"] is not None


@then(parsers.parse("its steps were done in {departments}"))
def done_in(api: ApiOffice, journey: Journey, departments: str) -> None:
    steps = api.dossier(journey.codes["dossier"])["steps"]
    assert [s["department"] for s in steps] == [d.strip(' "') for d in departments.split(",")]
    assert all(s["status"] == "completed" for s in steps)
