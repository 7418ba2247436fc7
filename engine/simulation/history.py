"""A plausible past for the demo office, made by the real use cases on a hand-moved clock.

Nothing is written behind the engine's back: dossiers are submitted, claimed, completed and
apologised for through ``engine.service``, so the audit chains, timeliness and work items are
exactly what a real office would have. A seed makes the run repeatable.

The simulation is a queue of future actions in time order. When a step is handed over, its
claim and completion are scheduled: the step gets its share of the time left before the
dossier's due date (by its allowance among the steps still to come), so most dossiers finish
in time; a few are planned late and lose the time in one step, which a leader often
apologises for.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from engine.errors import InvalidInput
from engine.i18n import msg
from engine.model import Membership, User, WorkItem
from engine.runtime.clock import ManualClock
from engine.security import hash_password
from engine.service import apologies, dossiers, timers, work
from engine.service.demo import DEMO_PASSWORD
from engine.service.office import Office

# procedure: (share of dossiers, nominal steps with their allowance in working hours)
PROCEDURES: dict[str, tuple[float, list[tuple[str, float]]]] = {
    "chung_thuc_ban_sao": (0.45, [("Task_KiemTraHoSo", 1), ("Task_XuLy", 3),
                                  ("Task_KyChungThuc", 2), ("Task_TraKetQua", 1)]),
    "dang_ky_khai_sinh": (0.15, [("Task_TiepNhan", 1), ("Task_GhiSoHoTich", 3),
                                 ("Task_KyGiayKhaiSinh", 2), ("Task_TraKetQua", 1)]),
    "dang_ky_ho_kinh_doanh": (0.28, [("Task_TiepNhan", 3.75), ("Task_ThamDinh", 11.25),
                                     ("Task_PheDuyet", 3.75), ("Task_TraKetQua", 3.75)]),
    "cap_phep_xay_dung": (0.12, [("Task_TiepNhan", 7.5), ("Task_ThamDinh", 37.5),
                                 ("Task_KiemTraHienTrang", 52.5), ("Task_PheDuyet", 7.5),
                                 ("Task_TraKetQua", 7.5)]),
}
# Appraisals and site visits use more of their share, and are where late dossiers lose time.
SLOW_STEPS = {"Task_ThamDinh", "Task_KiemTraHienTrang", "Task_XuLy"}
RECEPTION_STEPS = {"Task_TiepNhan", "Task_KiemTraHoSo"}
APPRAISAL_STEPS = {"Task_ThamDinh", "Task_XuLy", "Task_GhiSoHoTich"}
LEADER_STEPS = {"Task_PheDuyet", "Task_KyChungThuc", "Task_KyGiayKhaiSinh"}
# A second person in each department, so the staff report compares people.
EXTRA_STAFF: dict[str, tuple[str, set[str], set[str]]] = {
    "reception2": ("Bùi Thị Hạnh", {"staff"}, {"MOT_CUA"}),
    "justice2": ("Ngô Văn Đức", {"staff"}, {"TU_PHAP"}),
    "finance2": ("Đặng Thị Thu", {"staff"}, {"TC_KH"}),
    "urban2": ("Phan Minh Tuấn", {"staff"}, {"QLDT"}),
    "leader2": ("Trịnh Quang Vinh", {"leader"}, {"LANH_DAO"}),
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Quốc", "Hữu", "Ngọc", "Thanh", "Đức", "Thảo")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Phong", "Phương", "Quang", "Sơn", "Tâm", "Thắng",
         "Trang", "Tuấn", "Vy", "Yến")
STREETS = ("Quang Trung", "Trần Phú", "Lê Lợi", "Nguyễn Trãi", "Tô Hiệu", "Bà Triệu",
           "Phùng Hưng", "Lê Trọng Tấn", "Vạn Phúc", "Tố Hữu")
DOCUMENTS = ("Bằng tốt nghiệp", "Giấy khai sinh", "Căn cước công dân", "Sổ hộ khẩu",
             "Học bạ", "Hợp đồng lao động", "Giấy chứng nhận quyền sử dụng đất")
TRADES = ("Bán lẻ tạp hóa", "Ăn uống", "Sửa chữa xe máy", "Cắt tóc", "Bán lẻ quần áo",
          "In ấn, photocopy")
WEEKDAY_LOAD = (1.2, 1.0, 1.0, 0.95, 0.85)


@dataclass
class Plan:
    """What will happen to one dossier, decided when it arrives."""

    procedure: str
    channel: str
    refuse_at: str | None = None  # reception | appraisal | site
    returns: int = 0  # times the leader sends the file back
    supplements: int = 0
    withdraw: bool = False
    late: bool = False
    apologise: bool = False
    unit: str = ""  # the desk that receives it
    code: str = ""
    due_at: datetime | None = None
    scheduled: set[int] = field(default_factory=set)
    paused: bool = False  # a step that stops the clock was handed over: the due date may move


@dataclass(frozen=True)
class HistorySummary:
    start: datetime
    end: datetime
    dossiers: int
    steps: int
    apologies: int


@dataclass(frozen=True)
class Mix:
    """How the dossiers of a desk end, as shares of its arrivals (decided on arrival)."""

    refuse_reception: float = 0.02  # refused by the desk at reception
    refuse_appraisal: float = 0.02  # refused by the specialist after acceptance
    refuse_site: float = 0.02  # construction permits: refused after the site visit
    supplement: float = 0.25  # construction permits: asked once for a supplement
    withdraw: float = 0.12  # of those asked for a supplement: withdrawn instead
    returns: float = 0.03  # the leader sends the file back once
    late: float = 0.04  # of those neither refused nor withdrawn: one step loses the time
    apologise: float = 0.7  # of the late ones: the leader apologises


DEFAULT_MIX = Mix()


@dataclass(frozen=True)
class Arrivals:
    """A desk's own volumes, instead of the simulation's ``per_day`` a third online."""

    online_per_day: float  # every calendar day, at any hour
    desk_per_working_day: float  # at the desk or by post, working days, by WEEKDAY_LOAD
    shares: tuple[float, ...]  # of each of the desk's procedures, in the desk's order
    mix: Mix = DEFAULT_MIX


@dataclass(frozen=True)
class Desk:
    """A one-stop desk of the simulation: its unit and the procedures it receives; with
    ``arrivals``, its own volumes and outcomes (else the simulation's and ``Mix()``)."""

    unit: str
    procedures: tuple[str, ...]
    arrivals: Arrivals | None = None


@dataclass(frozen=True)
class Era:
    """Days ``first`` to ``last`` (included) with the desks then open; ``opening`` runs at the
    era's first midnight on the simulation's office (a deploy of the law of the era)."""

    first: date
    last: date
    desks: tuple[Desk, ...]
    opening: Callable[[Office], None] | None = None


@dataclass(order=True)
class _Action:
    at: datetime
    order: int
    kind: str = field(compare=False)  # submit | claim | complete | daily
    args: tuple[Any, ...] = field(compare=False, default=())


class _Simulation:
    def __init__(self, office: Office, clock: ManualClock, rng: random.Random,
                 end: datetime, per_day: float) -> None:
        self.office, self.clock, self.rng, self.end = office, clock, rng, end
        self.per_day = per_day
        self.desks: tuple[Desk, ...] = ()
        self.queue: list[_Action] = []
        self.order = 0
        self.plans: dict[int, Plan] = {}
        self.codes: dict[str, int] = {}
        self.staff: dict[tuple[str, str], list[User]] = {}
        self.steps = 0
        self.apologies = 0
        self.dossiers = 0

    def push(self, at: datetime, kind: str, *args: Any) -> None:
        self.order += 1
        heapq.heappush(self.queue, _Action(at, self.order, kind, args))

    def run_until(self, moment: datetime) -> None:
        while self.queue and self.queue[0].at <= min(moment, self.end):
            action = heapq.heappop(self.queue)
            self.clock.set(action.at)
            getattr(self, f"_{action.kind}")(*action.args)

    # ---- actions --------------------------------------------------------------------------

    def _submit(self, plan: Plan) -> None:
        actor = None if plan.channel == "online" else self._person(plan.unit, "MOT_CUA")
        receipt = dossiers.submit(self.office, plan.procedure, {"name": _name(self.rng)},
                                  plan.channel, _start_form(plan.procedure, self.rng), actor,
                                  receiving_unit=plan.unit)
        plan.code, plan.due_at = receipt.code, receipt.due_at
        self.plans[receipt.dossier_id] = plan
        self.codes[receipt.code] = receipt.dossier_id
        self.dossiers += 1
        self._schedule_ready(receipt.dossier_id)

    def _claim(self, item_id: int, user: User) -> None:
        work.claim(self.office, item_id, user)

    def _complete(self, item: WorkItem, user: User) -> None:
        plan = self.plans[item.dossier_id]
        work.complete(self.office, item.id, user, _answer(plan, item.step_id, self.rng))
        self.steps += 1
        self._schedule_ready(item.dossier_id)

    def _daily(self) -> None:
        timers.fire_due_timers(self.office)
        for code in apologies.flag_at_risk(self.office):
            plan = self.plans.get(self.codes.get(code, 0))
            leader = self._leader(plan.unit) if plan is not None else None
            if plan is None or not plan.apologise or plan.due_at is None or leader is None:
                continue
            days = self.rng.choice((1, 2, 3))
            new_date = self.office.calendar.add_working_hours(
                plan.due_at, days * self.office.calendar.hours.hours_per_day)
            apologies.record_apology(self.office, code, leader, new_date,
                                     "Cần thêm thời gian thẩm định, xác minh hồ sơ")
            self.apologies += 1

    # ---- planning -------------------------------------------------------------------------

    def _schedule_ready(self, dossier_id: int) -> None:
        # The one read past the use cases: no read use case yet gives a dossier's open steps
        # with their hand-over time, allowance and clock pause, and its moved due date.
        plan = self.plans[dossier_id]
        with self.office.db.unit_of_work(readonly=True) as uow:
            ready = uow.items.active_for_dossier(dossier_id)
            # Only a resumed pause moves the due date (an apology sets an appointment), so
            # the dossier is read again only after a pause.
            current = uow.dossiers.get(dossier_id) if ready and plan.paused else None
        if current is not None:
            plan.due_at = current.due_at
        for item in ready:
            if item.id in plan.scheduled:
                continue
            plan.scheduled.add(item.id)
            plan.paused = plan.paused or item.pauses_clock
            wait, busy = self._durations(plan, item)
            calendar = self.office.calendar
            claimed = calendar.add_working_hours(item.created_at, wait)
            done = calendar.add_working_hours(claimed, busy)
            user = self._person(item.unit or plan.unit, item.department_code)
            self.push(claimed, "claim", item.id, user)
            self.push(done, "complete", item, user)

    def _durations(self, plan: Plan, item: WorkItem) -> tuple[float, float]:
        """Waiting and working hours for a step just handed over."""
        rng = self.rng
        if item.pauses_clock:  # the applicant takes days to bring the missing papers
            return rng.uniform(4, 60), rng.uniform(0.1, 0.3)
        steps = PROCEDURES.get(plan.procedure, (0.0, []))[1]
        names = [s for s, _ in steps]
        allowance = item.allowance_hours or 2.0
        total = allowance * rng.uniform(0.3, 0.9)
        if item.step_id in names and plan.due_at is not None:
            left = self.office.calendar.working_hours_between(item.created_at, plan.due_at)
            ahead = sum(h for _, h in steps[names.index(item.step_id):])
            share = left * dict(steps)[item.step_id] / ahead if left > 0 else allowance * 0.5
            slow = item.step_id in SLOW_STEPS
            # Mostly inside the step's own allowance; sometimes over it, yet within the share
            # of the dossier's time, so the step is late and the dossier is not.
            base = min(share, allowance)
            if rng.random() < (0.15 if slow else 0.05):
                base = min(share, allowance * rng.uniform(1.1, 1.6))
            total = base * rng.uniform(0.45 if slow else 0.2, 0.95 if slow else 0.8)
            if plan.late and item.step_id in SLOW_STEPS | LEADER_STEPS and left > 0:
                plan.late = False  # one step loses the time
                total = left * rng.uniform(1.05, 1.4) + rng.uniform(1, 12)
        total = max(total, 0.1)
        wait = total * rng.uniform(0.1, 0.6)
        if item.step_id in RECEPTION_STEPS and plan.channel != "online":
            wait = min(wait, rng.uniform(0.02, 0.3))  # the applicant waits at the desk
        return wait, max(total - wait, 0.05)

    def _people(self, unit: str, department: str) -> list[User]:
        """Who works ``department`` of ``unit`` (read once): its active members, no admin."""
        key = (unit, department)
        if key not in self.staff:
            role = "leader" if department == "LANH_DAO" else "staff"
            with self.office.db.unit_of_work(readonly=True) as uow:
                self.staff[key] = [u for u in uow.org.users_in(unit, department)
                                   if u.active and u.serves(unit, department, role)
                                   and not u.has_role("admin")]
        return self.staff[key]

    def _leader(self, unit: str) -> User | None:
        return next((u for u in self._people(unit, "LANH_DAO") if u.has_role("leader")), None)

    def _person(self, unit: str, department: str) -> User:
        people = self._people(unit, department)
        if not people:
            raise InvalidInput(msg("err_nobody_can_handle_department_unit",
                                   department=department, unit=unit))
        # The first member handles more than the others, as in a real office.
        weights = [2.0 if i == 0 else 1.0 for i in range(len(people))]
        return self.rng.choices(people, weights)[0]


def generate_history(office: Office, days: int = 365, seed: int = 2024, per_day: float = 20.0,
                     until: datetime | None = None,
                     progress: Callable[[int, int], None] | None = None) -> HistorySummary:
    """Simulate ``days`` calendar days of the office ending at ``until`` (default now), about
    ``per_day`` dossiers a working day (a third online, online ones on any day and hour).

    Work still under way at ``until`` stays open, as in a real office. The office's clock is
    moved when it is a ``ManualClock``; otherwise the run uses its own.
    """
    if days < 1 or per_day <= 0:
        raise InvalidInput(msg("err_history_needs_least_one_day"))
    end = (until or office.now()).astimezone(UTC)
    last = end.astimezone(office.calendar.tz).date()
    desk = Desk(office.agency_code, _deployed(office))
    era = Era(last - timedelta(days=days - 1), last, (desk,))
    return simulate(office, [era], seed, per_day, end, progress)


def simulate(office: Office, eras: list[Era], seed: int = 2024, per_day: float = 20.0,
             until: datetime | None = None,
             progress: Callable[[int, int], None] | None = None) -> HistorySummary:
    """Simulate the eras one after the other, about ``per_day`` dossiers a working day at each
    desk, up to ``until`` (default: the midnight after the last era's last day). Work under
    way when an era ends goes on in the next one, under the version it was received by."""
    if not eras or per_day <= 0:
        raise InvalidInput(msg("err_history_needs_least_one_day"))
    tz = office.calendar.tz
    first, last = eras[0].first, eras[-1].last
    end = (until or datetime.combine(last + timedelta(days=1), time(), tzinfo=tz)).astimezone(UTC)
    clock = office.clock if isinstance(office.clock, ManualClock) else ManualClock(end)
    sim_office = office if clock is office.clock else replace(office, clock=clock)
    sim = _Simulation(sim_office, clock, random.Random(seed), end, per_day)
    _add_extra_staff(sim_office)
    days = (last - first).days + 1
    clock.set(datetime.combine(first, time(), tzinfo=tz))
    for index in range(days):
        day = first + timedelta(days=index)
        _enter(sim, eras, day)
        _plan_day(sim, day)
        sim.run_until(datetime.combine(day + timedelta(days=1), time(), tzinfo=tz))
        if progress is not None:
            progress(index + 1, days)
    sim.run_until(end)
    clock.set(max(clock.now(), end))
    start = datetime.combine(first, time(), tzinfo=tz).astimezone(UTC)
    return HistorySummary(start, end, sim.dossiers, sim.steps, sim.apologies)


def _enter(sim: _Simulation, eras: list[Era], day: date) -> None:
    """Open the desks of the era ``day`` is in; on its first day, run its opening."""
    era = next((e for e in eras if e.first <= day <= e.last), None)
    if era is None:
        sim.desks = ()
        return
    sim.desks = era.desks
    if day == era.first and era.opening is not None:
        sim.clock.set(datetime.combine(day, time(), tzinfo=sim.office.calendar.tz))
        era.opening(sim.office)


def _deployed(office: Office) -> tuple[str, ...]:
    with office.db.unit_of_work(readonly=True) as uow:
        deployed = tuple(sorted(k for k in PROCEDURES if uow.catalog.latest(k) is not None))
    if not deployed:
        raise InvalidInput(msg("err_none_demo_procedures_deployed_run"))
    return deployed


def _add_extra_staff(office: Office) -> None:
    """The second person of each department of the home unit, so the staff report compares
    people.

    Setting up staff is the administrator's, not the simulated office's: no use case adds a
    member yet, so this writes through the unit of work, like ``demo.seed``."""
    hashed = hash_password(DEMO_PASSWORD)
    unit = office.agency_code
    with office.db.unit_of_work() as uow:
        known = {d.code for d in uow.org.departments(unit)}
        for username, (full_name, roles, depts) in EXTRA_STAFF.items():
            if depts <= known and uow.org.user(username) is None:
                uow.org.upsert_user(username, full_name, hashed, (), [
                    Membership(unit, d, frozenset(roles)) for d in sorted(depts)])
        uow.commit()


def _plan_day(sim: _Simulation, day: date) -> None:
    office = sim.office
    if office.calendar.is_working_day(day):
        opening = datetime.combine(day, office.calendar.hours.periods[0][0],
                                   tzinfo=office.calendar.tz)
        sim.push(opening.astimezone(UTC) + timedelta(minutes=5), "daily")
    for desk in sim.desks:
        _plan_desk_day(sim, desk, day)


def _plan_desk_day(sim: _Simulation, desk: Desk, day: date) -> None:
    office, rng = sim.office, sim.rng
    tz = office.calendar.tz
    keys = list(desk.procedures)
    own = desk.arrivals
    weights = list(own.shares) if own else [PROCEDURES[k][0] for k in keys]
    mix = own.mix if own else DEFAULT_MIX
    midnight = datetime.combine(day, time(), tzinfo=tz)
    # Online dossiers come any day at any hour; the desk and the post only on working days.
    for _ in range(_poisson(rng, _rate(sim, desk, day, online=True))):
        at = midnight + timedelta(seconds=rng.uniform(0, 86_400))
        sim.push(at.astimezone(UTC), "submit",
                 _plan(rng, rng.choices(keys, weights)[0], "online", desk.unit, mix))
    if not office.calendar.is_working_day(day):
        return
    opening = datetime.combine(day, office.calendar.hours.periods[0][0], tzinfo=tz)
    hours = office.calendar.hours.hours_per_day
    for _ in range(_poisson(rng, _rate(sim, desk, day, online=False))):
        # Nobody new is received in the last half hour.
        at = office.calendar.add_working_hours(opening, rng.uniform(0, hours - 0.5))
        channel = "post" if rng.random() < 0.08 else "direct"
        sim.push(at, "submit",
                 _plan(rng, rng.choices(keys, weights)[0], channel, desk.unit, mix))


def _rate(sim: _Simulation, desk: Desk, day: date, online: bool) -> float:
    """Mean arrivals: the desk's own, or a third of a working day's dossiers online; the
    desk's spread over the week."""
    load = WEEKDAY_LOAD[min(day.weekday(), 4)]
    if desk.arrivals is not None:
        if online:
            return desk.arrivals.online_per_day
        return desk.arrivals.desk_per_working_day * load
    if online:
        return sim.per_day * 0.33 * 5 / 7
    return sim.per_day * 0.67 * load


def _plan(rng: random.Random, procedure: str, channel: str, unit: str,
          mix: Mix = DEFAULT_MIX) -> Plan:
    plan = Plan(procedure, channel, unit=unit)
    building = procedure == "cap_phep_xay_dung"
    roll = rng.random()
    if roll < mix.refuse_reception:
        plan.refuse_at = "reception"
    elif roll < mix.refuse_reception + mix.refuse_appraisal:
        plan.refuse_at = "appraisal"
    elif building and roll < mix.refuse_reception + mix.refuse_appraisal + mix.refuse_site:
        plan.refuse_at = "site"
    if building and rng.random() < mix.supplement:
        plan.supplements = 1
        plan.withdraw = rng.random() < mix.withdraw
    plan.returns = 1 if rng.random() < mix.returns else 0
    if plan.refuse_at is None and not plan.withdraw and rng.random() < mix.late:
        plan.late = True
        plan.apologise = rng.random() < mix.apologise
    return plan


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the few dozen a day an office receives."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _start_form(procedure: str, rng: random.Random) -> dict[str, Any]:
    address = f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}, Hà Đông"
    if procedure == "chung_thuc_ban_sao":
        return {"ten_giay_to": rng.choice(DOCUMENTS), "pages": rng.randint(1, 8),
                "copies": rng.randint(1, 4)}
    if procedure == "dang_ky_khai_sinh":
        born = date(2025, 1, 1) + timedelta(days=rng.randint(0, 400))
        return {"ho_ten_tre": _name(rng), "ngay_sinh": born.isoformat(),
                "gioi_tinh": rng.choice(("nam", "nu")), "noi_sinh": "Bệnh viện Đa khoa Hà Đông",
                "ho_ten_me": _name(rng), "nhan_cha_me_con": "khong"}
    if procedure == "dang_ky_ho_kinh_doanh":
        return {"ten_ho_kinh_doanh": f"Hộ kinh doanh {rng.choice(GIVEN)} {rng.randint(1, 99)}",
                "nganh_nghe": rng.choice(TRADES), "dia_chi": address,
                "von_kinh_doanh": rng.randint(2, 100) * 5_000_000}
    return {"chu_dau_tu": _name(rng), "dia_chi_cong_trinh": address,
            "dien_tich_xay_dung": float(rng.randint(40, 200)), "so_tang": rng.randint(1, 6)}


