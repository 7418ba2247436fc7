"""Application factory: settings are read here, at the edge, and the parts wired once."""

from __future__ import annotations

from fastapi import FastAPI

from engine.bootstrap import build_office
from engine.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="motcua", version="0.1.0", docs_url="/docs",
                  openapi_url="/api/v1/openapi.json")
    app.state.office = build_office(settings)
    app.state.settings = settings

    @app.get("/api/v1/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
