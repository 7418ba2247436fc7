"""Whether this process can serve: liveness needs nothing, readiness needs the database."""

from __future__ import annotations

from engine.service.office import Office


def check_ready(office: Office) -> None:
    """Return when the database answers and has its schema, within about the lock bound;
    raise ``Unavailable`` (away or stuck) or ``NotReady`` (never migrated) otherwise."""
    office.db.check_schema()
