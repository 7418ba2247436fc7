"""The heaviest path through a process, for the check that step allowances fit the deadline.

Loops are cut where a depth-first walk meets a node still on its stack (a back edge), which
leaves a directed acyclic graph; one pass in topological order then gives the heaviest path.
Every node and flow is visited once per scope, so a diagram of n elements costs O(n), at any
depth and with any number of decisions. Embedded sub-processes weigh their own heaviest
path; a call activity weighs the heaviest path of the process it calls, when that process is
in the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from engine.definitions.vocabulary import NS

COMPOUND = ("subProcess", "transaction", "adHocSubProcess")
FLOW_NODES = frozenset({
    *COMPOUND, "callActivity", "task", "userTask", "manualTask", "scriptTask", "serviceTask",
    "sendTask", "receiveTask", "businessRuleTask", "startEvent", "endEvent",
    "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway",
    "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"})


@dataclass(frozen=True)
class Path:
    hours: float
    steps: tuple[str, ...]  # names of the steps that carry time, in order


NO_PATH = Path(0.0, ())


class HeaviestPath:
    """Heaviest paths of the processes of one bundle; each scope is computed once."""

    def __init__(self, step_weight: Callable[[etree._Element], tuple[float, str]],
                 processes: dict[str, etree._Element], descend: bool = True) -> None:
        self._weight = step_weight  # flow node -> (hours, name shown in the message)
        self._processes = processes
        self._descend = descend  # False: a sub-process or call weighs as one element
        self._memo: dict[int, Path] = {}
        self._active: set[int] = set()  # scopes being computed: a call back into one is a loop

    def of(self, scope: etree._Element) -> Path:
        key = id(scope)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return NO_PATH
        self._active.add(key)
        try:
            found = self._compute(scope)
        finally:
            self._active.discard(key)
        self._memo[key] = found
        return found

    def _node_path(self, node: etree._Element) -> Path:
        kind = etree.QName(node).localname
        if self._descend and kind in COMPOUND:
            return self.of(node)
        if self._descend and kind == "callActivity":
            called = self._processes.get(node.get("calledElement") or "")
            return self.of(called) if called is not None else NO_PATH
        hours, name = self._weight(node)
        return Path(hours, (name,)) if hours else NO_PATH

    def _compute(self, scope: etree._Element) -> Path:
        nodes: dict[str, etree._Element] = {}
        for child in scope:
            if isinstance(child.tag, str) and child.get("id"):
                qname = etree.QName(child)
                if qname.namespace == NS["bpmn"] and qname.localname in FLOW_NODES:
                    nodes[child.get("id")] = child
        outgoing: dict[str, list[str]] = {node_id: [] for node_id in nodes}
        incoming: dict[str, int] = dict.fromkeys(nodes, 0)
        edges: list[tuple[str, str]] = [
            (flow.get("sourceRef"), flow.get("targetRef"))
            for flow in scope.xpath("./bpmn:sequenceFlow", namespaces=NS)]
        # A boundary event leaves its task: the time spent in the task comes before it.
        edges += [(node.get("attachedToRef"), node_id) for node_id, node in nodes.items()
                  if etree.QName(node).localname == "boundaryEvent"]
        for source, target in edges:
            if source in nodes and target in nodes:
                outgoing[source].append(target)
                incoming[target] += 1
        order = _acyclic_order(nodes, outgoing, incoming)
        own = {node_id: self._node_path(nodes[node_id]) for node_id in order}
        total: dict[str, float] = {}
        before: dict[str, str] = {}  # the heaviest predecessor of each node
        for node_id in order:  # predecessors come first, so before[node_id] is final here
            base = total[before[node_id]] if node_id in before else 0.0
            total[node_id] = base + own[node_id].hours
            for target in outgoing[node_id]:
                if order.positions[target] <= order.positions[node_id]:
                    continue  # a back edge: a loop is counted once
                if target not in before or total[node_id] > total[before[target]]:
                    before[target] = node_id
        if not total:
            return NO_PATH
        return self._walk_back(max(total, key=lambda n: total[n]), before, own, total)

    @staticmethod
    def _walk_back(last: str, before: dict[str, str], own: dict[str, Path],
                   total: dict[str, float]) -> Path:
        chain = [last]
        while chain[-1] in before:
            chain.append(before[chain[-1]])
        steps = tuple(name for node_id in reversed(chain) for name in own[node_id].steps)
        return Path(total[last], steps)


class _Order(list[str]):
    positions: dict[str, int]


def _acyclic_order(nodes: dict[str, etree._Element], outgoing: dict[str, list[str]],
                   incoming: dict[str, int]) -> _Order:
    """Nodes in a topological order of the graph without its back edges (iterative DFS, so a
    chain of any length needs no recursion)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 finished
    finished: list[str] = []
    roots = [n for n in nodes if incoming[n] == 0] + list(nodes)  # then whatever a loop hides
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, index = stack[-1]
            targets = outgoing[node]
            if index < len(targets):
                stack[-1] = (node, index + 1)
                target = targets[index]
                if target not in state:
                    state[target] = 1
                    stack.append((target, 0))
                # state 1: a back edge, cut; state 2: a forward or cross edge, kept
            else:
                state[node] = 2
                finished.append(node)
                stack.pop()
    order = _Order(reversed(finished))
    order.positions = {node: i for i, node in enumerate(order)}
    return order


# SpiffWorkflow's task iterator stops 1,000 levels deep (SpiffWorkflow.util.task), and each
# element in a row is one level of a workflow's task tree: past that, steps stop being found.
# A sub-process is a workflow of its own, so it starts again at the top.
MAX_CHAIN = 950


def longest_chain(scope: etree._Element) -> int:
    """Elements on the longest loop-free run through one scope (a sub-process is one)."""
    return int(HeaviestPath(lambda _node: (1.0, ""), {}, descend=False).of(scope).hours)
