"""Designers: procedures and their versions, the modeler with our properties, validation
with each problem on its element, deploying, downloading, and comparing two versions; a new
procedure from the template or from a file, validated and deployed as a bundle."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.web.pages import Page, Posted, UserPage, WebRoute
from engine.errors import (
    DefinitionInvalid,
    FormInvalid,
    InvalidInput,
    Problem,
    ReplacementUnconfirmed,
    say,
)
from engine.service import deploy, diagrams, queries, versions
from engine.service.permissions import may_see_code, require_role
from engine.service.views import procedures as views
from engine.service.views.tasks import departments

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Key = Annotated[str, Path(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")]
Number = Annotated[int, Path(ge=1, le=1_000_000)]
MAX_XML = 5 * 1024 * 1024
MAX_BUNDLE = 20 * 1024 * 1024  # every other file of a bundle, as posted JSON
BPMN_NAMES = (".bpmn", ".bpmn20.xml")


@router.get("/thu-tuc", response_class=HTMLResponse)
def procedures(page: UserPage) -> HTMLResponse:
    require_role(page.me, "designer")
    details = [queries.procedure_detail(page.office, page.me, p.key)
               for p in queries.procedures(page.office, page.me)]
    return page.render("procedures.html", procedures=details,
                       library=queries.library_files(page.office, page.me))


@router.get("/so-do/thu-tuc/{key}/{number}.bpmn")
def procedure_xml(key: Key, number: Number, page: UserPage, download: bool = False) -> Response:
    """One version's diagram; scripts and conditions only for designers."""
    name, xml = views.procedure_xml(page.office, page.me, key, number)
    if not may_see_code(page.me):
        xml = diagrams.without_code(xml)
    disposition = "attachment" if download else "inline"
    return Response(xml, media_type="application/xml", headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, max-age=300"})


def _setup(page: Page, main: str, files: dict[str, str], **where: Any) -> dict[str, Any]:
    """The modeler page's JSON island: where the diagram comes from and goes to, the bundle's
    other files (forms, DMN, other BPMN) for the workbench, and the panel's word lists."""
    choices = diagrams.modeler_choices()
    return {
        **where,
        "main": main,
        "files": {name: text for name, text in files.items() if name != main},
        "departments": departments(page.office),
        **choices,
        # The panel shows a choice by its meaning ("Cấp xã", "ngày làm việc"), stores its value.
        "labels": {**{v: page.t(f"level_{v}") for v in choices["levels"]},
                   **{v: page.t(f"unit_{v}") for v in choices["units"]},
                   **{v: page.t(f"modeler_outcome_{v}") for v in choices["outcomes"]}},
        "text": {k: page.t(k) for k in MODELER_TEXT},
    }


@router.get("/thu-tuc/{key}/{number}/thiet-ke", response_class=HTMLResponse)
def modeler(key: Key, number: Number, page: UserPage) -> HTMLResponse:
    files = views.version_files(page.office, page.me, key, number)
    detail = queries.procedure_detail(page.office, page.me, key)
    setup = _setup(page, files.main, files.files,
                   xml=f"/so-do/thu-tuc/{key}/{number}.bpmn",
                   validate=f"/thu-tuc/{key}/{number}/kiem-tra",
                   deploy=f"/thu-tuc/{key}/{number}/trien-khai")
    return page.render("modeler.html", title=detail.name, number=number, setup=setup,
                       latest=detail.latest_version)


TEMPLATE_FIELDS = ("key", "name", "code", "field", "level", "deadline", "deadline_unit")


@router.get("/thiet-ke/moi", response_class=HTMLResponse)
def new_procedure(page: UserPage, request: Request) -> HTMLResponse:
    """A procedure not deployed yet: drawn from the template (when the template form was
    sent), opened from a file, or an empty diagram."""
    require_role(page.me, "designer")
    asked = request.query_params
    chosen = [d for d in asked.getlist("departments") if d]
    entered = {name: asked.get(name, "").strip()[:300] for name in TEMPLATE_FIELDS}
    where = {"validate": "/thiet-ke/kiem-tra", "deploy": "/thiet-ke/trien-khai"}
    error: tuple[str, str] | None = None
    setup = _setup(page, "", {}, **where)
    if "key" in asked:
        try:
            made = diagrams.new_procedure(page.office, page.me, departments=chosen, **entered)
        except FormInvalid as exc:
            error = (exc.field, exc.text(page.lang).removeprefix(f"{exc.field}: "))
        else:
            setup = _setup(page, made.main, made.files, diagram=made.files[made.main], **where)
    return page.render("modeler.html", title=page.t("new_procedure"), number=None,
                       setup=setup, latest=None, desk=page.office.reception_department,
                       entered=entered, chosen=chosen, error=error, from_template=True,
                       generated="diagram" in setup)


MODELER_TEXT = (
    "props_procedure", "props_lane", "props_task", "props_start", "props_end",
    "props_none", "prop_procedure_code", "prop_field", "prop_level", "prop_deadline",
    "prop_deadline_unit", "prop_fee_variable", "prop_department", "prop_allowance",
    "prop_form", "prop_pauses_clock", "prop_outcome", "prop_name", "choose", "valid",
    "problems_found", "deploying", "deployed", "unchanged", "validating", "request_failed",
    "prop_allowance_hint", "element_id", "file_opened", "file_unreadable",
    "confirm_new_version")


def _main_name(form: Any) -> str:
    """The main file's name a new bundle was opened with, kept to a plain BPMN file name."""
    sent = form.get("main")
    name = PurePath(sent).name if isinstance(sent, str) else ""
    return name if name.lower().endswith(BPMN_NAMES) else "quy_trinh.bpmn"


def _edited(page: Page, main: str, stored: dict[str, str], form: Any
            ) -> tuple[dict[str, bytes], str]:
    """The bundle as the workbench has it: the posted ``files`` (without it, the stored
    ones) with the modeler's ``xml`` as the main file."""
    xml = form.get("xml")
    if not isinstance(xml, str) or not xml.strip() or len(xml) > MAX_XML:
        raise DefinitionInvalid([Problem(main, None, "file", page.t("xml_missing"))])
    sent = form.get("files")
    files = stored
    if isinstance(sent, str):
        try:
            posted = json.loads(sent) if len(sent) <= MAX_BUNDLE else None
        except ValueError:
            posted = None
        if not isinstance(posted, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in posted.items()):
            raise DefinitionInvalid([Problem("files", None, "file", page.t("files_invalid"))])
        # names as the bundle has them (folders too); the deploy checks each path
        files = {name: text for name, text in posted.items() if name.strip()}
    contents = {name: text.encode() for name, text in files.items()}
    contents[main] = xml.encode()
    return contents, xml


def _problems(lang: str, problems: list[Problem], main: str, xml: str) -> list[dict[str, Any]]:
    return [{"file": p.file, "line": p.line, "element": p.element,
             "message": say(lang, p.message),
             "element_id": diagrams.problem_element(p, xml) if p.file == main else None}
            for p in problems]


def _refused(lang: str, problems: list[Problem], main: str, xml: str,
             confirm: list[str] | None = None) -> JSONResponse:
    """422 with the problems; ``confirm``: the procedures the designer may confirm the files
    are the next version of (the page asks, then posts again with new_version_of)."""
    body: dict[str, Any] = {"valid": False, "problems": _problems(lang, problems, main, xml)}
    if confirm:
        body["confirm"] = confirm
    return JSONResponse(body, status_code=422)


def _checked(page: Page, main: str, stored: dict[str, str], form: Any) -> JSONResponse:
    try:
        contents, xml = _edited(page, main, stored, form)
    except DefinitionInvalid as exc:
        return _refused(page.lang, exc.problems, main, "")
    problems = deploy.validate(page.office, contents)
    if problems:
        return _refused(page.lang, problems, main, xml)
    return JSONResponse({"valid": True, "problems": []})


def _deployed(page: Page, main: str, stored: dict[str, str], form: Any
              ) -> list[deploy.Deployed] | JSONResponse:
    """What the deploy made, or the problems that stopped it (nothing is stored then)."""
    xml = ""
    confirmed = form.get("new_version_of")
    typed = form.get("effective_from")
    try:
        day = versions.parse_day(typed, vietnamese=True) \
            if isinstance(typed, str) and typed.strip() else None
    except InvalidInput as exc:
        return _refused(page.lang, [Problem(main, None, page.t("versions_effective_from_label"),
                                            exc.message or "")], main, xml)
    try:
        contents, xml = _edited(page, main, stored, form)
        results = deploy.deploy(page.office, contents, page.me,
                                [confirmed] if isinstance(confirmed, str) else [], day)
    except ReplacementUnconfirmed as exc:
        return _refused(page.lang, exc.problems, main, xml, exc.keys)
    except DefinitionInvalid as exc:
        return _refused(page.lang, exc.problems, main, xml)
    return [r for r in results if r.kind == "procedure"]


@router.post("/thu-tuc/{key}/{number}/kiem-tra")
def validate(key: Key, number: Number, page: UserPage, form: Posted) -> JSONResponse:
    require_role(page.me, "designer")
    files = views.version_files(page.office, page.me, key, number)
    return _checked(page, files.main, files.files, form)


@router.post("/thu-tuc/{key}/{number}/trien-khai")
def deploy_version(key: Key, number: Number, page: UserPage, form: Posted) -> JSONResponse:
    files = views.version_files(page.office, page.me, key, number)
    results = _deployed(page, files.main, files.files, form)
    if isinstance(results, JSONResponse):
        return results
    mine = next((r for r in results if r.key == key), None)
    if mine is None and results:  # a file from disk with another procedure in it
        other = results[0]
        return JSONResponse({"valid": True, "key": other.key, "version": other.version,
                             "created": other.created,
                             "next": f"/thu-tuc/{other.key}/{other.version}/thiet-ke"})
    version = mine.version if mine else number
    return JSONResponse({
        "valid": True, "key": key, "version": version,
        "created": bool(mine and mine.created),
        "compare": f"/thu-tuc/{key}/so-sanh?a={number}&b={version}"})


@router.post("/thiet-ke/kiem-tra")
def validate_new(page: UserPage, form: Posted) -> JSONResponse:
    require_role(page.me, "designer")
    return _checked(page, _main_name(form), {}, form)


@router.post("/thiet-ke/trien-khai")
def deploy_new(page: UserPage, form: Posted) -> JSONResponse:
    """A bundle not deployed before; the designer goes on in the modeler of what it made."""
    require_role(page.me, "designer")
    results = _deployed(page, _main_name(form), {}, form)
    if isinstance(results, JSONResponse):
        return results
    first = next((r for r in results if r.created), results[0])
    return JSONResponse({"valid": True, "key": first.key, "version": first.version,
                         "created": first.created,
                         "next": f"/thu-tuc/{first.key}/{first.version}/thiet-ke"})


@router.post("/thu-tuc/{key}/{number}/rut")
def withdraw_version(key: Key, number: Number, page: UserPage, form: Posted) -> Response:
    """Withdraw a version before its day; a refusal (in force already, dossiers on it) is
    the 409 page."""
    versions.withdraw(page.office, page.me, key, number)
    return page.redirect(f"/thu-tuc#p-{key}")


@router.get("/thu-tuc/{key}/so-sanh", response_class=HTMLResponse)
def compare_versions(key: Key, page: UserPage, a: Annotated[int, Query(ge=1)],
                     b: Annotated[int, Query(ge=1)]) -> HTMLResponse:
    require_role(page.me, "designer")
    _name, old = views.procedure_xml(page.office, page.me, key, a)
    _name, new = views.procedure_xml(page.office, page.me, key, b)
    detail = queries.procedure_detail(page.office, page.me, key)
    result = diagrams.compare(old, new)
    marks = {"old": {c.id: "removed" for c in result.removed},
             "new": {**{c.id: "added" for c in result.added},
                     **{c.id: "changed" for c in result.changed}}}
    return page.render("compare.html", detail=detail, a=a, b=b, result=result, marks=marks)
