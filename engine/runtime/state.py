"""Workflow state without its spec.

The naive way stores the whole serialized spec inside every dossier; we keep the definition
once (procedure_versions) and store only the task tree, restoring it against cached specs.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.sandbox import SandboxScriptEngine, default_engine

_REGISTRY = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
_SERIALIZER = BpmnWorkflowSerializer(_REGISTRY)
# Registering again with the same converter class changes nothing and gives us its helpers.
_CONVERTER = BpmnWorkflowConverter(BpmnWorkflow, _REGISTRY)
FORMAT = 1


def dump_state(workflow: BpmnWorkflow) -> str:
    registry = _SERIALIZER.registry
    registry._encoder_mode = True
    try:
        dct: dict[str, Any] = {
            "format": FORMAT,
            "serializer": _SERIALIZER.VERSION,
            "data": registry.convert(registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "tasks": _CONVERTER.mapping_to_dict(workflow.tasks),
            "root": str(workflow.task_tree.id),
            "subprocesses": _CONVERTER.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": registry.convert(workflow.bpmn_events),
        }
        return json.dumps(dct, cls=_SERIALIZER._encoder_cls, separators=(",", ":"),
                          ensure_ascii=False)
    finally:
        registry._encoder_mode = False


def load_state(text: str, spec: BpmnProcessSpec,
               subprocess_specs: dict[str, BpmnProcessSpec],
               scripts: SandboxScriptEngine | None = None) -> BpmnWorkflow:
    """The workflow of a stored state; it runs its expressions in the sandbox (the office's,
    or the default one), whatever the version was deployed with."""
    dct = json.loads(text, cls=_SERIALIZER.json_decoder_cls)
    workflow = BpmnWorkflow(spec, subprocess_specs, deserializing=True,
                            script_engine=scripts or default_engine())
    workflow.tasks = _CONVERTER.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    _CONVERTER.set_default_attributes(workflow, dct)
    _CONVERTER.subprocesses_from_dict(dct["subprocesses"], workflow)
    workflow.bpmn_events = _REGISTRY.restore(dct.get("bpmn_events", []))
    return workflow

