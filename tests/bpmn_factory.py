"""Small procedures written in tests, to exercise one rule at a time."""

from __future__ import annotations

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
) -> str:
    """Start → Tiếp nhận (lane A) → Xử lý (lane A) → end, with the knobs lint looks at."""
    pp = {"procedure_code": "1.000001", "field": "Thử nghiệm", "level": "commune",
          "deadline": "3", "deadline_unit": "working_days"}
    pp.update(process_props or {})
    lane_props = props(department=department) if department else ""
    t1 = props(allowance=allowance) if allowance else ""
    t2 = props(allowance=second_allowance) if second_allowance else ""
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in
                   ("start", "tiep_nhan", "xu_ly", "end"))
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
        '<bpmn:sequenceFlow id="f3" sourceRef="xu_ly" targetRef="end"/>\n'
        '<bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>\n'
        f"{extra_nodes}\n"
        "</bpmn:process>\n</bpmn:definitions>\n"
    )
