"""Read-only SQL for the auditors: form-06 aggregates, step and staff rows, the audit walk and
the event-log export.

Counts are summed by the database (CASE WHEN over indexed ranges), never by loading dossiers;
row streams use ``yield_per`` (a server-side cursor on PostgreSQL), so a walk or an export
holds one batch in memory, not a table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from engine.audit.chain import chain_name
from engine.model import AuditEvent, DossierStatus, ItemStatus, Timeliness
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
GROUPINGS = ("form", "field", "procedure", "department", "level")
# The disjoint buckets of form 06 (see docs/auditing.md): every dossier received for
# resolution falls in exactly one bucket of the first four and one of the other ten; every
# column of the form is a sum of them.
RECEPTION_BUCKETS = ("carried_over", "new_online", "new_desk", "new_post")
OUTCOME_BUCKETS = (
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_no_deadline",
    "refused", "withdrawn",
    "pending_within", "pending_overdue", "supplement_within", "supplement_overdue",
)
# Refused at the desk before it was accepted (Phiếu từ chối tiếp nhận): never received for
# resolution, so in no bucket above; counted apart, by when the refusal was made.
NOT_ACCEPTED = "not_accepted"
BUCKETS = (*RECEPTION_BUCKETS, *OUTCOME_BUCKETS, NOT_ACCEPTED)
# How early and on time are told apart (docs/auditing.md): ``day``, before the due date's
# day (as the appointment receipt names a day); ``moment``, before the due moment itself.
EARLY_RULES = ("day", "moment")
# The columns a form row is keyed by: the unit that resolves the dossier (the form counts
# "tại cơ quan, đơn vị trực tiếp giải quyết"), then level and field as received.
FORM_KEYS = ("resolving_unit", "level", "field")


@dataclass(frozen=True)
class Window:
    """UTC bounds [start, end) of a report period; ``as_of`` = min(end, now) is the moment
    pending dossiers are judged at (a period that has not ended yet is judged now)."""

    start: datetime
    end: datetime
    as_of: datetime
    # The dossiers of these units only (received or resolved there); None: every unit.
    units: frozenset[str] | None = None
    # Form 06 counts the dossiers a unit resolves, not those it only received for another.
    resolving_only: bool = False
    early_rule: str = "day"


def _of_units(units: frozenset[str] | None, resolving_only: bool = False
              ) -> ColumnElement[bool]:
    """Dossiers received or resolved in ``units`` (resolved there only, with
    ``resolving_only``; every dossier when None)."""
    if units is None:
        return sa.true()
    d, listed = dossiers.c, sorted(units)
    if resolving_only:
        return d.resolving_unit.in_(listed)
    return sa.or_(d.receiving_unit.in_(listed), d.resolving_unit.in_(listed))


def _at(value: datetime) -> ColumnElement[datetime]:
    return sa.literal(value, UTCDateTime)


# ---- form 06 -------------------------------------------------------------------------------

# Reading a row through an index costs SQLite about four times a row of a table scan (1.4 µs
# against 0.35 µs at a million dossiers), so past a quarter of the table a scan is cheaper.
SCAN_SHARE = 0.25


class _unindexed(FunctionElement[Any]):
    """The column, which SQLite may not use an index for (``+column``, SQLite's documented
    way). Without range statistics its planner reads a year through the index on
    ``resolved_at``; PostgreSQL has them, and gets the column itself."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_unindexed)
