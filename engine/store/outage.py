"""Which database errors mean "the storage is away or busy for now" (a 503 the client may
retry), told apart from bugs, which stay what they are."""

from __future__ import annotations

import logging
import math
import sqlite3
from typing import Literal

import sqlalchemy as sa

from engine.errors import Unavailable
from engine.i18n import msg

log = logging.getLogger("motcua.store")

RETRY_AFTER_AWAY_S = 5

# SQLite primary result codes: busy or locked (the busy handler gave up), an I/O error, a full
# disk, a file that cannot be opened (a missing mount, permissions) and a WAL protocol race.
# Syntax errors and missing tables are OperationalError too in Python's sqlite3: not these.
_SQLITE_BUSY = {5, 6, 15}
_SQLITE_AWAY = {10, 13, 14}
# PostgreSQL SQLSTATE: connection exceptions (08), insufficient resources (53, e.g. too many
# connections), operator intervention (57P01 shutdown … 57P05; 57014 a statement timed out),
# system errors (58, e.g. an I/O error) and a lock not had in time (55P03).
_PG_AWAY_CLASSES = ("08", "53", "57P", "58")
_PG_BUSY = {"55P03", "57014"}


Outage = Literal["busy", "away"]


def outage(exc: BaseException) -> Outage | None:
    """``busy`` (a lock or a connection not had in time), ``away`` (the database cannot be
    reached or used), or None: an error of ours or of the data, not of the storage."""
    if isinstance(exc, sa.exc.TimeoutError):  # no pooled connection came free in time
        return "busy"
    # BEGIN goes to the driver itself (db.py), so its errors come unwrapped.
    orig = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", 0) & 0xFF
        if not isinstance(orig, sqlite3.OperationalError):
            return None
        return "busy" if code in _SQLITE_BUSY else "away" if code in _SQLITE_AWAY else None
    if not isinstance(exc, sa.exc.DBAPIError):
        return None
    if exc.connection_invalidated or isinstance(exc, sa.exc.InterfaceError):
        return "away"
    if not isinstance(exc, sa.exc.OperationalError) or not hasattr(exc.orig, "sqlstate"):
        return None  # another driver's errors: only its disconnects are known
    state = getattr(exc.orig, "sqlstate", None)
    if state in _PG_BUSY:
        return "busy"
    if state is None or state.startswith(_PG_AWAY_CLASSES):  # None: failed on the client side
        return "away"
    return None


def unavailable(exc: BaseException, lock_timeout_s: float, committing: bool = False
                ) -> Unavailable | None:
    """The ``Unavailable`` a database error stands for (logged), or None.

    ``committing``: the error came from COMMIT, when a server that went away may or may not
    have recorded the transaction (SQLite, in the same process, always knows: not recorded).
    """
    found = outage(exc)
    if found is None:
        return None
    if found == "busy":
        return _busy(exc, lock_timeout_s)
    local = isinstance(getattr(exc, "orig", exc), sqlite3.Error)
    return _away(exc, committing and not local)


def _away(exc: BaseException, committing: bool) -> Unavailable:
    return away(_cause(exc), committing)


def away(cause: str, committing: bool = False) -> Unavailable:
    """The database cannot be reached or used; ``cause`` goes to the log, not the client."""
    log.warning("database unavailable%s: %s", " during commit" if committing else "", cause)
    if committing:
        return Unavailable(msg("err_connection_database_was_lost_while"),
                           retry_after=RETRY_AFTER_AWAY_S)
    return Unavailable(msg("err_database_cannot_reached_nothing_was"),
                       retry_after=RETRY_AFTER_AWAY_S)


def _busy(exc: BaseException, lock_timeout_s: float) -> Unavailable:
    log.warning("database busy for more than %g s: %s", lock_timeout_s, _cause(exc))
    return Unavailable(msg("err_database_stayed_busy_more_than", lock_timeout_s=lock_timeout_s),
                       retry_after=math.ceil(lock_timeout_s))


def _cause(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return " ".join(str(orig if orig is not None else exc).split())[:300]
