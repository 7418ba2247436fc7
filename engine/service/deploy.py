"""Deploying procedures: validate everything, then add a version only where content changed."""

from __future__ import annotations

from dataclasses import dataclass

from engine.definitions import read_bundle
from engine.definitions.bundle import Bundle
from engine.errors import DefinitionInvalid, Problem
from engine.model import User
from engine.service.office import Office
from engine.service.permissions import require_role


@dataclass(frozen=True)
class Deployed:
    key: str
    version: int
    sha256: str
    created: bool  # False when the same content was already deployed


def validate(office: Office, files: dict[str, bytes]) -> list[Problem]:
    return _read(office, files).problems


def _read(office: Office, files: dict[str, bytes]) -> Bundle:
    with office.db.unit_of_work(readonly=True) as uow:
        departments = uow.org.department_codes()
        deployed = uow.catalog.latest_files()
    return read_bundle(files, departments, deployed)


def deploy(office: Office, files: dict[str, bytes], actor: User | str) -> list[Deployed]:
    """All or nothing: any problem in any file deploys none of them."""
    if isinstance(actor, User):
        require_role(actor, "designer")
        actor_name = actor.username
    else:
        actor_name = actor
    bundle = _read(office, files)
    if bundle.problems:
        raise DefinitionInvalid(bundle.problems)
    results: list[Deployed] = []
    with office.db.unit_of_work() as uow:
        # Re-read departments inside the write transaction so lint and deploy agree.
        now = office.now()
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