def _plain(element: _unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_unindexed, "sqlite")
def _plus(element: _unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def _scan(conn: Connection, w: Window) -> bool:
    """Whether SQLite should scan the table for the dossiers finished in the period: they are
    a large share of it, judged by the period's share of the span of finishing times."""
    if conn.dialect.name != "sqlite":
        return False
    d = dossiers.c
    first, last = conn.execute(sa.select(sa.func.min(d.resolved_at),
                                         sa.func.max(d.resolved_at))).one()
    if first is None:
        return False
    return min(last, w.end) - max(first, w.start) >= (last - first) * SCAN_SHARE


def _scoped(w: Window, scan: bool = False) -> tuple[sa.Select[Any], list[sa.Select[Any]]]:
    """The dossiers in the period (received before the end, not finished before the start) as
    two disjoint parts, each row with what a pending dossier was at ``as_of``:
    ``paused_since`` (when the step that stops the clock for the applicant, open at
    ``as_of``, was handed over; NULL when none was open) and ``due_then``.

    Finished in the period: one range of the index on ``resolved_at``, which needs no
    judgement, so the big part carries no subquery. Pending (open, or finished after the end,
    and accepted by the desk before the end):
    two small ranges of that index; due on the date before any pause recorded after
    ``as_of``. ``scan``: SQLite reads the finished part by a table scan, not the index (see
    ``_scan``).
    """
    d = dossiers.c
    cols = (d.id, d.procedure_key, d.procedure_name, d.field, d.level, d.channel, d.status,
            d.received_at, d.accepted_at, d.resolved_at, d.due_at, d.timeliness,
            d.resolving_unit)
    start, end, as_of = _at(w.start), _at(w.end), _at(w.as_of)
    wi, ch = work_items.c, due_date_changes.c
    # Joined, not asked per dossier: the clock-stopping steps open at ``as_of`` (few, read
    # through their own partial index) and each dossier's first pause recorded after it.
    pauses = (sa.select(wi.dossier_id, sa.func.min(wi.created_at).label("since"))
              .where(wi.pauses_clock.is_(True), wi.created_at < as_of,
                     sa.or_(wi.completed_at.is_(None), wi.completed_at >= as_of))
              .group_by(wi.dossier_id).subquery("pauses"))
    ranked = (sa.select(ch.dossier_id, ch.previous_due_at, sa.func.row_number().over(
        partition_by=ch.dossier_id, order_by=(ch.at, ch.id)).label("n"))
        .where(ch.kind == "pause", ch.at >= as_of).subquery("later_pauses"))
    first = (sa.select(ranked.c.dossier_id, ranked.c.previous_due_at)
             .where(ranked.c.n == 1).subquery("first_later_pause"))
    judged = (*cols, pauses.c.since.label("paused_since"),
              sa.func.coalesce(first.c.previous_due_at, d.due_at).label("due_then"))
    joined = dossiers.outerjoin(pauses, pauses.c.dossier_id == d.id) \
        .outerjoin(first, first.c.dossier_id == d.id)
    scope = _of_units(w.units, w.resolving_only)
    received = sa.and_(d.received_at < end, scope)
    # Pending at the end only once the desk accepted it (NULL: still being checked). Only a
    # filter: SQLite would otherwise read the period through the index on accepted_at
    # instead of the two small ranges of resolved_at.
    accepted = sa.and_(_unindexed(d.accepted_at) < end, scope)
    r = _unindexed(d.resolved_at) if scan else d.resolved_at
    finished = sa.select(*cols, sa.null().cast(UTCDateTime).label("paused_since"),
                         sa.null().cast(UTCDateTime).label("due_then")) \
        .where(r >= start, r < end, _unindexed(d.received_at) < end if scan else received,
               scope)
    pending = [sa.select(*judged).select_from(joined).where(d.resolved_at.is_(None), accepted),
               sa.select(*judged).select_from(joined).where(d.resolved_at >= end, accepted)]
    return finished, pending


def _judged(w: Window, scan: bool) -> sa.Subquery:
    """One row per dossier in the period (for joins that need the dossier itself)."""
    finished, pending = _scoped(w, scan)
    return sa.union_all(finished, *pending).subquery("judged")


# What each grouping reads from the dossier row: the values fixed when it was received, never
# the procedure as deployed now.
_GROUP_COLUMNS = {"procedure": ("procedure_key",), "field": ("field",), "level": ("level",),
                  "form": FORM_KEYS}


def _finished_counts(w: Window, scan: bool, group_by: str) -> sa.Select[Any]:
    """The dossiers finished in the period, counted per grouping value and per what decides
    their buckets (channel, status, timeliness, carried over, before the due moment): the
    database groups and counts, ``_fold`` puts each group in its buckets. Counting groups
    costs the database a fraction of evaluating every bucket's condition on every row."""
    parts, _ = _scoped(w, scan)
    f = parts.subquery("finished")
    columns = _GROUP_COLUMNS[group_by]
    # Scanning, SQLite would rather read the whole table through an index that starts with
    # procedure_key than sort: the key must not match one either.
    keys = [_unindexed(f.c[c]) if scan else f.c[c] for c in columns]
    # NULL for a dossier never accepted (``_fold`` puts it in no reception bucket).
    carried = f.c.accepted_at < _at(w.start)
    splits: list[ColumnElement[Any]] = [f.c.channel, f.c.status, f.c.timeliness, carried]
    if w.early_rule == "moment":
        splits.append(sa.and_(f.c.due_at.is_not(None), f.c.resolved_at < f.c.due_at))
    return sa.select(*_heads(f, keys, group_by),
                     *(c.label(f"split_{n}") for n, c in enumerate(splits)),
                     sa.func.count().label("dossiers")).group_by(*keys, *splits)


def _pending_sums(w: Window, group_by: str) -> sa.Select[Any]:
    """The BUCKETS of the dossiers pending at the end (a small part), per grouping value."""
    _, pending = _scoped(w)
    j = sa.union_all(*pending).subquery("pending")
    columns = _GROUP_COLUMNS[group_by]
    keys = [j.c[c] for c in columns]
    return sa.select(*_heads(j, keys, group_by), *_sums(j.c, w, False)).group_by(*keys)


def _heads(part: sa.Subquery, keys: Sequence[Any],
           group_by: str) -> list[ColumnElement[Any]]:
    """What a group's row starts with: its values (the first as ``key``, the others by
    their column's name), then ``label``: the procedure's name as received, else the last
    value itself."""
    columns = _GROUP_COLUMNS[group_by]
    label = sa.func.max(part.c.procedure_name) if group_by == "procedure" else \
        sa.func.max(part.c[columns[-1]])
    return [keys[0].label("key"), *(k.label(c) for k, c in zip(keys[1:], columns[1:],
                                                                 strict=True)),
            label.label("label")]


_NEW = {"online": "new_online", "direct": "new_desk", "post": "new_post"}
_JUDGED: dict[str | None, str] = {
    Timeliness.EARLY: "resolved_early", Timeliness.ON_TIME: "resolved_on_time",
    Timeliness.LATE: "resolved_late"}


def _fold(counts: dict[str, int], channel: str, status: str, timeliness: str | None,
          carried: bool | None, before_due: bool | None, n: int) -> None:
    """Add ``n`` finished dossiers alike in all that decides their buckets (the definitions
    of ``_sums``, applied to a group). ``carried`` None: never accepted by the desk."""
    if status == DossierStatus.NOT_ACCEPTED:
        counts[NOT_ACCEPTED] += n
        return
    if carried is None:  # withdrawn while the desk was still checking it: never received
        return
    reception = "carried_over" if carried else _NEW.get(channel)
    if reception is not None:
        counts[reception] += n
    if status in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
        counts[status] += n
    elif status == DossierStatus.RESOLVED:
        bucket = _JUDGED.get(timeliness, "resolved_no_deadline")
        if before_due is not None and bucket in ("resolved_early", "resolved_on_time"):
            bucket = "resolved_early" if before_due else "resolved_on_time"
        counts[bucket] += n


def _sums(j: Any, w: Window, finished: bool | None = None) -> list[ColumnElement[Any]]:
    """The BUCKETS over rows ``j`` of ``_scoped``. ``finished`` is True or False for a part
    known to hold only finished or only pending dossiers: the buckets that cannot happen there
    are a constant 0 and the others skip the test, instead of testing every row."""
    start, end, as_of = _at(w.start), _at(w.end), _at(w.as_of)
    done = sa.and_(j.resolved_at.is_not(None), j.resolved_at < end)

    def if_finished(cond: ColumnElement[bool]) -> ColumnElement[bool] | None:
        return None if finished is False else cond if finished else sa.and_(done, cond)

    def if_pending(cond: ColumnElement[bool]) -> ColumnElement[bool] | None:
        return None if finished else cond if finished is False else sa.and_(sa.not_(done), cond)

    # A dossier refused at the desk is in no bucket but its own (one refused after the end
    # was never accepted either, so it is not pending at the end).
    # Received for resolution from its acceptance by the desk; never accepted (still being
    # checked, or withdrawn then): in no bucket.
    counted = sa.and_(j.status != DossierStatus.NOT_ACCEPTED, j.accepted_at.is_not(None))
    new = sa.and_(counted, j.accepted_at >= start)
    resolved = sa.and_(counted, j.status == DossierStatus.RESOLVED)
    running = j.paused_since.is_(None)
    t = j.timeliness
    if w.early_rule == "moment":
        in_time = t.in_((Timeliness.EARLY, Timeliness.ON_TIME))
        before = sa.and_(j.due_at.is_not(None), j.resolved_at < j.due_at)
        early, on_time = sa.and_(in_time, before), sa.and_(in_time, sa.not_(before))
    else:
        early, on_time = t == Timeliness.EARLY, t == Timeliness.ON_TIME
    # The test that fails most often comes first: SQLite stops there (15 % of the scan).
    conditions = {
        "carried_over": sa.and_(j.accepted_at < start, counted),
        "new_online": sa.and_(j.channel == "online", new),
        "new_desk": sa.and_(j.channel == "direct", new),
        "new_post": sa.and_(j.channel == "post", new),
        "resolved_early": if_finished(sa.and_(early, resolved)),
        "resolved_on_time": if_finished(sa.and_(on_time, resolved)),
        "resolved_late": if_finished(sa.and_(t == Timeliness.LATE, resolved)),
        "resolved_no_deadline": if_finished(sa.and_(sa.or_(
            t.is_(None), t.not_in(tuple(Timeliness))), resolved)),
        "refused": if_finished(sa.and_(counted, j.status == DossierStatus.REFUSED)),
        "withdrawn": if_finished(sa.and_(counted, j.status == DossierStatus.WITHDRAWN)),
        "pending_within": if_pending(sa.and_(counted, running, sa.or_(
            j.due_then.is_(None), j.due_then >= as_of))),
        "pending_overdue": if_pending(sa.and_(counted, running, j.due_then < as_of)),
        # Awaiting the applicant the clock is stopped: overdue only if the due date had
        # passed when the step that asked for the supplement was handed over.
        "supplement_within": if_pending(sa.and_(counted, sa.not_(running), sa.or_(
            j.due_then.is_(None), j.due_then >= j.paused_since))),
        "supplement_overdue": if_pending(sa.and_(counted, sa.not_(running),
                                                 j.due_then < j.paused_since)),
        NOT_ACCEPTED: if_finished(j.status == DossierStatus.NOT_ACCEPTED),
    }

    def count(name: str) -> ColumnElement[Any]:
        cond = conditions[name]
        if cond is None:
            return sa.literal(0).label(name)
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0).label(name)

    return [count(name) for name in BUCKETS]


