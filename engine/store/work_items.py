"""Work items: one row per ready human task, which the department queues query."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import Dossier, ItemStatus, Reach, WorkItem
from engine.people import SearchQuery
from engine.store import search as search_index
from engine.store.prepared import Prepared
from engine.store.tables import ACTIVE_STATUSES, dossiers, literal_in, procedures, work_items

ACTIVE = ACTIVE_STATUSES
ChainHead = tuple[int, str]


class Load(NamedTuple):
    """Active steps of one department of one unit held by one person (None: nobody)."""

    unit: str
    department: str
    claimed_by: str | None
    steps: int
    overdue: int  # due before now
    at_risk: int  # not overdue yet, due before the horizon


class StepHeader(NamedTuple):
    code: str
    procedure_key: str
    procedure_name: str | None

# Statements of the step path, built once: building a statement costs more than running it.
_GET = Prepared(sa.select(work_items).where(work_items.c.id == sa.bindparam("item_id")))
_INSERTS: dict[tuple[str, ...], Prepared] = {}


def _status_in(statuses: tuple[str, ...]) -> sa.ColumnElement[bool]:
    return literal_in(work_items.c.status, statuses)


_ACTIVE = Prepared(sa.select(work_items)
                   .where(work_items.c.dossier_id == sa.bindparam("dossier_id"),
                          _status_in(ACTIVE))
                   .order_by(work_items.c.id))
_HEAD_COLUMNS = (dossiers.c.chain_seq, dossiers.c.chain_head)
# The procedure's current name comes along, for the view a step's use case answers with.
_WITH_NAME = (dossiers.join(work_items, dossiers.c.id == work_items.c.dossier_id)
              .outerjoin(procedures, procedures.c.key == dossiers.c.procedure_key))
_WITH_HEAD = Prepared(sa.select(work_items, *_HEAD_COLUMNS, dossiers.c.code.label("d_code"),
                                dossiers.c.procedure_key.label("d_procedure_key"),
                                procedures.c.name.label("p_name"))
                      .select_from(_WITH_NAME)
                      .where(work_items.c.id == sa.bindparam("item_id")))
_DOSSIER_FIELDS = [c.name for c in dossiers.c
                   if c.name not in ("receipt_secret_hash", "chain_seq", "chain_head")]
_WITH_DOSSIER = Prepared(sa.select(work_items,
                                   *(dossiers.c[n].label(f"d_{n}") for n in _DOSSIER_FIELDS),
                                   *_HEAD_COLUMNS, procedures.c.name.label("p_name"))
                         .select_from(_WITH_NAME)
                         .where(work_items.c.id == sa.bindparam("item_id")))
_FOR_DOSSIER = Prepared(sa.select(work_items)
                        .where(work_items.c.dossier_id == sa.bindparam("dossier_id"))
                        .order_by(work_items.c.id))
_TRANSITIONS: dict[tuple[tuple[str, ...], bool, tuple[str, ...]], Prepared] = {}


def _transition(from_status: tuple[str, ...], claimant: bool, keys: tuple[str, ...]) -> Prepared:
    """The conditional update for one shape of transition, built once per shape."""
    shape = (from_status, claimant, keys)
    found = _TRANSITIONS.get(shape)
    if found is None:
        query = work_items.update().where(work_items.c.id == sa.bindparam("item_id"),
                                          _status_in(from_status))
        if claimant:
            query = query.where(work_items.c.claimed_by == sa.bindparam("expected_claimant"))
        query = query.values({k: sa.bindparam(f"new_{k}", type_=work_items.c[k].type)
                              for k in keys})
        found = _TRANSITIONS[shape] = Prepared(query)
    return found


class WorkItemStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, **values: Any) -> int:
        keys = tuple(sorted(values))
        insert = _INSERTS.get(keys)
        if insert is None:
            insert = _INSERTS[keys] = Prepared(work_items.insert().returning(work_items.c.id),
                                               keys)
        row = insert.first(self.conn, values)
        assert row is not None
        return int(row.id)

    def get(self, item_id: int) -> WorkItem | None:
        r = _GET.first(self.conn, {"item_id": item_id})
        return _item(r) if r else None

    def with_head(self, item_id: int) -> tuple[WorkItem, ChainHead | None] | None:
        """The item and its dossier's audit chain head (None before the first event)."""
        found = self.with_header(item_id)
        return (found[0], found[1]) if found else None

    def with_header(self, item_id: int
                    ) -> tuple[WorkItem, ChainHead | None, StepHeader] | None:
        """The item, its dossier's chain head, and the dossier's code, procedure key and the
        procedure's current name (what the view of the step shows) in one read."""
        r = _WITH_HEAD.first(self.conn, {"item_id": item_id})
        if r is None:
            return None
        return _item(r), _head(r), StepHeader(r.d_code, r.d_procedure_key, r.p_name)

    def with_dossier(self, item_id: int) -> tuple[WorkItem, Dossier, ChainHead | None] | None:
        """The item, its dossier and the dossier's chain head in one read (a step's start)."""
        found = self.with_dossier_named(item_id)
        return found[:3] if found else None

    def with_dossier_named(self, item_id: int
                           ) -> tuple[WorkItem, Dossier, ChainHead | None, str | None] | None:
        """As ``with_dossier``, and the procedure's current name."""
        r = _WITH_DOSSIER.first(self.conn, {"item_id": item_id})
        if r is None:
            return None
        m = r._mapping
        dossier = Dossier(**{n: m[f"d_{n}"] for n in _DOSSIER_FIELDS})
        return _item(r), dossier, _head(r), r.p_name

    def for_dossier(self, dossier_id: int) -> list[WorkItem]:
        return [_item(r) for r in _FOR_DOSSIER.all(self.conn, {"dossier_id": dossier_id})]

    def active_for_dossier(self, dossier_id: int) -> list[WorkItem]:
        return [_item(r) for r in _ACTIVE.all(self.conn, {"dossier_id": dossier_id})]

    def waiting_for_applicant(self, limit: int = 500) -> list[WorkItem]:
        """The open steps that wait for the applicant (``pauses_clock``), oldest first: the
        few rows of the pausing index."""
        query = (sa.select(work_items).where(work_items.c.pauses_clock.is_(True),
                                             _status_in(ACTIVE))
                 .order_by(work_items.c.created_at, work_items.c.id).limit(limit))
        return [_item(r) for r in self.conn.execute(query)]

    def transition(self, item_id: int, from_status: tuple[str, ...], expected_claimant: str | None,
                   **values: Any) -> bool:
        """Conditional update: succeeds only from the given status (and claimant, if given)."""
        query = _transition(tuple(from_status), expected_claimant is not None,
                            tuple(sorted(values)))
        params = {f"new_{k}": v for k, v in values.items()}
        params["item_id"] = item_id
        if expected_claimant is not None:
            params["expected_claimant"] = expected_claimant
        return query.rowcount(self.conn, params) == 1

    def queue(self, *, reach: Reach | None = None, claimed_by: str | None = None,
              procedure: str | None = None, wanted: SearchQuery | None = None,
              limit: int = 100, offset: int = 0) -> list[WorkItem]:
        """``wanted``: only the steps of dossiers the search index finds."""
        query = self._filter(sa.select(work_items), reach, claimed_by, procedure, wanted)
        query = query.order_by(work_items.c.due_at.is_(None), work_items.c.due_at,
                               work_items.c.id).limit(limit).offset(offset)
        return [_item(r) for r in self.conn.execute(query)]

    def queue_total(self, *, reach: Reach | None = None, claimed_by: str | None = None,
                    procedure: str | None = None, wanted: SearchQuery | None = None) -> int:
        """How many items ``queue`` would list without limit and offset."""
        query = self._filter(sa.select(sa.func.count()).select_from(work_items), reach,
                             claimed_by, procedure, wanted)
        return int(self.conn.execute(query).scalar_one())

    def _filter(self, query: sa.Select[Any], reach: Reach | None, claimed_by: str | None,
                procedure: str | None, wanted: SearchQuery | None) -> sa.Select[Any]:
        query = _queue_filter(query, reach, claimed_by, procedure)
        if wanted is not None:
            query = query.where(work_items.c.dossier_id.in_(
                search_index.matching(self.conn, wanted)))
        return query

    def dossiers_of(self, reach: Reach) -> sa.Select[Any]:
        """Ids of the dossiers that have or had an item within ``reach``, as a subquery for
        ``DossierStore.search(ids=...)``."""
        return sa.select(work_items.c.dossier_id).where(in_reach(reach)).distinct()

    def overdue(self, now: datetime, reach: Reach | None) -> list[WorkItem]:
        query = sa.select(work_items).where(_status_in(ACTIVE), work_items.c.due_at < now)
        if reach is not None:
            query = query.where(in_reach(reach))
        return [_item(r) for r in self.conn.execute(query.order_by(work_items.c.due_at))]


    def load(self, reach: Reach | None, now: datetime, horizon: datetime) -> list[Load]:
        """The queues' active steps counted by unit, department and holder."""
        due = work_items.c.due_at
        query = (sa.select(work_items.c.unit, work_items.c.department_code,
                           work_items.c.claimed_by, sa.func.count(),
                           sa.func.count().filter(due < now),
                           sa.func.count().filter(due >= now, due <= horizon))
                 .where(_status_in(ACTIVE))
                 .group_by(work_items.c.unit, work_items.c.department_code,
                           work_items.c.claimed_by))
        if reach is not None:
            query = query.where(in_reach(reach))
        return [Load(r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5]))
                for r in self.conn.execute(query)]


