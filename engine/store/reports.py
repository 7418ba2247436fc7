"""Read-only SQL for the auditors: form-06 aggregates, step and staff rows, the audit walk and
the event-log export.

Counts are summed by the database (CASE WHEN over indexed ranges), never by loading dossiers;
row streams use ``yield_per`` (a server-side cursor on PostgreSQL), so a walk or an export
holds one batch in memory, not a table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from engine.audit.chain import chain_name
from engine.model import AuditEvent
from engine.store.audit_log import event_of
from engine.store.tables import (
    UTCDateTime,
    audit_chains,
    audit_events,
    departments,
    dossiers,
    due_date_changes,
    procedures,
    work_items,
)

BATCH = 2000
GROUPINGS = ("field", "procedure", "department", "level")
# The twelve disjoint buckets of form 06 (see docs/auditing.md); every derived figure is a sum.
BUCKETS = (
    "carried_over", "new_online", "new_offline",
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_no_deadline",
    "refused", "withdrawn",
    "pending_within", "pending_overdue", "awaiting_supplement",
)


@dataclass(frozen=True)
class Window:
    """UTC bounds [start, end) of a report period; ``as_of`` = min(end, now) is the moment
    pending dossiers are judged at (a period that has not ended yet is judged now)."""

    start: datetime
    end: datetime
    as_of: datetime


def _at(value: datetime) -> ColumnElement[datetime]:
    return sa.literal(value, UTCDateTime)


# ---- form 06 -------------------------------------------------------------------------------

def _in_scope(w: Window) -> sa.Subquery:
    """Dossiers received before the end and not finished before the start, as three disjoint
    index ranges: received in the period; received earlier and finished since the start;
    received earlier and still open."""
    d = dossiers.c
    cols = (d.id, d.procedure_key, d.channel, d.status, d.received_at, d.resolved_at, d.due_at,
            d.timeliness)
    start, end = _at(w.start), _at(w.end)
    return sa.union_all(
        sa.select(*cols).where(d.received_at >= start, d.received_at < end),
        sa.select(*cols).where(d.resolved_at >= start, d.received_at < start),
        sa.select(*cols).where(d.resolved_at.is_(None), d.received_at < start),
    ).subquery("scoped")


def _judged(w: Window) -> sa.Subquery:
    """Scoped dossiers with what pending ones were at ``as_of``: paused for the applicant,
    and their due date then (a pause resumed later moved it afterwards)."""
    s = _in_scope(w)
    as_of = _at(w.as_of)
    pending = sa.or_(s.c.resolved_at.is_(None), s.c.resolved_at >= _at(w.end))
    wi, ch = work_items.c, due_date_changes.c
    paused = sa.exists().where(wi.dossier_id == s.c.id, wi.pauses_clock.is_(True),
                               wi.created_at < as_of,
                               sa.or_(wi.completed_at.is_(None), wi.completed_at >= as_of))
    due_then = (sa.select(ch.previous_due_at)
                .where(ch.dossier_id == s.c.id, ch.kind == "pause", ch.at >= as_of)
                .order_by(ch.at, ch.id).limit(1).scalar_subquery())
    # Nested CASEs so the correlated subqueries run only for pending dossiers.
    return sa.select(
        s,
        sa.case((pending, sa.case((paused, 1), else_=0)), else_=0).label("paused"),
        sa.case((pending, sa.func.coalesce(due_then, s.c.due_at)), else_=None)
        .label("due_then"),
    ).subquery("judged")


def _sums(j: Any, w: Window) -> list[ColumnElement[Any]]:
    def count(cond: ColumnElement[bool], label: str) -> ColumnElement[Any]:
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0).label(label)

    start, end, as_of = _at(w.start), _at(w.end), _at(w.as_of)
    new = j.received_at >= start
    finished = sa.and_(j.resolved_at.is_not(None), j.resolved_at < end)
    resolved = sa.and_(finished, j.status.not_in(("refused", "withdrawn")))
    pending = sa.not_(finished)
    judged = sa.and_(pending, j.paused == 0)
    return [
        count(j.received_at < start, "carried_over"),
        count(sa.and_(new, j.channel == "online"), "new_online"),
        count(sa.and_(new, j.channel != "online"), "new_offline"),
        count(sa.and_(resolved, j.timeliness == "early"), "resolved_early"),
        count(sa.and_(resolved, j.timeliness == "on_time"), "resolved_on_time"),
        count(sa.and_(resolved, j.timeliness == "late"), "resolved_late"),
        count(sa.and_(resolved, sa.or_(j.timeliness.is_(None), j.timeliness.not_in(
            ("early", "on_time", "late")))), "resolved_no_deadline"),
        count(sa.and_(finished, j.status == "refused"), "refused"),
        count(sa.and_(finished, j.status == "withdrawn"), "withdrawn"),
        count(sa.and_(judged, sa.or_(j.due_then.is_(None), j.due_then >= as_of)),
              "pending_within"),
        count(sa.and_(judged, j.due_then < as_of), "pending_overdue"),
        count(sa.and_(pending, j.paused == 1), "awaiting_supplement"),
    ]


def form06_rows(conn: Connection, w: Window, group_by: str) -> list[dict[str, Any]]:
    """One dict per group: ``key``, ``label`` and the BUCKETS counts."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}")
    j = _judged(w)
    p = procedures.c
    if group_by == "department":
        # A dossier counts once in every department it was handed to before the end.
        wi = work_items.c
        source = sa.select(wi.department_code, j).select_from(
            j.join(work_items, sa.and_(wi.dossier_id == j.c.id, wi.created_at < _at(w.end)))
        ).distinct().subquery("by_department")
        key: Any = source.c.department_code
        label: Any = sa.func.max(departments.c.name)
        query = sa.select(key.label("key"), label.label("label"), *_sums(source.c, w)) \
            .select_from(source.outerjoin(departments, departments.c.code == key))
    else:
        key = {"procedure": j.c.procedure_key, "field": p.field, "level": p.level}[group_by]
        label = sa.func.max(p.name) if group_by == "procedure" else key
        query = sa.select(key.label("key"), label.label("label"), *_sums(j.c, w)) \
            .select_from(j.outerjoin(procedures, p.key == j.c.procedure_key))
    rows = conn.execute(query.group_by(key).order_by(key))
    return [dict(r._mapping) for r in rows]


