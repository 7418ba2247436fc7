"""The lane a node is drawn in, read from the diagram interchange.

bpmn-js (and so Camunda Modeler) lists in a lane's ``flowNodeRef`` only the nodes drawn
directly in the lane: a task inside an expanded sub-process is in none, even when the
designer drew it in another lane than the sub-process (the leader signs inside the justice
officer's sub-process). What the designer sees is the drawing, so the drawing decides there.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

DI = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC"}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def holds(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height


def _box(shape: etree._Element) -> Box | None:
    bounds = shape.find("dc:Bounds", DI)
    if bounds is None:
        return None
    try:
        return Box(*(float(bounds.get(k, "")) for k in ("x", "y", "width", "height")))
    except ValueError:
        return None


class DrawnLanes:
    """Lanes of one process by where they are drawn, on the plane that draws them (a
    collapsed sub-process is drawn on a plane of its own, whose coordinates say nothing
    about lanes)."""

    def __init__(self, process: etree._Element, lane_ids: list[str]) -> None:
        # Every shape by the element it draws, read once: a file may have many steps to place.
        self._by_element: dict[str, list[etree._Element]] = {}
        for shape in process.getroottree().iterfind(".//bpmndi:BPMNShape", DI):
            self._by_element.setdefault(shape.get("bpmnElement") or "", []).append(shape)
        self._lanes: list[tuple[str, Box, etree._Element]] = []
        for lane_id in lane_ids:
            for shape in self._shapes(lane_id):
                box = _box(shape)
                if box is not None:
                    self._lanes.append((lane_id, box, shape.getparent()))

    def _shapes(self, element_id: str) -> list[etree._Element]:
        return self._by_element.get(element_id, [])

    def lane_of(self, node_id: str) -> str | None:
        """The innermost lane whose shape holds the centre of the node's shape."""
        if not self._lanes:
            return None
        for shape in self._shapes(node_id):
            box = _box(shape)
            if box is None:
                continue
            x, y = box.x + box.width / 2, box.y + box.height / 2
            holding = [(lane.width * lane.height, lane_id) for lane_id, lane, plane
                       in self._lanes if plane is shape.getparent() and lane.holds(x, y)]
            if holding:
                return min(holding)[1]
        return None
