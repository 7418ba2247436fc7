"""Small procedures written in tests, to exercise one rule at a time."""

from __future__ import annotations

import json

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'id="defs" targetNamespace="http://motcua.dev/test">\n'
)


def props(**values: str) -> str:
    inner = "".join(f'<spiffworkflow:property name="{k}" value="{v}"/>' for k, v in values.items())
    return (f"<bpmn:extensionElements><spiffworkflow:properties>{inner}"
            "</spiffworkflow:properties></bpmn:extensionElements>")


def form(title: str, required: dict[str, list[str]] | None = None) -> bytes:
    """A step form: an optional note, plus a required choice per ``required`` field."""
    properties: dict[str, object] = {"ghi_chu": {"type": "string", "title": "Ghi chú"}}
    for name, values in (required or {}).items():
        properties[name] = {"type": "string", "title": name,
                            "oneOf": [{"const": v, "title": v} for v in values]}
    return json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                       "type": "object", "title": title, "properties": properties,
                       "required": list(required or {})}, ensure_ascii=False).encode()


# The forms of the factory's two steps; the second decides the gateway after it.
FORMS: dict[str, bytes] = {
    "thu.tiep_nhan.json": form("Tiếp nhận"),
    "thu.xu_ly.json": form("Xử lý", {"ket_qua": ["dat", "tu_choi"]}),
}


def procedure(
    key: str = "thu_tuc_thu",
    name: str = "Thủ tục thử",
    process_props: dict[str, str] | None = None,
    department: str | None = "MOT_CUA",
    allowance: str | None = "1d",
    in_lane: bool = True,
    extra_nodes: str = "",
    task_body: str = "",
    second_allowance: str | None = "1d",
    second_form: str | None = "thu.xu_ly.json",
) -> str:
    """Start → Tiếp nhận (lane A) → Xử lý (lane A) → <Kết quả?> → end (resolved) or
    tu_choi (refused, when ``ket_qua == "tu_choi"``), with the knobs lint looks at. The
    steps' forms are ``FORMS``: deploy them with it."""
    pp = {"procedure_code": "1.000001", "field": "Thử nghiệm", "level": "commune",
          "deadline": "3", "deadline_unit": "working_days"}
    pp.update(process_props or {})
    lane_props = props(department=department) if department else ""
    t1 = props(**({"allowance": allowance} if allowance else {}), form="thu.tiep_nhan.json")
    second = {"allowance": second_allowance, "form": second_form}
    t2 = props(**{k: v for k, v in second.items() if v}) if any(second.values()) else ""
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in
                   ("start", "tiep_nhan", "xu_ly", "end", "gw_ket_qua", "tu_choi"))
    lanes = (f'<bpmn:laneSet id="ls"><bpmn:lane id="lane_a" name="Một cửa">{lane_props}'
             f"{refs}</bpmn:lane></bpmn:laneSet>") if in_lane else ""
    return HEADER + (
        f'<bpmn:process id="{key}" name="{name}" isExecutable="true">\n'
        f"{props(**pp)}\n{lanes}\n"
        '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tiep_nhan"/>\n'
        f'<bpmn:userTask id="tiep_nhan" name="Tiếp nhận">{t1}{task_body}'
        "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>\n"
        '<bpmn:sequenceFlow id="f2" sourceRef="tiep_nhan" targetRef="xu_ly"/>\n'
        f'<bpmn:userTask id="xu_ly" name="Xử lý">{t2}'
        "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>\n"
        '<bpmn:sequenceFlow id="f3" sourceRef="xu_ly" targetRef="gw_ket_qua"/>\n'
        '<bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>\n'
        '<bpmn:exclusiveGateway id="gw_ket_qua" name="Kết quả?" default="f4">'
        "<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>"
        "<bpmn:outgoing>f5</bpmn:outgoing></bpmn:exclusiveGateway>\n"
        '<bpmn:sequenceFlow id="f4" sourceRef="gw_ket_qua" targetRef="end"/>\n'
        '<bpmn:sequenceFlow id="f5" sourceRef="gw_ket_qua" targetRef="tu_choi">'
        '<bpmn:conditionExpression>ket_qua == "tu_choi"</bpmn:conditionExpression>'
        "</bpmn:sequenceFlow>\n"
        f'<bpmn:endEvent id="tu_choi" name="Từ chối">{props(outcome="refused")}'
        "<bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>\n"
        f"{extra_nodes}\n"
        "</bpmn:process>\n</bpmn:definitions>\n"
    )


def procedure_files(name: str = "thu.bpmn", **knobs: object) -> dict[str, bytes]:
    """``procedure(**knobs)`` as ``name`` with the forms it names: a deployable upload."""
    return {name: procedure(**knobs).encode(), **FORMS}  # type: ignore[arg-type]
