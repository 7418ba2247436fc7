"""Applicants' ratings of the service: at most one per dossier."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from engine.errors import Conflict
from engine.i18n import msg
from engine.store.tables import ratings


class RatingStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def exists(self, dossier_id: int) -> bool:
        return self.conn.execute(
            sa.select(ratings.c.dossier_id).where(ratings.c.dossier_id == dossier_id)
        ).first() is not None

    def add(self, dossier_id: int, *, satisfaction: int, on_time: bool | None,
            staff_attitude: int | None, visits: int | None, comment: str | None,
            rated_at: datetime, answers: dict[str, int | bool] | None = None) -> None:
        """Insert the rating; a concurrent second rating loses on the primary key."""
        try:
            self.conn.execute(ratings.insert().values(
                dossier_id=dossier_id, satisfaction=satisfaction, on_time=on_time,
                staff_attitude=staff_attitude, visits=visits, comment=comment,
                rated_at=rated_at, answers=answers or None))
        except IntegrityError as exc:
            raise Conflict(msg("err_dossier_has_already_been_rated")) from exc
