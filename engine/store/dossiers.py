"""Dossiers: their row, their workflow state, the per-agency daily code sequence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.errors import StaleState
from engine.i18n import msg
from engine.model import Dossier, DueDateChange, IncidentStatus
from engine.people import SearchQuery, SearchTerms
from engine.store import search as search_index
from engine.store.prepared import Prepared
from engine.store.tables import (
    OPEN_DOSSIER,
    audit_events,
    dossiers,
    due_date_changes,
    incidents,
    work_items,
)

_NEXT_SEQ = sa.text(
    "INSERT INTO dossier_sequences (agency_code, day, last_seq) VALUES (:agency, :day, 1) "
    "ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = dossier_sequences.last_seq + 1 "
    "RETURNING last_seq"
)


_GET = sa.select(dossiers).where(dossiers.c.id == sa.bindparam("dossier_id"))
_GET_FAST = Prepared(_GET)
_BY_CODE = sa.select(dossiers).where(dossiers.c.code == sa.bindparam("code"))
_INSERT = dossiers.insert().returning(dossiers.c.id)
_SAVES: dict[tuple[tuple[str, ...], str | None], Prepared] = {}
ChainHead = tuple[int, str]


def _save(keys: tuple[str, ...], chain: str | None) -> Prepared:
    """The compare-and-set update of one set of columns, built once per set. ``chain``
    ("first" or "move") also moves the audit chain head, compared with the head read."""
    found = _SAVES.get((keys, chain))
    if found is None:
        values: dict[str, Any] = {k: sa.bindparam(f"new_{k}", type_=dossiers.c[k].type)
                                  for k in keys}
        values["state_rev"] = sa.bindparam("new_rev")
        query = (dossiers.update()
                 .where(dossiers.c.id == sa.bindparam("dossier_id"),
                        dossiers.c.state_rev == sa.bindparam("expected_rev"))
                 .values(values))
        if chain is not None:
            query = query.where(dossiers.c.chain_seq.is_(None) if chain == "first" else
                                dossiers.c.chain_seq == sa.bindparam("expected_chain_seq"))
            query = query.values(
                chain_seq=sa.bindparam("new_chain_seq"),
                chain_head=sa.bindparam("new_chain_head", type_=dossiers.c.chain_head.type))
        found = _SAVES[(keys, chain)] = Prepared(query)
    return found


class DossierStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def next_sequence(self, agency_code: str, day: str) -> int:
        """Atomic per agency and day on SQLite and PostgreSQL alike; numbers are never reused."""
        return int(self.conn.execute(_NEXT_SEQ, {"agency": agency_code, "day": day}).scalar_one())

    def insert(self, **values: Any) -> int:
        return int(self.conn.execute(_INSERT, values).scalar_one())

    def index(self, dossier_id: int, code: str, receiving_unit: str, resolving_unit: str,
              procedure_key: str, terms: SearchTerms) -> None:
        """Make a new dossier findable by its code, applicant's name, ID number and phone."""
        search_index.put(self.conn, [search_index.entry(
            dossier_id, code, receiving_unit, resolving_unit, procedure_key, terms)])

    def get(self, dossier_id: int) -> Dossier | None:
        r = _GET_FAST.first(self.conn, {"dossier_id": dossier_id})
        return _dossier(r) if r else None

    def by_code(self, code: str) -> Dossier | None:
        r = self.conn.execute(_BY_CODE, {"code": code}).first()
        return _dossier(r) if r else None

    def secret_hash(self, dossier_id: int) -> str | None:
        """The receipt secret's hash; kept off ``Dossier`` so it never reaches a view."""
        return self.conn.execute(
            sa.select(dossiers.c.receipt_secret_hash).where(dossiers.c.id == dossier_id)
        ).scalar()

    def headers(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Code, procedure and status of many dossiers at once, without their workflow state."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.conn.execute(
            sa.select(dossiers.c.id, dossiers.c.code, dossiers.c.procedure_key,
                      dossiers.c.status, dossiers.c.due_at).where(dossiers.c.id.in_(wanted)))
        return {r.id: dict(r._mapping) for r in rows}

    def save_state(self, dossier_id: int, expected_rev: int,
                   chain: tuple[ChainHead | None, ChainHead] | None = None,
                   **values: Any) -> int:
        """Write the new state only if nobody else did since we read ``expected_rev``; with
        ``chain`` (head before, head after) also move the dossier's audit chain head, only if
        it is still the head before."""
        params = {f"new_{k}": v for k, v in values.items()}
        params.update(dossier_id=dossier_id, expected_rev=expected_rev, new_rev=expected_rev + 1)
        shape = None
        if chain is not None:
            before, after = chain
            shape = "first" if before is None else "move"
            params.update(expected_chain_seq=before[0] if before else None,
                          new_chain_seq=after[0], new_chain_head=after[1])
        done = _save(tuple(sorted(values)), shape).rowcount(self.conn, params)
        if done != 1:
            raise StaleState(msg("err_another_step_dossier_was_completed"))
        return expected_rev + 1

    def running(self, procedure_key: str) -> list[tuple[int, str, int, int]]:
        """(id, code, version id, state revision) of the dossiers of a procedure still being
        handled, oldest first, without their workflow state (moving them to a new version)."""
        rows = self.conn.execute(
            sa.select(dossiers.c.id, dossiers.c.code, dossiers.c.version_id,
                      dossiers.c.state_rev)
            .where(dossiers.c.procedure_key == procedure_key, OPEN_DOSSIER,
                   dossiers.c.state.is_not(None))
            .order_by(dossiers.c.received_at, dossiers.c.id))
        return [(int(r.id), str(r.code), int(r.version_id), int(r.state_rev)) for r in rows]

    def logged_idle(self, before: datetime | None, limit: int) -> list[int]:
        """Running dossiers with clerks' steps logged after their snapshot whose last event
        is older than ``before`` (None: all of them)."""
        last = audit_events.alias("last_event")
        query = (sa.select(dossiers.c.id)
                 .where(dossiers.c.state_tail > 0, dossiers.c.state.is_not(None))
                 .order_by(dossiers.c.id).limit(limit))
        if before is not None:
            query = query.join(last, sa.and_(last.c.chain_id == dossiers.c.id,
                                             last.c.seq == dossiers.c.chain_seq)
                               ).where(last.c.at < before)
        rows = self.conn.execute(query)
        return [int(x) for x in rows.scalars()]

    def update(self, dossier_id: int, **values: Any) -> None:
        self.conn.execute(dossiers.update().where(dossiers.c.id == dossier_id).values(**values))

    def add_due_change(self, **values: Any) -> None:
        self.conn.execute(due_date_changes.insert().values(**values))

    def due_changes(self, dossier_id: int) -> list[DueDateChange]:
        rows = self.conn.execute(
            sa.select(due_date_changes).where(due_date_changes.c.dossier_id == dossier_id)
            .order_by(due_date_changes.c.id))
        return [DueDateChange(r.id, r.dossier_id, r.kind, r.at, r.actor, r.previous_due_at,
                              r.new_due_at, r.reason, r.paused_hours) for r in rows]

    def at_risk(self, horizon: datetime, limit: int = 500) -> list[Dossier]:
        """Open dossiers due before ``horizon`` with no apology yet (the leader must act)."""
        rows = self.conn.execute(
            sa.select(dossiers).where(
                OPEN_DOSSIER, dossiers.c.due_at <= horizon,
                dossiers.c.appointment_at.is_(None))
            .order_by(dossiers.c.due_at).limit(limit))
        return [_dossier(r) for r in rows]

    def due_timers(self, now: datetime, limit: int) -> list[int]:
        """Dossiers with a timer due, except those whose incident waits for its next try; on
        PostgreSQL rows locked by another worker are skipped."""
        query = (
            sa.select(dossiers.c.id).where(dossiers.c.next_timer_at <= now,
                                           ~_waiting_incident(now))
            .order_by(dossiers.c.next_timer_at).limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [int(x) for x in self.conn.execute(query).scalars()]

    def take_due(self, dossier_id: int, now: datetime) -> Dossier | None:
        """The dossier, locked, if it still has a timer or an incident's try due; None when
        another worker holds it (PostgreSQL) or did it already."""
        retry_due = sa.exists().where(incidents.c.dossier_id == dossiers.c.id,
                                      incidents.c.status == IncidentStatus.OPEN,
                                      incidents.c.next_try_at <= now)
        query = (
            sa.select(dossiers).where(
                dossiers.c.id == dossier_id,
                sa.or_(sa.and_(dossiers.c.next_timer_at <= now, ~_waiting_incident(now)),
                       retry_due))
            .with_for_update(skip_locked=True)
        )
        r = self.conn.execute(query).first()
        return _dossier(r) if r else None

    def postpone_timer(self, dossier_id: int, expected_rev: int, until: datetime) -> None:
        """Keep the worker off the dossier until ``until``, unless it moved since it was read
        (its own next timer is then the right one)."""
        self.conn.execute(dossiers.update().where(
            dossiers.c.id == dossier_id, dossiers.c.state_rev == expected_rev,
            dossiers.c.next_timer_at < until).values(next_timer_at=until))

    def lock(self, dossier_id: int) -> Dossier | None:
        """The dossier, its row locked until the transaction ends (PostgreSQL; SQLite's
        writers are one at a time anyway)."""
        r = self.conn.execute(_GET.with_for_update(), {"dossier_id": dossier_id}).first()
        return _dossier(r) if r else None

    def search(self, *, status: str | None = None, procedure: str | None = None,
               received_from: datetime | None = None, received_to: datetime | None = None,
               overdue_at: datetime | None = None, ids: sa.Select[Any] | None = None,
               units: frozenset[str] | None = None, wanted: SearchQuery | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[Dossier], int]:
        """``ids`` and ``units`` together: the dossiers of those ids or received or resolved
        in those units (who reads what: ``permissions.may_see_dossier``). ``wanted``: those
        the search index finds (``engine.store.search``: at most its ``MAX_MATCHES``)."""
        query = sa.select(dossiers)
        found: list[int] | None = None
        if wanted is not None:
            found = search_index.matching(self.conn, wanted)
            if not found:
                return [], 0
            query = query.where(dossiers.c.id.in_(found))
        if status:
            query = query.where(dossiers.c.status == status)
        if procedure:
            query = query.where(dossiers.c.procedure_key == procedure)
        if received_from:
            query = query.where(dossiers.c.received_at >= received_from)
        if received_to:
            query = query.where(dossiers.c.received_at < received_to)
        if overdue_at:
            query = query.where(dossiers.c.due_at < overdue_at, OPEN_DOSSIER)
        scope: list[sa.ColumnElement[bool]] = []
        if ids is not None and found is not None:
            # The steps of the dossiers found only, not every step in the reader's reach.
            ids = ids.where(work_items.c.dossier_id.in_(found))
        if ids is not None:
            scope.append(dossiers.c.id.in_(ids))
        if units is not None:
            scope += [dossiers.c.receiving_unit.in_(sorted(units)),
                      dossiers.c.resolving_unit.in_(sorted(units))]
        if ids is not None or units is not None:
            query = query.where(sa.or_(*scope) if scope else sa.false())
        total = self.conn.execute(sa.select(sa.func.count()).select_from(query.subquery())
                                  ).scalar_one()
        rows = self.conn.execute(query.order_by(dossiers.c.received_at.desc(), dossiers.c.id.desc())
                                 .limit(limit).offset(offset))
        return [_dossier(r) for r in rows], int(total)


def _waiting_incident(now: datetime) -> sa.Exists:
    return sa.exists().where(incidents.c.dossier_id == dossiers.c.id,
                             incidents.c.status == IncidentStatus.OPEN,
                             incidents.c.next_try_at > now)


def _dossier(r: Any) -> Dossier:
    return Dossier(
        id=r.id, code=r.code, agency_code=r.agency_code, procedure_key=r.procedure_key,
        version_id=r.version_id, channel=r.channel, status=r.status, applicant=r.applicant,
        data=r.data, fee=r.fee, received_at=r.received_at, received_by=r.received_by,
        due_at=r.due_at, resolved_at=r.resolved_at, state=r.state, state_rev=r.state_rev,
        next_timer_at=r.next_timer_at, appointment_at=r.appointment_at,
        timeliness=r.timeliness, at_risk_at=r.at_risk_at, procedure_code=r.procedure_code,
        procedure_name=r.procedure_name, field=r.field, level=r.level,
        receiving_unit=r.receiving_unit, resolving_unit=r.resolving_unit,
        accepted_at=r.accepted_at, state_seq=r.state_seq, state_tail=r.state_tail,
    )
