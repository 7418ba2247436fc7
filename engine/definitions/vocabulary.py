"""Procedure metadata read from BPMN extension properties (documented in docs/authoring.md).

Both ``spiffworkflow:properties`` and Camunda's ``camunda:properties`` carry name/value pairs;
we read either, so files from either modeler work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field

from lxml import etree

from engine.definitions.documents import RequiredDocument, read_documents
from engine.definitions.drawn_lanes import DrawnLanes
from engine.model import Outcome

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS, "camunda": CAMUNDA_NS}

LEVELS = ("province", "district", "commune")
DEADLINE_UNITS = ("working_days", "days", "working_hours", "same_day")
OUTCOMES = tuple(Outcome)
_ALLOWANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dh]?)\s*$")


@dataclass(frozen=True)
class Allowance:
    amount: float
    unit: str  # working_days | working_hours

    @classmethod
    def parse(cls, text: str) -> Allowance:
        match = _ALLOWANCE.match(text)
        if not match:
            raise ValueError(f"allowance {text!r} should look like '0.5d' (working days) or "
                             "'4h' (working hours)")
        unit = "working_hours" if match.group(2) == "h" else "working_days"
        return cls(float(match.group(1)), unit)

    def hours(self, hours_per_day: float) -> float:
        return self.amount if self.unit == "working_hours" else self.amount * hours_per_day

    def __str__(self) -> str:
        return f"{self.amount:g}{'h' if self.unit == 'working_hours' else 'd'}"


@dataclass(frozen=True)
class StepMeta:
    """A user task: who does it, how long it may take, which form it shows."""

    id: str
    name: str
    lane_id: str | None
    department: str | None
    allowance: Allowance | None
    form: str | None
    pauses_clock: bool
    line: int | None
    pause_reason: str = "awaiting_applicant"
    # The desk's check of the dossier against the procedure's documents (docs/authoring.md):
    # the step's form field and values its three decisions write.
    desk_check: bool = False
    desk: DeskMapping | None = None
    # The task's own properties as written (name, value), for rules read on demand
    # (engine.definitions.supplement).
    properties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DeskMapping:
    """How the desk's decision becomes the step's form data, so the diagram's gateways
    (written for the plain form) route it: ``field`` takes ``accept`` or ``refuse``, the
    reasons go to ``reasons``."""

    field: str = "ket_qua_kiem_tra"
    accept: str = "hop_le"
    refuse: str = "tu_choi"
    reasons: str = "ly_do_tu_choi"


@dataclass(frozen=True)
class ProcedureMeta:
    key: str
    name: str
    file: str
    code: str | None
    field: str | None
    level: str | None
    deadline: float | None
    deadline_unit: str | None
    fee_variable: str
    start_form: str | None
    lanes: dict[str, tuple[str, str | None]] = dc_field(default_factory=dict)  # id -> (name, dept)
    steps: dict[str, StepMeta] = dc_field(default_factory=dict)
    outcomes: dict[str, str] = dc_field(default_factory=dict)  # end event id -> outcome
    properties: dict[str, str] = dc_field(default_factory=dict)
    documents: tuple[RequiredDocument, ...] = ()

    def desk_step(self) -> StepMeta | None:
        """The step marked ``desk_check=true``; None: the procedure has no desk check (its
        desk step, if any, is completed as a plain step)."""
        return next((s for s in self.steps.values() if s.desk_check), None)

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name": self.name,
            "file": self.file,
            "code": self.code,
            "field": self.field,
            "level": self.level,
            "deadline": self.deadline,
            "deadline_unit": self.deadline_unit,
            "fee_variable": self.fee_variable,
            "start_form": self.start_form,
            "lanes": [{"id": k, "name": v[0], "department": v[1]} for k, v in self.lanes.items()],
            "steps": [
                {
                    "id": s.id,
                    "name": s.name,
                    "lane": s.lane_id,
                    "department": s.department,
                    "allowance": str(s.allowance) if s.allowance else None,
                    "form": s.form,
                    "pauses_clock": s.pauses_clock,
                }
                for s in self.steps.values()
            ],
            "outcomes": self.outcomes,
            "documents": [d.to_json() for d in self.documents],
        }


# Compiled once: it runs for every lane, step and event of every file read.
_PROPERTIES = etree.XPath(
    "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
    " | ./bpmn:extensionElements/camunda:properties/camunda:property", namespaces=NS)


def properties_of(node: etree._Element) -> dict[str, str]:
    """Name/value pairs from the element's own extensionElements (Spiff or Camunda style)."""
    found: dict[str, str] = {}
    for prop in _PROPERTIES(node):
        name = prop.get("name")
        if name:
            found[name] = prop.get("value", "")
    return found


