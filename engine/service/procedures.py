"""The deployed version a dossier runs on, shared by every use case and view."""

from __future__ import annotations

from engine.errors import NotFound
from engine.i18n import msg
from engine.runtime.procedures import LoadedProcedure
from engine.service.office import Office
from engine.store import UnitOfWork


def loaded_version(office: Office, uow: UnitOfWork, version_id: int) -> LoadedProcedure:
    """The version ready to run, from this process's cache when it has it: a version never
    changes, so its files are read from the database at most once per process."""
    loaded = office.procedures.cached(version_id)
    if loaded is None:
        version = uow.catalog.by_id(version_id)
        if version is None:
            raise NotFound(msg("err_procedure_version_missing", version_id=version_id))
        loaded = office.procedures.get(version)
    return loaded
