"""The applicant's own journey over HTTP, without an account (applicant_online.feature):
online filing with scans, the public status page, the online supplement, the rating on the
survey's questions, and a lost secret."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from pytest_bdd import parsers, scenarios, then, when

from engine.model import OutboxMessage
from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import APPLICANT, ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("applicant_online.feature")

ME: dict[str, Any] = {**APPLICANT, "name": "Đặng Văn Khoa", "email": "khoa.dang@example.vn",
                      "notify": ["email", "sms"]}
PDF = b"%PDF-1.7\n" + b"ban scan giay to " * 200
PAPERS = ("don_de_nghi", "giay_to_dat", "ban_ve")
DESK_DOCUMENTS = [{"code": "don_de_nghi", "form": "original", "count": 1},
                  {"code": "giay_to_dat", "form": "copy", "count": 1},
                  {"code": "ban_ve", "form": "original", "count": 2}]
ADDRESS = "192.0.2.44"
STAGES = {"the office is checking my dossier at the desk": "desk_check",
          "the office is handling my dossier": "processing",
          "the office is waiting for my supplement": "awaiting_supplement",
          "my permit is ready to collect": "result_ready",
          "my dossier is finished": "finished"}
STAFF = ("Nguyễn Thị Lan", "Phạm Quốc Huy", "Đỗ Văn Thành", "reception", "urban", "leader")


def _code(journey: Journey) -> str:
    return str(journey.receipts["mine"]["code"])


def _secret(journey: Journey) -> str:
    return str(journey.notes.get("secret") or journey.receipts["mine"]["secret"])


def _public(api: ApiOffice, code: str) -> dict[str, Any]:
    answer = httpx.get(f"{api.url}/api/v1/public/dossiers/{code}",
                       headers={"X-Forwarded-For": ADDRESS})
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def _secret_messages(api: ApiOffice, code: str) -> list[OutboxMessage]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        assert dossier is not None
        return [m for m in uow.outbox.for_dossier(dossier.id) if m.kind == "secret"]


@when(parsers.parse("I file online for a permit to build a {floors:d}-storey house of "
                    "{area:d} m² with a scan of each paper"))
def file_online(api: ApiOffice, journey: Journey, floors: int, area: int) -> None:
    filing = {"procedure": "cap_phep_xay_dung", "applicant": ME, "data": {
        "chu_dau_tu": ME["name"], "dia_chi_cong_trinh": "Tổ 7, phường Văn Quán",
        "dien_tich_xay_dung": area, "so_tang": floors}}
    answer = httpx.post(
        f"{api.url}/api/v1/public/filings",
        data={"filing": json.dumps(filing), "documents": list(PAPERS)},
        files=[("files", (f"{paper}.pdf", PDF, "application/pdf")) for paper in PAPERS],
        headers={"X-Forwarded-For": ADDRESS})
    assert answer.status_code == 201, answer.text
    journey.receipts["mine"] = answer.json()


@then("the receipt gives me a dossier code and a secret of 8 characters")
def receipt_has_code_and_secret(journey: Journey) -> None:
    receipt = journey.receipts["mine"]
    assert re.fullmatch(r"[0-9A-Z.]+-\d{6}-\d{4}", receipt["code"]), receipt
    assert re.fullmatch(r"[A-Z2-9]{8}", receipt["secret"]), receipt


@then(parsers.parse("looking up my code in lower case with spaces, {stage}"))
def lookup_typed(api: ApiOffice, journey: Journey, stage: str) -> None:
    typed = " ".join(_code(journey).lower().replace("-", " - ").split(" "))
    form = httpx.get(f"{api.url}/tra-cuu", params={"code": f"  {typed} "},
                     headers={"X-Forwarded-For": ADDRESS})
    assert form.status_code == 303 and form.headers["location"] == f"/tra-cuu/{_code(journey)}"
    assert _public(api, _code(journey).lower())["stage"] == STAGES[stage]


@then(parsers.parse("looking up my code, {stage}"))
def lookup(api: ApiOffice, journey: Journey, stage: str) -> None:
    assert _public(api, _code(journey))["stage"] == STAGES[stage]


@when("the one-stop desk accepts my dossier")
def desk_accepts(api: ApiOffice, journey: Journey) -> None:
    answer = api.client("reception").post(f"/dossiers/{_code(journey)}/check", json={
        "decision": "accept", "documents": DESK_DOCUMENTS})
    assert answer.status_code == 200, answer.text
    journey.notes["due_at"] = _public(api, _code(journey))["due_at"]


@then(parsers.parse('the steps done so far are "{names}"'))
def steps_done(api: ApiOffice, journey: Journey, names: str) -> None:
    assert [s["name"] for s in _public(api, _code(journey))["steps"]] == names.split('", "')


@when(parsers.parse('the Urban Management office asks me for "{what}"'))
def department_asks(api: ApiOffice, journey: Journey, what: str) -> None:
    api.do_step(_code(journey), {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": what})


@then(parsers.parse('with my code and secret I see that the office asks for "{what}"'))
def sees_request(api: ApiOffice, journey: Journey, what: str) -> None:
    answer = httpx.get(f"{api.url}/api/v1/public/dossiers/{_code(journey)}/supplement",
                       headers={"X-Receipt-Secret": _secret(journey),
                                "X-Forwarded-For": ADDRESS})
    assert answer.status_code == 200, answer.text
    assert [m["name"] for m in answer.json()["missing"]] == [what]


@when("I upload the site plan with my code and secret")
def upload_supplement(api: ApiOffice, journey: Journey) -> None:
    answer = httpx.post(f"{api.url}/api/v1/public/dossiers/{_code(journey)}/supplement",
                        data={"secret": _secret(journey)},
                        files=[("files", ("mat-bang-vi-tri.pdf", PDF, "application/pdf"))],
                        headers={"X-Forwarded-For": ADDRESS})
    assert answer.status_code == 201, answer.text


@then(parsers.parse("the clock stopped while the office waited for me, {hours:d} working "
                    "hours"))
def clock_paused(api: ApiOffice, journey: Journey, hours: int) -> None:
    sheet = api.client("auditor").get(f"/dossiers/{_code(journey)}/timeline").json()
    [pause] = sheet["pauses"]
    assert pause["paused_hours"] == hours and pause["resumed_at"] is not None


@then(parsers.parse("my due date moved by those {hours:d} working hours"))
def due_moved(api: ApiOffice, journey: Journey, hours: int) -> None:
    sheet = api.client("auditor").get(f"/dossiers/{_code(journey)}/timeline").json()
    last = sheet["due_history"][-1]
    assert last["kind"] == "pause"
    now = _public(api, _code(journey))["due_at"]
    assert now != journey.notes["due_at"] and last["new_due_at"] == now


@when("the Urban Management office finds my dossier eligible and my plot as declared")
def appraised(api: ApiOffice, journey: Journey) -> None:
    api.do_step(_code(journey), {"ket_qua_tham_dinh": "dat"})
    api.do_step(_code(journey), {"ket_qua_hien_trang": "phu_hop", "ngay_kiem_tra": "2026-06-12",
                                 "bien_ban": "Hiện trạng khu đất phù hợp với hồ sơ."})


@when("the leader signs the permit")
def leader_signs(api: ApiOffice, journey: Journey) -> None:
    api.do_step(_code(journey), {"y_kien_lanh_dao": "dong_y"})


@when("the one-stop desk hands me the permit")
def desk_returns(api: ApiOffice, journey: Journey) -> None:
    api.do_step(_code(journey), {"hinh_thuc_tra": "truc_tiep", "so_bien_lai": "0001234",
                                 "nguoi_nhan": ME["name"]})


@then("the status page shows each step done with its date and no one's name")
def page_shows_steps(api: ApiOffice, journey: Journey) -> None:
    public = _public(api, _code(journey))
    assert len(public["steps"]) == 7 and all(s["finished_at"] for s in public["steps"])
    page = httpx.get(f"{api.url}/tra-cuu/{_code(journey)}",
                     headers={"X-Forwarded-For": ADDRESS}).text
    assert "Tiếp nhận hồ sơ bổ sung" in page and "Phê duyệt, ký giấy phép xây dựng" in page
    for name in (*STAFF, ME["name"], ME["id_number"], ME["phone"]):
        assert name not in page, name


@then("I rate the service on every question of the survey with my secret")
def rate_all(api: ApiOffice, journey: Journey) -> None:
    survey = httpx.get(f"{api.url}/api/v1/public/survey").json()
    answers: dict[str, Any] = {}
    for q in survey["questions"]:
        answers[q["code"]] = {"satisfaction5": 4, "yes_no": True, "count": 1}[q["scale"]]
    body = {"secret": _secret(journey), **{k: answers.pop(k) for k in
                                           ("satisfaction", "on_time", "staff_attitude",
                                            "visits")}, "answers": answers}
    rated = api.client().post(f"/public/dossiers/{_code(journey)}/rating", json=body)
    assert rated.status_code == 201, rated.text
    assert _public(api, _code(journey))["rated"] is True


@then("the satisfaction sheet of the period counts my answers")
def sheet_counts(api: ApiOffice) -> None:
    sheet = api.client("auditor").get("/reports/satisfaction", params={"period": "2026-M6"})
    assert sheet.status_code == 200, sheet.text
    totals = sheet.json()["totals"]
    assert totals["rated"] >= 1 and totals["access_share"] is not None


@when(parsers.parse("I lost the secret and ask for a new one by SMS with my ID number and "
                    "phone typed with spaces"))
def ask_new_secret(api: ApiOffice, journey: Journey) -> None:
    journey.answer = httpx.post(
        f"{api.url}/api/v1/public/dossiers/{_code(journey)}/secret-recovery",
        json={"id_number": " ".join(ME["id_number"][i:i + 3] for i in range(0, 12, 3)),
              "phone": "+84 " + ME["phone"][1:], "channel": "sms"},
        headers={"X-Forwarded-For": ADDRESS})


@then("I am told a new secret was sent if my details match, without the secret")
def told_sent(api: ApiOffice, journey: Journey) -> None:
    answer = journey.last()
    assert answer.status_code == 202, answer.text
    assert answer.json()["detail"].startswith("Nếu thông tin khớp với hồ sơ")
    journey.notes["told"] = answer.json()


@then("a text message with a new secret waits to be sent to my phone")
def sms_queued(api: ApiOffice, journey: Journey) -> None:
    [sms] = _secret_messages(api, _code(journey))
    assert sms.channel == "sms" and sms.recipient == ME["phone"]
    found = re.search(r"\b([A-Z2-9]{8})\b", sms.body.split(_code(journey))[-1])
    assert found, sms.body
    assert found.group(1) not in journey.last().text
    journey.notes["secret"] = found.group(1)


@then("the old secret no longer opens my dossier, the new one does")
def old_secret_dead(api: ApiOffice, journey: Journey) -> None:
    # The dossier is not finished: the right secret gets "not yet" (409), a wrong one 403.
    path = f"{api.url}/api/v1/public/dossiers/{_code(journey)}/rating"
    old = httpx.post(path, json={"secret": journey.receipts["mine"]["secret"],
                                 "satisfaction": 5}, headers={"X-Forwarded-For": ADDRESS})
    assert old.status_code == 403, old.text
    new = httpx.post(path, json={"secret": journey.notes["secret"], "satisfaction": 5},
                     headers={"X-Forwarded-For": ADDRESS})
    assert new.status_code == 409, new.text


@when("someone asks for a new secret with my code and a wrong phone number")
def wrong_phone(api: ApiOffice, journey: Journey) -> None:
    journey.answer = httpx.post(
        f"{api.url}/api/v1/public/dossiers/{_code(journey)}/secret-recovery",
        json={"id_number": ME["id_number"], "phone": "0900000000", "channel": "sms"},
        headers={"X-Forwarded-For": "192.0.2.99"})


@then("they are told the same words")
def same_words(journey: Journey) -> None:
    assert journey.last().status_code == 202
    assert journey.last().json() == journey.notes["told"]


@then("no other message is sent")
def no_other(api: ApiOffice, journey: Journey) -> None:
    assert len(_secret_messages(api, _code(journey))) == 1