def form06_total(conn: Connection, w: Window) -> dict[str, Any]:
    """The BUCKETS over distinct dossiers (what a department report's totals row needs)."""
    j = _judged(w)
    return dict(conn.execute(sa.select(*_sums(j.c, w))).one()._mapping)


def procedure_codes(conn: Connection) -> dict[str, str | None]:
    return {r.key: r.code for r in conn.execute(sa.select(procedures.c.key, procedures.c.code))}


# ---- steps and staff ---------------------------------------------------------------------

def completed_items(conn: Connection, w: Window, *, procedure: str | None = None,
                    department: str | None = None) -> Iterator[Any]:
    """Work items completed in the window, streamed."""
    wi = work_items.c
    query = sa.select(wi.id, wi.dossier_id, wi.step_id, wi.step_name, wi.department_code,
                      wi.pauses_clock, wi.created_at, wi.claimed_at, wi.completed_at,
                      wi.completed_by, wi.timeliness).where(
        wi.status == "completed", wi.completed_at >= _at(w.start), wi.completed_at < _at(w.end))
    if procedure is not None:
        query = query.join(dossiers, dossiers.c.id == wi.dossier_id).where(
            dossiers.c.procedure_key == procedure)
    if department is not None:
        query = query.where(wi.department_code == department)
    yield from conn.execution_options(yield_per=BATCH).execute(query.order_by(wi.id))


def late_steps(conn: Connection, w: Window, procedure: str) -> tuple[int, list[dict[str, Any]]]:
    """Late dossiers of ``procedure`` finished in the window, and per step and department the
    number of those dossiers in which that step was late, most frequent first."""
    d, wi = dossiers.c, work_items.c
    late = sa.and_(d.procedure_key == procedure, d.timeliness == "late",
                   d.resolved_at >= _at(w.start), d.resolved_at < _at(w.end))
    total = conn.execute(sa.select(sa.func.count()).select_from(dossiers).where(late)).scalar()
    many = sa.func.count(sa.distinct(wi.dossier_id))
    rows = conn.execute(
        sa.select(wi.step_id, wi.department_code, sa.func.max(wi.step_name).label("step_name"),
                  many.label("dossiers"))
        .select_from(dossiers.join(work_items, wi.dossier_id == d.id))
        .where(late, wi.timeliness == "late")
        .group_by(wi.step_id, wi.department_code)
        .order_by(many.desc(), wi.step_id, wi.department_code))
    return int(total or 0), [dict(r._mapping) for r in rows]


