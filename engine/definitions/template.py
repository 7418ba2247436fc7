"""A new procedure drawn from a template: one lane per department, the one-stop desk's first
and last steps, a placeholder step for every other department, the two ends every procedure
has, the procedure properties, diagram interchange so any modeler opens it as drawn, and a
starter form for the start event and each step. Pure: values in, file texts out."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

from engine.definitions.lint import SAME_DAY_HOURS
from engine.definitions.vocabulary import BPMN_NS, SPIFF_NS

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_NSMAP = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS,
          "spiffworkflow": SPIFF_NS, "xsi": XSI_NS}
SCHEMA = "https://json-schema.org/draft/2020-12/schema"

FIRST_STEP = "Tiếp nhận, kiểm tra hồ sơ"
LAST_STEP = "Trả kết quả"

# Layout: columns left to right, the desk's lane on top with a second row for the refusal.
_POOL_X, _POOL_Y, _LABEL_W = 150, 80, 30
_COLUMN, _FIRST_COLUMN = 150, 80
_LANE_H, _DESK_H, _ROW = 150, 230, 100
_SIZES = {"startEvent": (36, 36), "endEvent": (36, 36), "exclusiveGateway": (50, 50),
          "userTask": (100, 80), "scriptTask": (100, 80)}


@dataclass(frozen=True)
class Template:
    """What the designer fills in; ``departments`` are (code, name) in lane order and
    ``desk`` is the one-stop desk's code (its lane comes first, added if missing)."""

    key: str
    name: str
    code: str
    field: str
    level: str
    deadline: float | None
    deadline_unit: str
    desk: tuple[str, str]
    departments: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Node:
    id: str
    kind: str
    name: str
    lane: int
    column: int
    row: int = 0
    props: tuple[tuple[str, str], ...] = ()

    @property
    def size(self) -> tuple[int, int]:
        return _SIZES[self.kind]


def _safe(code: str) -> str:
    """An XML name part from a department code."""
    return re.sub(r"[^A-Za-z0-9_]", "_", code) or "X"


def _budget_hours(template: Template) -> float:
    if template.deadline_unit == "same_day":
        return SAME_DAY_HOURS
    deadline = template.deadline or 0.0
    return deadline if template.deadline_unit == "working_hours" else deadline * SAME_DAY_HOURS


def allowances(template: Template, steps: int) -> str:
    """One allowance for each of ``steps`` steps so that together they fit the deadline
    (rounded down to a tenth), in days when a step gets a day or more."""
    share = _budget_hours(template) / max(steps, 1)
    if share >= SAME_DAY_HOURS:
        return f"{math.floor(share / SAME_DAY_HOURS * 10) / 10:g}d"
    return f"{max(math.floor(share * 10) / 10, 0.1):g}h"


def form_name(key: str, step: str) -> str:
    return f"{key}.{step}.json"


