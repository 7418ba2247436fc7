"""Migration 0008 fixes existing dossiers as they were received: each gets the code, name,
field and level of the version it ran and its office as both units, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engine.calendar import WorkingCalendar
from engine.runtime.clock import ManualClock
from engine.service.office import Office
from engine.service.reporting import statistics
from engine.store.migrate import alembic_config
from engine.store.search import outside_metadata
from engine.store.tables import UTCDateTime, metadata
from tests.conftest import fresh_database

RECEIVED = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
AGENCY = "000.00.81.H26"
HKD = {"key": "hkd", "name": "Đăng ký hộ kinh doanh", "code": "1.001612",
       "field": "Thành lập và hoạt động của hộ kinh doanh", "level": "district"}
# (version id, procedure key, version, meta): the second deploy moved it to commune level.
VERSIONS = [(1, "hkd", 1, HKD), (2, "hkd", 2, {**HKD, "level": "commune"}),
            (3, "old", 1, {})]
# (dossier id, version id)
DOSSIERS = [(1, 1), (2, 1), (3, 2), (4, 3)]


def _old_rows(conn: sa.Connection) -> None:
    """Procedures, versions and dossiers as 0007 kept them (no fixed columns yet)."""
    at = sa.bindparam("at", type_=UTCDateTime)
    conn.execute(sa.text("INSERT INTO procedures (key, name, level, latest_version, updated_at) "
                         "VALUES (:key, :name, 'commune', :v, :at)").bindparams(at),
                 [{"key": "hkd", "name": "Hộ kinh doanh (tên mới)", "v": 2, "at": RECEIVED},
                  {"key": "old", "name": "Thủ tục cũ", "v": 1, "at": RECEIVED}])
    conn.execute(sa.text("INSERT INTO procedure_versions (id, procedure_key, version, sha256, "
                         "deployed_at, deployed_by, meta, files) VALUES (:id, :key, :v, 'x', "
                         ":at, 'designer', :meta, '{}')").bindparams(at),
                 [{"id": i, "key": k, "v": v, "meta": json.dumps(m), "at": RECEIVED}
                  for i, k, v, m in VERSIONS])
    keys = {i: k for i, k, _, _ in VERSIONS}
    conn.execute(sa.text("INSERT INTO dossiers (id, code, agency_code, procedure_key, "
                         "version_id, channel, status, applicant, data, fee, received_at, "
                         "received_by, receipt_secret_hash, state_rev) VALUES (:id, :code, "
                         ":agency, :key, :version, 'direct', 'processing', '{}', '{}', 0, :at, "
                         "'reception', 'h', 0)").bindparams(at),
                 [{"id": d, "code": f"X-{d}", "agency": AGENCY, "key": keys[v], "version": v,
                   "at": RECEIVED} for d, v in DOSSIERS])


def test_0008_fills_existing_dossiers_from_the_version_each_ran(database_url: str) -> None:
    db = fresh_database(database_url)
    config = alembic_config(database_url)
    command.downgrade(config, "0007")
    with db.engine.begin() as conn:
        _old_rows(conn)

    command.upgrade(config, "head")
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, procedure_code, procedure_name, field, level, receiving_unit, "
            "resolving_unit FROM dossiers ORDER BY id")).all()
        # The search index's words index is the database's own (FTS5, pg_trgm): not declared.
        context = MigrationContext.configure(conn, opts={"include_name": outside_metadata})
        assert compare_metadata(context, metadata) == []
    hkd = (HKD["code"], HKD["name"], HKD["field"])
    assert [tuple(r) for r in rows] == [
        (1, *hkd, "district", AGENCY, AGENCY),
        (2, *hkd, "district", AGENCY, AGENCY),
        (3, *hkd, "commune", AGENCY, AGENCY),
        # A version deployed without metadata: the procedure's name, no classification.
        (4, None, "Thủ tục cũ", None, None, AGENCY, AGENCY),
    ]

    office = Office(db=db, agency_code=AGENCY, clock=ManualClock(RECEIVED),
                    calendar=WorkingCalendar.default())
    report = statistics(office, date(2025, 3, 1), date(2025, 3, 31), "level")
    assert {r.key: r.counts.received for r in report.rows} == \
        {None: 1, "commune": 1, "district": 2}

    command.downgrade(config, "0007")
    with db.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("dossiers")}
    assert "level" not in columns and "receiving_unit" not in columns
    command.upgrade(config, "head")
    db.dispose()
