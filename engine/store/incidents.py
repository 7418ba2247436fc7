"""Incidents: a dossier's automatic step that failed in the timer worker, with its tries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import Incident, IncidentStatus
from engine.store.tables import dossiers, incidents

_OPEN = incidents.c.status == IncidentStatus.OPEN


class IncidentStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, incident_id: int) -> Incident | None:
        r = self.conn.execute(sa.select(incidents).where(incidents.c.id == incident_id)).first()
        return _incident(r) if r else None

    def open_for(self, dossier_id: int) -> Incident | None:
        """The dossier's open incident (a dossier has at most one: its next failure updates
        it instead of opening another)."""
        r = self.conn.execute(
            sa.select(incidents).where(incidents.c.dossier_id == dossier_id, _OPEN)
            .order_by(incidents.c.id.desc()).limit(1)).first()
        return _incident(r) if r else None

    def open(self, *, dossier_id: int, kind: str, step_id: str | None, step_name: str | None,
             expression: str | None, error: str, at: datetime,
             next_try_at: datetime | None) -> Incident:
        r = self.conn.execute(incidents.insert().values(
            dossier_id=dossier_id, kind=kind, step_id=step_id, step_name=step_name,
            expression=expression, error=error, status=IncidentStatus.OPEN, tries=1, first_at=at,
            last_at=at, next_try_at=next_try_at).returning(*incidents.c)).one()
        return _incident(r)

    def failed_again(self, incident_id: int, *, step_id: str | None, step_name: str | None,
                     expression: str | None, error: str, at: datetime,
                     next_try_at: datetime | None) -> Incident | None:
        """One more failed try of an open incident; None if it is no longer open."""
        r = self.conn.execute(
            incidents.update().where(incidents.c.id == incident_id, _OPEN)
            .values(tries=incidents.c.tries + 1, step_id=step_id, step_name=step_name,
                    expression=expression, error=error, last_at=at, next_try_at=next_try_at)
            .returning(*incidents.c)).first()
        return _incident(r) if r else None

    def resolve(self, incident_id: int, at: datetime, by: str) -> bool:
        """Close an open incident; False if somebody closed it first."""
        done = self.conn.execute(
            incidents.update().where(incidents.c.id == incident_id, _OPEN)
            .values(status=IncidentStatus.RESOLVED, resolved_at=at, resolved_by=by,
                    next_try_at=None))
        return done.rowcount == 1

    def due_retries(self, now: datetime, limit: int) -> list[int]:
        """Dossiers whose open incident is due for another try, longest waiting first."""
        rows = self.conn.execute(
            sa.select(incidents.c.dossier_id).where(_OPEN, incidents.c.next_try_at <= now)
            .order_by(incidents.c.next_try_at).limit(limit))
        return [int(x) for x in rows.scalars()]

    def count_open(self) -> int:
        return int(self.conn.execute(
            sa.select(sa.func.count()).select_from(incidents).where(_OPEN)).scalar_one())

    def listing(self, status: str | None, limit: int) -> list[tuple[Incident, dict[str, Any]]]:
        """Incidents, the latest failure first, each with its dossier's code, procedure,
        version and status."""
        query = (sa.select(incidents, dossiers.c.code, dossiers.c.procedure_key,
                           dossiers.c.version_id, dossiers.c.status.label("dossier_status"),
                           dossiers.c.resolving_unit)
                 .join(dossiers, dossiers.c.id == incidents.c.dossier_id)
                 .order_by(incidents.c.last_at.desc(), incidents.c.id.desc()).limit(limit))
        if status:
            query = query.where(incidents.c.status == status)
        return [(_incident(r), {"code": r.code, "procedure_key": r.procedure_key,
                                "version_id": r.version_id, "status": r.dossier_status,
                                "resolving_unit": r.resolving_unit})
                for r in self.conn.execute(query)]


def _incident(r: Any) -> Incident:
    return Incident(
        id=r.id, dossier_id=r.dossier_id, kind=r.kind, step_id=r.step_id,
        step_name=r.step_name, expression=r.expression, error=r.error, status=r.status,
        tries=r.tries, first_at=r.first_at, last_at=r.last_at, next_try_at=r.next_try_at,
        resolved_at=r.resolved_at, resolved_by=r.resolved_by)
