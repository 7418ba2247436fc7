"""Read-only SQL for the two sheets that go with form 06: the applicants' ratings per unit and
procedure, and the late dossiers with their apologies.

Both read the dossier row as it was received (``procedure_key``, ``procedure_name``,
``resolving_unit``), never the procedures as deployed now, and scope dossiers by the unit that
resolves them: the sheets are about the service that unit gave.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from engine.model import DossierStatus, Timeliness
from engine.store.reports import BATCH, Window
from engine.store.tables import UTCDateTime, dossiers, due_date_changes, ratings, work_items

SCALE = range(1, 6)  # ratings.satisfaction and staff_attitude: 1 very dissatisfied … 5 very


@dataclass(frozen=True)
class RatingCounts:
    """The ratings given in a period to one unit's dossiers of one procedure."""

    unit: str  # the dossiers' resolving unit (agency code)
    procedure_key: str
    procedure_name: str  # as received (the greatest, should it have been renamed)
    satisfaction: tuple[int, int, int, int, int]  # how many answered 1, 2, 3, 4, 5
    rated: int
    on_time_yes: int  # "did you get the result on time?"
    on_time_no: int
    attitude: tuple[int, int, int, int, int]  # staff attitude answered 1 … 5
    visits_answered: int
    visits_total: int  # the sum of the visits answered (a mean needs both)
    # The survey's other questions (``ratings.answers``), by code: (how many answered 4 or 5
    # on a 1 … 5 scale, true on yes/no, or the sum of a count; how many answered).
    extra: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class ApologyLetter:
    """A Phiếu xin lỗi và hẹn lại ngày trả kết quả, as recorded in ``due_date_changes``."""

    at: datetime
    reason: str
    new_due_at: datetime
    actor: str


@dataclass(frozen=True)
class LateDossier:
    id: int
    code: str
    procedure_key: str
    procedure_name: str
    unit: str  # resolving unit
    received_at: datetime
    due_at: datetime  # the legal due date it is judged against (``due_then`` when pending)
    resolved_at: datetime | None  # None when pending overdue at the judging moment
    apologies: tuple[ApologyLetter, ...]  # issued before the judging moment, oldest first


def _at(value: datetime) -> ColumnElement[datetime]:
    return sa.literal(value, UTCDateTime)


def _resolved_in(units: frozenset[str] | None) -> ColumnElement[bool]:
    """Dossiers resolved by ``units`` (every dossier when None)."""
    if units is None:
        return sa.true()
    return dossiers.c.resolving_unit.in_(sorted(units))


def _answers(column: Any, name: str) -> list[ColumnElement[Any]]:
    return [sa.func.coalesce(sa.func.sum(sa.case((column == value, 1), else_=0)), 0)
            .label(f"{name}_{value}") for value in SCALE]


def _extra(code: str, scale: str) -> list[ColumnElement[Any]]:
    """Two sums over one question of ``ratings.answers`` (see ``RatingCounts.extra``)."""
    if scale == "yes_no":
        value: Any = ratings.c.answers[code].as_boolean()
        hit: Any = sa.case((value.is_(True), 1), else_=0)
    else:
        value = ratings.c.answers[code].as_integer()
        hit = value if scale == "count" else sa.case((value >= 4, 1), else_=0)
    return [sa.func.coalesce(sa.func.sum(hit), 0).label(f"x_{code}_hits"),
            sa.func.count(value).label(f"x_{code}_answered")]


def _late_parts(w: Window) -> sa.Subquery:
    """The dossiers of the sheet, one row each: resolved late in the period, and pending
    overdue at ``as_of``.

    Pending overdue is what form 06 counts in that column (``engine.store.reports._scoped``):
    accepted by the desk before the end, open or finished after it, no step that stops the
    clock open at ``as_of``, and due before ``as_of`` on the date it had then, i.e. before
    any clock pause recorded after ``as_of`` moved it."""
    d, wi, ch = dossiers.c, work_items.c, due_date_changes.c
    start, end, as_of = _at(w.start), _at(w.end), _at(w.as_of)
    cols = (d.id, d.code, d.procedure_key, d.procedure_name, d.resolving_unit, d.received_at)
    late = sa.select(*cols, d.due_at.label("due"), d.resolved_at.label("resolved")).where(
        d.resolved_at >= start, d.resolved_at < end, d.received_at < end,
        d.timeliness == Timeliness.LATE,
        d.status.not_in((DossierStatus.REFUSED, DossierStatus.WITHDRAWN)),
        _resolved_in(w.units))
    paused = sa.exists().where(wi.dossier_id == d.id, wi.pauses_clock.is_(True),
                               wi.created_at < as_of,
                               sa.or_(wi.completed_at.is_(None), wi.completed_at >= as_of))
    due_then = sa.func.coalesce(
        sa.select(ch.previous_due_at)
        .where(ch.dossier_id == d.id, ch.kind == "pause", ch.at >= as_of)
        .order_by(ch.at, ch.id).limit(1).scalar_subquery(), d.due_at)
    overdue = [sa.select(*cols, due_then.label("due"), sa.null().cast(UTCDateTime)
                         .label("resolved"))
               .where(open_then, d.accepted_at < end, _resolved_in(w.units), ~paused,
                      due_then < as_of)
               for open_then in (d.resolved_at.is_(None), d.resolved_at >= end)]
    return sa.union_all(late, *overdue).subquery("late")