def _nodes(template: Template) -> tuple[list[_Node], list[tuple[str, str, str, str | None]]]:
    """The flow nodes and the sequence flows (id, source, target, name)."""
    key = template.key
    others = [d for d in template.departments if d[0] != template.desk[0]]
    allowance = allowances(template, len(others) + 2)
    nodes = [
        _Node("Start_NopHoSo", "startEvent", "Nộp hồ sơ", 0, 0,
              props=(("form", form_name(key, "nop_ho_so")),)),
        _Node("Task_TinhPhi", "scriptTask", "Tính phí, lệ phí", 0, 1),
        _Node("Task_TiepNhan", "userTask", FIRST_STEP, 0, 2,
              # The desk's check of the documents (docs/authoring.md §6a) happens here.
              props=(("desk_check", "true"), ("allowance", allowance),
                     ("form", form_name(key, "tiep_nhan")))),
        _Node("Gateway_KiemTra", "exclusiveGateway", "Hồ sơ hợp lệ?", 0, 3),
        _Node("End_TuChoiTiepNhan", "endEvent", "Từ chối tiếp nhận", 0, 3, row=1,
              props=(("outcome", "not_accepted"),)),
    ]
    for index, (code, name) in enumerate(others):
        nodes.append(_Node(f"Task_XuLy_{_safe(code)}", "userTask", f"Xử lý – {name}",
                           index + 1, 4 + index,
                           props=(("allowance", allowance),
                                  ("form", form_name(key, f"xu_ly_{_safe(code).lower()}")))))
    last = 4 + len(others)
    nodes += [
        _Node("Task_TraKetQua", "userTask", LAST_STEP, 0, last,
              props=(("allowance", allowance), ("form", form_name(key, "tra_ket_qua")))),
        _Node("End_DaTraKetQua", "endEvent", "Đã trả kết quả", 0, last + 1,
              props=(("outcome", "resolved"),)),
    ]
    chain = ["Task_TinhPhi", "Task_TiepNhan", "Gateway_KiemTra",
             *[n.id for n in nodes if n.id.startswith("Task_XuLy_")], "Task_TraKetQua",
             "End_DaTraKetQua"]
    flows: list[tuple[str, str, str, str | None]] = [
        ("Flow_BatDau", "Start_NopHoSo", "Task_TinhPhi", None)]
    for index, (source, target) in enumerate(pairwise(chain)):
        flow_name = "Hợp lệ" if source == "Gateway_KiemTra" else None
        flows.append((f"Flow_{index + 1}", source, target, flow_name))
    flows.append(("Flow_TuChoiTiepNhan", "Gateway_KiemTra", "End_TuChoiTiepNhan", "Từ chối"))
    return nodes, flows


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _properties(parent: etree._Element, pairs: tuple[tuple[str, str], ...]) -> None:
    ext = etree.SubElement(parent, _q(BPMN_NS, "extensionElements"))
    box = etree.SubElement(ext, _q(SPIFF_NS, "properties"))
    for name, value in pairs:
        etree.SubElement(box, _q(SPIFF_NS, "property"), name=name, value=value)


def _process_properties(template: Template) -> tuple[tuple[str, str], ...]:
    pairs = [("procedure_code", template.code), ("field", template.field),
             ("level", template.level)]
    if template.deadline_unit == "same_day":
        pairs.append(("deadline", "0"))
    else:
        pairs.append(("deadline", f"{template.deadline or 0:g}"))
    pairs.append(("deadline_unit", template.deadline_unit))
    return tuple(pairs)


def _lane_tops(count: int) -> list[int]:
    tops = [_POOL_Y]
    for index in range(1, count):
        tops.append(tops[-1] + (_DESK_H if index == 1 else _LANE_H))
    return tops


def _centre(node: _Node, tops: list[int]) -> tuple[float, float]:
    x = _POOL_X + _LABEL_W + _FIRST_COLUMN + node.column * _COLUMN
    y = tops[node.lane] + 70 + node.row * _ROW if node.lane == 0 else tops[node.lane] + _LANE_H / 2
    return x, y


def _bounds(parent: etree._Element, x: float, y: float, w: float, h: float) -> None:
    etree.SubElement(parent, _q(DC_NS, "Bounds"), x=f"{x:g}", y=f"{y:g}", width=f"{w:g}",
                     height=f"{h:g}")


def _waypoints(source: tuple[float, float, int, int], target: tuple[float, float, int, int]
               ) -> list[tuple[float, float]]:
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    if sx == tx:  # straight down (the gateway to the refusal below it)
        return [(sx, sy + sh / 2), (tx, ty - th / 2)]
    start, end = (sx + sw / 2, sy), (tx - tw / 2, ty)
    if sy == ty:
        return [start, end]
    middle = (start[0] + end[0]) / 2
    return [start, (middle, sy), (middle, ty), end]


