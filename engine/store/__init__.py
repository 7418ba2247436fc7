"""Persistence: the only package that imports SQLAlchemy."""

from engine.store.audit_log import AuditLog
from engine.store.db import Database, UnitOfWork, make_engine
from engine.store.dossiers import DossierStore
from engine.store.organisation import Organisation
from engine.store.procedures import ProcedureCatalog
from engine.store.submissions import SubmittedReports
from engine.store.work_items import WorkItemStore

__all__ = [
    "AuditLog",
    "Database",
    "DossierStore",
    "Organisation",
    "ProcedureCatalog",
    "SubmittedReports",
    "UnitOfWork",
    "WorkItemStore",
    "make_engine",
]
