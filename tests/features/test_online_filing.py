"""Steps of the online filing feature (online_filing.feature), over HTTP: the applicant
speaks to ``POST /public/filings`` without an account."""

from __future__ import annotations

import json

import httpx
import pytest
from pytest_bdd import parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import APPLICANT, COPY, ApiOffice, Journey, moment
from tests.features.auditor_steps import statistics

pytestmark = pytest.mark.usefixtures("api")

scenarios("online_filing.feature")

FILES = {"bang-tot-nghiep.pdf": b"%PDF-1.7\n" + b"ban chinh " * 200,
         "ban-sao.png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x05" * 300}
# Which document each file is the scan of, by its name.
DOCUMENT = {"bang-tot-nghiep.pdf": "ban_chinh", "ban-sao.png": "ban_sao"}


def _file_online(api: ApiOffice, journey: Journey, names: list[str]) -> None:
    filing = {"procedure": "chung_thuc_ban_sao", "data": COPY,
              "applicant": {**APPLICANT, "notify": ["sms"]}}
    journey.answer = api.client().post(
        "/public/filings", data={"filing": json.dumps(filing),
                                 "documents": [DOCUMENT[n] for n in names]},
        files=[("files", (n, FILES[n], "application/octet-stream")) for n in names],
        headers={"X-Forwarded-For": "198.51.100.77"})


@when(parsers.parse('the applicant files a copy certification online with "{first}" and '
                    '"{second}"'))
def files_two(api: ApiOffice, journey: Journey, first: str, second: str) -> None:
    _file_online(api, journey, [first, second])


@when(parsers.parse('the applicant files a copy certification online with only "{name}"'))
def files_one(api: ApiOffice, journey: Journey, name: str) -> None:
    journey.notes["dossiers"] = _total(api)
    _file_online(api, journey, [name])


def _total(api: ApiOffice) -> int:
    total: int = api.client("auditor").get("/dossiers", params={"limit": 1}).json()["total"]
    return total


@then("the applicant gets a dossier code and a secret")
def gets_code(journey: Journey) -> None:
    answer: httpx.Response = journey.last()
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert len(receipt["secret"]) == 8
    journey.codes["dossier"] = receipt["code"]


@then(parsers.parse("the deadline counts from {time} on {day}"))
def counts_from(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    calendar = api.office.calendar
    due = calendar.statutory_due(moment(day, time), 0, "same_day")
    assert journey.last().json()["due_at"] == calendar.local_time(due).isoformat()


@then(parsers.parse('the desk sees "{original}" for the original and "{copy}" for the copy'))
def desk_sees(api: ApiOffice, journey: Journey, original: str, copy: str) -> None:
    files = api.client("reception").get(
        f"/dossiers/{journey.codes['dossier']}/files").json()["files"]
    assert {f["slot"]: f["filename"] for f in files} == {"ban_chinh": original,
                                                         "ban_sao": copy}
    assert {f["attached_by_name"] for f in files} == {APPLICANT["name"]}


@when("the desk accepts the dossier")
def desk_accepts(api: ApiOffice, journey: Journey) -> None:
    answer = api.client("reception").post(
        f"/dossiers/{journey.codes['dossier']}/check",
        json={"decision": "accept", "documents": [{"code": "ban_chinh"}, {"code": "ban_sao"}]})
    assert answer.status_code == 200, answer.text


@then("the dossier is with the justice office")
def with_justice(api: ApiOffice, journey: Journey) -> None:
    assert api.current(journey.codes["dossier"])["department"] == "TU_PHAP"


@then("the statistics of March count it as received online")
def counted_online(api: ApiOffice) -> None:
    found = statistics(api, "auditor", "2026-03-01", "2026-03-31")
    row = next(r for r in found["rows"] if r["key"] == "chung_thuc_ban_sao")
    assert (row["received"], row["new_online"], row["new_offline"]) == (1, 1, 0), row


@then(parsers.parse('the applicant is told "{text}"'))
def told(journey: Journey, text: str) -> None:
    answer = journey.last()
    assert answer.status_code == 422 and text in answer.json()["detail"], answer.text


@then("no dossier was filed")
def nothing_filed(api: ApiOffice, journey: Journey) -> None:
    assert _total(api) == journey.notes["dossiers"]