def _diagram(root: etree._Element, template: Template, nodes: list[_Node],
             flows: list[tuple[str, str, str, str | None]], lanes: list[tuple[str, str]],
             collaboration: str, participant: str) -> None:
    diagram = etree.SubElement(root, _q(BPMNDI_NS, "BPMNDiagram"), id=f"Diagram_{template.key}")
    plane = etree.SubElement(diagram, _q(BPMNDI_NS, "BPMNPlane"), id=f"Plane_{template.key}",
                             bpmnElement=collaboration)
    tops = _lane_tops(len(lanes))
    width = _LABEL_W + _FIRST_COLUMN + (max(n.column for n in nodes) + 1) * _COLUMN
    height = sum(_DESK_H if i == 0 else _LANE_H for i in range(len(lanes)))
    pool = etree.SubElement(plane, _q(BPMNDI_NS, "BPMNShape"), id=f"{participant}_di",
                            bpmnElement=participant, isHorizontal="true")
    _bounds(pool, _POOL_X, _POOL_Y, width, height)
    for index, (code, _name) in enumerate(lanes):
        lane = etree.SubElement(plane, _q(BPMNDI_NS, "BPMNShape"), id=f"Lane_{_safe(code)}_di",
                                bpmnElement=f"Lane_{_safe(code)}", isHorizontal="true")
        _bounds(lane, _POOL_X + _LABEL_W, tops[index], width - _LABEL_W,
                _DESK_H if index == 0 else _LANE_H)
    placed: dict[str, tuple[float, float, int, int]] = {}
    for node in nodes:
        x, y = _centre(node, tops)
        w, h = node.size
        placed[node.id] = (x, y, w, h)
        shape = etree.SubElement(plane, _q(BPMNDI_NS, "BPMNShape"), id=f"{node.id}_di",
                                 bpmnElement=node.id)
        if node.kind == "exclusiveGateway":
            shape.set("isMarkerVisible", "true")
        _bounds(shape, x - w / 2, y - h / 2, w, h)
        if node.kind in ("startEvent", "endEvent", "exclusiveGateway"):
            label = etree.SubElement(shape, _q(BPMNDI_NS, "BPMNLabel"))
            # the gateway's label sits above it: the refusal leaves from below
            top = y - h / 2 - 30 if node.kind == "exclusiveGateway" else y + h / 2 + 6
            _bounds(label, x - 45, top, 90, 27)
    for flow_id, source, target, name in flows:
        edge = etree.SubElement(plane, _q(BPMNDI_NS, "BPMNEdge"), id=f"{flow_id}_di",
                                bpmnElement=flow_id)
        points = _waypoints(placed[source], placed[target])
        for px, py in points:
            etree.SubElement(edge, _q(DI_NS, "waypoint"), x=f"{px:g}", y=f"{py:g}")
        if name:
            label = etree.SubElement(edge, _q(BPMNDI_NS, "BPMNLabel"))
            lx, ly = points[0] if len(points) == 2 else points[1]
            _bounds(label, lx + 6, ly + 4, 60, 14)


