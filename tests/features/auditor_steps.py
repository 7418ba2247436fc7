"""Auditors' and leaders' verbs over HTTP, and the steps of the auditors' and deadlines'
features (``auditors_*.feature``, ``deadlines_*.feature``).

Used by those features (``from tests.features.auditor_steps import *``) and by the API
integration tests of reports, the audit log, exports, documents and apologies. Times in the
sentences are local Hà Nội times ("16:00 on 2026-03-04").
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pytest_bdd import given, parsers, then, when

from engine.security import hash_password
from engine.service.apologies import flag_at_risk
from engine.service.demo import DEMO_PASSWORD
from engine.store.tables import audit_events
from tests.features.api_steps import ApiOffice, Journey, moment
from tests.helpers import members

BUSINESS = {"ten_ho_kinh_doanh": "Quán cà phê Hoa Sữa", "nganh_nghe": "Dịch vụ ăn uống",
            "dia_chi": "Số 12 Lê Lợi, Hà Đông", "von_kinh_doanh": 80_000_000}
BUILDING = {"chu_dau_tu": "Ngô Thị Hạnh", "dia_chi_cong_trinh": "Tổ 3, phường Mộ Lao",
            "dien_tich_xay_dung": 72, "so_tang": 3}
COPY_DATA = {"ten_giay_to": "Giấy khai sinh", "pages": 2, "copies": 1}
# What each step records when it goes the ordinary way, by procedure, in order.
ROUTES: dict[str, list[dict[str, Any]]] = {
    "chung_thuc_ban_sao": [{"ket_qua_kiem_tra": "hop_le"},
                           {"ket_qua_xu_ly": "dat", "so_chung_thuc": "12/2026"},
                           {"y_kien_lanh_dao": "dong_y"}, {"hinh_thuc_tra": "truc_tiep"}],
    "dang_ky_ho_kinh_doanh": [{"ket_qua_kiem_tra": "hop_le"}, {"ket_qua_tham_dinh": "dat"},
                              {"y_kien_lanh_dao": "dong_y"}, {"hinh_thuc_tra": "truc_tiep"}],
    "cap_phep_xay_dung": [{"ket_qua_kiem_tra": "hop_le"}, {"ket_qua_tham_dinh": "dat"},
                          {"ket_qua_hien_trang": "phu_hop"}, {"y_kien_lanh_dao": "dong_y"},
                          {"hinh_thuc_tra": "truc_tiep"}],
}
START_DATA = {"chung_thuc_ban_sao": COPY_DATA, "dang_ky_ho_kinh_doanh": BUSINESS,
              "cap_phep_xay_dung": BUILDING}
PROCEDURES = {"copy certification": "chung_thuc_ban_sao",
              "household business registration": "dang_ky_ho_kinh_doanh",
              "construction permit": "cap_phep_xay_dung"}
SITE_INSPECTION = "Task_KiemTraHienTrang"


# ---- verbs ------------------------------------------------------------------------------

def add_user(api: ApiOffice, username: str, roles: set[str], departments: set[str],
             full_name: str = "Cán bộ thử") -> None:
    """A user of the office besides the demo ones (password ``demo``)."""
    with api.office.db.unit_of_work() as uow:
        uow.org.upsert_user(username, full_name, hash_password(DEMO_PASSWORD),
                            set(roles) & {"admin", "designer"},
                            members(set(roles) - {"admin", "designer"}, set(departments)))
        uow.commit()


def receive(api: ApiOffice, procedure: str, at: datetime, channel: str = "direct",
            applicant: dict[str, Any] | None = None) -> str:
    api.at(at)
    return str(api.submit(procedure, START_DATA[procedure],
                          by=None if channel == "online" else "reception", channel=channel,
                          applicant=applicant)["code"])


def finish(api: ApiOffice, code: str, procedure: str, at: datetime,
           skip: int = 0) -> None:
    """Every remaining ordinary step of the dossier, done at ``at``; ``skip`` steps of the
    route are already done."""
    api.at(at)
    for data in ROUTES[procedure][skip:]:
        api.do_step(code, data)


def handled(api: ApiOffice, procedure: str, received: datetime, returned: datetime,
            channel: str = "direct") -> str:
    """A dossier received at one moment and taken through every step at another."""
    code = receive(api, procedure, received, channel)
    finish(api, code, procedure, returned)
    return code


def timed_step(api: ApiOffice, code: str, data: dict[str, Any], claimed: datetime,
               done: datetime) -> None:
    step = api.current(code)
    user = {"MOT_CUA": "reception", "QLDT": "urban", "TC_KH": "finance",
            "TU_PHAP": "justice", "LANH_DAO": "leader"}[step["department"]]
    api.at(claimed)
    api.claim(step["id"], user)
    api.at(done)
    api.complete(step["id"], user, data)


def get_json(api: ApiOffice, user: str, path: str, **params: Any) -> Any:
    answer = api.client(user).get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def statistics(api: ApiOffice, user: str, date_from: str, date_to: str,
               group_by: str = "procedure", fmt: str = "json") -> Any:
    answer = api.client(user).get("/reports/statistics", params={
        "from": date_from, "to": date_to, "group_by": group_by, "format": fmt})
    assert answer.status_code == 200, answer.text
    return answer.json() if fmt == "json" else answer


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The data rows of a report workbook (after the two header rows), STT column dropped."""
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(min_row=6, values_only=True)]
    return [r[1:] for r in rows if any(v is not None for v in r[1:])]


def percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f} %"


# ---- shared steps -----------------------------------------------------------------------

@given(parsers.parse("the desk received a {procedure} at {time} on {day} and returned it "
                     "at {done_time} on {done_day}"))
def received_and_returned(api: ApiOffice, journey: Journey, procedure: str, time: str,
                          day: str, done_time: str, done_day: str) -> None:
    code = handled(api, PROCEDURES[procedure], moment(day, time), moment(done_day, done_time))
    journey.codes[f"dossier {len(journey.codes) + 1}"] = code


# ---- an auditor compares two procedures -------------------------------------------------

@when(parsers.parse("the auditor asks at {time} on {day} for the statistics from {first} to "
                    "{last} by procedure"))
def asks_statistics(api: ApiOffice, journey: Journey, time: str, day: str, first: str,
                    last: str) -> None:
    api.at(moment(day, time))
    journey.notes["period"] = (first, last)
    journey.notes["report"] = statistics(api, "auditor", first, last)


@then("the report has these rows:")
def report_rows(journey: Journey, datatable: list[list[str]]) -> None:
    rows = {r["key"]: r for r in journey.notes["report"]["rows"]}
    expected = [dict(zip(datatable[0], row, strict=True)) for row in datatable[1:]]
    assert sorted(rows) == sorted(e["procedure"] for e in expected)
    for want in expected:
        row = rows[want["procedure"]]
        got = {"procedure": row["key"], "received": str(row["received"]),
               "early": str(row["resolved_early"]), "on time": str(row["resolved_on_time"]),
               "late": str(row["resolved_late"]), "on-time rate": percent(row["on_time_rate"])}
        assert got == want


@then(parsers.parse("the totals row says {received:d} received, {in_time:d} resolved early "
                    "or on time out of {resolved:d}"))
def totals_row(journey: Journey, received: int, in_time: int, resolved: int) -> None:
    totals = journey.notes["report"]["totals"]
    assert totals["received"] == received
    assert totals["resolved_early"] + totals["resolved_on_time"] == in_time
    assert totals["resolved"] == resolved
    assert totals["on_time_rate"] == pytest.approx(in_time / resolved)


@then("the spreadsheet download shows the same figures")
def spreadsheet_same(api: ApiOffice, journey: Journey) -> None:
    first, last = journey.notes["period"]
    report = journey.notes["report"]
    answer = statistics(api, "auditor", first, last, fmt="xlsx")
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    # Form 06 is laid out like the paper form: its header lines, then STT and the label.
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    labels = [r["label"] for r in report["rows"]] + ["Tổng cộng"]
    table = {r[1]: r for r in rows if r[1] in labels}
    assert sorted(table) == sorted(labels)
    for row in [*report["rows"], report["totals"]]:
        line = table[row["label"]]
        assert line[2:6] == [row["received"], row["new_online"], row["new_offline"],
                             row["carried_over"]]
        assert line[6:10] == [row["resolved"], row["resolved_early"], row["on_time"],
                              row["resolved_late"]]
        assert line[-1] == pytest.approx(row["on_time_rate"])


# ---- a leader finds the step that makes permits late ------------------------------------

def permit(api: ApiOffice, received: datetime, appraisal_days: float,
           inspection_days: float) -> str:
    """A construction permit whose appraisal and site inspection took these working days;
    the leader signs and the desk returns it the moment the inspection is done."""
    calendar = api.office.calendar
    code = receive(api, "cap_phep_xay_dung", received)
    checked = calendar.add_working_hours(received, 0.5)
    timed_step(api, code, {"ket_qua_kiem_tra": "hop_le"}, received, checked)
    appraised = calendar.add_working_days(checked, appraisal_days)
    timed_step(api, code, {"ket_qua_tham_dinh": "dat"}, checked, appraised)
    inspected = calendar.add_working_days(appraised, inspection_days)
    timed_step(api, code, {"ket_qua_hien_trang": "phu_hop"}, appraised, inspected)
    finish(api, code, "cap_phep_xay_dung", inspected, skip=3)
    return code


