"""The read use cases the API routers call, by their old names: they live in
``engine.service.views`` (one module per area); this module only gathers them."""

from __future__ import annotations

from engine.service.permissions import DOSSIER_READERS as READERS
from engine.service.views.common import deadline_status
from engine.service.views.dossiers import (
    ControlSheet,
    dossier_detail,
    dossier_page,
    public_dossier,
    require_dossier_reader,
    timeline,
)
from engine.service.views.procedures import (
    library_files,
    procedure_bpmn,
    procedure_detail,
    procedures,
)
from engine.service.views.tasks import overdue_tasks, task_detail, task_page
from engine.service.views.types import (
    DossierBrief,
    DossierDetail,
    DossierPage,
    DossierSummary,
    LaneView,
    LibraryFileView,
    ProcedureDetail,
    ProcedureSummary,
    PublicDossier,
    StepDone,
    TaskDetail,
    TaskPage,
    TaskView,
    VersionView,
)

__all__ = [
    "READERS", "ControlSheet", "DossierBrief", "DossierDetail", "DossierPage", "DossierSummary",
    "LaneView", "LibraryFileView", "ProcedureDetail", "ProcedureSummary", "PublicDossier",
    "StepDone", "TaskDetail", "TaskPage", "TaskView", "VersionView", "deadline_status",
    "dossier_detail", "dossier_page", "library_files", "overdue_tasks", "procedure_bpmn",
    "procedure_detail", "procedures", "public_dossier", "require_dossier_reader",
    "task_detail", "task_page", "timeline",
]
