"""A running dossier's workflow, restored from its snapshot and the steps logged after it.

A clerk's step writes no workflow state (``progress.sync``): the audit chain holds the step
(the task, the form data, the moment) and the dossier counts it in ``state_tail``. Every
other change of a workflow (its start, timers, corrections, a move to a new version) writes
a snapshot, so what follows a snapshot in the chain is only clerks' steps, which replay as
they ran (``engine.runtime.replay``). Every reader of a dossier's workflow comes here.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.errors import NotOpen, StepFailed
from engine.i18n import msg
from engine.model import Dossier
from engine.runtime.procedures import LoadedProcedure
from engine.runtime.replay import LoggedStep, replay
from engine.runtime.state import load_state
from engine.sandbox import SandboxScriptEngine
from engine.store import UnitOfWork

# A snapshot at least every this many steps: a restore replays at most one fewer. A replayed
# step costs about what the dump it saves costs (bench/state_write.py), and most steps find
# their workflow in the process's cache and restore nothing.
SNAPSHOT_EVERY = 5


def restore(uow: UnitOfWork, dossier: Dossier, loaded: LoadedProcedure,
            scripts: SandboxScriptEngine | None = None) -> BpmnWorkflow:
    """The dossier's workflow as of its last step (``loaded``: the version it runs)."""
    if dossier.state is None:
        raise NotOpen(msg("err_dossier_finished"))
    workflow = load_state(dossier.state, loaded.spec, loaded.subprocess_specs, scripts)
    if not dossier.state_tail:
        return workflow
    steps = uow.audit.steps_after(dossier.id, dossier.state_seq or 0)
    if len(steps) != dossier.state_tail:
        # The chain and the row disagree: never guess which steps to run.
        raise StepFailed(msg("err_replay_log_does_not_match", code=dossier.code,
                             logged=dossier.state_tail, found=len(steps)))
    return replay(workflow, [LoggedStep(task, data, at) for task, data, at in steps])
