"""Every endpoint × every demo user and an anonymous caller: the status class each gets.

The rules: an auditor reads everything of their unit and changes nothing, the city's
inspector reads every ward; a designer deploys and handles no dossier; staff act only on
their departments' steps; leaders lead their departments; the desk (reception) receives
dossiers; the public pages need no account. The shared dossiers are the first ward's: the
second ward's people (``*.duongnoi``) hold the same roles there and may not read or touch
them, though they list their own queues and receive their own dossiers. Endpoints that
change something get fresh data for every caller, so the cases do not depend on each other.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import pytest

from engine.model import Membership
from engine.security import hash_password
from engine.service import admin, deploy
from tests.conftest import PROCESSES, definition_files
from tests.features.api_steps import APPLICANT, COPY, DEMO, SECOND_WARD, ApiOffice

Request = tuple[str, dict[str, Any]]  # path, keyword arguments for httpx
Setup = Callable[[ApiOffice, str | None], Request]

EVERYONE = frozenset(DEMO)
CLAIMERS = frozenset({"justice", "leader", "admin"})  # may work on a justice-office step
# Who reads the first ward's dossier: its desk, the justice office it is at, its leader and
# auditor, the city's inspector.
READERS = frozenset({"reception", "justice", "leader", "auditor", "admin", "inspector"})
# Role-wide reads (each sees its own unit's part).
QUEUE_READERS = frozenset({"reception", "justice", "finance", "urban", "leader", "auditor",
                           "admin", *SECOND_WARD, "inspector"})
ALL_AUDITORS = frozenset({"auditor", "auditor.duongnoi", "inspector"})
AUDITORS = ALL_AUDITORS | {"admin"}
LEADERS = frozenset({"leader", "leader.duongnoi"})
REPORT_READERS = LEADERS | AUDITORS
PERIOD = "from=2026-03-01&to=2026-03-31"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    setup: Setup
    allowed: frozenset[str | None]


def _fixed(path: str, **kwargs: Any) -> Setup:
    return lambda _api, _user: (path, kwargs)


@cache
def _shared_step(api: ApiOffice) -> tuple[str, int]:
    """A copy certification waiting at the justice office, for the read-only cases."""
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    return code, api.current(code)["id"]


def _at_justice(api: ApiOffice) -> tuple[str, int]:
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    return code, api.current(code)["id"]


def _dossier(path: str) -> Setup:
    def setup(api: ApiOffice, _user: str | None) -> Request:
        return path.format(code=_shared_step(api)[0]), {}
    return setup


PDF_SCAN = b"%PDF-1.7\n" + b"ban chinh " * 50


def _online_filing(_api: ApiOffice, user: str | None) -> Request:
    """An online filing with its scan, from an address of each caller's own (the quota)."""
    address = f"192.0.2.{[*DEMO, None].index(user) + 1}"
    filing = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "data": COPY}
    return "/public/filings", {
        "data": {"filing": json.dumps(filing), "documents": ["ban_chinh"]},
        "files": [("files", ("ban-chinh.pdf", PDF_SCAN, "application/pdf"))],
        "headers": {"X-Forwarded-For": address}}


def _task(path: str) -> Setup:
    def setup(api: ApiOffice, _user: str | None) -> Request:
        return path.format(id=_shared_step(api)[1]), {}
    return setup


def _claim(api: ApiOffice, _user: str | None) -> Request:
    return f"/tasks/{_at_justice(api)[1]}/claim", {}


def _release(api: ApiOffice, _user: str | None) -> Request:
    task_id = _at_justice(api)[1]
    api.claim(task_id, "justice")
    return f"/tasks/{task_id}/release", {}


def _complete(api: ApiOffice, user: str | None) -> Request:
    task_id = _at_justice(api)[1]
    api.claim(task_id, user if user in CLAIMERS else "justice")
    return f"/tasks/{task_id}/complete", {"json": {"data": {"ket_qua_xu_ly": "dat"}}}


def _assign(api: ApiOffice, _user: str | None) -> Request:
    return f"/tasks/{_at_justice(api)[1]}/assign", {"json": {"username": "justice"}}


