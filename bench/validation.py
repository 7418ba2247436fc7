"""Validation cost: ``read_bundle`` on the largest file of the interoperability corpus
(tests/data/interop), on generated diagrams of 1,000 tasks (one chain, which is refused as
longer than the engine follows in one process, and the same tasks in four sub-processes, which
is valid), and on diagrams of sequential yes/no gateways, each compared with SpiffWorkflow's own
parse of the same file (its XSD check and spec building), measured in the same run.

The gateway diagrams grow by eight gateways at a time, every gateway doubling the paths from
start to end: the deadline check computes the heaviest path once per element, so the growth
per step stays near the growth in size (it once walked every path: 4x per two gateways).
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from bench import emit
from engine.definitions import read_bundle
from engine.definitions.vocabulary import CAMUNDA_NS

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "interop"
CHAIN_TASKS = (400, 1000)
SUBPROCESSES = 4
GATEWAY_COUNTS = (8, 16, 24, 32, 40)
DEPARTMENT = "MOT_CUA"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'id="defs" targetNamespace="http://motcua.dev/bench">\n'
)


def _props(**values: str) -> str:
    inner = "".join(f'<spiffworkflow:property name="{k}" value="{v}"/>'
                    for k, v in values.items())
    return (f"<bpmn:extensionElements><spiffworkflow:properties>{inner}"
            "</spiffworkflow:properties></bpmn:extensionElements>")


def _procedure(key: str, nodes: list[str], flows: list[tuple[str, str, str]],
               node_ids: list[str]) -> bytes:
    """One procedure in one lane; ``flows`` are (source, target, condition or '')."""
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in node_ids)
    lines = [
        _HEAD,
        f'<bpmn:process id="{key}" name="Bench {key}" isExecutable="true">',
        _props(procedure_code="BENCH.01", field="bench", level="commune",
               deadline="10000", deadline_unit="working_days"),
        f'<bpmn:laneSet id="ls"><bpmn:lane id="lane" name="Một cửa">'
        f"{_props(department=DEPARTMENT)}{refs}</bpmn:lane></bpmn:laneSet>",
        *nodes,
        f'<bpmn:endEvent id="refused">{_props(outcome="refused")}</bpmn:endEvent>',
    ]
    for number, (source, target, condition) in enumerate(flows):
        body = (f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" '
                f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{condition}'
                "</bpmn:conditionExpression>") if condition else ""
        lines.append(f'<bpmn:sequenceFlow id="f{number}" sourceRef="{source}" '
                     f'targetRef="{target}">{body}</bpmn:sequenceFlow>')
    lines.append("</bpmn:process></bpmn:definitions>\n")
    return "\n".join(lines).encode()


def _task(node_id: str) -> str:
    # A step with nothing to fill in (a user task would need a form file besides).
    return (f'<bpmn:manualTask id="{node_id}" name="Bước {node_id}">'
            f"{_props(allowance='0.5d')}</bpmn:manualTask>")


def chain(tasks: int) -> bytes:
    """start → t1 → … → tN → end."""
    ids = [f"t{i}" for i in range(1, tasks + 1)]
    path = ["start", *ids, "end"]
    nodes = ['<bpmn:startEvent id="start"/>', *(_task(i) for i in ids),
             '<bpmn:endEvent id="end"/>']
    flows = [(a, b, "") for a, b in itertools.pairwise(path)]
    return _procedure("bench_chain", nodes, flows, path)


def in_subprocesses(tasks: int, parts: int = SUBPROCESSES) -> bytes:
    """start → sub-process 1 (its share of the tasks in a row) → … → sub-process n → end."""
    per = tasks // parts
    nodes = ['<bpmn:startEvent id="start"/>']
    for part in range(1, parts + 1):
        ids = [f"p{part}t{i}" for i in range(1, per + 1)]
        inner = [f"p{part}s", *ids, f"p{part}e"]
        body = [f'<bpmn:startEvent id="p{part}s"/>', *(_task(i) for i in ids),
                f'<bpmn:endEvent id="p{part}e"/>']
        body += [f'<bpmn:sequenceFlow id="p{part}f{n}" sourceRef="{a}" targetRef="{b}"/>'
                 for n, (a, b) in enumerate(itertools.pairwise(inner))]
        nodes.append(f'<bpmn:subProcess id="p{part}">{"".join(body)}</bpmn:subProcess>')
    nodes.append('<bpmn:endEvent id="end"/>')
    path = ["start", *(f"p{part}" for part in range(1, parts + 1)), "end"]
    flows = [(a, b, "") for a, b in itertools.pairwise(path)]
    return _procedure("bench_subprocesses", nodes, flows, path)


def gateways(count: int) -> bytes:
    """start → (gateway i: yes → task i → join i; no → join i) × count → end."""
    nodes = ['<bpmn:startEvent id="start"/>']
    flows: list[tuple[str, str, str]] = []
    ids = ["start"]
    previous = "start"
    for i in range(1, count + 1):
        split, task, join = f"g{i}", f"t{i}", f"j{i}"
        no_flow = f"f{len(flows) + 2}"  # the flow numbered below for split → join
        nodes += [f'<bpmn:exclusiveGateway id="{split}" default="{no_flow}"/>', _task(task),
                  f'<bpmn:exclusiveGateway id="{join}"/>']
        flows += [(previous, split, ""), (split, task, f"answer_{i} == 'yes'"),
                  (split, join, ""), (task, join, "")]
        ids += [split, task, join]
        previous = join
    nodes.append('<bpmn:endEvent id="end"/>')
    flows.append((previous, "end", ""))
    ids.append("end")
    return _procedure(f"bench_gateways_{count}", nodes, flows, ids)


def _validate(name: str, data: bytes) -> Callable[[], Any]:
    def run() -> Any:
        bundle = read_bundle({name: data}, {DEPARTMENT})
        return bundle

    return run


def _spiff_parse(name: str, data: bytes) -> Callable[[], Any]:
    """SpiffWorkflow's own parse: its XSD check and a spec for every executable process."""
    def run() -> Any:
        parser = (CamundaParser(validator=VALIDATOR) if CAMUNDA_NS.encode() in data
                  else SpiffBpmnParser(validator=VALIDATOR))
        parser.add_bpmn_xml(etree.fromstring(data), name)
        specs, errors = [], []
        for key in parser.get_process_ids():
            try:  # the process and its sub-processes, as the engine builds them
                specs.append((parser.get_spec(key), parser.get_subprocess_specs(key)))
            except Exception as exc:  # a process Spiff refuses still cost its attempt
                errors.append(str(exc).split("\n")[0])
        return specs, errors

    return run


