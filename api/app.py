"""Application factory: settings are read here, at the edge, and the parts wired once."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool

from api import docs_page, errors
from api.auth import check_secret
from api.client import ClientAddress, parse_proxies
from api.headers import SecurityHeaders
from api.limits import JSON_BODY_BYTES, MULTIPART_OVERHEAD, UPLOAD_BODY_BYTES, BodyLimit
from api.routers import (
    admin,
    audit,
    auth,
    dashboard,
    deadlines,
    desk,
    documents,
    dossiers,
    exports,
    files,
    filings,
    incidents,
    migrations,
    procedures,
    public,
    reports,
    supplement,
    tasks,
)
from api.web import mount as mount_web
from api.web.routes.attachments import ATTACHMENTS_ENDING
from api.web.routes.online_filing import REVIEW_ENDING
from api.web.routes.supplement_online import SUPPLEMENT_PAGE_ENDING
from engine.bootstrap import build_office
from engine.service import health
from engine.service.incidents import incidents_for_health
from engine.service.office import Office
from engine.settings import Settings

PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, office: Office | None = None) -> FastAPI:
    """The API; pass a prebuilt ``office`` to control its clock or database (tests)."""
    settings = settings or Settings()
    check_secret(settings)
    app = FastAPI(title="motcua", version="0.1.0", docs_url=None,  # api.docs_page serves it
                  openapi_url=f"{PREFIX}/openapi.json",
                  description="One-stop office procedures as BPMN: receive dossiers, work "
                              "department queues, audit every hand-over. Errors are "
                              "application/problem+json.")
    app.state.office = office or build_office(settings)
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(BodyLimit, default=JSON_BODY_BYTES, paths={
        f"{PREFIX}/procedures": UPLOAD_BODY_BYTES,
        f"{PREFIX}/procedures/validate": UPLOAD_BODY_BYTES,
        # An online filing holds every scan of the dossier.
        PREFIX + filings.FILINGS_PATH: settings.dossier_files_max_bytes + MULTIPART_OVERHEAD,
    }, endings={
        # A dossier's attachments, over the API and from the web pages.
        files.UPLOAD_ENDING: settings.file_max_bytes + MULTIPART_OVERHEAD,
        ATTACHMENTS_ENDING: settings.file_max_bytes + MULTIPART_OVERHEAD,
        # The online filing's review page sends every scan of the dossier.
        REVIEW_ENDING: settings.dossier_files_max_bytes + MULTIPART_OVERHEAD,
        # The applicant's online supplement: several files at once, at most a dossier's.
        supplement.SUPPLEMENT_ENDING: settings.dossier_files_max_bytes + MULTIPART_OVERHEAD,
        SUPPLEMENT_PAGE_ENDING: settings.dossier_files_max_bytes + MULTIPART_OVERHEAD,
    })
    app.add_middleware(SecurityHeaders, api_prefix=PREFIX)
    # Outermost: everything inside sees the client and scheme the trusted proxy gave.
    app.add_middleware(ClientAddress, proxies=parse_proxies(settings.trusted_proxies),
                       header=settings.client_ip_header)

    @app.get(f"{PREFIX}/healthz/live", tags=["health"])
    async def live() -> dict[str, str]:
        """Liveness: the process answers. No I/O, so an away database never gets it
        restarted."""
        return {"status": "ok"}

    @app.get(f"{PREFIX}/healthz/ready", tags=["health"])
    @app.get(f"{PREFIX}/healthz", tags=["health"])
    async def healthz(request: Request) -> dict[str, str | int | None]:
        """Readiness: the database answers and has its schema (else 503 problem+json), with
        the number of open incidents."""
        office = request.app.state.office
        await run_in_threadpool(health.check_ready, office)
        count = await run_in_threadpool(incidents_for_health, office)
        return {"status": "ok", "incidents": count}

    for module in (auth, procedures, migrations, deadlines, dossiers, desk, documents, files,
                   tasks, public, filings, supplement, reports, audit, exports, incidents, admin,
                   dashboard):
        app.include_router(module.router, prefix=PREFIX)
    docs_page.install(app)  # /docs with this site's own copy of Swagger UI
    mount_web(app)  # the pages people use, at /
    return app