def in_reach(reach: Reach) -> sa.ColumnElement[bool]:
    """Items held by a department within ``reach``."""
    if reach.everywhere:
        return sa.true()
    terms: list[sa.ColumnElement[bool]] = []
    if reach.units:
        terms.append(work_items.c.unit.in_(sorted(reach.units)))
    # One equality pair per place rather than a row-value IN: both databases plan it onto the
    # queue index, and a person has a handful of places.
    terms += [sa.and_(work_items.c.unit == unit, work_items.c.department_code == department)
              for unit, department in sorted(reach.places)]
    return sa.or_(*terms) if terms else sa.false()


def _head(r: Any) -> ChainHead | None:
    return (int(r.chain_seq), str(r.chain_head)) if r.chain_seq is not None else None


def _queue_filter(query: sa.Select[Any], reach: Reach | None, claimed_by: str | None,
                  procedure: str | None) -> sa.Select[Any]:
    """The open items within a reach, of one claimant, or of one procedure."""
    query = query.where(_status_in(ACTIVE))
    if reach is not None:
        query = query.where(in_reach(reach))
    if claimed_by is not None:
        query = query.where(work_items.c.claimed_by == claimed_by,
                            work_items.c.status == ItemStatus.CLAIMED)
    if procedure is not None:
        query = query.join(dossiers, dossiers.c.id == work_items.c.dossier_id).where(
            dossiers.c.procedure_key == procedure)
    return query


def _item(r: Any) -> WorkItem:
    return WorkItem(
        id=r.id, dossier_id=r.dossier_id, task_uuid=r.task_uuid, step_id=r.step_id,
        step_name=r.step_name, department_code=r.department_code, status=r.status,
        allowance_hours=r.allowance_hours, pauses_clock=r.pauses_clock, form=r.form,
        created_at=r.created_at, handed_over_by=r.handed_over_by, due_at=r.due_at,
        claimed_at=r.claimed_at, claimed_by=r.claimed_by, completed_at=r.completed_at,
        completed_by=r.completed_by, result=r.result, timeliness=r.timeliness, unit=r.unit,
    )
