"""Departments, users and their memberships."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import Department, User
from engine.store.tables import departments, memberships, users

_USER = (sa.select(users.c.id, users.c.username, users.c.full_name, users.c.roles,
                   users.c.active, users.c.token_generation, memberships.c.department_code)
         .select_from(users.outerjoin(memberships, memberships.c.user_id == users.c.id))
         .where(users.c.username == sa.bindparam("username")))


class Organisation:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def department_codes(self) -> set[str]:
        return set(self.conn.execute(sa.select(departments.c.code)).scalars())

    def departments(self) -> list[Department]:
        rows = self.conn.execute(sa.select(departments).order_by(departments.c.code))
        return [Department(r.code, r.name, r.agency_code) for r in rows]

    def department(self, code: str) -> Department | None:
        r = self.conn.execute(sa.select(departments).where(departments.c.code == code)).first()
        return Department(r.code, r.name, r.agency_code) if r else None

    def upsert_department(self, code: str, name: str, agency_code: str) -> None:
        if self.department(code):
            self.conn.execute(departments.update().where(departments.c.code == code)
                              .values(name=name, agency_code=agency_code))
        else:
            self.conn.execute(departments.insert().values(code=code, name=name,
                                                          agency_code=agency_code))

    def _user(self, row: Any) -> User:
        depts = self.conn.execute(
            sa.select(memberships.c.department_code).where(memberships.c.user_id == row.id)
        ).scalars()
        return User(row.id, row.username, row.full_name, frozenset(row.roles.split()),
                    frozenset(depts), row.active, row.token_generation)

    def user(self, username: str) -> User | None:
        """One indexed read (every authenticated request makes it): the user's row joined
        with their memberships, one row per department."""
        rows = self.conn.execute(_USER, {"username": username}).all()
        if not rows:
            return None
        r = rows[0]
        depts = frozenset(x.department_code for x in rows if x.department_code is not None)
        return User(r.id, r.username, r.full_name, frozenset(r.roles.split()), depts, r.active,
                    r.token_generation)

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

    def users_in(self, department: str) -> list[User]:
        rows = self.conn.execute(
            sa.select(users).join(memberships, memberships.c.user_id == users.c.id)
            .where(memberships.c.department_code == department).order_by(users.c.username)
        )
        return [self._user(r) for r in rows]

    def upsert_user(self, username: str, full_name: str, password_hash: str | None,
                    roles: set[str], department_codes: set[str]) -> None:
        existing = self.conn.execute(sa.select(users.c.id).where(users.c.username == username)
                                     ).scalar()
        values: dict[str, Any] = dict(full_name=full_name, roles=" ".join(sorted(roles)),
                                      active=True)
        if password_hash is not None:
            values["password_hash"] = password_hash
        if existing is None:
            existing = self.conn.execute(
                users.insert().values(username=username, **values).returning(users.c.id)
            ).scalar_one()
        else:
            self.conn.execute(users.update().where(users.c.id == existing).values(**values))
        self.conn.execute(memberships.delete().where(memberships.c.user_id == existing))
        if department_codes:
            self.conn.execute(memberships.insert(), [
                {"user_id": existing, "department_code": code} for code in sorted(department_codes)
            ])
