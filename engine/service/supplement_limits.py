"""The applicant's time to supplement: past it, the timer worker returns the dossier.

A step that waits for the applicant and sets ``supplement_limit_days`` (itself or its
process, engine.definitions.supplement) is completed by the worker with its
``return_answer`` once the limit has passed: the diagram's own way out (e.g. to "Công dân
rút hồ sơ", outcome ``withdrawn``), so the workflow, the control sheet (the step completed
by the timer, the clock resumed) and form 06 (a finished dossier in the column of its end
event) stay one story. The reason is a ``dossier_returned`` event before the completion,
in the same transaction, one dossier per transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from engine.definitions.supplement import applicant_step
from engine.errors import Conflict, NotReady
from engine.model import ACTIVE_ITEM_STATUSES, User, WorkItem
from engine.runtime.clock import clock_scope
from engine.service.applicant_supplement import answer_step, keep, limit_of, step_meta
from engine.service.notifications import notify
from engine.service.office import Office

RETURNED = "dossier_returned"
REASON = "supplement_time_limit"
TIMER_USER = User(id=0, username="timer", full_name="", roles=frozenset())
log = logging.getLogger("motcua.worker")


def _due(office: Office, item: WorkItem, now: datetime) -> dict[str, Any] | None:
    """The reason to return the dossier of ``item`` now, or None (not late, no limit)."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.get(item.dossier_id)
        found = step_meta(office, uow, dossier, item.step_id) if dossier else None
    if found is None:
        return None
    rule = applicant_step(*found)
    limit_at = limit_of(office, rule, item.created_at)
    if limit_at is None or rule.on_return is None or now <= limit_at:
        return None
    return {"reason": REASON, "step": item.step_id, "limit_days": rule.limit_days,
            "asked_at": item.created_at.isoformat(), "limit_at": limit_at.isoformat(),
            "answer": rule.on_return.data()}


def return_late_supplements(office: Office, limit: int = 200) -> list[str]:
    """Return every dossier whose applicant let the time to supplement pass; the codes."""
    now = office.now()
    with office.db.unit_of_work(readonly=True) as uow:
        waiting = uow.items.waiting_for_applicant(limit)
    returned: list[str] = []
    for item in waiting:
        reason = _due(office, item, now)
        if reason is None:
            continue
        try:
            code = _return(office, item.id, reason)
        except NotReady:
            raise
        except Conflict:
            continue  # the applicant or the desk answered meanwhile
        if code is not None:
            returned.append(code)
    return returned


def _return(office: Office, item_id: int, reason: dict[str, Any]) -> str | None:
    with office.db.unit_of_work() as uow, clock_scope(office.clock):
        found = uow.items.with_dossier_named(item_id)
        if found is None or found[0].status not in ACTIVE_ITEM_STATUSES:
            return None
        item, dossier = found[0], found[1]
        data = reason.pop("answer")
        answered = answer_step(office, uow, item, TIMER_USER, data, [(RETURNED, reason)])
        notify(office, uow, dossier, "returned")  # queued with the return, or not at all
        uow.commit()
    keep(office, dossier.id, answered)
    log.info("dossier %s returned: the time to supplement has passed", dossier.code)
    return dossier.code
