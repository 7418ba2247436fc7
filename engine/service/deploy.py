"""Deploying procedures: validate everything, then add a version only where content changed.

Files with no procedure in them (called processes, shared sub-processes, decision tables)
deploy as library files, which procedures of later deploys may call.

Each version is in force from a day (``engine.service.versions``): the one the deployer
gives, else the process property ``effective_from``, else the day of the deploy. One deploy
may hold several versions of a procedure, one file each with its own ``effective_from``:
they are added in the order of their days (``processes/`` keeps a procedure's coming
version beside the one in force).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from engine.definitions import read_bundle
from engine.definitions.bundle import Bundle, Procedure
from engine.definitions.references import deploy_path
from engine.definitions.vocabulary import NS, is_procedure, properties_of
from engine.definitions.xml import safe_parse
from engine.errors import (
    DefinitionInvalid,
    InvalidInput,
    Problem,
    ReplacementUnconfirmed,
    UnsafeXml,
)
from engine.i18n import msg
from engine.model import ProcedureVersion, User
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.service.versions import EFFECTIVE_FROM, parse_day, today
from engine.store import UnitOfWork


@dataclass(frozen=True)
class Deployed:
    key: str  # the procedure key, or the library file's path
    version: int
    sha256: str
    created: bool  # False when the same content was already deployed
    kind: str = "procedure"  # procedure | library
    provides: list[str] = field(default_factory=list)  # a library file's processes, decisions
    effective_from: date | None = None  # a procedure version's day in force


def upload_name(raw: str) -> str | None:
    """The key of an uploaded file: its relative path in the deploy (None: not a safe one)."""
    return deploy_path(raw)


def validate(office: Office, files: dict[str, bytes],
             new_version_of: Iterable[str] = ()) -> list[Problem]:
    with office.db.unit_of_work(readonly=True) as uow:
        bundle = _read(uow, files)
        if not bundle.problems:
            bundle.problems.extend(_replacements(uow, bundle, set(new_version_of)).values())
    if not bundle.problems:
        bundle.problems.extend(_days(bundle, None, today(office))[1])
    return bundle.problems


def _read(uow: UnitOfWork, files: dict[str, bytes]) -> Bundle:
    departments = uow.org.department_codes()
    deployed = {ident: f.files for f in uow.library.latest() for ident in f.provides}
    deployed.update(uow.catalog.latest_files())  # a procedure's own files win over a library
    rounds = _rounds(files)
    if len(rounds) == 1:
        return read_bundle(files, departments, deployed)
    # Several versions of a procedure: each read with the rest of the files, once.
    whole = read_bundle(rounds[0], departments, deployed)
    for later in rounds[1:]:
        extra = read_bundle(later, departments, deployed)
        whole.problems.extend(p for p in extra.problems if p not in whole.problems)
        whole.procedures.extend(p for p in extra.procedures if p.meta.file in later
                                and p.meta.file not in rounds[0])
    return whole


def _rounds(files: dict[str, bytes]) -> list[dict[str, bytes]]:
    """The upload as bundles of one version per procedure: the first holds every file but
    the later versions of a procedure that several BPMN files define, each with its own
    ``effective_from``; each next one swaps in the next version. Files that cannot be read
    are left for the bundle reader to report."""
    versions: dict[str, list[tuple[str, str]]] = {}  # key -> [(day as written, file)]
    for name, data in files.items():
        if not name.lower().endswith((".bpmn", ".bpmn20.xml")):
            continue
        try:
            tree = safe_parse(data, name)
        except UnsafeXml:  # reported by the bundle reader
            continue
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            if is_procedure(proc):
                day = properties_of(proc).get(EFFECTIVE_FROM, "")
                versions.setdefault(str(proc.get("id")), []).append((day, name))
    series = {key: sorted(found) for key, found in versions.items()
              if len(found) > 1 and len({day for day, _ in found}) == len(found)}
    if not series:
        return [files]
    later = {name for found in series.values() for _, name in found[1:]}
    rounds = [{n: d for n, d in files.items() if n not in later}]
    for index in range(1, max(len(found) for found in series.values())):
        swapped = {name for found in series.values() if len(found) > index
                   for _, name in [found[index]]}
        dropped = {found[0][1] for found in series.values() if len(found) > index}
        rounds.append({n: d for n, d in files.items()
                       if (n not in later and n not in dropped) or n in swapped})
    return rounds


def _days(bundle: Bundle, given: date | None, now: date
          ) -> tuple[dict[int, tuple[date, bool]], list[Problem]]:
    """By position in ``bundle.procedures``: the day each version is in force from and
    whether the deploy said it (the given day wins; a file that says another is an error)."""
    days: dict[int, tuple[date, bool]] = {}
    problems: list[Problem] = []
    for index, proc in enumerate(bundle.procedures):
        written = proc.meta.properties.get(EFFECTIVE_FROM)
        stated: date | None = None
        where = f"process '{proc.meta.key}'"
        if written is not None:
            try:
                stated = parse_day(written)
            except InvalidInput as exc:
                problems.append(Problem(proc.meta.file, None, where,
                                        exc.message or msg("err_versions_day_not_iso",
                                                           value=written)))
                continue
        if given is not None and stated is not None and given != stated:
            problems.append(Problem(proc.meta.file, None, where, msg(
                "err_versions_day_conflict", given=f"{given:%d/%m/%Y}",
                stated=f"{stated:%d/%m/%Y}")))
            continue
        chosen = given or stated
        days[index] = (chosen or now, chosen is not None)
    return days, problems


def _replacements(uow: UnitOfWork, bundle: Bundle,
                  confirmed: set[str]) -> dict[str, Problem]:
    """By procedure key: a process id reused for something else, another name and other
    departments. Generic ids (Process_1, main) make that easy to do by mistake, so it takes
    a confirmation."""
    problems: dict[str, Problem] = {}
    for proc in bundle.procedures:
        key = proc.meta.key
        latest = uow.catalog.latest(key)
        if latest is None or key in confirmed or not _another_procedure(latest, proc):
            continue
        old_depts = ", ".join(_departments(latest.meta)) or "none"
        new_depts = ", ".join(_departments(proc.meta.to_json())) or "none"
        problems[key] = Problem(
            proc.meta.file, None, f"process '{key}'",
            msg("err_deployed_procedure_with_departments_file",
                key=key, value=latest.meta.get('name'), old_depts=old_depts, name=proc.meta.name,
                new_depts=new_depts))
    return problems


def _departments(meta: dict[str, object]) -> list[str]:
    lanes = meta.get("lanes") or []
    assert isinstance(lanes, list)
    return sorted({str(lane["department"]) for lane in lanes if lane.get("department")})


def _another_procedure(latest: ProcedureVersion, proc: Procedure) -> bool:
    return (latest.meta.get("name") != proc.meta.name
            and _departments(latest.meta) != _departments(proc.meta.to_json()))


def deploy(office: Office, files: dict[str, bytes], actor: User | str,
           new_version_of: Iterable[str] = (), effective_from: date | None = None
           ) -> list[Deployed]:
    """All or nothing: any problem in any file deploys none of them.

    ``effective_from``: the local day new dossiers start on the versions deployed (default:
    the file's ``effective_from`` property, else today). A day already past is allowed: the
    version is in force for dossiers received from now on, never for those received
    before."""
    if isinstance(actor, User):
        require_role(actor, "designer")
        actor_name = actor.username
    else:
        actor_name = actor
    confirmed = set(new_version_of)
    # Parsing is the slow part: it runs before the writer lock is taken.
    with office.db.unit_of_work(readonly=True) as uow:
        bundle = _read(uow, files)
    if bundle.problems:
        raise DefinitionInvalid(bundle.problems)
    days, problems = _days(bundle, effective_from, today(office))
    if problems:
        raise DefinitionInvalid(problems)
    several = {p.meta.key for p in bundle.procedures}
    several = {k for k in several if sum(p.meta.key == k for p in bundle.procedures) > 1}
    results: list[Deployed] = []
    with office.db.unit_of_work() as uow:
        replaced = _replacements(uow, bundle, confirmed)
        if replaced:
            raise ReplacementUnconfirmed(list(replaced.values()), list(replaced))
        now = office.now()
        for lib in bundle.library:
            stored, created = uow.library.add(lib.path, lib.files, lib.sha256, lib.provides,
                                              now, actor_name)
            if created:
                uow.audit.append("system", "library_file_deployed", actor_name, now,
                                 {"path": lib.path, "version": stored.version,
                                  "sha256": lib.sha256, "provides": lib.provides})
            results.append(Deployed(lib.path, stored.version, lib.sha256, created, "library",
                                    lib.provides))
        # A procedure's versions in the order of their days.
        order = sorted(range(len(bundle.procedures)),
                       key=lambda i: (bundle.procedures[i].meta.key, days[i][0]))
        for index in order:
            proc = bundle.procedures[index]
            day, said = days[index]
            same = _same(uow, proc, day, said, proc.meta.key in several, today(office))
            if same is not None:
                results.append(Deployed(proc.meta.key, same.version, proc.sha256, False,
                                        effective_from=same.effective_from))
                continue
            _not_too_early(uow, proc, day, today(office))
            # A first version without a day has none: nothing came before it.
            first = not said and uow.catalog.in_force_id(proc.meta.key, date.max) is None
            in_force_from = None if first else day
            version = uow.catalog.add_version(proc.meta.key, proc.meta.to_json(), proc.files,
                                              proc.sha256, now, actor_name, in_force_from)
            uow.audit.append("system", "procedure_deployed", actor_name, now,
                             {"key": proc.meta.key, "version": version.version,
                              "sha256": proc.sha256, "files": sorted(proc.files),
                              "effective_from": in_force_from.isoformat()
                              if in_force_from else None})
            results.append(Deployed(proc.meta.key, version.version, proc.sha256, True,
                                    effective_from=day))
        uow.commit()
    return results


def _same(uow: UnitOfWork, proc: Procedure, day: date, said: bool, series: bool,
          now: date) -> ProcedureVersion | None:
    """The deployed version this content already is, so deploying it again changes nothing.

    A deploy holding several versions of the procedure describes its timeline: any version
    with the content is it. A deploy naming a day: the version with the content and the
    day, or the content already in force on that day. Else: the content of the newest
    version or of the one in force today (an older content again is the next version)."""
    key = proc.meta.key
    if said:
        exact = uow.catalog.version_with_hash(key, proc.sha256, day)
        if exact is not None or series:
            return exact or uow.catalog.version_with_hash(key, proc.sha256)
    same = uow.catalog.version_with_hash(key, proc.sha256)
    if same is None:
        return None
    if series:
        return same
    ids = {found[0] for found in (uow.catalog.in_force_id(key, day if said else now),
                                  None if said else uow.catalog.latest_id(key)) if found}
    return same if same.id in ids else None


def _not_too_early(uow: UnitOfWork, proc: Procedure, day: date, now: date) -> None:
    """A day already past is the day in force for new dossiers, but not one before the
    version in force today: that version's later day would hide the new one for ever."""
    if day >= now:
        return
    current = uow.catalog.in_force_id(proc.meta.key, now)
    since = uow.catalog.by_id(current[0]) if current else None
    if since is not None and since.effective_from is not None and day < since.effective_from:
        raise DefinitionInvalid([Problem(proc.meta.file, None, f"process '{proc.meta.key}'", msg(
            "err_versions_day_before_in_force", day=f"{day:%d/%m/%Y}", version=since.version,
            since=f"{since.effective_from:%d/%m/%Y}"))])
