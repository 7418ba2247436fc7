"""Decision tables that fail when no rule matches.

SpiffWorkflow's DMN engine sets nothing when no rule of a UNIQUE table matches, so a dossier
goes on without its fee and fails later, somewhere else, or not at all (a fee of 0). A table
that does not cover the data is a fault of the step that called it: say so there.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.specs.business_rule_task_mixin import BusinessRuleTaskMixin
from SpiffWorkflow.dmn.specs.model import HitPolicy
from SpiffWorkflow.task import Task


class StrictDecisions(DMNEngine):
    def decide(self, task: Task) -> list[Any]:
        rules: list[Any] = super().decide(task)
        table = self.decision_table
        if not rules and table.hit_policy != HitPolicy.COLLECT.value:
            raise WorkflowTaskException(
                f"no rule of decision table '{table.name or table.id}' matches "
                f"{_inputs(table, task.data)}", task=task)
        return rules


def _inputs(table: Any, data: dict[str, Any]) -> str:
    shown = []
    for item in table.inputs:
        expression = (item.expression or "").strip()
        if not expression.isidentifier():
            shown.append(expression)
        elif expression in data:
            shown.append(f"{expression} = {data[expression]!r}")
        else:
            shown.append(f"{expression} (not set)")
    return ", ".join(shown) or "the data"


def make_strict(*specs: BpmnProcessSpec) -> None:
    """Swap the decision engine of every business rule task of ``specs``."""
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, BusinessRuleTaskMixin) and \
                    type(task_spec.dmnEngine) is DMNEngine:
                task_spec.dmnEngine = StrictDecisions(task_spec.dmnEngine.decision_table)