class SheetQueries:
    """The sheets' read side, on the unit of work's connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def ratings_per_unit_procedure(self, w: Window, extra: Sequence[tuple[str, str]] = ()
                                   ) -> list[RatingCounts]:
        """Ratings given in [w.start, w.end) to dossiers resolved by ``w.units``, per
        resolving unit and procedure key, in that order; ``extra``: the (code, scale) of the
        survey's questions kept in ``answers``, summed up too."""
        r, d = ratings.c, dossiers.c
        unit, key = d.resolving_unit, d.procedure_key
        query = (sa.select(unit.label("unit"), key.label("key"),
                           sa.func.max(d.procedure_name).label("name"),
                           *_answers(r.satisfaction, "s"), sa.func.count().label("rated"),
                           sa.func.coalesce(sa.func.sum(sa.case((r.on_time.is_(True), 1),
                                                                else_=0)), 0).label("yes"),
                           sa.func.coalesce(sa.func.sum(sa.case((r.on_time.is_(False), 1),
                                                                else_=0)), 0).label("no"),
                           *_answers(r.staff_attitude, "a"),
                           sa.func.count(r.visits).label("visits_answered"),
                           sa.func.coalesce(sa.func.sum(r.visits), 0).label("visits_total"),
                           *(c for code, scale in extra for c in _extra(code, scale)))
                 .select_from(ratings.join(dossiers, d.id == r.dossier_id))
                 .where(r.rated_at >= _at(w.start), r.rated_at < _at(w.end),
                        _resolved_in(w.units))
                 .group_by(unit, key).order_by(unit, key))
        return [RatingCounts(
            row.unit, row.key, row.name,
            tuple(int(getattr(row, f"s_{v}")) for v in SCALE),  # type: ignore[arg-type]
            int(row.rated), int(row.yes), int(row.no),
            tuple(int(getattr(row, f"a_{v}")) for v in SCALE),  # type: ignore[arg-type]
            int(row.visits_answered), int(row.visits_total),
            {code: (int(getattr(row, f"x_{code}_hits")),
                    int(getattr(row, f"x_{code}_answered"))) for code, _ in extra})
            for row in self.conn.execute(query)]

    def late_dossiers(self, w: Window) -> Iterator[LateDossier]:
        """Dossiers of ``w.units`` resolved late in the period and those pending overdue at
        ``w.as_of``, by resolving unit, due date and id, each with the apologies issued for it
        before the judging moment; streamed (one dossier's rows at a time in Python)."""
        late, ch = _late_parts(w), due_date_changes.c
        issued = sa.and_(ch.dossier_id == late.c.id, ch.kind == "apology",
                         ch.at < _at(w.end), ch.at <= _at(w.as_of))
        query = (sa.select(late, ch.at.label("letter_at"), ch.reason, ch.new_due_at, ch.actor)
                 .select_from(late.outerjoin(due_date_changes, issued))
                 .order_by(late.c.resolving_unit, late.c.due, late.c.id, ch.at, ch.id))
        rows = self.conn.execution_options(yield_per=BATCH).execute(query)
        for _, group in itertools.groupby(rows, key=lambda row: row.id):
            found = list(group)
            first = found[0]
            letters = tuple(ApologyLetter(r.letter_at, r.reason, r.new_due_at, r.actor)
                            for r in found if r.letter_at is not None)
            yield LateDossier(first.id, first.code, first.procedure_key, first.procedure_name,
                              first.resolving_unit, first.received_at, first.due,
                              first.resolved, letters)
