"""Moving running dossiers to a newer version of their procedure (designers, admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import CurrentUser, LangDep, OfficeDep
from api.schemas import CODE_PATTERN, KEY_PATTERN, problem_responses
from engine.i18n import translate
from engine.service import migrations

router = APIRouter(prefix="/procedures", tags=["procedures"])

Key = Annotated[str, Path(pattern=KEY_PATTERN, examples=["chung_thuc_ban_sao"])]


class MigrationIn(BaseModel):
    to_version: int = Field(ge=1, le=1_000_000, description="the version they move to")
    dry_run: bool = Field(True, description="only say which dossiers can move and why not")
    codes: list[Annotated[str, Field(pattern=CODE_PATTERN)]] = Field(
        default_factory=list, max_length=1000,
        description="only these dossiers (each must be running on an older version); "
                    "empty: every running dossier on an older version")
    apply_new_deadline: bool = Field(
        False, description="the new version's deadline applies (by default the due date, "
                           "counted from receipt, stays)")


class ReasonOut(BaseModel):
    code: str = Field(description="step_gone, kind_changed, passed_step_gone, "
                                  "subprocess_changed, data_missing or changed")
    step: str | None
    text: str


class DossierMoveOut(BaseModel):
    code: str
    from_version: int
    outcome: str = Field(description="can_move, blocked (dry run); moved, blocked, skipped")
    reasons: list[ReasonOut]
    mapping: dict[str, str] = Field(description="steps whose id changes: old → new")
    retried: bool = Field(description="read and judged again: it changed during the run")


class MigrationOut(BaseModel):
    procedure: str
    to_version: int
    dry_run: bool
    apply_new_deadline: bool
    dossiers: list[DossierMoveOut]


@router.post("/{key}/migrations", response_model=MigrationOut,
             responses=problem_responses(401, 403, 404, 422))
def migrate_dossiers(key: Key, body: MigrationIn, user: CurrentUser, office: OfficeDep,
                     lang: LangDep) -> MigrationOut:
    """Judge (``dry_run``, the default) or move the running dossiers of the procedure on
    older versions to ``to_version``, each in its own transaction; those that cannot move
    say why. A version that does not exist (404), an older version or a dossier not running
    on an older one (422): nothing moves."""
    report = migrations.migrate(office, user, key, body.to_version, dry_run=body.dry_run,
                                codes=body.codes or None,
                                apply_new_deadline=body.apply_new_deadline)
    return MigrationOut(
        procedure=report.procedure, to_version=report.to_version, dry_run=report.dry_run,
        apply_new_deadline=report.apply_new_deadline,
        dossiers=[DossierMoveOut(
            code=d.code, from_version=d.from_version, outcome=d.outcome,
            reasons=[ReasonOut(code=r.code, step=r.step, text=translate(lang, r.message))
                     for r in d.reasons],
            mapping=d.mapping, retried=d.retried) for d in report.dossiers])
