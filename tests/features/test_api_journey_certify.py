"""Steps of the copy-certification journey over HTTP (api_certify.feature)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey

# Steps ask for the server as they run; naming it here lets pytest parametrise the scenarios
# by database when it collects them.
pytestmark = pytest.mark.usefixtures("api")

scenarios("api_certify.feature")

ACTIONS: dict[str, dict[str, Any]] = {
    "finds the dossier complete": {"ket_qua_kiem_tra": "hop_le"},
    "confirms the copy matches the original": {"ket_qua_xu_ly": "dat",
                                               "so_chung_thuc": "57/2026/SCT-BS"},
    "signs and seals it": {"y_kien_lanh_dao": "dong_y"},
    "returns the result at the desk": {"hinh_thuc_tra": "truc_tiep",
                                       "so_bien_lai": "BL-000123"},
}


def _vnd(text: str) -> int:
    return int(text.replace(",", ""))


@when(parsers.parse("{name} brings an original of {pages:d} pages to certify in {copies:d} "
                    "{unit} to the one-stop desk"))
def brings_original(api: ApiOffice, journey: Journey, name: str, pages: int,
                    copies: int, unit: str) -> None:
    receipt = api.submit(data={"ten_giay_to": "Giấy khai sinh", "pages": pages,
                               "copies": copies, "ho_ten_nguoi_yeu_cau": name},
                         applicant={"name": name})
    journey.receipts["dossier"] = receipt
    journey.codes["dossier"] = receipt["code"]


@then(parsers.parse("the appointment receipt shows a code of the ward for {day}"))
def code_of_the_day(journey: Journey, day: str) -> None:
    agency, date, seq = journey.codes["dossier"].rsplit("-", 2)
    assert agency == "000.00.81.H26"
    assert date == day[2:].replace("-", "")
    assert len(seq) == 4 and seq.isdigit()


@then(parsers.parse("the receipt shows a fee of {fee} VND and the result due at {time} on "
                    "{day}"))
def receipt_fee_and_due(journey: Journey, fee: str, time: str, day: str) -> None:
    receipt = journey.receipts["dossier"]
    assert receipt["fee"] == _vnd(fee)
    assert receipt["due_at"] == f"{day}T{time}:00+07:00"


@then(parsers.parse('the step "{name}" waits in the queue of {department}'))
def step_waits(api: ApiOffice, journey: Journey, name: str, department: str) -> None:
    step = api.current(journey.codes["dossier"])
    assert (step["step_name"], step["department"], step["status"]) == (name, department, "open")
    handler = {"MOT_CUA": "reception", "TU_PHAP": "justice", "LANH_DAO": "leader"}[department]
    queue = api.client(handler).get("/tasks", params={"limit": 200}).json()["items"]
    assert step["id"] in [t["id"] for t in queue]


def _act(api: ApiOffice, journey: Journey, user: str, data: dict[str, Any]) -> None:
    step = api.current(journey.codes["dossier"])
    api.claim(step["id"], user)
    api.complete(step["id"], user, data)


@when(parsers.parse("{user} claims the step and {action}"))
def claims_and_acts(api: ApiOffice, journey: Journey, user: str, action: str) -> None:
    if action.startswith("sends it back because "):
        reason = action.removeprefix("sends it back because ").strip('"')
        _act(api, journey, user, {"y_kien_lanh_dao": "tra_lai", "ghi_chu": reason})
        return
    _act(api, journey, user, ACTIONS[action])


@then(parsers.parse("{user} can neither see nor claim it"))
def cannot_see_or_claim(api: ApiOffice, journey: Journey, user: str) -> None:
    step = api.current(journey.codes["dossier"])
    client = api.client(user)
    assert client.get(f"/tasks/{step['id']}").status_code == 403
    assert client.post(f"/tasks/{step['id']}/claim").status_code == 403
    assert step["id"] not in [t["id"] for t in client.get("/tasks").json()["items"]]


@then(parsers.parse("{user} cannot sign it"))
def cannot_sign(api: ApiOffice, journey: Journey, user: str) -> None:
    step = api.current(journey.codes["dossier"])
    assert api.client(user).post(f"/tasks/{step['id']}/claim").status_code == 403


@then(parsers.parse("the status page tells the applicant the dossier is resolved {judged} "
                    "after {count:d} steps"))
def status_page(api: ApiOffice, journey: Journey, judged: str, count: int) -> None:
    page = api.client().get(f"/public/dossiers/{journey.codes['dossier']}").json()
    assert page["status"] == "resolved"
    assert page["deadline_status"] == judged.replace(" ", "_")
    assert page["steps_done"] == count
    assert page["current_steps"] == []


@then(parsers.parse("the steps were done by {people}"))
def done_by(api: ApiOffice, journey: Journey, people: str) -> None:
    steps = api.dossier(journey.codes["dossier"])["steps"]
    assert [s["completed_by"] for s in steps] == [p.strip() for p in people.split(",")]


@then(parsers.parse("the applicant rates the service {score:d} of 5 with the secret from the "
                    "receipt"))
def rates(api: ApiOffice, journey: Journey, score: int) -> None:
    receipt = journey.receipts["dossier"]
    answer = api.client().post(f"/public/dossiers/{receipt['code']}/rating",
                               json={"secret": receipt["secret"], "satisfaction": score,
                                     "on_time": True, "staff_attitude": 5, "visits": 1})
    assert answer.status_code == 201, answer.text
