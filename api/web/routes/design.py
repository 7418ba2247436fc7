"""Designers: procedures and their versions, the modeler with our properties, validation
with each problem on its element, deploying, downloading, and comparing two versions."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.web.pages import Page, Posted, UserPage, WebRoute
from engine.errors import DefinitionInvalid, Problem
from engine.service import deploy, diagrams, queries
from engine.service.permissions import may_see_code, require_role
from engine.service.views import procedures as views
from engine.service.views.tasks import departments

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Key = Annotated[str, Path(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")]
Number = Annotated[int, Path(ge=1, le=1_000_000)]
MAX_XML = 5 * 1024 * 1024


@router.get("/thu-tuc", response_class=HTMLResponse)
def procedures(page: UserPage) -> HTMLResponse:
    require_role(page.me, "designer")
    details = [queries.procedure_detail(page.office, page.me, p.key)
               for p in queries.procedures(page.office, page.me)]
    return page.render("procedures.html", procedures=details)


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


@router.get("/thu-tuc/{key}/{number}/thiet-ke", response_class=HTMLResponse)
def modeler(key: Key, number: Number, page: UserPage) -> HTMLResponse:
    files = views.version_files(page.office, page.me, key, number)
    detail = queries.procedure_detail(page.office, page.me, key)
    setup: dict[str, Any] = {
        "xml": f"/so-do/thu-tuc/{key}/{number}.bpmn",
        "validate": f"/thu-tuc/{key}/{number}/kiem-tra",
        "deploy": f"/thu-tuc/{key}/{number}/trien-khai",
        "departments": departments(page.office),
        "forms": sorted(n for n in files.files if n.lower().endswith(".json")),
        **diagrams.modeler_choices(),
        "text": {k: page.t(k) for k in MODELER_TEXT},
    }
    return page.render("modeler.html", detail=detail, number=number, setup=setup,
                       latest=detail.latest_version)


MODELER_TEXT = (
    "props_procedure", "props_lane", "props_task", "props_start", "props_end",
    "props_none", "prop_procedure_code", "prop_field", "prop_level", "prop_deadline",
    "prop_deadline_unit", "prop_fee_variable", "prop_department", "prop_allowance",
    "prop_form", "prop_pauses_clock", "prop_outcome", "prop_name", "choose", "valid",
    "problems_found", "deploying", "deployed", "unchanged", "validating", "request_failed",
    "prop_allowance_hint", "element_id")


def _edited(page: Page, key: str, number: int, form: Any) -> tuple[dict[str, bytes], str]:
    files = views.version_files(page.office, page.me, key, number)
    xml = form.get("xml")
    if not isinstance(xml, str) or not xml.strip() or len(xml) > MAX_XML:
        raise DefinitionInvalid([Problem(files.main, None, "file", page.t("xml_missing"))])
    contents = {name: text.encode() for name, text in files.files.items()}
    contents[files.main] = xml.encode()
    return contents, xml


def _problems(problems: list[Problem], xml: str) -> list[dict[str, Any]]:
    return [{"file": p.file, "line": p.line, "element": p.element, "message": p.message,
             "element_id": diagrams.problem_element(p, xml)} for p in problems]


@router.post("/thu-tuc/{key}/{number}/kiem-tra")
def validate(key: Key, number: Number, page: UserPage, form: Posted) -> JSONResponse:
    require_role(page.me, "designer")
    contents, xml = _edited(page, key, number, form)
    problems = deploy.validate(page.office, contents)
    return JSONResponse({"valid": not problems, "problems": _problems(problems, xml)},
                        status_code=200 if not problems else 422)


@router.post("/thu-tuc/{key}/{number}/trien-khai")
def deploy_version(key: Key, number: Number, page: UserPage, form: Posted) -> JSONResponse:
    contents, xml = _edited(page, key, number, form)
    try:
        results = deploy.deploy(page.office, contents, page.me)
    except DefinitionInvalid as exc:
        return JSONResponse({"valid": False, "problems": _problems(exc.problems, xml)},
                            status_code=422)
    mine = next((r for r in results if r.key == key), None)
    version = mine.version if mine else number
    return JSONResponse({
        "valid": True, "key": key, "version": version,
        "created": bool(mine and mine.created),
        "compare": f"/thu-tuc/{key}/so-sanh?a={number}&b={version}"})


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