@given(parsers.parse("{count:d} construction permits received at {time} on {day} whose site "
                     "inspection took {days:d} working days"))
def slow_permits(api: ApiOffice, journey: Journey, count: int, time: str, day: str,
                 days: int) -> None:
    for _ in range(count):
        journey.codes[f"permit {len(journey.codes) + 1}"] = \
            permit(api, moment(day, time), 1, days)


@given(parsers.parse("a fourth, received at {time} on {day}, whose appraisal also took "
                     "{appraisal:d} working days and site inspection {inspection:d}"))
def slow_appraisal(api: ApiOffice, journey: Journey, time: str, day: str, appraisal: int,
                   inspection: int) -> None:
    journey.codes["slow appraisal"] = permit(api, moment(day, time), appraisal, inspection)


@given(parsers.parse("one construction permit received at {time} on {day} handled within "
                     "every step's time"))
def quick_permit(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    journey.codes["quick permit"] = permit(api, moment(day, time), 1, 3)


@when(parsers.parse("the leader asks at {time} on {day} for the steps report of "
                    "{procedure} from {first} to {last}"))
def asks_steps(api: ApiOffice, journey: Journey, time: str, day: str, procedure: str,
               first: str, last: str) -> None:
    api.at(moment(day, time))
    journey.notes["steps"] = get_json(api, "leader", "/reports/steps", procedure=procedure,
                                      **{"from": first, "to": last})


@then(parsers.parse("{count:d} permits were resolved late in the period"))
def late_permits(journey: Journey, count: int) -> None:
    assert journey.notes["steps"]["late_dossiers"] == count


@then(parsers.parse('the step that most often made a permit late is "{name}" of '
                    '{department}, in {count:d} of the {total:d} late permits'))
def worst_step(journey: Journey, name: str, department: str, count: int, total: int) -> None:
    report = journey.notes["steps"]
    first = report["late_steps"][0]
    assert (first["step_name"], first["department"], first["dossiers"]) == \
        (name, department, count)
    assert first["share"] == pytest.approx(count / total)
    assert all(other["dossiers"] < count for other in report["late_steps"][1:])


@then(parsers.parse('next comes "{name}", in {count:d} late permit'))
def next_step(journey: Journey, name: str, count: int) -> None:
    second = journey.notes["steps"]["late_steps"][1]
    assert (second["step_name"], second["dossiers"]) == (name, count)


@then(parsers.parse("the site inspection's median working time is {hours:g} working hours"))
def inspection_median(journey: Journey, hours: float) -> None:
    [row] = [s for s in journey.notes["steps"]["steps"] if s["step_id"] == SITE_INSPECTION]
    assert row["working"]["median"] == pytest.approx(hours)


# ---- an inspection team verifies the log ------------------------------------------------

def verify(api: ApiOffice, user: str = "auditor") -> Any:
    return get_json(api, user, "/audit/verify")


def dossier_id(api: ApiOffice, code: str) -> int:
    with api.office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.by_code(code)
    assert found is not None
    return found.id


def event_of(api: ApiOffice, code: str, kind: str, step: str | None = None) -> Any:
    """One event of the dossier's chain, as stored."""
    with api.office.db.unit_of_work(readonly=True) as uow:
        rows = list(uow.conn.execute(sa.select(audit_events).where(
            audit_events.c.chain_id == dossier_id(api, code)).order_by(audit_events.c.seq)))
    # The handover names the step; the item's later events name only the item.
    items = {r.work_item_id for r in rows
             if r.kind == "item_handed_over" and r.data.get("step") == step}
    found = [r for r in rows if r.kind == kind and (step is None or r.work_item_id in items)]
    assert found, f"no {kind} event for {step} in {code}"
    return found[0]


def set_event_data(api: ApiOffice, event: Any, data: dict[str, Any]) -> None:
    """What someone with write access to the database would do, bypassing the engine."""
    with api.office.db.unit_of_work() as uow:
        uow.conn.execute(audit_events.update().where(audit_events.c.chain_id == event.chain_id,
                                                     audit_events.c.seq == event.seq)
                         .values(data=data))
        uow.commit()


@given("the desk has received and returned two copy certifications")
def two_certifications(api: ApiOffice, journey: Journey) -> None:
    for name in ("first", "second"):
        code = api.submit()["code"]
        api.certify(code)
        journey.codes[name] = code


@when("someone with access to the database rewrites the justice officer's decision on the "
      "first dossier in the audit log")
def tampers(api: ApiOffice, journey: Journey, request: pytest.FixtureRequest) -> None:
    event = event_of(api, journey.codes["first"], "item_completed", "Task_XuLy")
    journey.notes["tampered"] = event
    set_event_data(api, event, {**event.data, "data": {"ket_qua_xu_ly": "tu_choi"}})
    # Whatever the scenario does next, later scenarios find the log as it was written.
    request.addfinalizer(lambda: set_event_data(api, event, event.data))


@when("the record is put back as it was")
def puts_back(api: ApiOffice, journey: Journey) -> None:
    event = journey.notes["tampered"]
    set_event_data(api, event, event.data)


@when("the inspection team verifies the audit log")
def inspection_verifies(api: ApiOffice, journey: Journey) -> None:
    journey.notes["verify"] = verify(api)


@then("the log is reported broken")
def reported_broken(journey: Journey) -> None:
    assert journey.notes["verify"]["intact"] is False


@then(parsers.parse('the first break names the first dossier and the edited event: "{reason}"'))
def break_named(api: ApiOffice, journey: Journey, reason: str) -> None:
    event = journey.notes["tampered"]
    first = journey.notes["verify"]["first_break"]
    assert first == {"chain": f"d:{event.chain_id}", "seq": event.seq, "reason": reason,
                     "dossier_code": journey.codes["first"]}


@then("no other chain is reported broken")
def only_that_chain(journey: Journey) -> None:
    result = journey.notes["verify"]
    assert result["breaks"] == [result["first_break"]]


@then("the log is reported intact, every event of every chain checked")
def reported_intact(api: ApiOffice, journey: Journey) -> None:
    result = journey.notes["verify"]
    assert result["intact"] is True and result["first_break"] is None
    with api.office.db.unit_of_work(readonly=True) as uow:
        count = uow.conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
        chains = uow.conn.execute(sa.select(sa.func.count(sa.distinct(audit_events.c.chain_id))))
        assert (result["events_checked"], result["chains_checked"]) == \
            (count, chains.scalar())


# ---- deadlines: the apology -------------------------------------------------------------

@given("the desk has received a household business registration and handed it to the "
       "finance office")
def business_at_finance(api: ApiOffice, journey: Journey) -> None:
    code = api.submit("dang_ky_ho_kinh_doanh", BUSINESS)["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    journey.codes["registration"] = code


@when("the timer worker looks for dossiers at risk")
def timer_worker(api: ApiOffice) -> None:
    flag_at_risk(api.office)


def at_risk_codes(api: ApiOffice, user: str = "leader") -> dict[str, Any]:
    return {d["code"]: d for d in get_json(api, user, "/dossiers/at-risk")}


@then(parsers.parse("the leader's list of dossiers at risk shows the registration, due at "
                    "{time} on {day}"))
def on_the_list(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    listed = at_risk_codes(api)[journey.codes["registration"]]
    assert listed["due_at"] == moment(day, time).isoformat()
    assert listed["at_risk_at"] is not None
    assert [s["department"] for s in listed["current_steps"]] == ["TC_KH"]


@when(parsers.parse('the leader apologises with a new return date of {day}: "{reason}"'))
def apologises(api: ApiOffice, journey: Journey, day: str, reason: str) -> None:
    answer = api.client("leader").post(f"/dossiers/{journey.codes['registration']}/apology",
                                       json={"new_due_at": day, "reason": reason})
    assert answer.status_code == 201, answer.text
    journey.notes["apology"] = answer.json()


@then("the registration is no longer on the list of dossiers at risk")
def off_the_list(api: ApiOffice, journey: Journey) -> None:
    assert journey.codes["registration"] not in at_risk_codes(api)


@then(parsers.parse("the apology letter gives the reason, the date promised at {time} on "
                    "{day} and the new date at {new_time} on {new_day}"))
def letter(api: ApiOffice, journey: Journey, time: str, day: str, new_time: str,
           new_day: str) -> None:
    answer = api.client("leader").get(f"/dossiers/{journey.codes['registration']}/apology.html")
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in html
    assert f"Lý do: <strong>{journey.notes['apology']['reason']}</strong>" in html
    for when_, at in ((day, time), (new_day, new_time)):
        shown = moment(when_, at).strftime("%H giờ %M phút, ngày %d/%m/%Y")
        assert shown in html


@then(parsers.parse("the control sheet still shows the legal due date {time} on {day}"))
def sheet_due(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    sheet = get_json(api, "auditor", f"/dossiers/{journey.codes['registration']}/timeline")
    assert sheet["header"]["due_at"] == moment(day, time).isoformat()
    assert sheet["header"]["appointment_at"] == journey.notes["apology"]["new_due_at"]
    assert sheet["due_history"][-1]["kind"] == "apology"


@when(parsers.parse("the finance office, the leader and the desk finish the registration at "
                    "{time} on {day}"))
def finish_registration(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    finish(api, journey.codes["registration"], "dang_ky_ho_kinh_doanh", moment(day, time),
           skip=1)


@then(parsers.parse("the dossier is resolved {verdict}"))
def resolved(api: ApiOffice, journey: Journey, verdict: str) -> None:
    code = journey.codes.get("registration") or journey.codes["permit"]
    found = api.dossier(code)
    assert found["status"] == "resolved"
    assert found["deadline_status"] == verdict.replace(" ", "_")


@then(parsers.parse("the statistics from {first} to {last} count it as resolved {verdict}"))
def counted(api: ApiOffice, journey: Journey, first: str, last: str, verdict: str) -> None:
    code = journey.codes.get("registration") or journey.codes["permit"]
    procedure = api.dossier(code)["procedure_key"]
    report = statistics(api, "auditor", first, last)
    [row] = [r for r in report["rows"] if r["key"] == procedure]
    assert row["resolved_" + verdict.replace(" ", "_")] == 1
    assert row["resolved"] == 1


# ---- deadlines: a supplement stops the clock --------------------------------------------

@given("the desk has received a construction permit application and found it complete")
def permit_received(api: ApiOffice, journey: Journey) -> None:
    code = api.submit("cap_phep_xay_dung", BUILDING)["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    journey.codes["permit"] = code
    journey.notes["due"] = api.dossier(code)["due_at"]


@when(parsers.parse('the urban office asks the applicant for "{what}"'))
def asks_supplement(api: ApiOffice, journey: Journey, what: str) -> None:
    api.do_step(journey.codes["permit"], {"ket_qua_tham_dinh": "bo_sung",
                                          "noi_dung_bo_sung": what})


@then("the dossier is awaiting the applicant's papers")
def awaiting(api: ApiOffice, journey: Journey) -> None:
    assert api.dossier(journey.codes["permit"])["status"] == "awaiting_supplement"


@then(parsers.parse('the supplement request letter asks for "{what}"'))
def supplement_letter(api: ApiOffice, journey: Journey, what: str) -> None:
    answer = api.client("urban").get(f"/dossiers/{journey.codes['permit']}/supplement.html")
    assert answer.status_code == 200, answer.text
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in answer.text
    assert f">{what}</p>" in answer.text


@when("the desk receives the applicant's papers")
def papers_arrive(api: ApiOffice, journey: Journey) -> None:
    api.do_step(journey.codes["permit"], {"ket_qua_bo_sung": "da_bo_sung",
                                          "giay_to_bo_sung": "Bản vẽ móng, mặt cắt"})


@then(parsers.parse("the clock was stopped for {hours:g} working hours"))
def stopped(api: ApiOffice, journey: Journey, hours: float) -> None:
    sheet = get_json(api, "auditor", f"/dossiers/{journey.codes['permit']}/timeline")
    [pause] = sheet["pauses"]
    assert pause["paused_hours"] == hours and pause["resumed_at"] is not None
    journey.notes["paused"] = hours


@then(parsers.parse("the due date moved from {time} on {day} by exactly the paused time, to "
                    "{new_time} on {new_day}"))
def due_moved(api: ApiOffice, journey: Journey, time: str, day: str, new_time: str,
              new_day: str) -> None:
    before, after = moment(day, time), moment(new_day, new_time)
    assert journey.notes["due"] == before.isoformat()
    assert api.office.calendar.add_working_hours(before, journey.notes["paused"]) == after
    sheet = get_json(api, "auditor", f"/dossiers/{journey.codes['permit']}/timeline")
    moved = sheet["due_history"][-1]
    assert (moved["kind"], moved["previous_due_at"], moved["due_at"]) == \
        ("pause", before.isoformat(), after.isoformat())
    assert api.dossier(journey.codes["permit"])["due_at"] == after.isoformat()


@when(parsers.parse("the urban office appraises it and inspects the site, the leader signs "
                    "and the desk returns the permit at {time} on {day}"))
def permit_done(api: ApiOffice, journey: Journey, time: str, day: str) -> None:
    finish(api, journey.codes["permit"], "cap_phep_xay_dung", moment(day, time), skip=1)