def _rating(api: ApiOffice, _user: str | None) -> Request:
    receipt = api.submit()
    api.do_step(receipt["code"], {"ket_qua_kiem_tra": "tu_choi", "ly_do_tu_choi": "Thiếu"})
    return (f"/public/dossiers/{receipt['code']}/rating",
            {"json": {"secret": receipt["secret"], "satisfaction": 4}})


def _asked_supplement(api: ApiOffice) -> dict[str, Any]:
    """A copy certification the desk asked the applicant to supplement."""
    receipt = api.submit()
    answer = api.client("reception").post(f"/dossiers/{receipt['code']}/check",
                                          json={"documents": [], "decision": "supplement"})
    assert answer.status_code == 200, answer.text
    return receipt


def _supplement_view(api: ApiOffice, _user: str | None) -> Request:
    receipt = _asked_supplement(api)
    return (f"/public/dossiers/{receipt['code']}/supplement",
            {"headers": {"X-Receipt-Secret": receipt["secret"]}})


def _supplement(api: ApiOffice, _user: str | None) -> Request:
    receipt = _asked_supplement(api)
    return (f"/public/dossiers/{receipt['code']}/supplement",
            {"data": {"secret": receipt["secret"], "slots": ["ban_chinh"]},
             "files": [("files", ("ban-chinh.pdf", b"%PDF-1.7\n" + b"x" * 200,
                                  "application/pdf"))]})


def _recovery(api: ApiOffice, _user: str | None) -> Request:
    # From an address of each case's own: the matrix must not meet the address's limit.
    _RECOVERIES.append(1)
    return (f"/public/dossiers/{api.submit()['code']}/secret-recovery",
            {"json": {"id_number": "001085012345", "phone": "0912345678", "channel": "sms"},
             "headers": {"X-Forwarded-For": f"198.51.100.{len(_RECOVERIES) % 250}"}})


_RECOVERIES: list[int] = []


def _apology(api: ApiOffice, _user: str | None) -> Request:
    return (f"/dossiers/{_at_justice(api)[0]}/apology",
            {"json": {"new_due_at": "2026-12-31", "reason": "Chờ xác minh"}})


@cache
def _apologised(api: ApiOffice) -> str:
    """A copy certification at the justice office with an apology from the leader."""
    code = _at_justice(api)[0]
    answer = api.client("leader").post(f"/dossiers/{code}/apology", json={
        "new_due_at": "2026-12-31", "reason": "Chờ xác minh"})
    assert answer.status_code == 201, answer.text
    return code


