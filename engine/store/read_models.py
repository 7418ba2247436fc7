"""Small read-only lookups for the auditors' and leaders' views, on the unit of work.

Each takes a bounded set of ids (a page of dossiers, the broken chains of a verification) and
answers in one statement.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store.tables import dossiers, users, work_items


@dataclass(frozen=True)
class StepBrief:
    dossier_id: int
    step_name: str
    department_code: str
    status: str  # open | claimed | completed | cancelled
    claimed_by: str | None
    unit: str = ""


class Lookups:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def dossier_codes(self, ids: Collection[int]) -> dict[int, str]:
        """The codes of the given dossiers (missing ids are left out)."""
        if not ids:
            return {}
        rows = self.conn.execute(sa.select(dossiers.c.id, dossiers.c.code)
                                 .where(dossiers.c.id.in_(sorted(set(ids)))))
        return {int(r.id): str(r.code) for r in rows}

    def steps_of(self, ids: Collection[int]) -> list[StepBrief]:
        """Every work item of the given dossiers, in the order they were handed over."""
        if not ids:
            return []
        wi = work_items.c
        rows = self.conn.execute(sa.select(wi.dossier_id, wi.step_name, wi.department_code,
                                           wi.status, wi.claimed_by, wi.unit)
                                 .where(wi.dossier_id.in_(sorted(set(ids))))
                                 .order_by(wi.dossier_id, wi.id))
        return [StepBrief(int(r.dossier_id), r.step_name, r.department_code, r.status,
                          r.claimed_by, r.unit) for r in rows]

    def full_names(self, usernames: Collection[str] | None = None) -> dict[str, str]:
        """Full names of the given users (every user when None), for documents and reports."""
        query = sa.select(users.c.username, users.c.full_name)
        if usernames is not None:
            if not usernames:
                return {}
            query = query.where(users.c.username.in_(sorted(set(usernames))))
        return {r.username: r.full_name for r in self.conn.execute(query)}
