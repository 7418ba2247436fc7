"""Steps of the applicant's online supplement (applicant_supplement.feature), over HTTP."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("applicant_supplement.feature")

PDF = b"%PDF-1.7\n" + b"ban ve mat bang " * 100
BUILDING = {"chu_dau_tu": "Đặng Văn Khoa", "dia_chi_cong_trinh": "Tổ 7, phường Văn Quán",
            "dien_tich_xay_dung": 60, "so_tang": 3}


def _path(journey: Journey) -> str:
    return f"/public/dossiers/{journey.codes['dossier']}/supplement"


@given("the desk has received my construction permit application and found it complete")
def received(api: ApiOffice, journey: Journey) -> None:
    receipt = api.submit("cap_phep_xay_dung", BUILDING)
    journey.codes["dossier"], journey.notes["secret"] = receipt["code"], receipt["secret"]
    api.do_step(receipt["code"], {"ket_qua_kiem_tra": "hop_le"})


@given(parsers.parse('the urban office asked me for "{what}"'))
def asked(api: ApiOffice, journey: Journey, what: str) -> None:
    code = journey.codes["dossier"]
    api.do_step(code, {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": what})
    journey.notes["due"] = api.dossier(code)["due_at"]


@when("I open the supplement with my receipt's secret")
def opens(api: ApiOffice, journey: Journey) -> None:
    journey.answer = api.client().get(_path(journey),
                                      headers={"X-Receipt-Secret": journey.notes["secret"]})


@then("I am asked for:")
def asked_for(journey: Journey, datatable: list[list[str]]) -> None:
    answer = journey.last()
    assert answer.status_code == 200, answer.text
    assert [[m["name"]] for m in answer.json()["missing"]] == datatable[1:]


def _send(api: ApiOffice, journey: Journey, name: str, secret: str, note: str = "") -> None:
    journey.answer = api.client().post(_path(journey), data={"secret": secret, "note": note},
                                       files=[("files", (name, PDF, "application/pdf"))])


@when(parsers.parse('I send "{name}" with the note "{note}"'))
def sends(api: ApiOffice, journey: Journey, name: str, note: str) -> None:
    _send(api, journey, name, journey.notes["secret"], note)


@when(parsers.parse('I send "{name}" with the secret "{secret}"'))
def sends_with(api: ApiOffice, journey: Journey, name: str, secret: str) -> None:
    _send(api, journey, name, secret)


@then("the supplement is received")
def is_received(journey: Journey) -> None:
    assert journey.last().status_code == 201, journey.last().text


@then("the urban office is appraising my dossier again")
def appraising(api: ApiOffice, journey: Journey) -> None:
    step = api.current(journey.codes["dossier"])
    assert (step["step_id"], step["department"]) == ("Task_ThamDinh", "QLDT")


@then(parsers.parse("my due date moved {hours:d} working hours later"))
def moved(api: ApiOffice, journey: Journey, hours: int) -> None:
    due = datetime.fromisoformat(api.dossier(journey.codes["dossier"])["due_at"])
    before = datetime.fromisoformat(journey.notes["due"])
    assert api.office.calendar.working_hours_between(before, due) == hours


@then(parsers.parse('I am told "{words}"'))
def told(journey: Journey, words: str) -> None:
    answer = journey.last()
    assert answer.status_code == 403 and words in answer.json()["detail"], answer.text


@then("my dossier still waits for my supplement, with no file attached")
def still_waits(api: ApiOffice, journey: Journey) -> None:
    code = journey.codes["dossier"]
    assert api.dossier(code)["status"] == "awaiting_supplement"
    assert api.client("auditor").get(f"/dossiers/{code}/files").json()["files"] == []