@cache
def _supplemented(api: ApiOffice) -> str:
    """A construction permit waiting for papers the urban office asked for."""
    code = api.submit("cap_phep_xay_dung", {"chu_dau_tu": "Lý Văn Phúc",
                                            "dia_chi_cong_trinh": "Tổ 5, phường La Khê",
                                            "dien_tich_xay_dung": 50, "so_tang": 2})["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.do_step(code, {"ket_qua_tham_dinh": "bo_sung", "noi_dung_bo_sung": "Bản vẽ móng"})
    return code


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@cache
def _shared_file(api: ApiOffice) -> tuple[str, int]:
    """A scan the justice office attached to the shared dossier's step."""
    code = _shared_step(api)[0]
    answer = api.client("justice").post(f"/dossiers/{code}/files", data={"slot": "Task_XuLy"},
                                        files={"file": ("ban-sao.png", PNG, "image/png")})
    assert answer.status_code == 201, answer.text
    return code, answer.json()["id"]


def _file(api: ApiOffice, _user: str | None) -> Request:
    code, file_id = _shared_file(api)
    return f"/dossiers/{code}/files/{file_id}", {}


def _attach(api: ApiOffice, _user: str | None) -> Request:
    return (f"/dossiers/{_at_justice(api)[0]}/files",
            {"data": {"slot": "Task_XuLy"}, "files": {"file": ("a.png", PNG, "image/png")}})


def _letter(path: str, made: Callable[[ApiOffice], str]) -> Setup:
    return lambda api, _user: (path.format(code=made(api)), {})


def _uploads(names: tuple[str, ...] | None = None) -> Setup:
    files = definition_files(PROCESSES)
    chosen = [("files", (n, d, "application/xml")) for n, d in files.items()
              if names is None or n.startswith(names)]
    return _fixed("/procedures/validate" if names else "/procedures", files=chosen)


ADMIN = frozenset({"admin"})
SWITCHERS = frozenset({"admin", "leader"})  # a leader in the first ward
SWITCH = "/admin/units/000.00.81.H26/procedures/dang_ky_khai_sinh/switch-off"


def _account(api: ApiOffice, user: str | None, purpose: str) -> str:
    """A fresh staff account of the second ward for this caller and case."""
    name = f"{purpose}.{(user or 'anonymous').replace('.', '-')}"
    admin.create_user(api.office, None, name, "Người Thử", "mat-khau-thu", [],
                      [Membership("000.00.82.H26", "TU_PHAP", frozenset({"staff"}))])
    return name


def _on_account(path: str, purpose: str, **kwargs: Any) -> Setup:
    return lambda api, user: (path.format(username=_account(api, user, purpose)), kwargs)


def _new_user(_api: ApiOffice, user: str | None) -> Request:
    return "/admin/users", {"json": {
        "username": f"moi.{(user or 'anonymous').replace('.', '-')}", "full_name": "Người Mới",
        "password": "mat-khau-moi",
        "memberships": [{"unit": "000.00.82.H26", "department": "TU_PHAP",
                         "roles": ["staff"]}]}}


def _switched_off(api: ApiOffice, _user: str | None) -> Request:
    admin.switch_off_procedure(api.office, None, "000.00.81.H26", "dang_ky_khai_sinh",
                               "Thử quyền")
    return SWITCH, {}


def _ahead(api: ApiOffice, _user: str | None) -> Request:
    """A version of certification deployed ahead of its day, for the caller to withdraw."""
    files = {n: d for n, d in definition_files(PROCESSES).items()
             if n.startswith(("chung_thuc_ban_sao", "phi_chung_thuc"))}
    files["chung_thuc_ban_sao.bpmn"] = files["chung_thuc_ban_sao.bpmn"].replace(
        b'name="level"', b'name="level" ', 1)
    done = deploy.deploy(api.office, files, "designer", effective_from=date(2026, 4, 1))
    number = next(r.version for r in done if r.key == "chung_thuc_ban_sao")
    return f"/procedures/chung_thuc_ban_sao/versions/{number}/withdraw", {}


def _own_password(api: ApiOffice, user: str | None) -> Request:
    """The caller's password becomes a known one first (their token is taken before)."""
    if user is not None:
        api.token(user)
        with api.office.db.unit_of_work() as uow:
            uow.org.set_password_hash(user, hash_password("mat-khau-cu"))
            uow.commit()
    return "/auth/password", {"json": {"old_password": "mat-khau-cu",
                                       "new_password": "mat-khau-moi"}}


def _submission(_api: ApiOffice, user: str | None) -> Request:
    """The first ward's report of an ended year, a different year for every caller (a unit
    sends a period once)."""
    callers = sorted(DEMO)
    year = 2001 + (callers.index(user) if user in callers else len(callers))
    return "/reports/statistics/submissions", {"json": {"period": str(year),
                                                        "unit": "000.00.81.H26"}}


def _desk_check(api: ApiOffice, _user: str | None) -> Request:
    """A fresh copy certification waiting for the desk's check."""
    code = api.submit()["code"]
    return f"/dossiers/{code}/check", {"json": {"decision": "accept", "documents": [
        {"code": "ban_chinh", "form": "original", "count": 1}]}}


@cache
def _refused(api: ApiOffice) -> str:
    code = api.submit()["code"]
    answer = api.client("reception").post(f"/dossiers/{code}/check", json={
        "decision": "refuse", "reasons": "Giấy tờ không đúng thủ tục"})
    assert answer.status_code == 200, answer.text
    return str(code)


def _refusal(api: ApiOffice, _user: str | None) -> Request:
    return f"/dossiers/{_refused(api)}/refusal.html", {}


CASES = [
    Case("healthz", "GET", _fixed("/healthz"), EVERYONE | {None}),
    Case("me", "GET", _fixed("/auth/me"), EVERYONE),
    Case("procedures", "GET", _fixed("/procedures"), EVERYONE),
    Case("procedure", "GET", _fixed("/procedures/chung_thuc_ban_sao"), EVERYONE),
    Case("library", "GET", _fixed("/procedures/library"), AUDITORS | {"designer"}),
    Case("bpmn", "GET", _fixed("/procedures/chung_thuc_ban_sao/versions/1/bpmn"),
         AUDITORS | {"designer"}),
    Case("versions", "GET", _fixed("/procedures/chung_thuc_ban_sao/versions"),
         AUDITORS | {"designer"}),
    Case("withdraw", "POST", _ahead, frozenset({"designer", "admin"})),
    Case("validate", "POST", _uploads(("chung_thuc_ban_sao", "phi_chung_thuc")),
         frozenset({"designer", "admin"})),
    Case("deploy", "POST", _uploads(), frozenset({"designer", "admin"})),
    Case("migrations", "POST", _fixed("/procedures/chung_thuc_ban_sao/migrations",
                                      json={"to_version": 1}), frozenset({"designer", "admin"})),
    Case("submit", "POST", _fixed("/dossiers", json={
        "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "online",
        "data": COPY}), frozenset({"reception", "leader", "admin", None, "reception.duongnoi",
                                  "leader.duongnoi"})),
    Case("dossiers", "GET", _fixed("/dossiers"), QUEUE_READERS),
    Case("dossier", "GET", _dossier("/dossiers/{code}"), READERS),
    Case("timeline", "GET", _dossier("/dossiers/{code}/timeline"), READERS),
    Case("tasks", "GET", _fixed("/tasks"), QUEUE_READERS),
    Case("my-tasks", "GET", _fixed("/tasks?scope=mine"), QUEUE_READERS),
    Case("overdue", "GET", _fixed("/tasks/overdue"), REPORT_READERS),
    Case("dashboard", "GET", _fixed("/dashboard"), REPORT_READERS),
    Case("task", "GET", _task("/tasks/{id}"), frozenset({"justice", "leader", "auditor",
                                                          "admin", "inspector"})),
    Case("claim", "POST", _claim, CLAIMERS),
    Case("release", "POST", _release, CLAIMERS),
    Case("complete", "POST", _complete, CLAIMERS),
    Case("assign", "POST", _assign, frozenset({"leader", "admin"})),
    Case("files", "GET", _dossier("/dossiers/{code}/files"), READERS),
    Case("file", "GET", _file, READERS),
    Case("attach", "POST", _attach, CLAIMERS),
    Case("timeline.html", "GET", _dossier("/dossiers/{code}/timeline.html"), READERS),
    Case("receipt.html", "GET", _dossier("/dossiers/{code}/receipt.html"),
         frozenset({"reception", "leader", "auditor", "admin", "inspector"})),
    Case("supplement.html", "GET", _letter("/dossiers/{code}/supplement.html", _supplemented),
         frozenset({"reception", "urban", "leader", "auditor", "admin", "inspector"})),
    Case("check", "POST", _desk_check, frozenset({"reception", "leader", "admin"})),
    Case("refusal.html", "GET", _refusal,
         frozenset({"reception", "leader", "auditor", "admin", "inspector"})),
    Case("apology.html", "GET", _letter("/dossiers/{code}/apology.html", _apologised),
         READERS),
    Case("at-risk", "GET", _fixed("/dossiers/at-risk"), REPORT_READERS),
    Case("apology", "POST", _apology, frozenset({"leader", "admin"})),
    Case("verify", "GET", _fixed("/audit/verify"), AUDITORS),
    Case("statistics", "GET", _fixed(f"/reports/statistics?{PERIOD}"), REPORT_READERS),
    Case("statistics.xlsx", "GET", _fixed(f"/reports/statistics?{PERIOD}&format=xlsx"),
         REPORT_READERS),
    Case("submit-report", "POST", _submission, frozenset({"leader", "admin"})),
    Case("satisfaction", "GET", _fixed(f"/reports/satisfaction?{PERIOD}"), REPORT_READERS),
    Case("lateness", "GET", _fixed(f"/reports/lateness?{PERIOD}"), REPORT_READERS),
    Case("steps", "GET", _fixed(f"/reports/steps?procedure=chung_thuc_ban_sao&{PERIOD}"),
         REPORT_READERS),
    Case("staff", "GET", _fixed(f"/reports/staff?{PERIOD}"), REPORT_READERS),
    Case("events.xes", "GET", _fixed("/exports/events.xes"), AUDITORS),
    Case("events.csv", "GET", _fixed("/exports/events.csv"), AUDITORS),
    Case("unlock", "DELETE", _fixed("/auth/lockouts/users/nobody"), LEADERS | {"admin"}),
    Case("unlock-address", "DELETE", _fixed("/auth/lockouts/addresses/203.0.113.9"),
         LEADERS | {"admin"}),
    Case("public", "GET", _dossier("/public/dossiers/{code}"), EVERYONE | {None}),
    Case("filings-catalogue", "GET", _fixed("/public/filings/catalogue"), EVERYONE | {None}),
    Case("online-filing", "POST", _online_filing, EVERYONE | {None}),
    Case("incidents", "GET", _fixed("/incidents"), REPORT_READERS | {"designer"}),
    Case("rating", "POST", _rating, EVERYONE | {None}),
    Case("supplement-view", "GET", _supplement_view, EVERYONE | {None}),
    Case("supplement", "POST", _supplement, EVERYONE | {None}),
    Case("survey", "GET", _fixed("/public/survey"), EVERYONE | {None}),
    Case("secret-recovery", "POST", _recovery, EVERYONE | {None}),
    Case("own-password", "POST", _own_password, EVERYONE),
    Case("admin-units", "GET", _fixed("/admin/units"), ADMIN),
    Case("admin-users", "GET", _fixed("/admin/users"), ADMIN),
    Case("admin-create-user", "POST", _new_user, ADMIN),
    Case("admin-memberships", "PUT", _on_account(
        "/admin/users/{username}/memberships", "thanhvien", json={"memberships": [
            {"unit": "000.00.81.H26", "department": "TU_PHAP", "roles": ["staff"]}]}), ADMIN),
    Case("admin-deactivate", "POST", _on_account("/admin/users/{username}/deactivate",
                                                 "khoa"), ADMIN),
    Case("admin-reactivate", "POST", _on_account("/admin/users/{username}/reactivate",
                                                 "mo"), ADMIN),
    Case("admin-reset-password", "POST", _on_account(
        "/admin/users/{username}/reset-password", "matkhau",
        json={"password": "mat-khau-dat-lai"}), ADMIN),
    Case("admin-departments", "GET", _fixed("/admin/units/000.00.81.H26/departments"), ADMIN),
    Case("admin-save-department", "PUT", _fixed(
        "/admin/units/000.00.81.H26/departments/VAN_HOA", json={"name": "Văn hoá"}), ADMIN),
    Case("switch-off", "PUT", _fixed(SWITCH, json={"reason": "Thử quyền"}), SWITCHERS),
    Case("switch-on", "DELETE", _switched_off, SWITCHERS),
]


def _expected(case: Case, user: str | None) -> str:
    if user in case.allowed:
        return "2xx"
    return "401" if user is None else "403"


@pytest.mark.parametrize("user", [*DEMO, None], ids=[*DEMO, "anonymous"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_role_matrix(api: ApiOffice, case: Case, user: str | None) -> None:
    path, kwargs = case.setup(api, user)
    answer = api.client(user).request(case.method, path, **kwargs)
    got = f"{answer.status_code // 100}xx" if answer.status_code < 300 else \
        str(answer.status_code)
    assert got == _expected(case, user), f"{case.method} {path} as {user}: {answer.text}"
    if answer.status_code >= 400:
        assert answer.headers["content-type"] == "application/problem+json"
