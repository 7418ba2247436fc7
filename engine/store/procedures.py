"""Deployed procedures and their immutable versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.model import LibraryFileVersion, ProcedureVersion
from engine.store.tables import dossiers, library_files, procedure_versions, procedures

_LATEST_ID = (
    sa.select(procedure_versions.c.id, procedure_versions.c.version)
    .where(procedure_versions.c.procedure_key == sa.bindparam("key"))
    .order_by(procedure_versions.c.version.desc()).limit(1)
)
# The version a dossier counted from day D starts on: of those not withdrawn and in force by
# D, the one with the latest day (the newest deploy when two share it). No day: a first
# version deployed without one, in force since ever (nothing came before it).
_SINCE_EVER = date(1, 1, 1)
_DAY = sa.func.coalesce(procedure_versions.c.effective_from, sa.literal(_SINCE_EVER, sa.Date))
_IN_FORCE_ID = (
    sa.select(procedure_versions.c.id, procedure_versions.c.version)
    .where(procedure_versions.c.procedure_key == sa.bindparam("key"),
           procedure_versions.c.withdrawn_at.is_(None),
           sa.bindparam("day", type_=sa.Date) >= _DAY)
    .order_by(_DAY.desc(), procedure_versions.c.version.desc())
    .limit(1)
)


class ProcedureCatalog:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def version_with_hash(self, key: str, sha256: str, day: date | None = None
                          ) -> ProcedureVersion | None:
        """The newest version not withdrawn with this content (and in force from ``day``)."""
        query = sa.select(procedure_versions).where(
            procedure_versions.c.procedure_key == key, procedure_versions.c.sha256 == sha256,
            procedure_versions.c.withdrawn_at.is_(None))
        if day is not None:
            query = query.where(procedure_versions.c.effective_from == day)
        r = self.conn.execute(query.order_by(procedure_versions.c.version.desc())).first()
        return _version(r) if r else None

    def latest(self, key: str) -> ProcedureVersion | None:
        r = self.conn.execute(
            sa.select(procedure_versions).where(procedure_versions.c.procedure_key == key)
            .order_by(procedure_versions.c.version.desc()).limit(1)
        ).first()
        return _version(r) if r else None

    def latest_id(self, key: str) -> tuple[int, int] | None:
        """(id, version number) of the newest version, without its files (the hot path of a
        submission: the files are parsed once per process and cached)."""
        r = self.conn.execute(_LATEST_ID, {"key": key}).first()
        return (int(r.id), int(r.version)) if r else None

    def in_force_id(self, key: str, day: date) -> tuple[int, int] | None:
        """(id, version number) of the version in force on the local ``day``."""
        r = self.conn.execute(_IN_FORCE_ID, {"key": key, "day": day}).first()
        return (int(r.id), int(r.version)) if r else None

    def withdraw(self, version_id: int, at: datetime, actor: str) -> bool:
        """Mark the version withdrawn unless it already is; whether it changed."""
        done = self.conn.execute(
            procedure_versions.update().where(procedure_versions.c.id == version_id,
                                              procedure_versions.c.withdrawn_at.is_(None))
            .values(withdrawn_at=at, withdrawn_by=actor))
        return bool(done.rowcount)

    def has_dossiers(self, version_id: int) -> bool:
        return self.conn.execute(
            sa.select(dossiers.c.id).where(dossiers.c.version_id == version_id).limit(1)
        ).first() is not None

    def version(self, key: str, number: int) -> ProcedureVersion | None:
        r = self.conn.execute(
            sa.select(procedure_versions).where(procedure_versions.c.procedure_key == key,
                                                procedure_versions.c.version == number)
        ).first()
        return _version(r) if r else None

    def by_id(self, version_id: int) -> ProcedureVersion | None:
        r = self.conn.execute(
            sa.select(procedure_versions).where(procedure_versions.c.id == version_id)).first()
        return _version(r) if r else None

    def add_version(self, key: str, meta: dict[str, Any], files: dict[str, str], sha256: str,
                    at: datetime, actor: str, effective_from: date | None) -> ProcedureVersion:
        current = self.conn.execute(
            sa.select(procedures.c.latest_version).where(procedures.c.key == key)
            .with_for_update()
        ).scalar()
        number = (current or 0) + 1
        summary = dict(name=meta["name"], code=meta.get("code"), field=meta.get("field"),
                       level=meta.get("level"), latest_version=number, updated_at=at)
        if current is None:
            self.conn.execute(procedures.insert().values(key=key, **summary))
        else:
            self.conn.execute(procedures.update().where(procedures.c.key == key).values(**summary))
        new_id = self.conn.execute(
            procedure_versions.insert().values(
                procedure_key=key, version=number, sha256=sha256, deployed_at=at,
                deployed_by=actor, meta=meta, files=files, effective_from=effective_from,
            ).returning(procedure_versions.c.id)
        ).scalar_one()
        return ProcedureVersion(new_id, key, number, sha256, at, actor, meta, files,
                                effective_from)

    def summaries(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(sa.select(procedures).order_by(procedures.c.key))
        return [dict(r._mapping) for r in rows]

    def versions(self, key: str) -> list[dict[str, Any]]:
        """Every version of ``key`` by number, with its day, withdrawal and dossier count."""
        counts = (sa.select(dossiers.c.version_id, sa.func.count().label("n"))
                  .where(dossiers.c.procedure_key == key)
                  .group_by(dossiers.c.version_id).subquery())
        rows = self.conn.execute(
            sa.select(procedure_versions.c.id, procedure_versions.c.version,
                      procedure_versions.c.sha256, procedure_versions.c.deployed_at,
                      procedure_versions.c.deployed_by, procedure_versions.c.effective_from,
                      procedure_versions.c.withdrawn_at, procedure_versions.c.withdrawn_by,
                      sa.func.coalesce(counts.c.n, 0).label("dossiers"))
            .outerjoin(counts, counts.c.version_id == procedure_versions.c.id)
            .where(procedure_versions.c.procedure_key == key)
            .order_by(procedure_versions.c.version)
        )
        return [dict(r._mapping) for r in rows]

    def latest_files(self) -> dict[str, dict[str, str]]:
        """Files of the newest version of every procedure (call activity targets)."""
        latest = (
            sa.select(procedure_versions.c.procedure_key,
                      sa.func.max(procedure_versions.c.version).label("v"))
            .group_by(procedure_versions.c.procedure_key).subquery()
        )
        rows = self.conn.execute(
            sa.select(procedure_versions.c.procedure_key, procedure_versions.c.files).join(
                latest, sa.and_(latest.c.procedure_key == procedure_versions.c.procedure_key,
                                latest.c.v == procedure_versions.c.version))
        )
        return {r.procedure_key: r.files for r in rows}


def _version(r: Any) -> ProcedureVersion:
    return ProcedureVersion(r.id, r.procedure_key, r.version, r.sha256, r.deployed_at,
                            r.deployed_by, r.meta, r.files, r.effective_from, r.withdrawn_at,
                            r.withdrawn_by)


class LibraryCatalog:
    """Deployed library files, newest version per path."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _latest(self) -> Any:
        newest = (sa.select(library_files.c.path, sa.func.max(library_files.c.version).label("v"))
                  .group_by(library_files.c.path).subquery())
        return sa.select(library_files).join(
            newest, sa.and_(newest.c.path == library_files.c.path,
                            newest.c.v == library_files.c.version))

    def latest(self) -> list[LibraryFileVersion]:
        rows = self.conn.execute(self._latest().order_by(library_files.c.path))
        return [_library(r) for r in rows]

    def add(self, path: str, files: dict[str, str], sha256: str, provides: list[str],
            at: datetime, actor: str) -> tuple[LibraryFileVersion, bool]:
        """The newest version of ``path``; a new one only when the content changed."""
        current = self.conn.execute(
            sa.select(library_files).where(library_files.c.path == path)
            .order_by(library_files.c.version.desc()).limit(1)).first()
        if current is not None and current.sha256 == sha256:
            return _library(current), False
        number = (current.version if current is not None else 0) + 1
        new_id = self.conn.execute(library_files.insert().values(
            path=path, version=number, sha256=sha256, files=files, provides=provides,
            deployed_at=at, deployed_by=actor).returning(library_files.c.id)).scalar_one()
        return LibraryFileVersion(new_id, path, number, sha256, files, provides, at, actor), True


def _library(r: Any) -> LibraryFileVersion:
    return LibraryFileVersion(r.id, r.path, r.version, r.sha256, dict(r.files), list(r.provides),
                              r.deployed_at, r.deployed_by)
