"""Procedure versions in force from a day: which version a new dossier starts on, the
timeline of a procedure's versions, and withdrawing a version before its day.

A version is in force from its ``effective_from`` (the office's local day) until the day a
later one takes over (a first version deployed without a day has none: nothing came
before it, so it is in force since ever): of the versions not withdrawn whose day has
come, the one with the latest day wins (the newest deploy when two share a day). The
choice is made once, when a dossier is received, for the day its deadline counts from:
nothing received earlier ever moves (moving running dossiers is a separate, explicit act).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from engine.errors import Conflict, InvalidInput, NotFound
from engine.i18n import msg
from engine.model import User
from engine.service.due_dates import counting_start
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.store import UnitOfWork

EFFECTIVE_FROM = "effective_from"  # the process property that names the day
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_VIETNAMESE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a day outside is a typing slip, not a decree


def parse_day(text: str, vietnamese: bool = False) -> date:
    """A day written ISO (2027-01-01), or also as Vietnamese write it (01/01/2027) where a
    person types it on a page."""
    cleaned = text.strip()
    match = _ISO.match(cleaned)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = int(match[1]), int(match[2]), int(match[3])
    elif vietnamese and (found := _VIETNAMESE.match(cleaned)):
        parts = int(found[3]), int(found[2]), int(found[1])
    if parts is not None and FIRST_YEAR <= parts[0] <= LAST_YEAR:
        try:
            return date(*parts)
        except ValueError:
            pass
    raise InvalidInput(msg("err_versions_day_unreadable" if vietnamese
                           else "err_versions_day_not_iso", value=cleaned[:40]))


def today(office: Office) -> date:
    return office.now().astimezone(office.calendar.tz).date()


def receipt_day(office: Office, channel: str, moment: datetime) -> date:
    """The local day a dossier received at ``moment`` counts from: an online filing out of
    office hours counts from the next opening's day."""
    return office.calendar.local_time(counting_start(office.calendar, channel, moment)).date()


def in_force(uow: UnitOfWork, key: str, day: date) -> tuple[int, int]:
    """(id, number) of the version of ``key`` in force on ``day``; refused when the
    procedure is not deployed or none of its versions is in force yet."""
    found = uow.catalog.in_force_id(key, day)
    if found is not None:
        return found
    if uow.catalog.latest_id(key) is None:
        raise NotFound(msg("err_procedure_deployed_2", procedure_key=key))
    upcoming = [v["effective_from"] for v in uow.catalog.versions(key)
                if v["withdrawn_at"] is None and v["effective_from"] is not None]
    if not upcoming:
        raise NotFound(msg("err_procedure_deployed_2", procedure_key=key))
    raise Conflict(msg("err_versions_not_in_force_yet", key=key,
                       day=f"{min(upcoming):%d/%m/%Y}"))


@dataclass(frozen=True)
class VersionLine:
    """One version on a procedure's timeline."""

    version: int
    sha256: str
    deployed_at: datetime  # office local time
    deployed_by: str  # the login
    deployed_by_name: str  # the full name, where people read
    effective_from: date | None
    until: date | None  # the day a later version takes over (None: nothing follows yet)
    withdrawn_at: datetime | None  # office local time
    withdrawn_by: str | None  # the full name
    dossiers: int  # dossiers received on it
    state: str  # in_force | upcoming | replaced | withdrawn


@dataclass(frozen=True)
class Upcoming:
    """A version that takes over on a later day (what the desk and the catalogue announce)."""

    version: int
    effective_from: date


def lines(office: Office, uow: UnitOfWork, key: str) -> list[VersionLine]:
    rows = uow.catalog.versions(key)
    if not rows:
        raise NotFound(msg("err_procedure_deployed_3", key=key))
    names = uow.lookups.full_names({r["deployed_by"] for r in rows}
                                   | {r["withdrawn_by"] for r in rows if r["withdrawn_by"]})
    live = [r for r in rows if r["withdrawn_at"] is None]
    now = today(office)
    current = uow.catalog.in_force_id(key, now)
    found: list[VersionLine] = []
    for r in rows:
        until: date | None = None
        if r["withdrawn_at"] is None:
            rank = (r["effective_from"] or date.min, r["version"])
            later = [o["effective_from"] for o in live if o["effective_from"] is not None
                     and (o["effective_from"], o["version"]) > rank]
            until = min(later) if later else None
        deployed = office.calendar.local_time(r["deployed_at"])
        if r["withdrawn_at"] is not None:
            state = "withdrawn"
        elif current is not None and current[1] == r["version"]:
            state = "in_force"
        elif r["effective_from"] is not None and r["effective_from"] > now:
            state = "upcoming"
        else:
            state = "replaced"
        found.append(VersionLine(
            r["version"], r["sha256"], deployed,
            r["deployed_by"], names.get(r["deployed_by"], r["deployed_by"]),
            # No day: a first version, in force since it was deployed.
            r["effective_from"] or deployed.date(), until,
            office.calendar.local_time(r["withdrawn_at"]) if r["withdrawn_at"] else None,
            names.get(r["withdrawn_by"], r["withdrawn_by"]) if r["withdrawn_by"] else None,
            int(r["dossiers"]), state))
    return found


def upcoming(found: list[VersionLine]) -> list[Upcoming]:
    """The versions still to come, in the order they take over."""
    return sorted((Upcoming(v.version, v.effective_from) for v in found
                   if v.state == "upcoming" and v.effective_from is not None
                   and (v.until is None or v.until > v.effective_from)),
                  key=lambda u: (u.effective_from, u.version))


def timeline(office: Office, user: User | None, key: str) -> list[VersionLine]:
    """Every version of ``key``: when deployed and by whom, in force from when until when,
    withdrawn, and how many dossiers run on it (designers and auditors; None: the operator
    at the command line)."""
    if user is not None:
        require_role(user, "designer", "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        return lines(office, uow, key)


def withdraw(office: Office, actor: User | str, key: str, number: int) -> VersionLine:
    """Take back a version before its day: it will never be in force. A version already in
    force (its day has come) or one a dossier runs on stays."""
    if isinstance(actor, User):
        require_role(actor, "designer")
        actor_name = actor.username
    else:
        actor_name = actor
    with office.db.unit_of_work() as uow:
        version = uow.catalog.version(key, number)
        if version is None:
            if uow.catalog.latest_id(key) is None:
                raise NotFound(msg("err_procedure_deployed_3", key=key))
            raise NotFound(msg("err_procedure_has_version", key=key, number=number))
        if version.withdrawn_at is not None:
            raise Conflict(msg("err_versions_already_withdrawn", key=key, number=number))
        day = version.effective_from \
            or office.calendar.local_time(version.deployed_at).date()
        if version.effective_from is None or day <= today(office):
            raise Conflict(msg("err_versions_in_force_already", key=key, number=number,
                               day=f"{day:%d/%m/%Y}"))
        if uow.catalog.has_dossiers(version.id):
            raise Conflict(msg("err_versions_has_dossiers", key=key, number=number))
        now = office.now()
        uow.catalog.withdraw(version.id, now, actor_name)
        uow.audit.append("system", "procedure_version_withdrawn", actor_name, now,
                         {"key": key, "version": number, "effective_from": day.isoformat(),
                          "sha256": version.sha256})
        found = next(v for v in lines(office, uow, key) if v.version == number)
        uow.commit()
    return found