def property_tag(node: etree._Element) -> str:
    """The property element a message should tell the designer to write: a file that keeps
    our vocabulary in Camunda properties stays a Camunda file."""
    tree = node.getroottree()
    if tree.xpath("//camunda:properties", namespaces=NS) \
            and not tree.xpath("//spiffworkflow:properties", namespaces=NS):
        return "camunda:property"
    return "spiffworkflow:property"


def prefixed(clark: str) -> str:
    """``{uri}name`` as designers write it: ``bpmn:name``, ``camunda:name`` (or just the
    name in a namespace we do not know)."""
    qname = etree.QName(clark)
    prefix = next((p for p, uri in NS.items() if uri == qname.namespace), None)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def kind_in_words(tag: str) -> str:
    """An element's kind as a message says it: ``{bpmn}serviceTask`` or ``bpmn:serviceTask``
    is "service task"."""
    name = etree.QName(tag).localname if tag.startswith("{") else tag.split(":")[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower() or "element"


def label(node: etree._Element) -> str:
    return (node.get("name") or node.get("id") or "").strip()


def read_procedure(process: etree._Element, file: str) -> ProcedureMeta:
    """Read the vocabulary from one ``bpmn:process``; lint decides what is missing or wrong."""
    props = properties_of(process)
    lanes: dict[str, tuple[str, str | None]] = {}
    lane_of: dict[str, str] = {}
    for lane in process.xpath(".//bpmn:lane", namespaces=NS):
        lanes[lane.get("id")] = (label(lane), properties_of(lane).get("department"))
        for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
            lane_of[(ref.text or "").strip()] = lane.get("id")
    steps: dict[str, StepMeta] = {}
    drawn: list[DrawnLanes] = []  # read from the diagram only for a step that needs it

    def drawing() -> DrawnLanes:
        if not drawn:
            drawn.append(DrawnLanes(process, list(lanes)))
        return drawn[0]

    for task in process.xpath(".//bpmn:userTask | .//bpmn:manualTask", namespaces=NS):
        tprops = properties_of(task)
        lane_id = _lane_of(task, lane_of, drawing)
        try:
            allowance = Allowance.parse(tprops["allowance"]) if "allowance" in tprops else None
        except ValueError:
            allowance = None
        steps[task.get("id")] = StepMeta(
            id=task.get("id"),
            name=label(task),
            lane_id=lane_id,
            department=lanes[lane_id][1] if lane_id in lanes else None,
            allowance=allowance,
            form=tprops.get("form") or None,
            pauses_clock=tprops.get("pauses_clock", "").lower() == "true",
            line=task.sourceline,
            pause_reason=tprops.get("pause_reason") or "awaiting_applicant",
            desk_check=tprops.get("desk_check", "").lower() == "true",
            desk=_desk_mapping(tprops),
            properties=tuple(sorted(tprops.items())),
        )
    outcomes = {
        end.get("id"): properties_of(end).get("outcome", Outcome.RESOLVED)
        for end in process.xpath(".//bpmn:endEvent", namespaces=NS)
    }
    start_form = None
    for start in process.xpath("./bpmn:startEvent", namespaces=NS):
        start_form = properties_of(start).get("form") or start_form
    deadline: float | None
    try:
        deadline = float(props["deadline"]) if props.get("deadline") else None
    except ValueError:
        deadline = None
    return ProcedureMeta(
        key=process.get("id"),
        name=label(process),
        file=file,
        code=props.get("procedure_code"),
        field=props.get("field"),
        level=props.get("level"),
        deadline=deadline,
        deadline_unit=props.get("deadline_unit"),
        fee_variable=props.get("fee_variable") or "fee",
        start_form=start_form,
        lanes=lanes,
        steps=steps,
        outcomes=outcomes,
        properties=props,
        documents=read_documents(process, file)[0],
    )


def _desk_mapping(props: dict[str, str]) -> DeskMapping | None:
    if props.get("desk_check", "").lower() != "true":
        return None
    default = DeskMapping()
    return DeskMapping(field=props.get("desk_field") or default.field,
                       accept=props.get("desk_accept") or default.accept,
                       refuse=props.get("desk_refuse") or default.refuse,
                       reasons=props.get("desk_reasons") or default.reasons)


def _lane_of(task: etree._Element, lane_of: dict[str, str],
             drawing: Callable[[], DrawnLanes]) -> str | None:
    """The lane that lists the task. Inside a sub-process tools differ: some list its inside
    in the lanes, bpmn-js lists only the sub-process; then the lane the task is drawn in,
    else the one that lists the sub-process around it."""
    own = lane_of.get(task.get("id") or "")
    if own:
        return own
    node = task.getparent()
    while node is not None and etree.QName(node).localname != "process":
        around = lane_of.get(node.get("id") or "")
        if around:
            return drawing().lane_of(task.get("id") or "") or around
        node = node.getparent()
    return None


def is_procedure(process: etree._Element) -> bool:
    """A process with a statutory deadline is a procedure; others are callable sub-processes."""
    return "deadline_unit" in properties_of(process)
