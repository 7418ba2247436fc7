"""Wiring in one place: settings in, a ready Office out."""

from __future__ import annotations

from engine.calendar import WorkingCalendar
from engine.runtime.clock import Clock, SystemClock
from engine.service.backoff import Backoff
from engine.service.office import Office
from engine.settings import Settings
from engine.store import Database


def build_office(settings: Settings | None = None, clock: Clock | None = None,
                 database: Database | None = None) -> Office:
    settings = settings or Settings()
    return Office(
        db=database or Database(settings.database_url),
        agency_code=settings.agency_code,
        reception_department=settings.reception_department,
        clock=clock or SystemClock(),
        calendar=WorkingCalendar.default(),
        incident_backoff=Backoff(settings.incident_retry_seconds,
                                 settings.incident_retry_max_seconds),
    )