def _order(place: tuple[Any, ...]) -> tuple[Any, ...]:
    """Group values in order, an unknown (NULL) one first."""
    return tuple((value is not None, value or "") for value in place)


class ReportQueries:
    """The auditors' read side, on the unit of work's connection: form 06, steps and staff,
    the audit walk and the event-log export."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ---- form 06 ---------------------------------------------------------------------------

    def form06_rows(self, w: Window, group_by: str) -> list[dict[str, Any]]:
        """One dict per group: ``key``, ``label`` and the BUCKETS counts."""
        if group_by not in GROUPINGS:
            raise ValueError(f"group_by must be one of {GROUPINGS}")
        if group_by == "department":
            # A dossier counts once in every department it was handed to before the end.
            j = _judged(w, _scan(self.conn, w))
            wi = work_items.c
            source = sa.select(wi.department_code, j).select_from(
                j.join(work_items, sa.and_(wi.dossier_id == j.c.id, wi.created_at < _at(w.end)))
            ).distinct().subquery("by_department")
            key: Any = source.c.department_code
            # Every unit has its own department of a code: one name per code, not a join
            # that would count each dossier once per unit.
            names = (sa.select(departments.c.code, sa.func.min(departments.c.name).label("name"))
                     .group_by(departments.c.code).subquery("department_names"))
            label: Any = sa.func.max(names.c.name)
            query = sa.select(key.label("key"), label.label("label"), *_sums(source.c, w)) \
                .select_from(source.outerjoin(names, names.c.code == key))
        else:
            return self._partitioned(w, group_by)
        rows = self.conn.execute(query.group_by(key).order_by(key))
        return [dict(r._mapping) for r in rows]

    def _partitioned(self, w: Window, group_by: str) -> list[dict[str, Any]]:
        """Procedures, fields, levels and the form's (unit, level, field) partition the
        dossiers; each row is what its dossiers were when received, so a later deploy moves
        none of them. Two statements: the finished dossiers counted per group, the pending
        ones summed per bucket."""
        columns = _GROUP_COLUMNS[group_by]
        width = len(columns)
        found: dict[tuple[Any, ...], dict[str, Any]] = {}

        def entry(r: tuple[Any, ...]) -> dict[str, Any]:
            # Rows start with the group's values, then its label.
            place, label = r[:width], r[width]
            found_entry = found.get(place)
            if found_entry is None:
                found_entry = found[place] = {"key": place[0], "label": label,
                                              **dict(zip(columns[1:], place[1:], strict=True)),
                                              **dict.fromkeys(BUCKETS, 0)}
            elif label is not None and (found_entry["label"] is None
                                        or label > found_entry["label"]):
                found_entry["label"] = label
            return found_entry

        moment = w.early_rule == "moment"
        if self.conn.dialect.name == "postgresql":
            # The pending part's estimated cost looks big enough for PostgreSQL to compile it
            # (JIT: 0.2 s of compiling for 0.1 s of work); and it guesses ten times the groups
            # there are, so with the default work_mem it sorts them on disk instead of
            # hashing a few thousand in memory. Both only for this read transaction.
            self.conn.exec_driver_sql("SET LOCAL jit = off")
            self.conn.exec_driver_sql("SET LOCAL work_mem = '32MB'")
        finished = self.conn.execute(_finished_counts(w, _scan(self.conn, w), group_by))
        for r in finished:
            channel, status, timeliness, carried = r[width + 1:width + 5]
            before = bool(r[width + 5]) if moment else None
            _fold(entry(r), channel, status, timeliness,
                  None if carried is None else bool(carried), before, int(r[-1]))
        pending = self.conn.execute(_pending_sums(w, group_by))
        for r in pending:
            counts = entry(r)
            for name, value in zip(BUCKETS, r[width + 1:], strict=True):
                counts[name] += int(value or 0)
        return [found[place] for place in sorted(found, key=_order)]

    def form06_total(self, w: Window) -> dict[str, Any]:
        """The BUCKETS over distinct dossiers (what a department report's totals row needs)."""
        total = dict.fromkeys(BUCKETS, 0)
        for entry in self._partitioned(w, "procedure"):
            for name in BUCKETS:
                total[name] += entry[name]
        return total

    def procedure_exists(self, key: str) -> bool:
        found = sa.select(procedures.c.key).where(procedures.c.key == key)
        return self.conn.execute(found).first() is not None

    def procedure_name(self, key: str, before: datetime) -> str | None:
        """The name of procedure ``key`` as its last dossier received before ``before`` was
        received with (one step of ``ix_dossiers_procedure_received``); the procedure's
        current name when none was."""
        d = dossiers.c
        received = (sa.select(d.procedure_name)
                    .where(d.procedure_key == key, d.received_at < _at(before))
                    .order_by(d.received_at.desc()).limit(1).scalar_subquery())
        current = sa.select(procedures.c.name).where(procedures.c.key == key).scalar_subquery()
        return self.conn.execute(sa.select(sa.func.coalesce(received, current))).scalar()

    # ---- steps and staff -------------------------------------------------------------------

    def completed_items(self, w: Window, *, procedure: str | None = None,
                        departments: Collection[str] | None = None) -> Iterator[Any]:
        """Work items completed in the window (in ``departments`` only, when given, and in the
        window's units), streamed."""
        wi = work_items.c
        query = sa.select(wi.id, wi.dossier_id, wi.step_id, wi.step_name, wi.department_code,
                          wi.pauses_clock, wi.created_at, wi.claimed_at, wi.completed_at,
                          wi.completed_by, wi.timeliness).where(
            wi.status == ItemStatus.COMPLETED, wi.completed_at >= _at(w.start),
            wi.completed_at < _at(w.end))
        if procedure is not None:
            query = query.join(dossiers, dossiers.c.id == wi.dossier_id).where(
                dossiers.c.procedure_key == procedure)
        if departments is not None:
            query = query.where(wi.department_code.in_(sorted(departments)))
        if w.units is not None:
            query = query.where(wi.unit.in_(sorted(w.units)))
        yield from self.conn.execution_options(yield_per=BATCH).execute(query.order_by(wi.id))

    def late_steps(self, w: Window, procedure: str) -> tuple[int, list[dict[str, Any]]]:
        """Late dossiers of ``procedure`` finished in the window, and per step and department the
        number of those dossiers in which that step was late, most frequent first."""
        d, wi = dossiers.c, work_items.c
        late = sa.and_(d.procedure_key == procedure, d.timeliness == Timeliness.LATE,
                       d.resolved_at >= _at(w.start), d.resolved_at < _at(w.end),
                       _of_units(w.units))
        total = self.conn.execute(sa.select(sa.func.count()).select_from(dossiers)
                                  .where(late)).scalar()
        many = sa.func.count(sa.distinct(wi.dossier_id))
        rows = self.conn.execute(
            sa.select(wi.step_id, wi.department_code, sa.func.max(wi.step_name).label("step_name"),
                      many.label("dossiers"))
            .select_from(dossiers.join(work_items, wi.dossier_id == d.id))
            .where(late, wi.timeliness == Timeliness.LATE)
            .group_by(wi.step_id, wi.department_code)
            .order_by(many.desc(), wi.step_id, wi.department_code))
        return int(total or 0), [dict(r._mapping) for r in rows]

    # ---- the audit walk --------------------------------------------------------------------

    def chain_walk(self) -> Iterator[tuple[AuditEvent, tuple[int, str] | None]]:
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
        for r in self.conn.execution_options(yield_per=BATCH).execute(query):
            head = (r.head_seq, r.head_hash) if r.head_seq is not None else None
            yield event_of(r), head

    def emptied_chains(self) -> list[tuple[str, int]]:
        """Chains whose head is recorded but which have no event left."""
        e, c, d = audit_events.c, audit_chains.c, dossiers.c
        system = self.conn.execute(sa.select(c.chain_id, c.seq).where(
            ~sa.exists().where(e.chain_id == c.chain_id)).order_by(c.chain_id))
        emptied = self.conn.execute(
            sa.select(d.id.label("chain_id"), d.chain_seq.label("seq"))
            .where(d.chain_seq.is_not(None), ~sa.exists().where(e.chain_id == d.id))
            .order_by(d.id))
        return [(chain_name(r.chain_id), r.seq) for r in [*system, *emptied]]

    def dossiers_without_chain(self, limit: int) -> list[tuple[int, str]]:
        """Dossiers with no chain head at all: their whole history was removed."""
        d = dossiers.c
        rows = self.conn.execute(sa.select(d.id, d.code).where(d.chain_seq.is_(None))
                                 .order_by(d.id).limit(limit))
        return [(r.id, r.code) for r in rows]

    # ---- the event-log export --------------------------------------------------------------

    def dossier_steps(self, start: datetime | None, end: datetime | None,
                      units: frozenset[str] | None = None) -> Iterator[Any]:
        """Dossiers received in [start, end) (either bound optional; of ``units`` only, when
        given) with their work items, one
        row per item (a dossier without items gives one row of NULL item columns), streamed in
        dossier order."""
        d, wi = dossiers.c, work_items.c
        query = sa.select(
            d.id.label("dossier_id"), d.code, d.procedure_key, d.procedure_name, d.channel,
            d.status, d.received_at,
            wi.id.label("item_id"), wi.step_id, wi.step_name, wi.department_code,
            wi.status.label("item_status"), wi.created_at, wi.handed_over_by, wi.claimed_at,
            wi.claimed_by, wi.completed_at, wi.completed_by,
        ).select_from(dossiers.outerjoin(work_items, wi.dossier_id == d.id))
        conditions: Sequence[ColumnElement[bool]] = [
            *([d.received_at >= _at(start)] if start else []),
            *([d.received_at < _at(end)] if end else []),
            _of_units(units),
        ]
        query = query.where(*conditions).order_by(d.id, wi.id)
        yield from self.conn.execution_options(yield_per=BATCH).execute(query)
