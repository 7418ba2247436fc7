"""Sixteen submissions at once to a server that has just started: every procedure version
is built once, and every submission is received (concurrent first builds once crashed the
process inside lxml's schema code)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.testing import LiveServer
from engine.bootstrap import build_office
from engine.model import ProcedureVersion
from engine.runtime import procedures
from engine.runtime.procedures import LoadedProcedure
from tests.features.api_steps import APPLICANT, COPY, ApiOffice

THREADS = 16
FORMS: dict[str, dict[str, Any]] = {
    "chung_thuc_ban_sao": COPY,
    "dang_ky_khai_sinh": {"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "2026-02-20",
                          "gioi_tinh": "nam", "noi_sinh": "Bệnh viện Phụ sản Hà Nội",
                          "ho_ten_me": "Trần Thị Hạnh", "ho_ten_cha": "Nguyễn Văn Long",
                          "nhan_cha_me_con": "khong"},
}


def test_sixteen_first_submissions_at_once_build_each_version_once(
        api: ApiOffice, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    real = procedures.load

    def counted(version: ProcedureVersion) -> LoadedProcedure:
        built.append(version.id)
        return real(version)

    monkeypatch.setattr(procedures, "load", counted)
    # A new office, as after a restart: nothing cached yet, the same database.
    fresh = build_office(api.settings, clock=api.clock, database=api.office.db)
    barrier = threading.Barrier(THREADS)
    answers: list[httpx.Response] = []
    lock = threading.Lock()
    keys = sorted(FORMS)
    headers = {"Authorization": f"Bearer {api.token('reception')}"}

    def submit(i: int) -> None:
        key = keys[i % len(keys)]
        with httpx.Client(base_url=f"{server.url}/api/v1", headers=headers,
                          timeout=60) as client:
            barrier.wait()
            answer = client.post("/dossiers", json={"procedure": key, "applicant": APPLICANT,
                                                    "channel": "direct", "data": FORMS[key]})
        with lock:
            answers.append(answer)

    with LiveServer(create_app(api.settings, fresh)) as server:
        threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(a.status_code for a in answers) == [201] * THREADS, \
        [a.text for a in answers if a.status_code != 201]
    assert len({a.json()["code"] for a in answers}) == THREADS
    assert len(built) == len(keys) == len(set(built))
