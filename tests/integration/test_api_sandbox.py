"""Deploying is not running code on the server: over HTTP, an escaping expression is refused
at deploy with its file and line, and one forced into the database fails its step safely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from engine.runtime.procedures import ProcedureCache
from engine.store.tables import dossiers, procedure_versions
from tests.conftest import PROCESSES, definition_files
from tests.features.api_steps import COPY, ApiOffice

PROBLEM = "application/problem+json"
COPY_BPMN = "chung_thuc_ban_sao.bpmn"
FEE_DMN = "phi_chung_thuc_ban_sao.dmn"
FEE_SCRIPT = b"fee = phi_mot_ban * copies"


def _uploads(files: dict[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, data, "application/octet-stream")) for name, data in files.items()]


def _copy_files() -> dict[str, bytes]:
    return {name: data for name, data in definition_files(PROCESSES).items()
            if name.startswith(("chung_thuc_ban_sao", "phi_chung_thuc"))}


def _line_of(text: bytes, needle: bytes) -> int:
    return text[:text.index(needle)].count(b"\n") + 1


ESCAPING_SCRIPTS = {
    "subprocess": b"import subprocess\nfee = subprocess.check_output(['id'])",
    "the secret": b"fee = 0\nkey = __import__('os').environ['MOTCUA_SECRET_KEY']",
    "open": b"fee = open('/etc/passwd').read()",
    "subclasses": b"fee = ().__class__.__mro__[1].__subclasses__()",
    "format": b"fee = '{0.__class__}'.format(copies)",
    "frames": b"fee = [(x for x in []).gi_frame.f_globals]",
}


@pytest.mark.parametrize("name", sorted(ESCAPING_SCRIPTS))
def test_an_escaping_script_is_refused_at_deploy_at_its_line(api: ApiOffice, name: str,
                                                             tmp_path: Path) -> None:
    files = _copy_files()
    bpmn = files[COPY_BPMN].replace(FEE_SCRIPT, ESCAPING_SCRIPTS[name])
    files[COPY_BPMN] = bpmn
    for path in ("/procedures/validate", "/procedures"):
        answer = api.client("designer").post(path, files=_uploads(files))
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith(PROBLEM)
        problems = answer.json()["problems"]
        assert problems
        script_line = _line_of(bpmn, ESCAPING_SCRIPTS[name].split(b"\n")[0])
        for problem in problems:
            assert problem["file"] == COPY_BPMN
            assert problem["element"] == "scriptTask 'Task_TinhTongPhi'"
            assert script_line <= problem["line"] <= script_line + 1
    listed = api.client("designer").get("/procedures/chung_thuc_ban_sao").json()
    assert listed["latest_version"] == 1  # nothing was deployed


def test_an_escaping_condition_and_dmn_entry_are_refused_where_they_are(
        api: ApiOffice) -> None:
    files = _copy_files()
    condition = b'ket_qua_kiem_tra == "tu_choi"'
    assert condition in files[COPY_BPMN]
    files[COPY_BPMN] = files[COPY_BPMN].replace(condition, b"open('x') == 1")
    entry = b"4000 + (pages - 2) * 1000"
    assert entry in files[FEE_DMN]
    files[FEE_DMN] = files[FEE_DMN].replace(entry, b"pages.__class__")
    answer = api.client("designer").post("/procedures/validate", files=_uploads(files))
    assert answer.status_code == 422
    found = {(p["file"], p["line"]): p for p in answer.json()["problems"]}
    bpmn_line = _line_of(files[COPY_BPMN], b"open('x')")
    dmn_line = _line_of(files[FEE_DMN], b"pages.__class__")
    assert '"open" is not available' in found[(COPY_BPMN, bpmn_line)]["message"]
    assert found[(COPY_BPMN, bpmn_line)]["element"].startswith("sequenceFlow ")
    assert "__class__" in found[(FEE_DMN, dmn_line)]["message"]


def _force(api: ApiOffice, script: str) -> None:
    """Write ``script`` over the fee script of the deployed version, as a diagram deployed
    before the sandbox (or edited in the database) would hold it."""
    office = api.office
    with office.db.unit_of_work() as uow:
        latest = uow.catalog.latest_id("chung_thuc_ban_sao")
        assert latest is not None
        version = uow.catalog.by_id(latest[0])
        assert version is not None
        files = dict(version.files)
        files[COPY_BPMN] = files[COPY_BPMN].replace(FEE_SCRIPT.decode(), script)
        uow.conn.execute(sa.update(procedure_versions)
                         .where(procedure_versions.c.id == latest[0]).values(files=files))
        uow.commit()
    office.procedures = ProcedureCache()  # as a process started after the edit
    office.workflows.clear()


def _dossier_count(api: ApiOffice) -> int:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return int(uow.conn.execute(sa.select(sa.func.count()).select_from(dossiers))
                   .scalar_one())


FORCED = {
    "subprocess": "import subprocess\nfee = 0\nsubprocess.check_output(['touch', '{marker}'])",
    "open": "fee = 0\nopen('{marker}', 'w').write('x')",
    "subclasses": "fee = len(().__class__.__mro__[1].__subclasses__())",
    "endless loop": "fee = 0\nwhile True:\n    fee += 1",
    "huge string": "fee = len('x' * 10**10)",
}


@pytest.mark.parametrize("name", sorted(FORCED))
def test_a_diagram_forced_into_the_database_still_cannot_escape(api: ApiOffice, name: str,
                                                                tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    _force(api, FORCED[name].format(marker=marker))
    before = _dossier_count(api)
    body: dict[str, Any] = {"procedure": "chung_thuc_ban_sao", "channel": "online",
                            "applicant": {"name": "Kẻ Tấn Công"}, "data": COPY}
    answer = api.client().post("/dossiers", json=body)  # an anonymous online filing
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/step-failed")
    assert problem["step"] == "Task_TinhTongPhi"
    assert api.settings.secret_key not in answer.text
    assert not marker.exists()
    assert _dossier_count(api) == before  # no half-created dossier


def test_a_sandbox_refusal_is_told_in_the_readers_language(api: ApiOffice) -> None:
    _force(api, "fee = len('x' * 10**10)")
    body: dict[str, Any] = {"procedure": "chung_thuc_ban_sao", "channel": "online",
                            "applicant": {"name": "Trần Văn Bình"}, "data": COPY}
    # Too big or too long, whichever budget the machine meets first.
    vi = api.client().post("/dossiers", json=body).json()["detail"]
    assert "LimitExceeded: đoạn mã " in vi
    assert "tạo ra quá nhiều dữ liệu" in vi or "chạy quá thời gian" in vi
    assert "builds too much" not in vi and "ran out of time" not in vi
    en = api.client().post("/dossiers", json=body,
                           headers={"Accept-Language": "en"}).json()["detail"]
    assert "LimitExceeded: the script " in en
    assert "builds too much" in en or "ran out of time" in en