def procedure_exists(conn: Connection, key: str) -> bool:
    return conn.execute(sa.select(procedures.c.key).where(procedures.c.key == key)).first() \
        is not None


def department_names(conn: Connection) -> dict[str, str]:
    return {r.code: r.name for r in conn.execute(sa.select(departments.c.code,
                                                           departments.c.name))}


# ---- the audit walk ----------------------------------------------------------------------

def chain_walk(conn: Connection) -> Iterator[tuple[AuditEvent, tuple[int, str] | None]]:
    """Every event, chain by chain in seq order, with its chain's recorded head, streamed.

    One statement, so PostgreSQL reads one snapshot; SQLite's read transaction does the same.
    A dossier chain's head is on the dossier row, the system chain's in ``audit_chains``.
    """
    e, c, d = audit_events.c, audit_chains.c, dossiers.c
    query = (sa.select(audit_events, sa.func.coalesce(d.chain_seq, c.seq).label("head_seq"),
                       sa.func.coalesce(d.chain_head, c.head).label("head_hash"))
             .select_from(audit_events.outerjoin(dossiers, d.id == e.chain_id)
                          .outerjoin(audit_chains, c.chain_id == e.chain_id))
             .order_by(e.chain_id, e.seq))
    for r in conn.execution_options(yield_per=BATCH).execute(query):
        head = (r.head_seq, r.head_hash) if r.head_seq is not None else None
        yield event_of(r), head


def emptied_chains(conn: Connection) -> list[tuple[str, int]]:
    """Chains whose head is recorded but which have no event left."""
    e, c, d = audit_events.c, audit_chains.c, dossiers.c
    system = conn.execute(sa.select(c.chain_id, c.seq).where(
        ~sa.exists().where(e.chain_id == c.chain_id)).order_by(c.chain_id))
    emptied = conn.execute(sa.select(d.id.label("chain_id"), d.chain_seq.label("seq")).where(
        d.chain_seq.is_not(None), ~sa.exists().where(e.chain_id == d.id)).order_by(d.id))
    return [(chain_name(r.chain_id), r.seq) for r in [*system, *emptied]]


def dossiers_without_chain(conn: Connection, limit: int) -> list[tuple[int, str]]:
    """Dossiers with no chain head at all: their whole history was removed."""
    d = dossiers.c
    rows = conn.execute(sa.select(d.id, d.code).where(d.chain_seq.is_(None))
                        .order_by(d.id).limit(limit))
    return [(r.id, r.code) for r in rows]


# ---- event log export --------------------------------------------------------------------

def dossier_steps(conn: Connection, start: datetime | None,
                  end: datetime | None) -> Iterator[Any]:
    """Dossiers received in [start, end) (either bound optional) with their work items, one
    row per item (a dossier without items gives one row of NULL item columns), streamed in
    dossier order."""
    d, wi = dossiers.c, work_items.c
    query = sa.select(
        d.id.label("dossier_id"), d.code, d.procedure_key, d.channel, d.status, d.received_at,
        wi.id.label("item_id"), wi.step_id, wi.step_name, wi.department_code,
        wi.status.label("item_status"), wi.created_at, wi.handed_over_by, wi.claimed_at,
        wi.claimed_by, wi.completed_at, wi.completed_by,
    ).select_from(dossiers.outerjoin(work_items, wi.dossier_id == d.id))
    conditions: Sequence[ColumnElement[bool]] = [
        *([d.received_at >= _at(start)] if start else []),
        *([d.received_at < _at(end)] if end else []),
    ]
    query = query.where(*conditions).order_by(d.id, wi.id)
    yield from conn.execution_options(yield_per=BATCH).execute(query)


def procedure_names(conn: Connection) -> dict[str, str]:
    return {r.key: r.name for r in conn.execute(sa.select(procedures.c.key, procedures.c.name))}
