"""Steps of the designer whose procedure a decree changes from a date
(procedure_versions.feature): deploys ahead over the API, the desk's catalogue on the web,
dossiers received on each side of the day."""

from __future__ import annotations

import re
from itertools import count

import pytest
from pytest_bdd import parsers, scenarios, then, when

from tests.conftest import PROCESSES, definition_files
from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey, web_session

pytestmark = pytest.mark.usefixtures("api")

scenarios("procedure_versions.feature")

_EDITS = count(1)


def _next_version(key: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    """The procedure's shipped files with its BPMN changed, as a decree would change it."""
    files = {n: d for n, d in definition_files(PROCESSES).items()
             if n.startswith((key, "phi_" + key))}
    edit = next(_EDITS)
    main = f"{key}.bpmn"
    files[main] = files[main].replace(b"</bpmn:definitions>",
                                      f"<!-- decree {edit} -->\n</bpmn:definitions>".encode())
    return [("files", (name, data, "application/octet-stream")) for name, data in files.items()]


@when(parsers.parse('the designer deploys a new version of "{key}" in force from "{day}"'))
def deploy_ahead(api: ApiOffice, journey: Journey, key: str, day: str) -> None:
    journey.answer = api.client("designer").post("/procedures", files=_next_version(key),
                                                 data={"effective_from": day})


@when(parsers.parse('the designer withdraws version {number:d} of "{key}"'))
def withdraw(api: ApiOffice, journey: Journey, number: int, key: str) -> None:
    journey.answer = api.client("designer").post(f"/procedures/{key}/versions/{number}/withdraw")


@then(parsers.parse("the answer is {status:d}"))
def answer_is(journey: Journey, status: int) -> None:
    assert journey.last().status_code == status, journey.last().text
    if status >= 400:
        assert journey.last().headers["content-type"].startswith("application/problem+json")


@then(parsers.parse('the designer reads the versions of "{key}" as'))
def versions_read(api: ApiOffice, key: str, datatable: list[list[str]]) -> None:
    answer = api.client("designer").get(f"/procedures/{key}/versions")
    assert answer.status_code == 200, answer.text
    shown = [[str(v["version"]), v["effective_from"] or "", v["until"] or "", v["state"]]
             for v in answer.json()]
    assert shown == datatable[1:]


@then(parsers.parse('the desk\'s catalogue says "{note}" for "{key}"'))
def catalogue_says(api: ApiOffice, note: str, key: str) -> None:
    page = web_session(api, "reception").get("/tiep-nhan").text
    tile = page[page.index(f'href="/tiep-nhan/{key}"'):]
    tile = tile[:tile.index("</li>")]
    assert note in re.sub(r"\s+", " ", tile)


@when(parsers.parse('the one-stop desk receives a copy certification "{name}"'))
def receive(api: ApiOffice, journey: Journey, name: str) -> None:
    receipt = api.submit()
    journey.codes[name] = receipt["code"]
    journey.receipts[name] = receipt


@then(parsers.parse('"{first}" runs on version {one:d} and "{second}" on version {two:d}'))
def run_on(journey: Journey, first: str, one: int, second: str, two: int) -> None:
    assert (journey.receipts[first]["version"], journey.receipts[second]["version"]) == (
        one, two)


@then(parsers.parse('"{name}" runs on version {number:d}'))
def runs_on(journey: Journey, name: str, number: int) -> None:
    assert journey.receipts[name]["version"] == number


@when(parsers.parse('"{name}" is taken through every step on the old rules'))
def through(api: ApiOffice, journey: Journey, name: str) -> None:
    api.certify(journey.codes[name])


@then(parsers.parse('"{name}" is resolved, still on version {number:d}'))
def resolved_on(api: ApiOffice, journey: Journey, name: str, number: int) -> None:
    dossier = api.dossier(journey.codes[name])
    assert dossier["status"] == "resolved"
    assert dossier["version"] == number
