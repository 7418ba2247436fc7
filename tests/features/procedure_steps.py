"""Step definitions for the procedure features, phrased as the one-stop office speaks.

Every action goes through the engine's use cases (submit, claim, complete) as one of the
demo users; every check reads what the office would see: the dossier's status, due date
and fee, the steps in the departments' queues, and the dossier's audit trail. Times in
the sentences are local Hà Nội times ("16:00 on 2026-03-04").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from parse import with_pattern
from pytest_bdd import given, parsers, then, when

from engine.audit.status import judge_done, judge_pending
from engine.errors import NotAllowed
from engine.model import AuditEvent, User, WorkItem
from engine.runtime.clock import ManualClock
from engine.service import dossiers, work
from engine.service.demo import FIRST_WARD
from engine.service.office import Office
from tests.conftest import LOCAL
from tests.helpers import active_items, all_items, do_step, dossier, the_item

# ---- words of the office ----------------------------------------------------------------

# Who acts, and as which demo user.
ACTORS = {
    "the one-stop desk": "reception",
    "the justice officer": "justice",
    "the civil-status officer": "justice",
    "the finance officer": "finance",
    "the Finance–Planning office": "finance",
    "the urban officer": "urban",
    "the Urban Management office": "urban",
    "the leader": "leader",
    "the chairman": "leader",
}

# How the dossier reaches the office.
CHANNELS = {"at the one-stop desk": "direct", "by post": "post", "online": "online"}

STATUSES = {
    "refused": "refused",
    "not accepted at the desk": "not_accepted",
    "withdrawn": "withdrawn",
    "being processed": "processing",
    "awaiting the applicant's supplement": "awaiting_supplement",
}

VERDICTS = {"early": "early", "on time": "on_time", "late": "late"}
PENDING = {"within its deadline": "within", "overdue": "overdue"}

# The decision a refusal writes, by the step's form (the part between key and ".json").
REFUSALS = {
    "kiem_tra": ("ket_qua_kiem_tra", "tu_choi"),
    "tiep_nhan": ("ket_qua_kiem_tra", "tu_choi"),
    "xu_ly": ("ket_qua_xu_ly", "tu_choi"),
    "tham_dinh": ("ket_qua_tham_dinh", "tu_choi"),
    "kiem_tra_hien_trang": ("ket_qua_hien_trang", "khong_phu_hop"),
}


def _one_of(words: dict[str, str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


@with_pattern(_one_of(ACTORS))
def _actor(text: str) -> str:
    return ACTORS[text]


@with_pattern(_one_of(CHANNELS))
def _channel(text: str) -> str:
    return CHANNELS[text]


@with_pattern(_one_of(STATUSES))
def _status(text: str) -> str:
    return STATUSES[text]


@with_pattern(_one_of(VERDICTS))
def _verdict(text: str) -> str:
    return VERDICTS[text]


@with_pattern(_one_of(PENDING))
def _pending(text: str) -> str:
    return PENDING[text]


@with_pattern(r"\d{2}:\d{2} on \d{4}-\d{2}-\d{2}")
def _moment(text: str) -> datetime:
    """A moment written as "16:00 on 2026-03-04", in Hà Nội time."""
    return datetime.strptime(text, "%H:%M on %Y-%m-%d").replace(tzinfo=LOCAL)


@with_pattern(r"\d{1,3}(?:,\d{3})*")
def _money(text: str) -> int:
    return int(text.replace(",", ""))


@with_pattern(r"\d+ pages?")
def _pages(text: str) -> int:
    return int(text.split()[0])


@with_pattern(r"\d+ cop(?:y|ies)")
def _copies(text: str) -> int:
    return int(text.split()[0])


@with_pattern(r"once|twice|\d+ times")
def _times(text: str) -> int:
    return {"once": 1, "twice": 2}.get(text) or int(text.split()[0])


@with_pattern(r"[A-Z_]+")
def _department(text: str) -> str:
    return text


@with_pattern(r"[\w]+(?:, [\w]+)*")
def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",")]


TYPES = {
    "Actor": _actor, "Channel": _channel, "Status": _status, "Verdict": _verdict,
    "Pending": _pending, "Moment": _moment, "Money": _money, "Pages": _pages,
    "Copies": _copies, "Times": _times, "Department": _department, "Words": _words,
}


def phrase(text: str) -> parsers.parse:
    return parsers.parse(text, extra_types=TYPES)


def shown(moment: datetime | None) -> str:
    """A moment as the office reads it, for assertion messages."""
    return "none" if moment is None else f"{moment.astimezone(LOCAL):%H:%M on %Y-%m-%d}"


# ---- the dossier at hand ----------------------------------------------------------------

@dataclass
class Case:
    """The dossier a scenario follows, and the outcome of the last attempt to act on it."""

    receipt: dossiers.Receipt | None = None
    refusal: Exception | None = None

    @property
    def dossier_id(self) -> int:
        assert self.receipt is not None, "no dossier has been submitted in this scenario"
        return self.receipt.dossier_id


@pytest.fixture
def case() -> Case:
    return Case()


APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345"}


def _submit(office: Office, users: dict[str, User], clock: ManualClock, case: Case,
            procedure: str, channel: str, form: dict[str, Any],
            at: datetime | None) -> None:
    if at is not None:
        clock.set(at)
    actor = None if channel == "online" else users["reception"]
    case.receipt = dossiers.submit(office, procedure, APPLICANT, channel, form, actor)


def _form_of(item: WorkItem) -> str:
    assert item.form, f"step {item.step_id} has no form"
    return item.form.split(".")[1]


def _act(office: Office, users: dict[str, User], case: Case, actor: str,
         data: dict[str, Any], *forms: str) -> WorkItem:
    """The actor claims the open step and completes it; the step must use one of ``forms``."""
    item = the_item(office, case.dossier_id)
    if forms:
        assert _form_of(item) in forms, (
            f"the open step is {item.step_name!r} ({item.form}), not one of {forms}")
    return do_step(office, case.dossier_id, users[actor], data)


def _today(clock: ManualClock) -> str:
    return clock.now().astimezone(LOCAL).date().isoformat()


def _events(office: Office, case: Case, kind: str) -> list[AuditEvent]:
    with office.db.unit_of_work(readonly=True) as uow:
        return [e for e in uow.audit.for_dossier(case.dossier_id) if e.kind == kind]


def _the_event(office: Office, case: Case, kind: str) -> AuditEvent:
    found = _events(office, case, kind)
    assert len(found) == 1, f"expected one {kind} event, found {len(found)}"
    return found[0]


# ---- submissions ------------------------------------------------------------------------

@given(phrase("a citizen submits {pages:Pages} to certify in {copies:Copies} {channel:Channel}"))
@given(phrase("a citizen submits {pages:Pages} to certify in {copies:Copies} {channel:Channel} "
              "at {at:Moment}"))
def citizen_submits_copies(office: Office, users: dict[str, User], clock: ManualClock,
                           case: Case, pages: int, copies: int, channel: str,
                           at: datetime | None = None) -> None:
    _submit(office, users, clock, case, "chung_thuc_ban_sao", channel,
            {"ten_giay_to": "Bằng tốt nghiệp THPT", "pages": pages, "copies": copies,
             "ho_ten_nguoi_yeu_cau": APPLICANT["name"]}, at)


@given(phrase('a household applies to register the business "{name}" {channel:Channel}'))
@given(phrase('a household applies to register the business "{name}" {channel:Channel} '
              "at {at:Moment}"))
def household_applies(office: Office, users: dict[str, User], clock: ManualClock, case: Case,
                      name: str, channel: str, at: datetime | None = None) -> None:
    _submit(office, users, clock, case, "dang_ky_ho_kinh_doanh", channel,
            {"ten_ho_kinh_doanh": name, "nganh_nghe": "Bán lẻ hàng tạp hóa",
             "dia_chi": "Số 12 phố Quang Trung, phường Quang Trung, quận Hà Đông, Hà Nội",
             "von_kinh_doanh": 150_000_000, "ho_ten_chu_ho": APPLICANT["name"],
             "so_lao_dong": 2}, at)


def _birth(child: str, recognition: str) -> dict[str, Any]:
    return {"ho_ten_tre": child, "ngay_sinh": "2026-02-25", "gioi_tinh": "nam",
            "noi_sinh": "Bệnh viện Đa khoa Hà Đông, Hà Nội", "dan_toc": "Kinh",
            "quoc_tich": "Việt Nam", "ho_ten_me": "Trần Thị Bình",
            "ho_ten_cha": APPLICANT["name"], "ho_ten_nguoi_yeu_cau": APPLICANT["name"],
            "quan_he_voi_tre": "Cha", "nhan_cha_me_con": recognition}


@given(phrase('a parent declares the birth of "{child}" {channel:Channel}'))
@given(phrase('a parent declares the birth of "{child}" {channel:Channel} at {at:Moment}'))
def parent_declares_birth(office: Office, users: dict[str, User], clock: ManualClock,
                          case: Case, child: str, channel: str,
                          at: datetime | None = None) -> None:
    _submit(office, users, clock, case, "dang_ky_khai_sinh", channel, _birth(child, "khong"),
            at)


@given(phrase('the father declares the birth of "{child}" and recognises the child '
              "{channel:Channel} at {at:Moment}"))
def father_declares_and_recognises(office: Office, users: dict[str, User], clock: ManualClock,
                                   case: Case, child: str, channel: str, at: datetime) -> None:
    _submit(office, users, clock, case, "dang_ky_khai_sinh", channel,
            _birth(child, "ket_hop"), at)


@given(phrase("a home owner applies for a permit to build a {floors:d}-storey house of "
              "{area:d} m² {channel:Channel}"))
@given(phrase("a home owner applies for a permit to build a {floors:d}-storey house of "
              "{area:d} m² {channel:Channel} at {at:Moment}"))
def owner_applies_for_permit(office: Office, users: dict[str, User], clock: ManualClock,
                             case: Case, floors: int, area: int, channel: str,
                             at: datetime | None = None) -> None:
    _submit(office, users, clock, case, "cap_phep_xay_dung", channel,
            {"chu_dau_tu": APPLICANT["name"],
             "dia_chi_cong_trinh": "Thửa đất số 45, tờ bản đồ số 12, phường Văn Quán, "
                                   "quận Hà Đông, Hà Nội",
             "dien_tich_xay_dung": area, "so_tang": floors,
             "tong_dien_tich_san": area * floors, "so_giay_chung_nhan": "CS 123456"}, at)


# ---- time -------------------------------------------------------------------------------

@given(phrase("it is {at:Moment}"))
@when(phrase("it is {at:Moment}"))
def it_is(clock: ManualClock, at: datetime) -> None:
    assert at >= clock.now(), f"time does not go back: it is already {shown(clock.now())}"
    clock.set(at)


@when(phrase("{hours:d} working hours pass"))
@when(phrase("{hours:d} working hour passes"))
def working_hours_pass(office: Office, clock: ManualClock, hours: int) -> None:
    clock.set(office.calendar.add_working_hours(clock.now(), hours))


@when(phrase("{days:d} working days pass"))
@when(phrase("{days:d} working day passes"))
def working_days_pass(office: Office, clock: ManualClock, days: int) -> None:
    clock.set(office.calendar.add_working_days(clock.now(), days))


# ---- the one-stop desk ------------------------------------------------------------------

@when(phrase("{actor:Actor} finds the dossier complete"))
def finds_complete(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    _act(office, users, case, actor, {"ket_qua_kiem_tra": "hop_le"}, "kiem_tra", "tiep_nhan")


@when(phrase('{actor:Actor} refuses the dossier: "{reason}"'))
def refuses(office: Office, users: dict[str, User], case: Case, actor: str,
            reason: str) -> None:
    form = _form_of(the_item(office, case.dossier_id))
    assert form in REFUSALS, f"the open step ({form}) cannot refuse the dossier"
    field, value = REFUSALS[form]
    _act(office, users, case, actor, {field: value, "ly_do_tu_choi": reason}, form)


@when(phrase("{actor:Actor} returns the result"))
def returns_result(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    _act(office, users, case, actor,
         {"hinh_thuc_tra": "truc_tiep", "so_bien_lai": "0001234",
          "nguoi_nhan": APPLICANT["name"]}, "tra_ket_qua")


@when(phrase("{actor:Actor} hands over the birth certificate and the requester signs "
             "the register"))
def hands_over_birth_certificate(office: Office, users: dict[str, User], case: Case,
                                 actor: str) -> None:
    _act(office, users, case, actor,
         {"da_ky_so_ho_tich": True, "nguoi_nhan": APPLICANT["name"],
          "so_ban_sao_trich_luc": 1}, "tra_ket_qua")


@when(phrase('{actor:Actor} receives the supplementary papers: "{papers}"'))
def receives_supplement(office: Office, users: dict[str, User], case: Case, actor: str,
                        papers: str) -> None:
    _act(office, users, case, actor,
         {"ket_qua_bo_sung": "da_bo_sung", "giay_to_bo_sung": papers}, "bo_sung")


@when("the applicant withdraws the dossier at the one-stop desk")
def applicant_withdraws(office: Office, users: dict[str, User], case: Case) -> None:
    _act(office, users, case, "reception", {"ket_qua_bo_sung": "rut_ho_so"}, "bo_sung")


# ---- specialist departments -------------------------------------------------------------

@when(phrase("{actor:Actor} confirms the copy matches the original"))
def confirms_copy(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    _act(office, users, case, actor,
         {"ket_qua_xu_ly": "dat", "so_chung_thuc": "125/2026/SCT/BS"}, "xu_ly")


@when(phrase("{actor:Actor} records the birth in the register"))
def records_birth(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    _act(office, users, case, actor, {"ket_qua_xu_ly": "dat", "so_dang_ky": "38/2026"},
         "xu_ly")


@when(phrase("{actor:Actor} verifies the recognition of the father"))
def verifies_recognition(office: Office, users: dict[str, User], case: Case,
                         actor: str) -> None:
    _act(office, users, case, actor,
         {"ket_qua_xac_minh": "dung", "chung_cu": "van_ban_giam_dinh"}, "xac_minh")


@when(phrase('{actor:Actor} refuses the recognition of the father: "{reason}"'))
def refuses_recognition(office: Office, users: dict[str, User], case: Case, actor: str,
                        reason: str) -> None:
    _act(office, users, case, actor,
         {"ket_qua_xac_minh": "tu_choi", "ly_do_tu_choi": reason}, "xac_minh")


@when(phrase("{actor:Actor} appraises the dossier and finds it eligible"))
def appraises_eligible(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    _act(office, users, case, actor, {"ket_qua_tham_dinh": "dat"}, "tham_dinh")


@when(phrase('{actor:Actor} asks the applicant for a supplement: "{what}"'))
def asks_supplement(office: Office, users: dict[str, User], case: Case, actor: str,
                    what: str) -> None:
    _act(office, users, case, actor,
         {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": what}, "tham_dinh")


@when(phrase("{actor:Actor} inspects the site and finds it as declared"))
def inspects_site(office: Office, users: dict[str, User], clock: ManualClock, case: Case,
                  actor: str) -> None:
    _act(office, users, case, actor,
         {"ket_qua_hien_trang": "phu_hop", "ngay_kiem_tra": _today(clock),
          "bien_ban": "Hiện trạng khu đất phù hợp với hồ sơ đề nghị."},
         "kiem_tra_hien_trang")


# ---- leaders ----------------------------------------------------------------------------

@when(phrase("{actor:Actor} signs and seals it"))
@when(phrase("{actor:Actor} approves and signs"))
@when(phrase("{actor:Actor} signs the birth certificate"))
def leader_approves(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    _act(office, users, case, actor, {"y_kien_lanh_dao": "dong_y"}, "ky_duyet", "phe_duyet")


@when(phrase('{actor:Actor} sends the dossier back: "{note}"'))
def leader_sends_back(office: Office, users: dict[str, User], case: Case, actor: str,
                      note: str) -> None:
    _act(office, users, case, actor, {"y_kien_lanh_dao": "tra_lai", "ghi_chu": note},
         "ky_duyet", "phe_duyet")


# ---- claiming from a queue ----------------------------------------------------------------

@when(phrase("{actor:Actor} tries to claim the open step"))
def tries_to_claim(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    item = the_item(office, case.dossier_id)
    case.refusal = None
    try:
        work.claim(office, item.id, users[actor])
    except NotAllowed as exc:
        case.refusal = exc


@when(phrase("{actor:Actor} claims the open step"))
def claims(office: Office, users: dict[str, User], case: Case, actor: str) -> None:
    work.claim(office, the_item(office, case.dossier_id).id, users[actor])


@then("the claim is refused")
def claim_refused(office: Office, case: Case) -> None:
    assert isinstance(case.refusal, NotAllowed), "the claim was accepted"
    assert the_item(office, case.dossier_id).status == "open"


@then(phrase("the open step is claimed by {username}"))
def claimed_by(office: Office, case: Case, username: str) -> None:
    item = the_item(office, case.dossier_id)
    assert (item.status, item.claimed_by) == ("claimed", username)


# ---- the dossier ------------------------------------------------------------------------

@then(phrase("the fee is {fee:Money} VND"))
def fee_is(office: Office, case: Case, fee: int) -> None:
    assert case.receipt is not None
    assert case.receipt.fee == fee, "the receipt shows another fee"
    assert dossier(office, case.dossier_id).fee == fee


@then(phrase('the dossier code is "{code}"'))
def code_is(case: Case, code: str) -> None:
    assert case.receipt is not None
    assert case.receipt.code == code


@then(phrase("the dossier is due at {at:Moment}"))
def due_at(office: Office, case: Case, at: datetime) -> None:
    due = dossier(office, case.dossier_id).due_at
    assert due == at, f"due at {shown(due)}"


@then(phrase("the dossier is resolved {verdict:Verdict}"))
def resolved(office: Office, case: Case, verdict: str) -> None:
    found = dossier(office, case.dossier_id)
    assert found.status == "resolved"
    assert found.resolved_at is not None
    assert judge_done(found.resolved_at, found.due_at, LOCAL) == verdict, (
        f"resolved at {shown(found.resolved_at)}, due at {shown(found.due_at)}")


@then(phrase("the dossier is {status:Status}"))
def status_is(office: Office, case: Case, status: str) -> None:
    assert dossier(office, case.dossier_id).status == status


@then(phrase("the dossier is still pending, {judgement:Pending}"))
def pending(office: Office, clock: ManualClock, case: Case, judgement: str) -> None:
    found = dossier(office, case.dossier_id)
    assert found.status == "processing"
    assert judge_pending(clock.now(), found.due_at) == judgement


@then(phrase('the refusal reason reads "{reason}"'))
def refusal_reason(office: Office, case: Case, reason: str) -> None:
    assert dossier(office, case.dossier_id).data.get("ly_do_tu_choi") == reason


@then("the requester's signature in the birth register is on record")
def signed_register(office: Office, case: Case) -> None:
    assert dossier(office, case.dossier_id).data.get("da_ky_so_ho_tich") is True


# ---- steps and queues -------------------------------------------------------------------

@then("no step is open")
def no_step_open(office: Office, case: Case) -> None:
    assert active_items(office, case.dossier_id) == []


@then(phrase('the open step is "{name}" in the queue of {department:Department}'))
def open_step(office: Office, case: Case, name: str, department: str) -> None:
    item = the_item(office, case.dossier_id)
    assert (item.step_name, item.department_code, item.status) == (name, department, "open")


@then(phrase("the open step is due at {at:Moment}"))
def open_step_due(office: Office, case: Case, at: datetime) -> None:
    item = the_item(office, case.dossier_id)
    assert item.due_at == at, f"due at {shown(item.due_at)}"


@then("the open step has no time allowance of its own and stops the clock")
def open_step_pauses(office: Office, case: Case) -> None:
    item = the_item(office, case.dossier_id)
    assert item.pauses_clock
    assert (item.allowance_hours, item.due_at) == (None, None)


@then(phrase("the steps were handled by the departments {departments:Words}"))
def handled_by_departments(office: Office, case: Case, departments: list[str]) -> None:
    items = all_items(office, case.dossier_id)
    assert [i.department_code for i in items] == departments
    assert all(i.status == "completed" for i in items)


@then(phrase("the steps were done by {usernames:Words}"))
def done_by(office: Office, case: Case, usernames: list[str]) -> None:
    assert [i.completed_by for i in all_items(office, case.dossier_id)] == usernames


@then(phrase('the step "{name}" was done {times:Times}'))
def step_done_times(office: Office, case: Case, name: str, times: int) -> None:
    done = [i for i in all_items(office, case.dossier_id)
            if i.step_name == name and i.status == "completed"]
    assert len(done) == times


@then(phrase('the step "{name}" was done in the queue of {department:Department} by '
             "{username}"))
def step_done_by(office: Office, users: dict[str, User], case: Case, name: str,
                 department: str, username: str) -> None:
    done = [i for i in all_items(office, case.dossier_id)
            if i.step_name == name and i.status == "completed"]
    assert done, f"no step {name!r} was done"
    for item in done:
        assert (item.department_code, item.completed_by) == (department, username)
    assert users[username].serves(FIRST_WARD, department, "staff", "leader")


# ---- the paused clock -------------------------------------------------------------------

@then(phrase("the clock was paused at {at:Moment}"))
def clock_paused(office: Office, case: Case, at: datetime) -> None:
    event = _the_event(office, case, "clock_paused")
    assert event.at == at, f"paused at {shown(event.at)}"
    assert event.data["reason"] == "awaiting_applicant"


@then(phrase("the clock was resumed at {at:Moment} after {hours:g} working hours"))
def clock_resumed(office: Office, case: Case, at: datetime, hours: float) -> None:
    event = _the_event(office, case, "clock_resumed")
    assert event.at == at, f"resumed at {shown(event.at)}"
    assert event.data["paused_hours"] == pytest.approx(hours)


@then(phrase("the due date moved from {before:Moment} to {after:Moment}"))
def due_moved(office: Office, case: Case, before: datetime, after: datetime) -> None:
    event = _the_event(office, case, "clock_resumed")
    assert datetime.fromisoformat(event.data["previous_due_at"]) == before
    assert datetime.fromisoformat(event.data["due_at"]) == after
    assert dossier(office, case.dossier_id).due_at == after


@then("the due date moved by exactly the paused working time")
def due_moved_by_pause(office: Office, case: Case) -> None:
    paused = _the_event(office, case, "clock_paused")
    resumed = _the_event(office, case, "clock_resumed")
    calendar = office.calendar
    waited = calendar.working_hours_between(paused.at, resumed.at)
    assert waited > 0
    assert resumed.data["paused_hours"] == pytest.approx(waited)
    previous = datetime.fromisoformat(resumed.data["previous_due_at"])
    assert case.receipt is not None and previous == case.receipt.due_at
    moved = datetime.fromisoformat(resumed.data["due_at"])
    assert moved == calendar.add_working_hours(previous, waited)
    assert calendar.working_hours_between(previous, moved) == pytest.approx(waited)
    assert dossier(office, case.dossier_id).due_at == moved


@then(phrase("the audit trail records {kinds:Words} in this order"))
def audit_trail_order(office: Office, case: Case, kinds: list[str]) -> None:
    with office.db.unit_of_work(readonly=True) as uow:
        recorded = [e.kind for e in uow.audit.for_dossier(case.dossier_id)]
    wanted = iter(recorded)
    assert all(kind in wanted for kind in kinds), f"the trail is {recorded}"