def _answer(plan: Plan, step: str, rng: random.Random) -> dict[str, Any]:
    """The form a clerk fills in at ``step``, following the dossier's plan."""
    why = "Hồ sơ không đủ điều kiện theo quy định"
    if step in RECEPTION_STEPS:
        if plan.refuse_at == "reception":
            return {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": why}
        return {"ket_qua_kiem_tra": "hop_le"}
    if step == "Task_ThamDinh":
        if plan.supplements > 0:
            plan.supplements -= 1
            return {"ket_qua_tham_dinh": "bo_sung",
                    "noi_dung_bo_sung": "Bổ sung bản vẽ mặt bằng, mặt cắt công trình"}
        if plan.refuse_at == "appraisal":
            return {"ket_qua_tham_dinh": "tu_choi", "ly_do_tu_choi": why}
        return {"ket_qua_tham_dinh": "dat"}
    if step in APPRAISAL_STEPS:
        if plan.refuse_at == "appraisal":
            return {"ket_qua_xu_ly": "tu_choi", "ly_do_tu_choi": why}
        return {"ket_qua_xu_ly": "dat"}
    if step == "Task_TiepNhanBoSung":
        return {"ket_qua_bo_sung": "rut_ho_so" if plan.withdraw else "da_bo_sung"}
    if step == "Task_KiemTraHienTrang":
        if plan.refuse_at == "site":
            return {"ket_qua_hien_trang": "khong_phu_hop",
                    "ly_do_tu_choi": "Công trình không phù hợp quy hoạch"}
        return {"ket_qua_hien_trang": "phu_hop"}
    if step in LEADER_STEPS:
        if plan.returns > 0:
            plan.returns -= 1
            return {"y_kien_lanh_dao": "tra_lai", "ghi_chu": "Đề nghị kiểm tra lại hồ sơ"}
        return {"y_kien_lanh_dao": "dong_y"}
    if plan.procedure == "dang_ky_khai_sinh":
        return {"da_ky_so_ho_tich": True}
    ways = {"online": "truc_tuyen", "post": "buu_chinh"}
    return {"hinh_thuc_tra": ways.get(plan.channel, "truc_tiep")}
