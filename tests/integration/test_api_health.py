"""Health for load balancers and Kubernetes: liveness needs nothing, readiness needs the
database reachable and migrated, and says 503 problem+json when it is not."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.app import create_app
from api.testing import LiveServer
from engine.settings import Settings
from tests.features.api_steps import SECRET, ApiOffice


def test_live_and_ready_answer_ok_on_a_working_database(api: ApiOffice) -> None:
    assert api.client().get("/healthz/live").json() == {"status": "ok"}
    for path in ("/healthz/ready", "/healthz"):  # readiness counts the open incidents too
        answer = api.client().get(path)
        assert answer.status_code == 200, path
        assert answer.json() == {"status": "ok", "incidents": 0}, path


def _serve(url: str) -> LiveServer:
    return LiveServer(create_app(Settings(database_url=url, secret_key=SECRET)))


def test_ready_is_503_unavailable_when_the_database_cannot_be_opened(tmp_path: Path) -> None:
    with _serve(f"sqlite:///{tmp_path}/gone/motcua.db") as server:
        base = f"{server.url}/api/v1"
        for path in ("/healthz/ready", "/healthz"):
            answer = httpx.get(base + path)
            assert answer.status_code == 503, path
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["retry-after"] == "5"
            assert answer.json()["type"] == "https://motcua.dev/problems/unavailable"
        assert httpx.get(f"{base}/healthz/live").json() == {"status": "ok"}
        # A write meets the missing folder at the writer lock: a 503 too, not a 500.
        sign_in = httpx.post(f"{base}/auth/token", data={"username": "a", "password": "b"})
        assert sign_in.status_code == 503
        submitted = httpx.post(f"{base}/public/dossiers/X/rating",
                               json={"secret": "X", "satisfaction": 5})
        assert submitted.status_code == 503


def test_ready_is_503_not_ready_before_the_schema_is_migrated(tmp_path: Path) -> None:
    with _serve(f"sqlite:///{tmp_path}/motcua.db") as server:
        answer = httpx.get(f"{server.url}/api/v1/healthz/ready")
        assert answer.status_code == 503
        body = answer.json()
        assert body["type"] == "https://motcua.dev/problems/not-ready"
        assert "motcua migrate" in body["detail"]
        assert httpx.get(f"{server.url}/api/v1/healthz/live").status_code == 200