def diagram(template: Template) -> str:
    """The BPMN file of a new procedure."""
    nodes, flows = _nodes(template)
    others = [d for d in template.departments if d[0] != template.desk[0]]
    lanes = [template.desk, *others]
    collaboration, participant = f"Collaboration_{template.key}", f"Participant_{template.key}"
    root = etree.Element(_q(BPMN_NS, "definitions"), nsmap=_NSMAP,
                         id=f"Definitions_{template.key}",
                         targetNamespace="http://bpmn.io/schema/bpmn")
    collab = etree.SubElement(root, _q(BPMN_NS, "collaboration"), id=collaboration)
    etree.SubElement(collab, _q(BPMN_NS, "participant"), id=participant, name=template.name,
                     processRef=template.key)
    process = etree.SubElement(root, _q(BPMN_NS, "process"), id=template.key,
                               name=template.name, isExecutable="true")
    _properties(process, _process_properties(template))
    lane_set = etree.SubElement(process, _q(BPMN_NS, "laneSet"), id=f"LaneSet_{template.key}")
    for index, (code, name) in enumerate(lanes):
        lane = etree.SubElement(lane_set, _q(BPMN_NS, "lane"), id=f"Lane_{_safe(code)}",
                                name=name)
        _properties(lane, (("department", code),))
        for node in nodes:
            if node.lane == index:
                etree.SubElement(lane, _q(BPMN_NS, "flowNodeRef")).text = node.id
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow_id, source, target, _name in flows:
        outgoing.setdefault(source, []).append(flow_id)
        incoming.setdefault(target, []).append(flow_id)
    forward = next(f[0] for f in flows if f[1] == "Gateway_KiemTra" and f[3] == "Hợp lệ")
    for node in nodes:
        element = etree.SubElement(process, _q(BPMN_NS, node.kind), id=node.id, name=node.name)
        if node.kind == "exclusiveGateway":
            element.set("default", forward)
        if node.props:
            _properties(element, node.props)
        for flow_id in incoming.get(node.id, []):
            etree.SubElement(element, _q(BPMN_NS, "incoming")).text = flow_id
        for flow_id in outgoing.get(node.id, []):
            etree.SubElement(element, _q(BPMN_NS, "outgoing")).text = flow_id
        if node.kind == "scriptTask":
            element.set("scriptFormat", "python")
            # the fee is free until the designer writes the schedule (a DMN or a script)
            etree.SubElement(element, _q(BPMN_NS, "script")).text = "fee = 0"
    for flow_id, source, target, flow_name in flows:
        flow = etree.SubElement(process, _q(BPMN_NS, "sequenceFlow"), id=flow_id,
                                sourceRef=source, targetRef=target)
        if flow_name:
            flow.set("name", flow_name)
        if flow_id == "Flow_TuChoiTiepNhan":
            condition = etree.SubElement(flow, _q(BPMN_NS, "conditionExpression"))
            condition.set(_q(XSI_NS, "type"), "bpmn:tFormalExpression")
            condition.text = 'ket_qua_kiem_tra == "tu_choi"'
    _diagram(root, template, nodes, flows, lanes, collaboration, participant)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True).decode()


def _form(title: str, properties: dict[str, object], required: list[str],
          extra: dict[str, object] | None = None) -> str:
    schema: dict[str, object] = {"$schema": SCHEMA, "type": "object", "title": title,
                                 "properties": properties, "required": required}
    schema.update(extra or {})
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


_NOTE = {"type": "string", "title": "Ý kiến xử lý", "maxLength": 2000}


def forms(template: Template) -> dict[str, str]:
    """A starter form for the start event and every step, in the conventions of
    docs/authoring.md (section 3); the designer fills in the procedure's own fields."""
    key = template.key
    found = {
        form_name(key, "nop_ho_so"): _form(
            f"Hồ sơ {template.name}",
            {"noi_dung": {"type": "string", "title": "Nội dung đề nghị", "minLength": 1,
                          "maxLength": 2000}}, ["noi_dung"]),
        form_name(key, "tiep_nhan"): _form(
            FIRST_STEP,
            {"ket_qua_kiem_tra": {"type": "string", "title": "Kết quả kiểm tra", "oneOf": [
                {"const": "hop_le", "title": "Hồ sơ hợp lệ – tiếp nhận"},
                {"const": "tu_choi", "title": "Không đủ điều kiện – từ chối tiếp nhận"}]},
             "ly_do_tu_choi": {"type": "string", "title": "Lý do từ chối", "maxLength": 2000}},
            ["ket_qua_kiem_tra"],
            {"allOf": [{"if": {"properties": {"ket_qua_kiem_tra": {"const": "tu_choi"}},
                               "required": ["ket_qua_kiem_tra"]},
                        "then": {"required": ["ly_do_tu_choi"]}}]}),
        form_name(key, "tra_ket_qua"): _form(
            LAST_STEP, {"ghi_chu": {"type": "string", "title": "Ghi chú", "maxLength": 2000}},
            []),
    }
    for code, name in template.departments:
        if code != template.desk[0]:
            found[form_name(key, f"xu_ly_{_safe(code).lower()}")] = _form(
                f"Xử lý – {name}", {"y_kien": _NOTE}, [])
    return found


def bundle(template: Template) -> tuple[str, dict[str, str]]:
    """(main file name, every file of the bundle): the diagram and its forms."""
    main = f"{template.key}.bpmn"
    return main, {main: diagram(template), **forms(template)}
