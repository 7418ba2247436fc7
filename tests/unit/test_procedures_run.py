"""Runs the procedures in processes/ with plain SpiffWorkflow, without the engine.

Each scenario starts a dossier, answers every ready human task with data that its form
accepts, saves and restores the workflow after every step (so every step also proves that
the state survives persistence) and checks the department of each step and the end event
reached. The static checks below guard the vocabulary the engine reads from the files.

How the submission data gets into a new workflow (SpiffWorkflow 3.2.0): a fresh
``BpmnWorkflow`` has exactly one READY task, the synthetic ``Start`` task that sits above
the BPMN start event. Put the submission into that task's data with ``set_data`` *before*
the first ``do_engine_steps()``; every task inherits its parent's data when it becomes
ready, so the start event, the fee rule and the first user task all see it.
``workflow.set_data`` is not the same thing: it fills workflow-level data (data objects)
that scripts and gateways do not see.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.defaults import UserTask
from SpiffWorkflow.util.task import TaskState

from engine.sandbox import default_engine

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
FORMS = PROCESSES / "forms"

KEYS = ["chung_thuc_ban_sao", "dang_ky_ho_kinh_doanh", "dang_ky_khai_sinh", "cap_phep_xay_dung"]
DEPARTMENTS = {"MOT_CUA", "TU_PHAP", "TC_KH", "QLDT", "LANH_DAO"}
OUTCOMES = {"resolved", "refused", "withdrawn", "not_accepted"}
LEVELS = {"province", "district", "commune"}
DEADLINE_UNITS = {"working_days", "days", "working_hours", "same_day"}
HOURS_PER_DAY = 7.5  # 08:00-12:00 and 13:30-17:00
DEADLINE_SET = re.compile(r"deadline_working_days = (\d+(?:\.\d+)?)")
ALLOWANCE = re.compile(r"^(\d+(?:\.\d+)?)([dh])$")

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "userTask",
    "scriptTask",
    "businessRuleTask",
    "exclusiveGateway",
    "parallelGateway",
    "callActivity",
    "serviceTask",
    "manualTask",
    "task",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
)

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


# ------------------------------------------------------------------------------ loading


@cache
def parser() -> SpiffBpmnParser:
    """The first version of each shipped procedure: the file named after its process id
    (a later version, such as ``cap_phep_xay_dung_2026.bpmn``, reuses the id)."""
    p = SpiffBpmnParser(validator=VALIDATOR)
    for path in sorted(PROCESSES.glob("*.bpmn")):
        ids = etree.parse(str(path)).xpath("//bpmn:process/@id", namespaces=NS)
        if path.stem in ids:
            p.add_bpmn_file(str(path))
    for path in sorted(PROCESSES.glob("*.dmn")):
        p.add_dmn_file(str(path))
    return p


def specs(key: str):
    p = parser()
    return p.get_spec(key), p.get_subprocess_specs(key)


@cache
def xml(key: str) -> etree._ElementTree:
    return etree.parse(str(PROCESSES / f"{key}.bpmn"))


def properties(element) -> dict[str, str]:
    return {
        prop.get("name"): prop.get("value")
        for prop in element.xpath(
            "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property",
            namespaces=NS,
        )
    }


def process_element(key: str):
    (proc,) = xml(key).xpath(f"//bpmn:process[@id='{key}']", namespaces=NS)
    return proc


def lane_departments(key: str) -> dict[str, str]:
    """Lane name (what SpiffWorkflow puts on a task spec) -> department code."""
    return {
        lane.get("name"): properties(lane).get("department")
        for lane in process_element(key).xpath("./bpmn:laneSet/bpmn:lane", namespaces=NS)
    }


@cache
def form_schema(name: str) -> dict:
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


def allowance_hours(text: str) -> float:
    match = ALLOWANCE.match(text)
    assert match, f"bad allowance {text!r}"
    number, unit = float(match.group(1)), match.group(2)
    return number * HOURS_PER_DAY if unit == "d" else number


# ------------------------------------------------------------------------------ running


def roundtrip(workflow: BpmnWorkflow) -> BpmnWorkflow:
    restored = SERIALIZER.deserialize_json(SERIALIZER.serialize_json(workflow))
    restored.script_engine = default_engine()
    return restored


@dataclass
class Dossier:
    """One workflow instance driven the way the engine drives it."""

    key: str
    start_data: dict
    workflow: BpmnWorkflow = field(init=False)
    visited: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        spec, subs = specs(self.key)
        # Sandboxed as the office runs it (SpiffWorkflow alone would exec the scripts).
        workflow = BpmnWorkflow(spec, subs, script_engine=default_engine())
        (start,) = workflow.get_tasks(state=TaskState.READY)
        start.set_data(**self.start_data)
        workflow.do_engine_steps()
        self.workflow = roundtrip(workflow)

    def ready(self):
        return self.workflow.get_tasks(state=TaskState.READY, manual=True)

    def data(self) -> dict:
        tasks = self.ready()
        return tasks[0].data if tasks else self.end_task().data

    def complete(self, task_id: str, department: str, answers: dict) -> None:
        ready = self.ready()
        assert [t.task_spec.bpmn_id for t in ready] == [task_id]
        task = ready[0]
        assert lane_departments(self.key)[task.task_spec.lane] == department
        form = form_schema(task.task_spec.extensions["properties"]["form"])
        Draft202012Validator(form).validate(answers)
        task.set_data(**answers)
        task.run()
        self.workflow.do_engine_steps()
        self.workflow = roundtrip(self.workflow)
        self.visited.append((task_id, department))

    def end_task(self):
        ends = [
            t
            for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
            if isinstance(t.task_spec, EndEvent)
        ]
        assert len(ends) == 1
        return ends[0]


# ------------------------------------------------------------------------------ answers

HOP_LE = {"ket_qua_kiem_tra": "hop_le"}
TU_CHOI_TIEP_NHAN = {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Không xuất trình bản chính"}
DONG_Y = {"y_kien_lanh_dao": "dong_y"}
TRA_LAI = {"y_kien_lanh_dao": "tra_lai", "ghi_chu": "Kiểm tra lại số trang"}
TRA_TRUC_TIEP = {"hinh_thuc_tra": "truc_tiep", "nguoi_nhan": "Nguyễn Văn An"}
XU_LY_DAT = {"ket_qua_xu_ly": "dat"}
XU_LY_TU_CHOI = {"ket_qua_xu_ly": "tu_choi", "ly_do_tu_choi": "Bản chính bị tẩy xóa"}

START = {
    "chung_thuc_ban_sao": {"ten_giay_to": "Bằng tốt nghiệp", "pages": 5, "copies": 1},
    "dang_ky_ho_kinh_doanh": {
        "ten_ho_kinh_doanh": "Hộ kinh doanh Bánh cuốn Thanh Trì",
        "nganh_nghe": "Dịch vụ ăn uống",
        "dia_chi": "12 Quang Trung, Hà Đông, Hà Nội",
        "von_kinh_doanh": 150_000_000,
        "channel": "direct",
    },
    "dang_ky_khai_sinh": {
        "ho_ten_tre": "Trần Minh Khôi",
        "ngay_sinh": "2024-11-02",
        "gioi_tinh": "nam",
        "noi_sinh": "Bệnh viện Đa khoa Hà Đông",
        "ho_ten_me": "Lê Thị Hoa",
        "ho_ten_cha": "Trần Văn Nam",
        "nhan_cha_me_con": "khong",
    },
    "cap_phep_xay_dung": {
        "chu_dau_tu": "Phạm Thị Lan",
        "dia_chi_cong_trinh": "Số 5 ngõ 17 Ba La, Hà Đông",
        "dien_tich_xay_dung": 72.5,
        "so_tang": 4,
    },
}
# Start data of a second path of a procedure, under a name of its own.
START["dang_ky_khai_sinh_ket_hop"] = {**START["dang_ky_khai_sinh"], "nhan_cha_me_con": "ket_hop"}
PROCEDURE_OF = {"dang_ky_khai_sinh_ket_hop": "dang_ky_khai_sinh"}

# (scenario id, procedure, steps [(task id, department, answers)], end event id, outcome)
SCENARIOS = [
    # 1. Chứng thực bản sao từ bản chính
    (
        "ctbs-happy",
        "chung_thuc_ban_sao",
        [
            ("Task_KiemTraHoSo", "MOT_CUA", HOP_LE),
            ("Task_XuLy", "TU_PHAP", {**XU_LY_DAT, "so_chung_thuc": "125/2024"}),
            ("Task_KyChungThuc", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", {**TRA_TRUC_TIEP, "so_bien_lai": "0001234"}),
        ],
        "End_DaTraKetQua",
        "resolved",
    ),
    (
        "ctbs-refused-at-desk",
        "chung_thuc_ban_sao",
        [
            ("Task_KiemTraHoSo", "MOT_CUA", TU_CHOI_TIEP_NHAN),
        ],
        "End_TuChoiTiepNhan",
        "not_accepted",
    ),
    (
        "ctbs-refused-by-officer",
        "chung_thuc_ban_sao",
        [
            ("Task_KiemTraHoSo", "MOT_CUA", HOP_LE),
            ("Task_XuLy", "TU_PHAP", XU_LY_TU_CHOI),
        ],
        "End_TuChoiChungThuc",
        "refused",
    ),
    (
        "ctbs-leader-sends-back",
        "chung_thuc_ban_sao",
        [
            ("Task_KiemTraHoSo", "MOT_CUA", HOP_LE),
            ("Task_XuLy", "TU_PHAP", XU_LY_DAT),
            ("Task_KyChungThuc", "LANH_DAO", TRA_LAI),
            ("Task_XuLy", "TU_PHAP", XU_LY_DAT),
            ("Task_KyChungThuc", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", TRA_TRUC_TIEP),
        ],
        "End_DaTraKetQua",
        "resolved",
    ),
    (
        "ctbs-sent-back-then-refused",
        "chung_thuc_ban_sao",
        [
            ("Task_KiemTraHoSo", "MOT_CUA", HOP_LE),
            ("Task_XuLy", "TU_PHAP", XU_LY_DAT),
            ("Task_KyChungThuc", "LANH_DAO", TRA_LAI),
            ("Task_XuLy", "TU_PHAP", XU_LY_TU_CHOI),
        ],
        "End_TuChoiChungThuc",
        "refused",
    ),
    # 2. Đăng ký hộ kinh doanh
    (
        "hkd-happy",
        "dang_ky_ho_kinh_doanh",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            (
                "Task_ThamDinh",
                "TC_KH",
                {"ket_qua_tham_dinh": "dat", "ma_so_ho_kinh_doanh": "01H8001234"},
            ),
            ("Task_PheDuyet", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", TRA_TRUC_TIEP),
        ],
        "End_DaCapGiayChungNhan",
        "resolved",
    ),
    (
        "hkd-refused-at-desk",
        "dang_ky_ho_kinh_doanh",
        [
            ("Task_TiepNhan", "MOT_CUA", TU_CHOI_TIEP_NHAN),
        ],
        "End_TuChoiTiepNhan",
        "not_accepted",
    ),
    (
        "hkd-refused-at-appraisal",
        "dang_ky_ho_kinh_doanh",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            (
                "Task_ThamDinh",
                "TC_KH",
                {"ket_qua_tham_dinh": "tu_choi", "ly_do_tu_choi": "Ngành nghề cấm kinh doanh"},
            ),
        ],
        "End_TuChoiDangKy",
        "refused",
    ),
    (
        "hkd-leader-sends-back",
        "dang_ky_ho_kinh_doanh",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_ThamDinh", "TC_KH", {"ket_qua_tham_dinh": "dat"}),
            ("Task_PheDuyet", "LANH_DAO", TRA_LAI),
            ("Task_ThamDinh", "TC_KH", {"ket_qua_tham_dinh": "dat"}),
            ("Task_PheDuyet", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", TRA_TRUC_TIEP),
        ],
        "End_DaCapGiayChungNhan",
        "resolved",
    ),
    # 3. Đăng ký khai sinh
    (
        "ks-happy",
        "dang_ky_khai_sinh",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_GhiSoHoTich", "TU_PHAP", {**XU_LY_DAT, "so_dang_ky": "215"}),
            ("Task_KyGiayKhaiSinh", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", {"da_ky_so_ho_tich": True, "so_ban_sao_trich_luc": 2}),
        ],
        "End_DaTraGiayKhaiSinh",
        "resolved",
    ),
    (
        "ks-refused-at-desk",
        "dang_ky_khai_sinh",
        [
            ("Task_TiepNhan", "MOT_CUA", TU_CHOI_TIEP_NHAN),
        ],
        "End_TuChoiTiepNhan",
        "not_accepted",
    ),
    (
        "ks-refused-by-officer",
        "dang_ky_khai_sinh",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_GhiSoHoTich", "TU_PHAP", XU_LY_TU_CHOI),
        ],
        "End_TuChoiDangKy",
        "refused",
    ),
    (
        "ks-chairman-sends-back",
        "dang_ky_khai_sinh",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_GhiSoHoTich", "TU_PHAP", XU_LY_DAT),
            ("Task_KyGiayKhaiSinh", "LANH_DAO", TRA_LAI),
            ("Task_GhiSoHoTich", "TU_PHAP", XU_LY_DAT),
            ("Task_KyGiayKhaiSinh", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", {"da_ky_so_ho_tich": True}),
        ],
        "End_DaTraGiayKhaiSinh",
        "resolved",
    ),
    (
        "ks-with-paternity",
        "dang_ky_khai_sinh_ket_hop",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_XacMinh", "TU_PHAP", {"ket_qua_xac_minh": "dung",
                                         "chung_cu": "van_ban_giam_dinh"}),
            ("Task_GhiSoHoTich", "TU_PHAP", {**XU_LY_DAT, "so_dang_ky": "216"}),
            ("Task_KyGiayKhaiSinh", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", {"da_ky_so_ho_tich": True}),
        ],
        "End_DaTraGiayKhaiSinh",
        "resolved",
    ),
    (
        "ks-paternity-refused",
        "dang_ky_khai_sinh_ket_hop",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_XacMinh", "TU_PHAP", {"ket_qua_xac_minh": "tu_choi",
                                         "ly_do_tu_choi": "Có tranh chấp về việc nhận cha"}),
        ],
        "End_TuChoiXacMinh",
        "refused",
    ),
    # 4. Cấp giấy phép xây dựng nhà ở riêng lẻ
    (
        "cpxd-happy",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_ThamDinh", "QLDT", {"ket_qua_tham_dinh": "dat"}),
            (
                "Task_KiemTraHienTrang",
                "QLDT",
                {"ket_qua_hien_trang": "phu_hop", "ngay_kiem_tra": "2024-11-20"},
            ),
            ("Task_PheDuyet", "LANH_DAO", {**DONG_Y, "so_giay_phep": "512/GPXD"}),
            ("Task_TraKetQua", "MOT_CUA", {**TRA_TRUC_TIEP, "so_bien_lai": "0000987"}),
        ],
        "End_DaCapPhep",
        "resolved",
    ),
    (
        "cpxd-refused-at-desk",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", TU_CHOI_TIEP_NHAN),
        ],
        "End_TuChoiTiepNhan",
        "not_accepted",
    ),
    (
        "cpxd-refused-at-appraisal",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            (
                "Task_ThamDinh",
                "QLDT",
                {"ket_qua_tham_dinh": "tu_choi", "ly_do_tu_choi": "Không phù hợp quy hoạch"},
            ),
        ],
        "End_TuChoiCapPhep",
        "refused",
    ),
    (
        "cpxd-refused-after-site-inspection",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_ThamDinh", "QLDT", {"ket_qua_tham_dinh": "dat"}),
            (
                "Task_KiemTraHienTrang",
                "QLDT",
                {"ket_qua_hien_trang": "khong_phu_hop", "ly_do_tu_choi": "Lấn chiếm hành lang"},
            ),
        ],
        "End_TuChoiCapPhep",
        "refused",
    ),
    (
        "cpxd-supplement-once",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            (
                "Task_ThamDinh",
                "QLDT",
                {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ mặt bằng móng"},
            ),
            (
                "Task_TiepNhanBoSung",
                "MOT_CUA",
                {"ket_qua_bo_sung": "da_bo_sung", "giay_to_bo_sung": "Bản vẽ mặt bằng móng"},
            ),
            ("Task_ThamDinh", "QLDT", {"ket_qua_tham_dinh": "dat"}),
            ("Task_KiemTraHienTrang", "QLDT", {"ket_qua_hien_trang": "phu_hop"}),
            ("Task_PheDuyet", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", TRA_TRUC_TIEP),
        ],
        "End_DaCapPhep",
        "resolved",
    ),
    (
        "cpxd-withdrawn-during-supplement",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            (
                "Task_ThamDinh",
                "QLDT",
                {
                    "ket_qua_tham_dinh": "bo_sung",
                    "noi_dung_bo_sung": "Giấy chứng nhận quyền sử dụng đất",
                },
            ),
            ("Task_TiepNhanBoSung", "MOT_CUA", {"ket_qua_bo_sung": "rut_ho_so"}),
        ],
        "End_RutHoSo",
        "withdrawn",
    ),
    (
        "cpxd-leader-sends-back",
        "cap_phep_xay_dung",
        [
            ("Task_TiepNhan", "MOT_CUA", HOP_LE),
            ("Task_ThamDinh", "QLDT", {"ket_qua_tham_dinh": "dat"}),
            ("Task_KiemTraHienTrang", "QLDT", {"ket_qua_hien_trang": "phu_hop"}),
            ("Task_PheDuyet", "LANH_DAO", TRA_LAI),
            ("Task_ThamDinh", "QLDT", {"ket_qua_tham_dinh": "dat"}),
            ("Task_KiemTraHienTrang", "QLDT", {"ket_qua_hien_trang": "phu_hop"}),
            ("Task_PheDuyet", "LANH_DAO", DONG_Y),
            ("Task_TraKetQua", "MOT_CUA", TRA_TRUC_TIEP),
        ],
        "End_DaCapPhep",
        "resolved",
    ),
]


@pytest.mark.parametrize(
    ("key", "steps", "end_id", "outcome"),
    [
        pytest.param(key, steps, end_id, outcome, id=sid)
        for sid, key, steps, end_id, outcome in SCENARIOS
    ],
)
def test_scenario_reaches_expected_end(key, steps, end_id, outcome):
    dossier = Dossier(PROCEDURE_OF.get(key, key), START[key])
    for task_id, department, answers in steps:
        dossier.complete(task_id, department, answers)
    assert dossier.ready() == []
    assert dossier.workflow.is_completed()
    end = dossier.end_task()
    assert end.task_spec.bpmn_id == end_id
    assert end.task_spec.extensions["properties"]["outcome"] == outcome
    assert dossier.visited == [(t, d) for t, d, _ in steps]


def test_every_outcome_of_every_procedure_is_exercised():
    for key in KEYS:
        ends = {
            e.get("id"): properties(e).get("outcome")
            for e in process_element(key).xpath("./bpmn:endEvent", namespaces=NS)
        }
        reached = {end_id for _, k, _, end_id, _ in SCENARIOS if PROCEDURE_OF.get(k, k) == key}
        assert reached == set(ends), key


def test_supplement_step_pauses_the_clock_and_has_no_allowance():
    spec, _ = specs("cap_phep_xay_dung")
    props = spec.task_specs["Task_TiepNhanBoSung"].extensions["properties"]
    assert props["pauses_clock"] == "true"
    assert "allowance" not in props


# ------------------------------------------------------------------------------ fees


@pytest.mark.parametrize(
    ("pages", "copies", "fee"),
    [
        (5, 1, 7_000),
        (1, 3, 6_000),
        (500, 2, 400_000),
        (1, 1, 2_000),
        (2, 1, 4_000),
        (3, 1, 5_000),
        (197, 1, 199_000),
        (198, 1, 200_000),
        (199, 1, 200_000),
        (10, 4, 48_000),
    ],
)
def test_copy_certification_fee(pages, copies, fee):
    dossier = Dossier(
        "chung_thuc_ban_sao", {"ten_giay_to": "Học bạ", "pages": pages, "copies": copies}
    )
    data = dossier.data()
    assert data["fee"] == fee
    assert isinstance(data["fee"], int)


@pytest.mark.parametrize(
    ("channel", "fee"), [("online", 0), ("direct", 100_000), ("post", 100_000)]
)
def test_household_business_fee_by_channel(channel, fee):
    dossier = Dossier(
        "dang_ky_ho_kinh_doanh", {**START["dang_ky_ho_kinh_doanh"], "channel": channel}
    )
    assert dossier.data()["fee"] == fee


@pytest.mark.parametrize(("key", "fee"), [("dang_ky_khai_sinh", 0), ("cap_phep_xay_dung", 75_000)])
def test_fixed_fees(key, fee):
    assert Dossier(key, START[key]).data()["fee"] == fee


@pytest.mark.parametrize(("choice", "deadline"), [("khong", None), ("ket_hop", 3)])
def test_birth_registration_sets_its_deadline_by_paternity_recognition(choice, deadline):
    # Law on Civil Status 2014 arts. 16 and 25: same day; 3 working days with recognition.
    data = Dossier("dang_ky_khai_sinh",
                   {**START["dang_ky_khai_sinh"], "nhan_cha_me_con": choice}).data()
    assert data.get("deadline_working_days") == deadline
    assert data["fee"] == 0


def test_fee_survives_to_the_end():
    dossier = Dossier("chung_thuc_ban_sao", START["chung_thuc_ban_sao"])
    for task_id, department, answers in SCENARIOS[0][2]:
        dossier.complete(task_id, department, answers)
    assert dossier.end_task().data["fee"] == 7_000


# ------------------------------------------------------------------------------ static checks


@pytest.mark.parametrize("key", KEYS)
def test_file_passes_xsd_and_parses_alone(key):
    p = SpiffBpmnParser(validator=VALIDATOR)
    p.add_bpmn_file(str(PROCESSES / f"{key}.bpmn"))
    for path in sorted(PROCESSES.glob("*.dmn")):
        p.add_dmn_file(str(path))
    assert p.get_spec(key).name == key
    assert p.get_subprocess_specs(key) == {}


@pytest.mark.parametrize("key", KEYS)
def test_process_metadata(key):
    proc = process_element(key)
    props = properties(proc)
    assert proc.get("name")
    assert props["procedure_code"]
    assert props["field"]
    assert props["level"] in LEVELS
    assert props["deadline_unit"] in DEADLINE_UNITS
    if props["deadline_unit"] == "same_day":
        assert props.get("deadline", "0") == "0"
    else:
        assert float(props["deadline"]) > 0
    assert props.get("fee_variable", "fee") == "fee"


# Since 1 July 2025 (two-tier local government) all four are commune-level procedures; a
# code not checked against the national database says so.
AS_THE_LAW_STANDS = {
    "chung_thuc_ban_sao": ("2.000815", "true"),
    "dang_ky_ho_kinh_doanh": ("1.001612", "false"),
    "dang_ky_khai_sinh": ("1.001193", "true"),
    "cap_phep_xay_dung": ("XD.01", "false"),
}


@pytest.mark.parametrize("key", KEYS)
def test_procedures_as_the_law_stands_after_the_reform(key):
    props = properties(process_element(key))
    assert props["level"] == "commune"
    assert (props["procedure_code"], props["procedure_code_confirmed"]) == AS_THE_LAW_STANDS[key]
    assert props["legal_source"].strip()
    lanes = [lane.get("name") for lane in
             process_element(key).xpath("./bpmn:laneSet/bpmn:lane", namespaces=NS)]
    assert not [name for name in lanes if "huyện" in name or "quận" in name]


@pytest.mark.parametrize("key", KEYS)
def test_lanes_name_known_departments_and_hold_every_node(key):
    proc = process_element(key)
    departments = lane_departments(key)
    assert set(departments.values()) <= DEPARTMENTS
    assert len(set(departments.values())) == len(departments), "one lane per department"
    nodes = {
        el.get("id") for tag in FLOW_NODES for el in proc.xpath(f"./bpmn:{tag}", namespaces=NS)
    }
    refs = [r.text for r in proc.xpath(".//bpmn:flowNodeRef", namespaces=NS)]
    assert sorted(refs) == sorted(nodes)


@pytest.mark.parametrize("key", KEYS)
def test_user_tasks_have_lane_allowance_and_form(key):
    spec, _ = specs(key)
    departments = lane_departments(key)
    user_tasks = [ts for ts in spec.task_specs.values() if isinstance(ts, UserTask)]
    assert user_tasks
    for ts in user_tasks:
        assert departments.get(ts.lane) in DEPARTMENTS, ts.bpmn_id
        props = ts.extensions["properties"]
        if props.get("pauses_clock") != "true":
            assert ALLOWANCE.match(props.get("allowance", "")), ts.bpmn_id
        form = FORMS / props["form"]
        assert props["form"] == form.name and form.is_file(), ts.bpmn_id
        Draft202012Validator.check_schema(form_schema(form.name))
    assert "LANH_DAO" in {departments[ts.lane] for ts in user_tasks}


@pytest.mark.parametrize("key", KEYS)
def test_allowances_fit_the_statutory_deadline(key):
    # In these procedures every step with an allowance lies on the main path.
    props = properties(process_element(key))
    spec, _ = specs(key)
    total = sum(
        allowance_hours(ts.extensions["properties"]["allowance"])
        for ts in spec.task_specs.values()
        if isinstance(ts, UserTask) and "allowance" in ts.extensions["properties"]
    )
    if props["deadline_unit"] == "same_day":
        limit = HOURS_PER_DAY
    else:
        assert props["deadline_unit"] == "working_days"
        limit = float(props["deadline"]) * HOURS_PER_DAY
    longer = DEADLINE_SET.findall(" ".join(
        s.text for s in process_element(key).xpath(".//bpmn:script", namespaces=NS)))
    limit = max([limit, *(float(d) * HOURS_PER_DAY for d in longer)])
    assert 0 < total <= limit


def test_the_same_day_path_of_birth_registration_fits_the_same_day():
    spec, _ = specs("dang_ky_khai_sinh")
    same_day_path = ("Task_TiepNhan", "Task_GhiSoHoTich", "Task_KyGiayKhaiSinh", "Task_TraKetQua")
    total = sum(allowance_hours(spec.task_specs[t].extensions["properties"]["allowance"])
                for t in same_day_path)
    assert total <= HOURS_PER_DAY


@pytest.mark.parametrize("key", KEYS)
def test_start_form_and_outcomes(key):
    proc = process_element(key)
    (start,) = proc.xpath("./bpmn:startEvent", namespaces=NS)
    form_name = properties(start)["form"]
    schema = form_schema(form_name)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(START[key])
    outcomes = [properties(e).get("outcome") for e in proc.xpath("./bpmn:endEvent", namespaces=NS)]
    assert set(outcomes) <= OUTCOMES
    assert {"resolved", "refused"} <= set(outcomes)


def test_every_form_file_is_a_titled_json_schema():
    for path in sorted(FORMS.glob("*.json")):
        schema = form_schema(path.name)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["type"] == "object" and schema["title"]
        assert set(schema["required"]) <= set(schema["properties"])
        for name, prop in schema["properties"].items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name), (path.name, name)
            assert prop.get("title"), (path.name, name)
            if prop.get("type") == "integer" and name in {"pages", "copies", "so_tang"}:
                assert prop["minimum"] >= 1


@pytest.mark.parametrize("key", KEYS)
def test_gateways_branch_on_form_values(key):
    """Every exclusive gateway has a default flow and conditions of the form
    ``variable == "value"`` whose value is one of the options of a form of the procedure."""
    proc = process_element(key)
    options: dict[str, set[str]] = {}
    for path in FORMS.glob(f"{key}.*.json"):
        for name, prop in form_schema(path.name)["properties"].items():
            for option in prop.get("oneOf", []):
                options.setdefault(name, set()).add(option["const"])
    flows = {f.get("id"): f for f in proc.xpath("./bpmn:sequenceFlow", namespaces=NS)}
    for gateway in proc.xpath("./bpmn:exclusiveGateway", namespaces=NS):
        outgoing = [f for f in flows.values() if f.get("sourceRef") == gateway.get("id")]
        assert len(outgoing) >= 2
        assert gateway.get("default") in {f.get("id") for f in outgoing}
        for flow in outgoing:
            if flow.get("id") == gateway.get("default"):
                continue
            (cond,) = flow.xpath("./bpmn:conditionExpression", namespaces=NS)
            match = re.fullmatch(r'\s*([a-z_]+) == "([a-z_]+)"\s*', cond.text)
            assert match, cond.text
            assert match.group(2) in options.get(match.group(1), set()), cond.text


# ------------------------------------------------------------------------------ diagram


def _bounds(shape):
    b = shape.find("dc:Bounds", NS)
    x, y = float(b.get("x")), float(b.get("y"))
    return x, y, x + float(b.get("width")), y + float(b.get("height"))


@pytest.mark.parametrize("key", KEYS)
def test_diagram_interchange_is_complete_and_tidy(key):
    doc = xml(key)
    proc = process_element(key)
    (participant,) = doc.xpath("//bpmn:collaboration/bpmn:participant", namespaces=NS)
    assert participant.get("processRef") == key
    shapes = {s.get("bpmnElement"): s for s in doc.xpath("//bpmndi:BPMNShape", namespaces=NS)}
    edges = {e.get("bpmnElement"): e for e in doc.xpath("//bpmndi:BPMNEdge", namespaces=NS)}
    (plane,) = doc.xpath("//bpmndi:BPMNPlane", namespaces=NS)
    assert plane.get("bpmnElement") == participant.getparent().get("id")

    pool = _bounds(shapes[participant.get("id")])
    lanes = proc.xpath("./bpmn:laneSet/bpmn:lane", namespaces=NS)
    lane_box = {}
    for lane in lanes:
        box = _bounds(shapes[lane.get("id")])
        assert pool[0] <= box[0] and box[2] <= pool[2] and pool[1] <= box[1] and box[3] <= pool[3]
        for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
            lane_box[ref.text] = box

    node_boxes = {}
    for node_id, box in lane_box.items():
        node = _bounds(shapes[node_id])
        assert box[0] < node[0] and node[2] < box[2], node_id
        assert box[1] < node[1] and node[3] < box[3], node_id
        node_boxes[node_id] = node
    ids = sorted(node_boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            ax0, ay0, ax1, ay1 = node_boxes[a]
            bx0, by0, bx1, by1 = node_boxes[b]
            overlap = ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1
            assert not overlap, (a, b)

    for flow in proc.xpath("./bpmn:sequenceFlow", namespaces=NS):
        edge = edges[flow.get("id")]
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall("di:waypoint", NS)]
        assert len(points) >= 2
        for (x0, y0), (x1, y1) in pairwise(points):
            assert x0 == x1 or y0 == y1, (flow.get("id"), "segments are orthogonal")
        for end, ref in ((points[0], "sourceRef"), (points[-1], "targetRef")):
            x0, y0, x1, y1 = node_boxes[flow.get(ref)]
            assert x0 <= end[0] <= x1 and y0 <= end[1] <= y1, (flow.get("id"), ref)
        if flow.get("name"):
            assert edge.find("bpmndi:BPMNLabel", NS) is not None
    for kind in ("startEvent", "endEvent", "exclusiveGateway"):
        for el in proc.xpath(f"./bpmn:{kind}", namespaces=NS):
            assert shapes[el.get("id")].find("bpmndi:BPMNLabel", NS) is not None
