"""Workflow state without its spec, through SpiffWorkflow's serializer.

The naive way stores the whole serialized spec inside every dossier; we keep the definition
once (procedure_versions) and store only the task tree, restoring it against cached specs.

Everything goes through the serializer's public API: ``SpeclessWorkflowConverter`` is
registered for ``BpmnWorkflow`` in the serializer's configuration; it writes what
SpiffWorkflow's own converter writes except the specs, and restores the tree against the
specs the caller hands to ``from_dict`` (keyword arguments, so threads share nothing). Each
state carries the serializer's version and SpiffWorkflow's migrations run on load, so a
SpiffWorkflow upgrade upgrades the stored dossiers as they are read.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.exceptions import VersionMigrationError
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.definitions.parsing import recursion_for
from engine.sandbox import SandboxScriptEngine, default_engine

VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """SpiffWorkflow's workflow converter without ``spec`` and ``subprocess_specs``."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        # The base class's to_dict, then the top workflow's own parts but its specs.
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], *, spec: BpmnProcessSpec,
                  subprocess_specs: dict[str, BpmnProcessSpec],
                  script_engine: SandboxScriptEngine) -> BpmnWorkflow:
        workflow = self.target_class(spec, subprocess_specs, script_engine=script_engine,
                                     deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


CONFIG = {**SPIFF_CONFIG, BpmnWorkflow: SpeclessWorkflowConverter}


class CompactJson(json.JSONEncoder):
    """States are written without spaces and with Vietnamese as UTF-8, not ``\\u`` escapes:
    a finished five-step dossier must stay under 4 KB."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(separators=(",", ":"), ensure_ascii=False)
        super().__init__(**kwargs)


_local = threading.local()


def serializer() -> BpmnWorkflowSerializer:
    """This thread's serializer: ``serialize_json`` sets a mode flag on its registry while it
    writes, so a registry is never shared between threads."""
    found: BpmnWorkflowSerializer | None = getattr(_local, "serializer", None)
    if found is None:
        registry = BpmnWorkflowSerializer.configure(CONFIG)
        found = _local.serializer = BpmnWorkflowSerializer(registry, json_encoder_cls=CompactJson)
    return found


def dump_state(workflow: BpmnWorkflow) -> str:
    """The task tree, data and events of ``workflow`` as JSON, with the serializer's version."""
    with recursion_for(spec_size(workflow.spec, workflow.subprocess_specs)):
        return str(serializer().serialize_json(workflow))


def load_state(text: str, spec: BpmnProcessSpec,
               subprocess_specs: dict[str, BpmnProcessSpec],
               scripts: SandboxScriptEngine | None = None) -> BpmnWorkflow:
    """The workflow of a stored state; it runs its expressions in the sandbox (the office's,
    or the default one), whatever the version was deployed with."""
    current = serializer()
    dct = json.loads(text)
    if "format" in dct:
        _from_format_1(dct, current)
    _migrate(dct, current, spec, subprocess_specs)
    with recursion_for(spec_size(spec, subprocess_specs)):
        workflow: BpmnWorkflow = current.from_dict(
            dct, spec=spec, subprocess_specs=subprocess_specs,
            script_engine=scripts or default_engine())
    return workflow


def spec_size(spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]) -> int:
    """How many task specs a workflow has: SpiffWorkflow walks a chain of them recursively."""
    return len(spec.task_specs) + sum(len(s.task_specs) for s in subprocess_specs.values())


def _from_format_1(dct: dict[str, Any], current: BpmnWorkflowSerializer) -> None:
    """States written before the converter was registered: the same task tree under our own
    ``format`` and ``serializer`` keys, without a typename."""
    dct.pop("format")
    dct[VERSION_KEY] = dct.pop("serializer")
    dct["typename"] = current.registry.typenames[BpmnWorkflow]


def _migrate(dct: dict[str, Any], current: BpmnWorkflowSerializer, spec: BpmnProcessSpec,
             subprocess_specs: dict[str, BpmnProcessSpec]) -> None:
    """Run SpiffWorkflow's migrations on a state from an older serializer.

    The migrations read the task specs' dicts (``spec`` and ``subprocess_specs``: a task's
    typename, a gateway's outputs) to decide what to change in the tasks, and some rewrite the
    specs as well. We lend them the specs we run with, serialized by this version, and drop
    them afterwards: those specs were parsed from the BPMN files by this version, so whatever
    a migration would change in a stored spec is already in them.
    """
    version = dct.get(VERSION_KEY)
    if version == current.VERSION:
        current.migrate(dct)  # nothing to do but take the version off
        return
    if _older(version, current.VERSION):
        dct["spec"] = current.to_dict(spec)
        dct["subprocess_specs"] = {name: current.to_dict(sub)
                                   for name, sub in subprocess_specs.items()}
        current.migrate(dct)
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        return
    raise VersionMigrationError(f"a workflow state of serializer version {version!r}; this "
                                f"SpiffWorkflow reads {current.VERSION} and older")


def _older(version: object, than: str) -> bool:
    try:
        return tuple(map(int, str(version).split("."))) < tuple(map(int, than.split(".")))
    except ValueError:
        return False