def _median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm up (imports, the XSD, the sandbox's caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _figure(figure: str, name: str, data: bytes, runs: int, note: str) -> dict[str, Any]:
    ours = _median_ms(_validate(name, data), runs)
    spiff = _median_ms(_spiff_parse(name, data), runs)
    problems = read_bundle({name: data}, {DEPARTMENT}).problems
    _, spiff_errors = _spiff_parse(name, data)()
    found: dict[str, Any] = {
        "figure": figure, "value": round(ours, 2), "spiff_parse_ms": round(spiff, 2),
        "ratio_to_spiff_parse": round(ours / spiff, 2) if spiff else None,
        "bytes": len(data), "problems": len(problems), "note": note}
    # What the timed runs ended in, so a fast refusal is not read as a fast validation.
    if problems:
        found["first_problem"] = str(problems[0])[:200]
    if spiff_errors:
        found["spiff_parse_error"] = spiff_errors[0][:200]
    return found


def largest_corpus_file() -> Path:
    files = [p for p in CORPUS.iterdir() if p.suffix in (".bpmn", ".xml", ".dmn")]
    return max(files, key=lambda p: p.stat().st_size)


def measure(runs: int = 7) -> list[dict[str, Any]]:
    largest = largest_corpus_file()
    figures = [
        _figure("validate_largest_corpus_file_ms", largest.name, largest.read_bytes(), runs,
                f"read_bundle on {largest.name}, the largest file of tests/data/interop"),
    ]
    for tasks in CHAIN_TASKS:
        figures.append(_figure(
            f"validate_chain_{tasks}_tasks_ms", f"chain_{tasks}.bpmn", chain(tasks),
            max(3, runs // 2), f"read_bundle on a generated procedure of {tasks} manual tasks "
            "in a row (past 950 refused, located: SpiffWorkflow stops 1,000 levels deep)"))
    figures.append(_figure(
        "validate_1000_tasks_in_subprocesses_ms", "subprocesses.bpmn", in_subprocesses(1000),
        max(3, runs // 2), f"read_bundle on 1,000 manual tasks in {SUBPROCESSES} sub-processes "
        "of a row each: valid, so it includes SpiffWorkflow's parse"))
    points = []
    for count in GATEWAY_COUNTS:
        name = f"gateways_{count}.bpmn"
        data = gateways(count)
        ours = _median_ms(_validate(name, data), 3)
        spiff = _median_ms(_spiff_parse(name, data), 3)
        points.append({"gateways": count, "validate_ms": round(ours, 1),
                       "spiff_parse_ms": round(spiff, 2),
                       "ratio_to_spiff_parse": round(ours / spiff, 1)})
    growth = [round(b["validate_ms"] / a["validate_ms"], 2)
              for a, b in itertools.pairwise(points) if a["validate_ms"]]
    figures.append({
        "figure": "validate_sequential_gateways", "value": points[-1]["validate_ms"],
        "gateways": points[-1]["gateways"], "points": points,
        "growth_per_eight_gateways": growth,
        "note": "read_bundle on start → (yes/no gateway, a task on yes) × n → end: 2**n paths; "
                "the deadline check weighs each element once, so the time grows with n"})
    return figures


def main(runs: int = 7) -> list[dict[str, Any]]:
    return emit(measure(runs))


if __name__ == "__main__":
    main()
