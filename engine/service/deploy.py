"""Deploying procedures: validate everything, then add a version only where content changed.

Files with no procedure in them (called processes, shared sub-processes, decision tables)
deploy as library files, which procedures of later deploys may call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.definitions import read_bundle
from engine.definitions.bundle import Bundle, Procedure
from engine.definitions.references import deploy_path
from engine.errors import DefinitionInvalid, Problem, ReplacementUnconfirmed
from engine.i18n import msg
from engine.model import ProcedureVersion, User
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.store import UnitOfWork


@dataclass(frozen=True)
class Deployed:
    key: str  # the procedure key, or the library file's path
    version: int
    sha256: str
    created: bool  # False when the same content was already deployed
    kind: str = "procedure"  # procedure | library
    provides: list[str] = field(default_factory=list)  # a library file's processes, decisions


def upload_name(raw: str) -> str | None:
    """The key of an uploaded file: its relative path in the deploy (None: not a safe one)."""
    return deploy_path(raw)


def validate(office: Office, files: dict[str, bytes],
             new_version_of: Iterable[str] = ()) -> list[Problem]:
    with office.db.unit_of_work(readonly=True) as uow:
        bundle = _read(uow, files)
        if not bundle.problems:
            bundle.problems.extend(_replacements(uow, bundle, set(new_version_of)).values())
    return bundle.problems


def _read(uow: UnitOfWork, files: dict[str, bytes]) -> Bundle:
    departments = uow.org.department_codes()
    deployed = {ident: f.files for f in uow.library.latest() for ident in f.provides}
    deployed.update(uow.catalog.latest_files())  # a procedure's own files win over a library
    return read_bundle(files, departments, deployed)


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
           new_version_of: Iterable[str] = ()) -> list[Deployed]:
    """All or nothing: any problem in any file deploys none of them."""
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
        for proc in bundle.procedures:
            same = uow.catalog.version_with_hash(proc.meta.key, proc.sha256)
            latest = uow.catalog.latest(proc.meta.key)
            if same is not None and latest is not None and latest.id == same.id:
                results.append(Deployed(proc.meta.key, same.version, proc.sha256, False))
                continue
            version = uow.catalog.add_version(proc.meta.key, proc.meta.to_json(), proc.files,
                                              proc.sha256, now, actor_name)
            uow.audit.append("system", "procedure_deployed", actor_name, now,
                             {"key": proc.meta.key, "version": version.version,
                              "sha256": proc.sha256, "files": sorted(proc.files)})
            results.append(Deployed(proc.meta.key, version.version, proc.sha256, True))
        uow.commit()
    return results
