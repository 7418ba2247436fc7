"""Migration 0018 dates every version deployed before it: in force from the local day it was
deployed (a first version since ever), none withdrawn, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from engine.store.migrate import alembic_config
from engine.store.tables import UTCDateTime, procedure_versions
from tests.conftest import fresh_database

# 18:30 UTC is already the next day in Hà Nội: the day is the office's, not UTC's.
DEPLOYED = [(1, datetime(2025, 3, 3, 2, 0, tzinfo=UTC)),
            (2, datetime(2025, 6, 30, 18, 30, tzinfo=UTC))]


def test_0018_puts_old_versions_in_force_from_the_day_they_were_deployed(
        database_url: str) -> None:
    db = fresh_database(database_url)
    config = alembic_config(database_url)
    command.downgrade(config, "0014")
    at = sa.bindparam("at", type_=UTCDateTime)
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO procedures (key, name, level, latest_version, "
                             "updated_at) VALUES ('hkd', 'Hộ kinh doanh', 'commune', 2, :at)")
                     .bindparams(at), {"at": DEPLOYED[0][1]})
        conn.execute(sa.text("INSERT INTO procedure_versions (id, procedure_key, version, "
                             "sha256, deployed_at, deployed_by, meta, files) VALUES (:n, "
                             "'hkd', :n, 'x', :at, 'designer', '{}', '{}')").bindparams(at),
                     [{"n": n, "at": when} for n, when in DEPLOYED])
    command.upgrade(config, "head")
    with db.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(
            sa.select(procedure_versions.c.version, procedure_versions.c.effective_from,
                      procedure_versions.c.withdrawn_at).order_by(procedure_versions.c.version))]
    db.dispose()
    # The first has no day (nothing came before it); the next one's is Hà Nội's.
    assert rows == [(1, None, None), (2, date(2025, 7, 1), None)]
