"""Alembic environment: runs migrations on the connection or URL handed in by ``migrate.py``."""

from __future__ import annotations

from alembic import context

from engine.store.db import make_engine
from engine.store.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # A migration is run by hand, once: it may wait longer than a request for a writer to
    # finish.
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", lock_timeout_s=30)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
