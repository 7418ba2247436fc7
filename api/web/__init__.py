"""The web application people use in the office: server-rendered pages over the engine's use
cases, at ``/`` beside the API. ``mount`` adds the pages and their static files to an app."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web import filters
from api.web.pages import env
from api.web.routes import (
    admin,
    attachments,
    audit,
    design,
    desk,
    dossiers,
    incidents,
    migrations,
    online_filing,
    public,
    reception,
    refusals,
    supplement_online,
    work,
    workbench,
)

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("motcua.web")


def mount(app: FastAPI) -> None:
    if not (STATIC / "vendor").is_dir():
        log.warning("web assets are not built (run `make assets`): diagrams, charts and "
                    "partial updates will not work")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (public, online_filing, work, reception, desk, dossiers, attachments, audit,
                   design, migrations, workbench, incidents, admin, refusals, supplement_online):
        app.include_router(module.router)
    # An unknown address: a page for people, problem+json under /api (api.errors).
    app.add_exception_handler(StarletteHTTPException, refusals.not_found)


filters.install(env)
