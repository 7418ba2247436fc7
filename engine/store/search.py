"""The dossiers' search index: one row per dossier in ``dossier_search``, and the words index
over its ``terms``, the database's own.

- SQLite: ``dossier_search_fts``, an FTS5 table over ``dossier_search`` (external content,
  the row id is the dossier id); a word of the query is a prefix query ``"word"*``.
- PostgreSQL: ``ix_dossier_search_terms_trgm``, a GIN trigram index (pg_trgm) over
  ``terms``; a word of the query is ``terms LIKE '% word%'``, which the index answers.

The words are folded in Python (``engine.people``), so neither database needs its own
accent folding. Dossiers are never deleted and their applicant, code and units never
change after submission: an entry is written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.people import SearchQuery, SearchTerms
from engine.store.tables import dossier_search, dossiers

FTS_TABLE = "dossier_search_fts"
TRGM_INDEX = "ix_dossier_search_terms_trgm"

SQLITE_DDL = (f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(terms, content='dossier_search', "
              "content_rowid='dossier_id', tokenize='unicode61')")
POSTGRES_DDL = ("CREATE EXTENSION IF NOT EXISTS pg_trgm",
                # Without the pending list: entries go straight into the index, so a search
                # after a bulk load does not read through thousands of unmerged ones.
                f"CREATE INDEX {TRGM_INDEX} ON dossier_search USING gin (terms gin_trgm_ops) "
                "WITH (fastupdate = off)")

_FTS_INSERT = sa.text(f"INSERT INTO {FTS_TABLE} (rowid, terms) VALUES (:dossier_id, :terms)")


def outside_metadata(name: str | None, type_: str, _parents: dict[str, Any]) -> bool:
    """False for the index's own objects, which the tables' metadata does not declare
    (for ``include_name`` when comparing the database with the metadata)."""
    if name is None:
        return True
    return not ((type_ == "table" and name.startswith(FTS_TABLE))
                or (type_ == "index" and name == TRGM_INDEX))


def entry(dossier_id: int, code: str, receiving_unit: str, resolving_unit: str,
          procedure_key: str, terms: SearchTerms) -> dict[str, Any]:
    words = [terms.names, terms.id_number or "", terms.phone or ""]
    return dict(dossier_id=dossier_id, code=code, names=terms.names, id_number=terms.id_number,
                phone=terms.phone, receiving_unit=receiving_unit, resolving_unit=resolving_unit,
                procedure_key=procedure_key,
                terms=" " + " ".join(w for w in words if w))


def put(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Index new dossiers (``entry`` rows)."""
    if not rows:
        return
    conn.execute(dossier_search.insert(), list(rows))
    if conn.dialect.name == "sqlite":
        conn.execute(_FTS_INSERT, [{"dossier_id": r["dossier_id"], "terms": r["terms"]}
                                   for r in rows])


MAX_MATCHES = 2000  # the newest dossiers a search keeps; a broader one should be narrowed


def matching(conn: Connection, wanted: SearchQuery) -> list[int]:
    """Ids of the dossiers the search finds, newest first, at most ``MAX_MATCHES``: the
    code begins with ``wanted.code``, or every word begins a word of the terms, or the ID
    number or phone is ``wanted.number``. Read first and on their own, so the list or the
    queue then reads only these rows by their key, whatever its other filters."""
    found: set[int] = set()
    if wanted.code:
        # A range, not LIKE: the unique index on the code answers it on both databases.
        found.update(conn.execute(
            sa.select(dossiers.c.id).where(dossiers.c.code >= wanted.code,
                                           dossiers.c.code < wanted.code + "\uffff")
            .order_by(dossiers.c.id.desc()).limit(MAX_MATCHES)).scalars())
    if wanted.words:
        found.update(conn.execute(_by_words(conn, wanted.words)).scalars())
    if wanted.number:
        # Two indexed lookups; an ID number and a phone never have the same length.
        found.update(conn.execute(
            sa.select(dossier_search.c.dossier_id).where(sa.or_(
                dossier_search.c.id_number == wanted.number,
                dossier_search.c.phone == wanted.number)).limit(MAX_MATCHES)).scalars())
    return sorted(found, reverse=True)[:MAX_MATCHES]


def _by_words(conn: Connection, words: tuple[str, ...]) -> sa.Select[Any]:
    # The words are folded to [0-9a-z] (engine.people.fold): nothing in them needs escaping
    # in an FTS5 string or a LIKE pattern.
    if conn.dialect.name == "sqlite":
        query = " ".join(f'"{w}"*' for w in words)
        rowid = sa.column("rowid", sa.Integer)
        return (sa.select(rowid).select_from(sa.table(FTS_TABLE))
                .where(sa.text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=query))
                .order_by(rowid.desc()).limit(MAX_MATCHES))
    return (sa.select(dossier_search.c.dossier_id)
            .where(*[dossier_search.c.terms.like(f"% {w}%") for w in words])
            .order_by(dossier_search.c.dossier_id.desc()).limit(MAX_MATCHES))
