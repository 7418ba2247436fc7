"""Departments (each of one unit), users, their memberships, and the procedures a unit does
not take."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import SYSTEM_ROLES, Department, Membership, ProcedureSwitchOff, User
from engine.store.prepared import Prepared
from engine.store.tables import departments, memberships, procedure_switch_offs, users

# A user's row with their memberships, one row per membership (what ``_user`` reads).
_WITH_MEMBERSHIPS = (
    sa.select(users.c.id, users.c.username, users.c.full_name, users.c.roles, users.c.active,
              users.c.token_generation, memberships.c.agency_code.label("unit"),
              memberships.c.department_code, memberships.c.roles.label("held"))
    .select_from(users.outerjoin(memberships, memberships.c.user_id == users.c.id)))
_USER = (_WITH_MEMBERSHIPS.where(users.c.username == sa.bindparam("username"))
         .order_by(memberships.c.id))


# Read after every step, for the names of the departments its next steps go to.
_OF_UNIT = Prepared(sa.select(departments).where(departments.c.agency_code == sa.bindparam("unit"))
                    .order_by(departments.c.code))


def _department(r: Any) -> Department:
    return Department(r.code, r.name, r.agency_code, bool(r.active))


class Organisation:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ---- departments ------------------------------------------------------------------

    def department_codes(self) -> set[str]:
        """Every department code some unit has (the lanes a procedure may use)."""
        return set(self.conn.execute(sa.select(departments.c.code).distinct()).scalars())

    def departments(self, unit: str | None = None, *,
                    active_only: bool = False) -> list[Department]:
        query = sa.select(departments).order_by(departments.c.agency_code, departments.c.code)
        if unit is not None:
            query = query.where(departments.c.agency_code == unit)
        if active_only:
            query = query.where(departments.c.active.is_(True))
        return [_department(r) for r in self.conn.execute(query)]

    def departments_in(self, units: Iterable[str]) -> list[Department]:
        """The departments of a few units (a step's next ones), unit by unit."""
        return [_department(r) for unit in sorted(set(units))
                for r in _OF_UNIT.all(self.conn, {"unit": unit})]

    def department(self, unit: str, code: str) -> Department | None:
        r = self.conn.execute(sa.select(departments).where(
            departments.c.agency_code == unit, departments.c.code == code)).first()
        return _department(r) if r else None

    def department_active(self, unit: str, code: str) -> bool | None:
        """True or False for a department of the unit; None when it has no such one."""
        value = self.conn.execute(sa.select(departments.c.active).where(
            departments.c.agency_code == unit, departments.c.code == code)).scalar()
        return None if value is None else bool(value)

    def upsert_department(self, code: str, name: str, agency_code: str,
                          active: bool = True) -> bool:
        """Add or rename a unit's department; whether anything changed."""
        where = (departments.c.agency_code == agency_code, departments.c.code == code)
        before = self.conn.execute(sa.select(departments.c.name, departments.c.active)
                                   .where(*where)).first()
        if before is None:
            self.conn.execute(departments.insert().values(code=code, name=name, active=active,
                                                          agency_code=agency_code))
            return True
        if (before.name, bool(before.active)) == (name, active):
            return False
        self.conn.execute(departments.update().where(*where).values(name=name, active=active))
        return True

    def units_with(self, code: str) -> set[str]:
        """The units that have an active department of this code."""
        return set(self.conn.execute(sa.select(departments.c.agency_code).where(
            departments.c.code == code, departments.c.active.is_(True))).scalars())

    # ---- users ------------------------------------------------------------------------

    def user(self, username: str) -> User | None:
        """One indexed read (every authenticated request makes it): the user's row joined
        with their memberships, one row per membership."""
        rows = self.conn.execute(_USER, {"username": username}).all()
        return _user(rows) if rows else None

    def users(self, unit: str | None = None) -> list[User]:
        """Every user (or those with a membership in ``unit``), by username."""
        if unit is None:
            return self._users(None)
        return self._users(sa.select(memberships.c.user_id).where(
            memberships.c.agency_code == unit))

    def _users(self, ids: sa.Select[Any] | None) -> list[User]:
        query = _WITH_MEMBERSHIPS.order_by(users.c.username, memberships.c.id)
        if ids is not None:
            query = query.where(users.c.id.in_(ids))
        found: dict[int, list[Any]] = {}
        for r in self.conn.execute(query):
            found.setdefault(r.id, []).append(r)
        return [_user(rows) for rows in found.values()]

    def users_in(self, unit: str, department: str) -> list[User]:
        """The users with a membership covering that department of that unit."""
        return self._users(sa.select(memberships.c.user_id).where(
            memberships.c.agency_code == unit,
            sa.or_(memberships.c.department_code == department,
                   memberships.c.department_code.is_(None))))

    def password_hash(self, username: str) -> str | None:
        return self.conn.execute(
            sa.select(users.c.password_hash).where(users.c.username == username,
                                                   users.c.active.is_(True))
        ).scalar()

    def next_token_generation(self, user_id: int) -> int:
        """Invalidate every token issued so far to the user; the new generation."""
        return int(self.conn.execute(
            users.update().where(users.c.id == user_id)
            .values(token_generation=users.c.token_generation + 1)
            .returning(users.c.token_generation)).scalar_one())

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self.conn.execute(users.update().where(users.c.username == username)
                          .values(password_hash=password_hash))

    def set_active(self, username: str, active: bool) -> None:
        self.conn.execute(users.update().where(users.c.username == username)
                          .values(active=active))

    def set_full_name(self, username: str, full_name: str) -> None:
        self.conn.execute(users.update().where(users.c.username == username)
                          .values(full_name=full_name))

    def upsert_user(self, username: str, full_name: str, password_hash: str | None,
                    system_roles: Iterable[str], places: Iterable[Membership]) -> int:
        """Create or reset a user: their name, system roles and memberships become these
        (the password only when given). Returns the user's id."""
        existing = self.conn.execute(sa.select(users.c.id).where(users.c.username == username)
                                     ).scalar()
        values: dict[str, Any] = dict(
            full_name=full_name, active=True,
            roles=" ".join(sorted(set(system_roles) & set(SYSTEM_ROLES))))
        if password_hash is not None:
            values["password_hash"] = password_hash
        if existing is None:
            existing = self.conn.execute(
                users.insert().values(username=username, **values).returning(users.c.id)
            ).scalar_one()
        else:
            self.conn.execute(users.update().where(users.c.id == existing).values(**values))
        self.set_memberships(int(existing), places)
        return int(existing)

    def set_system_roles(self, username: str, roles: Iterable[str]) -> None:
        self.conn.execute(users.update().where(users.c.username == username).values(
            roles=" ".join(sorted(set(roles) & set(SYSTEM_ROLES)))))

    def set_memberships(self, user_id: int, places: Iterable[Membership]) -> None:
        self.conn.execute(memberships.delete().where(memberships.c.user_id == user_id))
        rows = [{"user_id": user_id, "agency_code": m.unit, "department_code": m.department,
                 "roles": " ".join(sorted(m.roles))} for m in places if m.roles]
        if rows:
            self.conn.execute(memberships.insert(), rows)

    # ---- procedures a unit does not take ----------------------------------------------

    def switched_off(self, procedure_key: str, units: Iterable[str]) -> list[ProcedureSwitchOff]:
        t = procedure_switch_offs
        rows = self.conn.execute(sa.select(t).where(t.c.procedure_key == procedure_key,
                                                    t.c.agency_code.in_(sorted(set(units)))))
        return [_switch_off(r) for r in rows]

    def switch_offs(self, unit: str | None = None) -> list[ProcedureSwitchOff]:
        t = procedure_switch_offs
        query = sa.select(t).order_by(t.c.agency_code, t.c.procedure_key)
        if unit is not None:
            query = query.where(t.c.agency_code == unit)
        return [_switch_off(r) for r in self.conn.execute(query)]

    def switch_off(self, unit: str, procedure_key: str, since: datetime, by: str,
                   reason: str) -> bool:
        t = procedure_switch_offs
        if self.switched_off(procedure_key, [unit]):
            return False
        self.conn.execute(t.insert().values(agency_code=unit, procedure_key=procedure_key,
                                            since=since, by=by, reason=reason))
        return True

    def switch_on(self, unit: str, procedure_key: str) -> bool:
        t = procedure_switch_offs
        return bool(self.conn.execute(t.delete().where(
            t.c.agency_code == unit, t.c.procedure_key == procedure_key)).rowcount)


def _user(rows: Sequence[Any]) -> User:
    r = rows[0]
    held = tuple(Membership(x.unit, x.department_code, frozenset(x.held.split()))
                 for x in rows if x.unit is not None)
    roles = frozenset(r.roles.split()).union(*(m.roles for m in held))
    return User(r.id, r.username, r.full_name, roles, held, r.active, r.token_generation)


def _switch_off(r: Any) -> ProcedureSwitchOff:
    return ProcedureSwitchOff(r.agency_code, r.procedure_key, r.since, r.by, r.reason)
