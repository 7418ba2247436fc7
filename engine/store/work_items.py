"""Work items: one row per ready human task, which the department queues query."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import WorkItem
from engine.store.tables import dossiers, work_items

ACTIVE = ("open", "claimed")


class WorkItemStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, **values: Any) -> int:
        return int(self.conn.execute(work_items.insert().values(**values)
                                     .returning(work_items.c.id)).scalar_one())

    def get(self, item_id: int) -> WorkItem | None:
        r = self.conn.execute(sa.select(work_items).where(work_items.c.id == item_id)).first()
        return _item(r) if r else None

    def for_dossier(self, dossier_id: int) -> list[WorkItem]:
        rows = self.conn.execute(sa.select(work_items).where(work_items.c.dossier_id == dossier_id)
                                 .order_by(work_items.c.id))
        return [_item(r) for r in rows]

    def active_for_dossier(self, dossier_id: int) -> list[WorkItem]:
        rows = self.conn.execute(
            sa.select(work_items).where(work_items.c.dossier_id == dossier_id,
                                        work_items.c.status.in_(ACTIVE))
            .order_by(work_items.c.id))
        return [_item(r) for r in rows]

    def transition(self, item_id: int, from_status: tuple[str, ...], expected_claimant: str | None,
                   **values: Any) -> bool:
        """Conditional update: succeeds only from the given status (and claimant, if given)."""
        query = work_items.update().where(work_items.c.id == item_id,
                                          work_items.c.status.in_(from_status))
        if expected_claimant is not None:
            query = query.where(work_items.c.claimed_by == expected_claimant)
        return bool(self.conn.execute(query.values(**values)).rowcount == 1)

    def queue(self, *, departments: set[str] | None = None, claimed_by: str | None = None,
              procedure: str | None = None, limit: int = 100,
              offset: int = 0) -> list[WorkItem]:
        query = sa.select(work_items).where(work_items.c.status.in_(ACTIVE))
        if departments is not None:
            query = query.where(work_items.c.department_code.in_(sorted(departments)))
        if claimed_by is not None:
            query = query.where(work_items.c.claimed_by == claimed_by,
                                work_items.c.status == "claimed")
        if procedure is not None:
            query = query.join(dossiers, dossiers.c.id == work_items.c.dossier_id).where(
                dossiers.c.procedure_key == procedure)
        query = query.order_by(work_items.c.due_at.is_(None), work_items.c.due_at,
                               work_items.c.id).limit(limit).offset(offset)
        return [_item(r) for r in self.conn.execute(query)]

    def queue_total(self, *, departments: set[str] | None = None, claimed_by: str | None = None,
                    procedure: str | None = None) -> int:
        """How many items ``queue`` would list without limit and offset."""
        query = sa.select(sa.func.count()).select_from(work_items).where(
            work_items.c.status.in_(ACTIVE))
        if departments is not None:
            query = query.where(work_items.c.department_code.in_(sorted(departments)))
        if claimed_by is not None:
            query = query.where(work_items.c.claimed_by == claimed_by,
                                work_items.c.status == "claimed")
        if procedure is not None:
            query = query.join(dossiers, dossiers.c.id == work_items.c.dossier_id).where(
                dossiers.c.procedure_key == procedure)
        return int(self.conn.execute(query).scalar_one())

    def dossiers_of(self, departments: set[str]) -> sa.Select[Any]:
        """Ids of the dossiers that have or had an item in one of ``departments``, as a
        subquery for ``DossierStore.search(ids=...)``."""
        return sa.select(work_items.c.dossier_id).where(
            work_items.c.department_code.in_(sorted(departments))).distinct()

    def overdue(self, now: datetime, departments: set[str] | None) -> list[WorkItem]:
        query = sa.select(work_items).where(work_items.c.status.in_(ACTIVE),
                                            work_items.c.due_at < now)
        if departments is not None:
            query = query.where(work_items.c.department_code.in_(sorted(departments)))
        return [_item(r) for r in self.conn.execute(query.order_by(work_items.c.due_at))]


def _item(r: Any) -> WorkItem:
    return WorkItem(
        id=r.id, dossier_id=r.dossier_id, task_uuid=r.task_uuid, step_id=r.step_id,
        step_name=r.step_name, department_code=r.department_code, status=r.status,
        allowance_hours=r.allowance_hours, pauses_clock=r.pauses_clock, form=r.form,
        created_at=r.created_at, handed_over_by=r.handed_over_by, due_at=r.due_at,
        claimed_at=r.claimed_at, claimed_by=r.claimed_by, completed_at=r.completed_at,
        completed_by=r.completed_by, result=r.result, timeliness=r.timeliness,
    )
