"""Migration 0014 sets when each existing dossier was accepted: when it was received, except
one refused at the desk (never accepted), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engine.store.migrate import alembic_config
from engine.store.search import outside_metadata
from engine.store.tables import UTCDateTime, dossiers, metadata
from tests.conftest import fresh_database

RECEIVED = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
# (dossier id, status, hours after RECEIVED it was received)
DOSSIERS = [(1, "processing", 0), (2, "resolved", 5), (3, "not_accepted", 7),
            (4, "awaiting_supplement", 30)]


def _old_rows(conn: sa.Connection) -> None:
    """A version and dossiers as 0013 kept them (no acceptance moment yet)."""
    at = sa.bindparam("at", type_=UTCDateTime)
    conn.execute(sa.text("INSERT INTO procedures (key, name, level, latest_version, updated_at) "
                         "VALUES ('hkd', 'Hộ kinh doanh', 'commune', 1, :at)").bindparams(at),
                 {"at": RECEIVED})
    conn.execute(sa.text("INSERT INTO procedure_versions (id, procedure_key, version, sha256, "
                         "deployed_at, deployed_by, meta, files) VALUES (1, 'hkd', 1, 'x', "
                         ":at, 'designer', '{}', '{}')").bindparams(at), {"at": RECEIVED})
    conn.execute(sa.text("INSERT INTO dossiers (id, code, agency_code, procedure_key, "
                         "version_id, channel, status, applicant, data, fee, received_at, "
                         "received_by, receipt_secret_hash, state_rev, procedure_name, "
                         "receiving_unit, resolving_unit) VALUES (:id, :code, 'A', 'hkd', 1, "
                         "'direct', :status, '{}', '{}', 0, :at, 'reception', 'h', 0, 'HKD', "
                         "'A', 'A')").bindparams(at),
                 [{"id": d, "code": f"X-{d}", "status": s,
                   "at": RECEIVED + timedelta(hours=h)}
                  for d, s, h in DOSSIERS])


def test_0014_sets_accepted_at_from_received_at_except_for_the_refused(
        database_url: str) -> None:
    db = fresh_database(database_url)
    config = alembic_config(database_url)
    command.downgrade(config, "0013")
    with db.engine.begin() as conn:
        _old_rows(conn)

    command.upgrade(config, "head")
    with db.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(
            sa.select(dossiers.c.id, dossiers.c.accepted_at).order_by(dossiers.c.id))]
        context = MigrationContext.configure(conn, opts={"include_name": outside_metadata})
        assert compare_metadata(context, metadata) == []
    assert rows == [
        (1, RECEIVED), (2, RECEIVED + timedelta(hours=5)), (3, None),
        (4, RECEIVED + timedelta(hours=30))]
    db.dispose()
