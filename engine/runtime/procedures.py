"""Deployed procedure versions turned into ready-to-run specs, parsed once per process."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec

from engine.definitions.parsing import build_specs
from engine.definitions.references import resolve
from engine.definitions.vocabulary import NS, ProcedureMeta, StepMeta, read_procedure
from engine.definitions.xml import safe_parse
from engine.model import ProcedureVersion
from engine.runtime.decisions import make_strict

EMBEDDED = ".//bpmn:subProcess | .//bpmn:transaction | .//bpmn:adHocSubProcess"


@dataclass
class LoadedProcedure:
    version: ProcedureVersion
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]
    meta: ProcedureMeta
    processes: dict[str, ProcedureMeta] = field(default_factory=dict)
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    # SpiffWorkflow runs an embedded sub-process as a workflow named after the sub-process;
    # its steps belong to the bpmn:process around it (lanes, allowances, forms).
    owners: dict[str, str] = field(default_factory=dict)

    def step(self, process_id: str, step_id: str) -> StepMeta | None:
        proc = self.processes.get(self.owners.get(process_id, process_id))
        return proc.steps.get(step_id) if proc else None

    def form(self, name: str | None) -> dict[str, Any] | None:
        return self.forms.get(name) if name else None


def load(version: ProcedureVersion) -> LoadedProcedure:
    spec, subs = build_specs(version.files, version.key)
    make_strict(spec, *subs.values())
    processes: dict[str, ProcedureMeta] = {}
    forms: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    main: ProcedureMeta | None = None
    for name, text in version.files.items():
        lower = name.lower()
        if lower.endswith(".json"):
            forms[name] = json.loads(text)
        elif lower.endswith((".bpmn", ".bpmn20.xml")):
            tree = safe_parse(text.encode(), name)
            for proc in tree.xpath("//bpmn:process", namespaces=NS):
                meta = read_procedure(proc, name)
                processes[meta.key] = meta
                for inner in proc.xpath(EMBEDDED, namespaces=NS):
                    owners[inner.get("id")] = meta.key
                if meta.key == version.key:
                    main = meta
    if main is None:
        raise LookupError(f"process {version.key} missing from its own files")
    # Steps name their forms as the designer wrote them (a base name, or a path): resolved as
    # the deploy resolved them, so either finds the form.
    for meta in processes.values():
        refs = [s.form for s in meta.steps.values() if s.form] + (
            [meta.start_form] if meta.start_form else [])
        for ref in refs:
            found = resolve(ref, meta.file, [n for n in version.files if n in forms])
            if found.path is not None and ref not in forms:
                forms[ref] = forms[found.path]
    return LoadedProcedure(version, spec, subs, main, processes, forms, owners)


class ProcedureCache:
    """LRU of loaded versions: a version never changes, so entries never go stale.

    Each version is built once: the first caller builds it under that version's lock and the
    others wait for its result. Concurrent first builds once crashed the process inside
    lxml's schema code; besides, parsing is the costliest thing a step can do.
    """

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[int, LoadedProcedure] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._building: dict[int, threading.Lock] = {}

    def cached(self, version_id: int) -> LoadedProcedure | None:
        """A loaded version without touching the database (versions never change)."""
        with self._lock:
            return self._items.get(version_id)

    def get(self, version: ProcedureVersion) -> LoadedProcedure:
        hit = self._hit(version.id)
        if hit is not None:
            return hit
        with self._lock:
            building = self._building.setdefault(version.id, threading.Lock())
        with building:
            hit = self._hit(version.id)  # built by the caller we waited for
            if hit is not None:
                return hit
            try:
                loaded = load(version)
            except BaseException:
                with self._lock:  # a failed build lets the next caller try again
                    self._building.pop(version.id, None)
                raise
            with self._lock:  # in the cache before the lock goes: nobody builds it again
                self._items[version.id] = loaded
                self._building.pop(version.id, None)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return loaded

    def _hit(self, version_id: int) -> LoadedProcedure | None:
        with self._lock:
            hit = self._items.get(version_id)
            if hit is not None:
                self._items.move_to_end(version_id)
            return hit
