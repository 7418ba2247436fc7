"""Designers: moving a procedure's running dossiers to a newer version, a dry run first."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from engine.errors import InvalidInput, NotFound
from engine.service import migrations, queries
from engine.service.permissions import require_role

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Key = Annotated[str, Path(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")]
MAX_CODES = 1000


def _page(page: Page, key: str, status: int = 200, **context: Any) -> HTMLResponse:
    detail = queries.procedure_detail(page.office, page.me, key)
    context.setdefault("to_version", detail.latest_version)
    return page.render("migrate.html", status=status, procedure=detail, **context)


@router.get("/thu-tuc/{key}/chuyen-phien-ban", response_class=HTMLResponse)
def migrate_form(key: Key, page: UserPage) -> HTMLResponse:
    require_role(page.me, "designer")
    return _page(page, key)


@router.post("/thu-tuc/{key}/chuyen-phien-ban", response_class=HTMLResponse)
def migrate(key: Key, page: UserPage, form: Posted) -> HTMLResponse:
    require_role(page.me, "designer")
    raw_codes = text_field(form, "codes", 60 * MAX_CODES)
    codes = [c for c in re.split(r"[\s,;]+", raw_codes) if c][:MAX_CODES]
    apply_new = form.get("apply_new_deadline") == "true"
    dry_run = form.get("action") != "run"
    values: dict[str, Any] = {"codes": raw_codes, "apply_new_deadline": apply_new}
    try:
        to_version = int(text_field(form, "to_version", 8))
    except ValueError:
        return _page(page, key, 422, error=page.t("migrate_to_version"), **values)
    try:
        report = migrations.migrate(page.office, page.me, key, to_version, dry_run=dry_run,
                                    codes=codes or None, apply_new_deadline=apply_new)
    except (InvalidInput, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 422
        return _page(page, key, status, error=exc.text(page.lang), to_version=to_version,
                     **values)
    return _page(page, key, report=report, to_version=to_version, **values)
