"""Which errors of the database driver mean the database itself is away (down, restarting,
unreachable, its lock busy), as opposed to a statement about one row failing. Code above the
store asks here instead of importing SQLAlchemy."""

from __future__ import annotations

import sqlalchemy as sa

from engine.errors import NotReady

DATABASE_AWAY: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,  # connection refused or lost, server shutting down, SQLite busy
    sa.exc.InterfaceError,
    sa.exc.DisconnectionError,
    sa.exc.TimeoutError,  # no pooled connection came free
    NotReady,  # the same, already said in the engine's words
)
