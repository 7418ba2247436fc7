"""Steps of the auditor's journey over HTTP (api_audit.feature)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey, moment

pytestmark = pytest.mark.usefixtures("api")

scenarios("api_audit.feature")

BUSINESS = {"ten_ho_kinh_doanh": "Hiệu sách Ánh Dương", "nganh_nghe": "Bán lẻ sách",
            "dia_chi": "Số 20 Tô Hiệu, Hà Đông", "von_kinh_doanh": 120_000_000}
BUILDING = {"chu_dau_tu": "Bùi Văn Tâm", "dia_chi_cong_trinh": "Tổ 12, phường Phú La",
            "dien_tich_xay_dung": 85, "so_tang": 2}
# What each person records when handing over a registration.
DECISIONS: dict[str, dict[str, Any]] = {
    "reception": {"ket_qua_kiem_tra": "hop_le"},
    "finance": {"ket_qua_tham_dinh": "dat"},
    "leader": {"y_kien_lanh_dao": "dong_y"},
}


def _local_text(value: str) -> str:
    """``2026-03-10T08:00:00+07:00`` as the sheet prints it: ``08:00 10/03/2026``."""
    return datetime.fromisoformat(value).strftime("%H:%M %d/%m/%Y")


@given("the desk has received a household business registration")
def receives_business(api: ApiOffice, journey: Journey) -> None:
    journey.codes["dossier"] = api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"]


@given("the desk has received a construction permit application")
def receives_building(api: ApiOffice, journey: Journey) -> None:
    journey.codes["dossier"] = api.submit("cap_phep_xay_dung", BUILDING)["code"]


@given(parsers.parse("{user} took it at {claim_time} on {claim_day} and handed it over at "
                     "{done_time} on {done_day}"))
def took_and_handed_over(api: ApiOffice, journey: Journey, user: str, claim_time: str,
                         claim_day: str, done_time: str, done_day: str) -> None:
    step = api.current(journey.codes["dossier"])
    api.at(moment(claim_day, claim_time))
    api.claim(step["id"], user)
    api.at(moment(done_day, done_time))
    api.complete(step["id"], user, DECISIONS[user])


@given("the desk found it complete")
def desk_found_complete(api: ApiOffice, journey: Journey) -> None:
    api.do_step(journey.codes["dossier"], {"ket_qua_kiem_tra": "hop_le"})


@given(parsers.parse('at {time} on {day} the urban office asked the applicant for "{what}"'))
def asks_for_documents(api: ApiOffice, journey: Journey, time: str, day: str,
                       what: str) -> None:
    api.at(moment(day, time))
    journey.notes["due"] = api.dossier(journey.codes["dossier"])["due_at"]
    api.do_step(journey.codes["dossier"],
                {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": what})


@when("the desk receives the additional documents")
def documents_arrive(api: ApiOffice, journey: Journey) -> None:
    api.do_step(journey.codes["dossier"], {"ket_qua_bo_sung": "da_bo_sung"})


@when(parsers.parse("the auditor reads the control sheet at {time} on {day}"))
def reads_sheet(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    api.at(moment(day, time))
    journey.answer = api.client("auditor").get(f"/dossiers/{journey.codes['dossier']}/timeline")
    assert journey.answer.status_code == 200, journey.answer.text


def _sheet(journey: Journey) -> dict[str, Any]:
    sheet: dict[str, Any] = journey.last().json()
    return sheet


@then(parsers.parse("the header says received at {received_time} on {received_day}, due at "
                    "{due_time} on {due_day}, {status}"))
def header_says(journey: Journey, received_time: str, received_day: str, due_time: str,
                due_day: str, status: str) -> None:
    header = _sheet(journey)["header"]
    assert header["code"] == journey.codes["dossier"]
    assert header["received_at"] == moment(received_day, received_time).isoformat()
    assert header["due_at"] == moment(due_day, due_time).isoformat()
    assert header["status"] == status


@then("the sheet has these rows:")
def sheet_rows(journey: Journey, datatable: list[list[str]]) -> None:
    expected = [dict(zip(datatable[0], row, strict=True)) for row in datatable[1:]]
    rows = _sheet(journey)["rows"]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        got = {
            "no": str(row["number"]), "from": row["from_department"] or "",
            "to": row["department"], "handed over by": row["handed_over_by"] or "",
            "handed over at": _local_text(row["handed_over_at"]),
            "received by": row["claimed_by"] or "",
            "waited": "" if row["waiting_hours"] is None else str(row["waiting_hours"]),
            "worked": "" if row["working_hours"] is None else str(row["working_hours"]),
            "result": row["result"] or "",
        }
        assert got == want


@then("the auditor can claim nothing and complete nothing")
def auditor_changes_nothing(api: ApiOffice, journey: Journey) -> None:
    step = api.current(journey.codes["dossier"])
    auditor = api.client("auditor")
    assert auditor.get(f"/tasks/{step['id']}").status_code == 200
    assert auditor.post(f"/tasks/{step['id']}/claim").status_code == 403
    assert auditor.post(f"/tasks/{step['id']}/complete",
                        json={"data": {"hinh_thuc_tra": "truc_tiep"}}).status_code == 403
    assert api.current(journey.codes["dossier"])["status"] == "open"


@then(parsers.parse("the sheet shows the clock paused for {hours:g} working hours waiting "
                    "for the applicant"))
def clock_paused(journey: Journey, hours: float) -> None:
    [pause] = _sheet(journey)["pauses"]
    assert pause["reason"] == "awaiting_applicant"
    assert pause["paused_hours"] == hours
    assert pause["resumed_at"] is not None


@then(parsers.parse("the due date moved {hours:g} working hours later"))
def due_moved(api: ApiOffice, journey: Journey, hours: float) -> None:
    before = datetime.fromisoformat(journey.notes["due"])
    history = _sheet(journey)["due_history"]
    assert [h["kind"] for h in history] == ["received", "pause"]
    moved = history[-1]
    expected = api.office.calendar.add_working_hours(before, hours)
    assert datetime.fromisoformat(moved["previous_due_at"]) == before
    assert datetime.fromisoformat(moved["due_at"]) == expected
    assert _sheet(journey)["header"]["due_at"] == moved["due_at"]
