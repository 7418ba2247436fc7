"""The procedure catalogue: every deployed procedure, one with its lanes, steps and versions,
and the BPMN of one version (with the files a designer edits)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import NotFound
from engine.i18n import msg
from engine.model import ROLES, User
from engine.service import versions
from engine.service.office import Office
from engine.service.permissions import require_role

from .common import home_department_names
from .types import (
    LaneView,
    LibraryFileView,
    ProcedureDetail,
    ProcedureSummary,
    UpcomingView,
    VersionView,
)


@dataclass(frozen=True)
class VersionFiles:
    key: str
    version: int
    main: str  # the procedure's own BPMN file
    files: dict[str, str]


def procedures(office: Office, user: User) -> list[ProcedureSummary]:
    """The catalogue: every signed-in user needs it (reception picks a procedure from it)."""
    require_role(user, *ROLES)
    found: list[ProcedureSummary] = []
    with office.db.unit_of_work(readonly=True) as uow:
        for r in uow.catalog.summaries():
            # The words of the version in force today: a version deployed ahead is only
            # announced (the summary row holds the newest deploy's).
            current = uow.catalog.in_force_id(r["key"], versions.today(office))
            meta = dict(r)
            if current is not None and current[1] != r["latest_version"]:
                loaded = uow.catalog.by_id(current[0])
                meta.update({k: loaded.meta.get(k) for k in ("name", "code", "field", "level")}
                            if loaded else {})
            coming = versions.upcoming(versions.lines(office, uow, r["key"]))
            found.append(ProcedureSummary(
                r["key"], meta["name"], meta["code"], meta["field"], meta["level"],
                r["latest_version"], office.calendar.local_time(r["updated_at"]),
                current[1] if current else None,
                UpcomingView(coming[0].version, coming[0].effective_from) if coming else None))
    return found


def library_files(office: Office, user: User) -> list[LibraryFileView]:
    """The newest version of every library file (called processes, decision tables), for the
    designers who write procedures calling them and the auditors who read what ran."""
    require_role(user, "designer", "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.library.latest()
    return [LibraryFileView(f.path, f.version, f.sha256, f.provides,
                            office.calendar.local_time(f.deployed_at), f.deployed_by)
            for f in found]


def procedure_detail(office: Office, user: User, key: str) -> ProcedureDetail:
    require_role(user, *ROLES)
    with office.db.unit_of_work(readonly=True) as uow:
        newest = uow.catalog.latest(key)
        if newest is None:
            raise NotFound(msg("err_procedure_deployed_3", key=key))
        # What a dossier received today runs: the version in force, not the newest deploy.
        current = uow.catalog.in_force_id(key, versions.today(office))
        latest = uow.catalog.by_id(current[0]) if current else newest
        assert latest is not None
        timeline = versions.lines(office, uow, key)
        names = home_department_names(office, uow)
    shown = [VersionView(v.version, v.sha256, v.deployed_at, v.deployed_by, v.effective_from,
                         v.until, v.withdrawn_at, v.dossiers, v.state, v.deployed_by_name)
             for v in timeline]
    meta = latest.meta
    lanes = [LaneView(lane["id"], lane["name"], lane.get("department"),
                      names.get(lane.get("department") or ""))
             for lane in meta.get("lanes", [])]
    # The start form as the step names it, resolved as the deploy resolved it (a base name
    # finds forms/…json too).
    form = office.procedures.get(latest).form(meta.get("start_form"))
    return ProcedureDetail(
        key=key, name=meta["name"], code=meta.get("code"), field=meta.get("field"),
        level=meta.get("level"), deadline=meta.get("deadline"),
        deadline_unit=meta.get("deadline_unit"), latest_version=newest.version, lanes=lanes,
        steps=list(meta.get("steps", [])), versions=shown, start_form=form,
        in_force_version=current[1] if current else None,
        upcoming=[UpcomingView(u.version, u.effective_from) for u in versions.upcoming(timeline)],
    )


def procedure_bpmn(office: Office, user: User, key: str, number: int) -> tuple[str, str]:
    """(file name, XML) of the procedure's own BPMN file in one version.

    Deployed BPMN holds scripts: designers, auditors and admins read it, not every clerk.
    """
    require_role(user, "designer", "auditor")
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.version(key, number)
    if version is None:
        raise NotFound(msg("err_procedure_has_version", key=key, number=number))
    name = office.procedures.get(version).meta.file
    return name, version.files[name]


def version_files(office: Office, user: User, key: str, number: int) -> VersionFiles:
    """Every file of one version, for a designer to edit and deploy again."""
    require_role(user, "designer")
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.version(key, number)
    if version is None:
        raise NotFound(msg("err_procedure_has_version", key=key, number=number))
    main = str(version.meta.get("file") or "")
    return VersionFiles(key, number, main, dict(version.files))


def procedure_xml(office: Office, user: User, key: str, number: int) -> tuple[str, str]:
    """(file name, BPMN XML) of one version for the diagrams of reports and the modeler:
    designers, auditors and leaders (the caller hides scripts from all but designers)."""
    require_role(user, "designer", "auditor", "leader")
    with office.db.unit_of_work(readonly=True) as uow:
        version = uow.catalog.version(key, number)
    if version is None:
        raise NotFound(msg("err_procedure_has_version", key=key, number=number))
    name = str(version.meta.get("file") or "")
    if name not in version.files:
        raise NotFound(msg("err_version_has_bpmn_file", number=number, key=key))
    return name, version.files[name]
