"""The procedure catalogue, and deploying new versions (designers)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Response, UploadFile

from api.deps import CurrentUser, OfficeDep
from api.limits import read_uploads
from api.schemas import (
    KEY_PATTERN,
    DeployedOut,
    DeployOut,
    LibraryFileOut,
    ValidateOut,
    problem_responses,
)
from engine.errors import DefinitionInvalid
from engine.service import deploy, queries, versions
from engine.service.permissions import require_role

router = APIRouter(prefix="/procedures", tags=["procedures"])

Key = Annotated[str, Path(pattern=KEY_PATTERN, examples=["chung_thuc_ban_sao"])]
Files = Annotated[list[UploadFile], File(description="BPMN, DMN and JSON form files; a "
                                                    "name may hold folders (forms/a.json)")]
NewVersionOf = Annotated[list[str] | None, Form(
    description="procedure keys whose name and departments may change: the files really are "
                "their next version")]
EffectiveFrom = Annotated[str | None, Form(
    description="YYYY-MM-DD: the office's local day from which new dossiers start on the "
                "versions deployed (default: the file's effective_from property, else today)",
    examples=["2027-01-01"])]
Number = Annotated[int, Path(ge=1, le=1_000_000)]


@router.get("", response_model=list[queries.ProcedureSummary],
            responses=problem_responses(401))
def list_procedures(user: CurrentUser, office: OfficeDep) -> list[queries.ProcedureSummary]:
    """Every deployed procedure with its latest version."""
    return queries.procedures(office, user)


@router.get("/library", response_model=list[queries.LibraryFileView],
            responses=problem_responses(401, 403))
def list_library(user: CurrentUser, office: OfficeDep) -> list[queries.LibraryFileView]:
    """The newest version of every library file: files deployed with no procedure in them
    (called processes, shared sub-processes, decision tables) and the ids each provides to
    procedures deployed later (designers, auditors). Declared before ``/{key}``: a
    procedure may not be called ``library``."""
    return queries.library_files(office, user)


@router.get("/{key}", response_model=queries.ProcedureDetail,
            responses=problem_responses(401, 404))
def procedure(key: Key, user: CurrentUser, office: OfficeDep) -> queries.ProcedureDetail:
    """Metadata of the latest version, its lanes and departments, every version, and the
    start form (JSON Schema)."""
    return queries.procedure_detail(office, user, key)


@router.get("/{key}/versions", response_model=list[versions.VersionLine],
            responses=problem_responses(401, 403, 404))
def procedure_versions(key: Key, user: CurrentUser, office: OfficeDep
                       ) -> list[versions.VersionLine]:
    """Every version: deployed when and by whom, in force from which day until the day the
    next takes over, withdrawn, how many dossiers run on it, and its status today
    (in_force, upcoming, replaced, withdrawn); designers and auditors."""
    return versions.timeline(office, user, key)


@router.post("/{key}/versions/{number}/withdraw", response_model=versions.VersionLine,
             responses=problem_responses(401, 403, 404, 409))
def withdraw_version(key: Key, number: Number, user: CurrentUser, office: OfficeDep
                     ) -> versions.VersionLine:
    """Withdraw a version before its day: it will never be in force. 409 for one already
    in force, already withdrawn, or one a dossier runs on (designers)."""
    return versions.withdraw(office, user, key, number)


@router.get("/{key}/versions/{number}/bpmn", response_class=Response,
            responses={200: {"content": {"application/xml": {}}},
                       **problem_responses(401, 403, 404)})
def bpmn(key: Key, number: Annotated[int, Path(ge=1, le=1_000_000)], user: CurrentUser,
         office: OfficeDep) -> Response:
    """The BPMN XML of one version, as deployed (designers, auditors)."""
    name, xml = queries.procedure_bpmn(office, user, key, number)
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})


@router.post("", status_code=201, response_model=DeployOut,
             responses={200: {"model": DeployOut, "description": "nothing changed"},
                        **problem_responses(401, 403, 413, 422)})
def deploy_procedures(files: Files, user: CurrentUser, office: OfficeDep,
                      response: Response, new_version_of: NewVersionOf = None,
                      effective_from: EffectiveFrom = None) -> DeployOut:
    """Validate every file, then add a version for each procedure whose content changed,
    in force from ``effective_from`` (a day already past: for dossiers received from now).

    All or nothing: one problem anywhere deploys nothing and answers 422 with every problem.
    BPMN scripts run inside the engine, so only designers may deploy. Files with no
    procedure in them deploy as library files that later procedures may call.
    """
    require_role(user, "designer")
    day = versions.parse_day(effective_from) if effective_from else None
    results = deploy.deploy(office, read_uploads(files), user, new_version_of or [], day)
    if not any(r.created for r in results):
        response.status_code = 200
    return DeployOut(
        procedures=[DeployedOut(key=r.key, version=r.version, sha256=r.sha256,
                                created=r.created, effective_from=r.effective_from)
                    for r in results if r.kind == "procedure"],
        library=[LibraryFileOut(path=r.key, version=r.version, sha256=r.sha256,
                                created=r.created, provides=r.provides)
                 for r in results if r.kind == "library"])


@router.post("/validate", response_model=ValidateOut,
             responses=problem_responses(401, 403, 413, 422))
def validate_procedures(files: Files, user: CurrentUser, office: OfficeDep,
                        new_version_of: NewVersionOf = None) -> ValidateOut:
    """The deploy checks without deploying: 200 when valid, else 422 with every problem."""
    require_role(user, "designer")
    contents = read_uploads(files)
    problems = deploy.validate(office, contents, new_version_of or [])
    if problems:
        raise DefinitionInvalid(problems)
    return ValidateOut(valid=True, files=sorted(contents))
