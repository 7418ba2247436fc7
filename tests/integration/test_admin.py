"""Administration over HTTP and at the CLI: departments, accounts and memberships, passwords,
and switching a procedure off at a unit. Each change is one event on the system chain; a
refused change writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from engine.cli import app
from engine.model import AuditEvent
from engine.store.tables import dossiers
from tests.databases import ROOT
from tests.features.api_steps import APPLICANT, COPY, ApiOffice

FIRST, SECOND = "000.00.81.H26", "000.00.82.H26"
PROBLEM = "application/problem+json"
PASSWORD = "mat-khau-123"
runner = CliRunner()


def system_events(api: ApiOffice) -> list[AuditEvent]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return uow.audit.events("system")


def problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    return body


def sign_in(api: ApiOffice, username: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=f"{api.url}/api/v1") as raw:
        return raw.post("/auth/token", data={"username": username, "password": password})


def as_user(api: ApiOffice, username: str, password: str = PASSWORD) -> httpx.Client:
    answer = sign_in(api, username, password)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    return httpx.Client(base_url=f"{api.url}/api/v1",
                        headers={"Authorization": f"Bearer {token}"})


def new_user(api: ApiOffice, username: str, **body: Any) -> httpx.Response:
    payload = {"username": username, "full_name": "Trần Thị Bình", "password": PASSWORD,
               "memberships": [{"unit": SECOND, "department": "TU_PHAP", "roles": ["staff"]}],
               **body}
    return api.client("admin").post("/admin/users", json=payload)


def exists(api: ApiOffice, username: str) -> bool:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return uow.org.user(username) is not None


def test_an_admin_adds_a_staff_member_who_signs_in_and_reads_the_queues(api: ApiOffice
                                                                          ) -> None:
    before = len(system_events(api))
    answer = new_user(api, "binh.duongnoi")
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"username": "binh.duongnoi", "full_name": "Trần Thị Bình",
                             "active": True, "system_roles": [], "memberships": [
                                 {"unit": SECOND, "department": "TU_PHAP",
                                  "roles": ["staff"]}]}
    [event] = system_events(api)[before:]
    assert (event.kind, event.actor) == ("user_created", "admin")
    assert event.data["username"] == "binh.duongnoi"
    assert "password" not in str(event.data)
    with as_user(api, "binh.duongnoi") as binh:
        assert binh.get("/tasks").status_code == 200
    listed = api.client("admin").get("/admin/users", params={"unit": SECOND}).json()
    assert "binh.duongnoi" in [u["username"] for u in listed]
    problem(new_user(api, "binh.duongnoi"), 409)


@pytest.mark.parametrize("user", ["reception", "leader", "auditor", "designer",
                                  "leader.duongnoi"])
def test_only_administrators_administer(api: ApiOffice, user: str) -> None:
    problem(api.client(user).get("/admin/users"), 403)
    problem(api.client(user).get(f"/admin/units/{FIRST}/departments"), 403)
    problem(api.client(user).post("/admin/users", json={
        "username": "khong.duoc", "full_name": "Không Được", "password": PASSWORD,
        "system_roles": ["admin"]}), 403)
    assert not exists(api, "khong.duoc")


@pytest.mark.parametrize(("memberships", "system_roles", "detail"), [
    ([{"unit": "999.99.99.H26", "department": "TU_PHAP", "roles": ["staff"]}], [],
     "999.99.99.H26"),
    ([{"unit": SECOND, "department": "KHONG_CO", "roles": ["staff"]}], [],
     f"đơn vị {SECOND} không có phòng ban KHONG_CO"),
    ([], [], "hãy gán cho người dùng một đơn vị hoặc một vai trò hệ thống"),
], ids=["unknown unit", "unknown department", "no unit"])
def test_a_refused_user_is_not_written(api: ApiOffice, memberships: list[Any],
                                       system_roles: list[str], detail: str) -> None:
    before = len(system_events(api))
    body = problem(new_user(api, "bi.tu.choi", memberships=memberships,
                            system_roles=system_roles), 422)
    assert detail in body["detail"]
    assert not exists(api, "bi.tu.choi")
    assert len(system_events(api)) == before


def test_short_passwords_and_bad_usernames_are_refused(api: ApiOffice) -> None:
    problem(new_user(api, "ngan.qua", password="short"), 422)
    problem(new_user(api, "Hoa.Chu"), 422)
    assert not exists(api, "ngan.qua")


def test_departments_are_added_renamed_and_listed(api: ApiOffice) -> None:
    admin = api.client("admin")
    path = f"/admin/units/{SECOND}/departments/VAN_HOA"
    before = len(system_events(api))
    assert admin.put(path, json={"name": "Văn hoá – xã hội"}).status_code == 200
    assert admin.put(path, json={"name": "Văn hoá – xã hội"}).status_code == 200  # no change
    assert admin.put(path, json={"name": "Văn hoá", "active": False}).status_code == 200
    kinds = [e.kind for e in system_events(api)[before:]]
    assert kinds == ["department_added", "department_changed"]
    listed = admin.get(f"/admin/units/{SECOND}/departments").json()
    assert {"unit": SECOND, "code": "VAN_HOA", "name": "Văn hoá", "active": False} in listed
    assert "999.99.99.H26" in problem(admin.put(
        "/admin/units/999.99.99.H26/departments/VAN_HOA", json={"name": "X"}), 422)["detail"]
    problem(admin.put(f"/admin/units/{SECOND}/departments/van_hoa", json={"name": "X"}), 422)


def test_memberships_change_and_deactivation_stops_the_token(api: ApiOffice) -> None:
    assert new_user(api, "chi.duongnoi").status_code == 201
    admin = api.client("admin")
    chi = as_user(api, "chi.duongnoi")
    before = len(system_events(api))
    moved = admin.put("/admin/users/chi.duongnoi/memberships", json={"memberships": [
        {"unit": FIRST, "department": "TU_PHAP", "roles": ["staff", "leader"]}]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["memberships"] == [{"unit": FIRST, "department": "TU_PHAP",
                                            "roles": ["leader", "staff"]}]
    problem(admin.put("/admin/users/chi.duongnoi/memberships", json={"memberships": []}), 422)
    assert chi.get("/tasks").status_code == 200
    assert admin.post("/admin/users/chi.duongnoi/deactivate").json()["active"] is False
    assert admin.post("/admin/users/chi.duongnoi/deactivate").status_code == 200  # no change
    problem(chi.get("/tasks"), 401)
    problem(sign_in(api, "chi.duongnoi", PASSWORD), 401)
    assert admin.post("/admin/users/chi.duongnoi/reactivate").json()["active"] is True
    problem(chi.get("/tasks"), 401)  # the old token stays dead
    as_user(api, "chi.duongnoi").close()
    kinds = [e.kind for e in system_events(api)[before:]]
    assert kinds == ["memberships_changed", "user_deactivated", "user_reactivated"]
    problem(admin.post("/admin/users/admin/deactivate"), 403)
    problem(admin.post("/admin/users/khong.ai/deactivate"), 404)
    chi.close()


def test_a_reset_password_replaces_the_old_one(api: ApiOffice) -> None:
    assert new_user(api, "dung.duongnoi").status_code == 201
    dung = as_user(api, "dung.duongnoi")
    before = len(system_events(api))
    answer = api.client("admin").post("/admin/users/dung.duongnoi/reset-password",
                                      json={"password": "moi-hoan-toan"})
    assert answer.status_code == 204, answer.text
    problem(dung.get("/tasks"), 401)
    problem(sign_in(api, "dung.duongnoi", PASSWORD), 401)
    as_user(api, "dung.duongnoi", "moi-hoan-toan").close()
    assert [e.kind for e in system_events(api)[before:]] == ["password_reset"]
    dung.close()


def test_a_user_changes_their_own_password(api: ApiOffice) -> None:
    assert new_user(api, "em.duongnoi").status_code == 201
    em = as_user(api, "em.duongnoi")
    before = len(system_events(api))
    problem(em.post("/auth/password", json={"old_password": "sai-mat-khau",
                                            "new_password": "mat-khau-moi"}), 422)
    problem(em.post("/auth/password", json={"old_password": PASSWORD,
                                            "new_password": "ngan"}), 422)
    assert len(system_events(api)) == before
    answer = em.post("/auth/password", json={"old_password": PASSWORD,
                                             "new_password": "mat-khau-moi"})
    assert answer.status_code == 204, answer.text
    problem(sign_in(api, "em.duongnoi", PASSWORD), 401)
    as_user(api, "em.duongnoi", "mat-khau-moi").close()
    [event] = system_events(api)[before:]
    assert (event.kind, event.actor) == ("password_changed", "em.duongnoi")
    em.close()


def dossier_count(api: ApiOffice) -> int:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return int(uow.conn.execute(sa.select(sa.func.count()).select_from(dossiers))
                   .scalar_one())


def test_a_switched_off_procedure_takes_no_dossier_until_switched_on(api: ApiOffice) -> None:
    path = f"/admin/units/{FIRST}/procedures/chung_thuc_ban_sao/switch-off"
    submission = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT,
                  "channel": "direct", "data": COPY}
    before = len(system_events(api))
    problem(api.client("leader.duongnoi").put(path, json={"reason": "Không"}), 403)
    problem(api.client("admin").put(path, json={"reason": ""}), 422)
    problem(api.client("admin").put(
        f"/admin/units/{FIRST}/procedures/khong_co/switch-off", json={"reason": "X"}), 404)
    off = api.client("leader").put(path, json={"reason": "Chưa có cán bộ chứng thực"})
    assert off.json() == {"unit": FIRST, "procedure": "chung_thuc_ban_sao",
                          "switched_off": True, "changed": True}
    try:
        count = dossier_count(api)
        problem(api.client("reception").post("/dossiers", json=submission), 422)
        assert dossier_count(api) == count
        api.submit(by="reception.duongnoi")  # the second ward still takes it
    finally:
        on = api.client("admin").delete(path)
    assert on.json()["changed"] is True
    assert api.client("admin").delete(path).json()["changed"] is False
    api.submit(by="reception")
    events = system_events(api)[before:]
    assert [(e.kind, e.actor) for e in events] == [("procedure_switched_off", "leader"),
                                                   ("procedure_switched_on", "admin")]


# ---- the CLI --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def env(api: ApiOffice) -> dict[str, str]:
    return {"MOTCUA_DATABASE_URL": api.settings.database_url}


def motcua(env: dict[str, str], *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), env=env, input=stdin)


def test_the_cli_adds_lists_and_deactivates_users(api: ApiOffice, env: dict[str, str]
                                                  ) -> None:
    added = motcua(env, "users", "add", "giang.duongnoi", "--name", "Lê Văn Giang", "--unit",
                   SECOND, "--department", "TU_PHAP", "--role", "staff", "--password-stdin",
                   stdin="mat-khau-cli\n")
    assert added.exit_code == 0, added.output
    as_user(api, "giang.duongnoi", "mat-khau-cli").close()
    listed = motcua(env, "users", "list", "--unit", SECOND)
    assert f"giang.duongnoi\tLê Văn Giang\tactive\t-\t{SECOND}/TU_PHAP:staff" \
        in listed.stdout.splitlines()
    refused = motcua(env, "users", "add", "hoa.duongnoi", "--name", "Hoa", "--unit", SECOND,
                     "--department", "KHONG_CO", "--role", "staff", "--password-stdin",
                     stdin="mat-khau-cli\n")
    assert refused.exit_code == 1
    assert f"đơn vị {SECOND} không có phòng ban KHONG_CO" in refused.output
    reset = motcua(env, "users", "reset-password", "giang.duongnoi", stdin="khac-hoan-toan\n")
    assert reset.exit_code == 0, reset.output
    as_user(api, "giang.duongnoi", "khac-hoan-toan").close()
    assert motcua(env, "users", "deactivate", "giang.duongnoi").exit_code == 0
    problem(sign_in(api, "giang.duongnoi", "khac-hoan-toan"), 401)
    actors = {(e.kind, e.actor) for e in system_events(api)}
    assert {("user_created", "cli"), ("password_reset", "cli"),
            ("user_deactivated", "cli")} <= actors


def test_the_cli_sets_departments_and_switches_procedures(api: ApiOffice,
                                                          env: dict[str, str]) -> None:
    done = motcua(env, "departments", "set", SECOND, "Y_TE", "Trạm y tế")
    assert done.exit_code == 0, done.output
    listed = motcua(env, "departments", "list", "--unit", SECOND)
    assert f"{SECOND}\tY_TE\tTrạm y tế\tactive" in listed.stdout.splitlines()
    off = motcua(env, "procedures", "switch-off", SECOND, "chung_thuc_ban_sao",
                 "--reason", "Bảo trì")
    assert off.exit_code == 0, off.output
    assert "đã tạm dừng" in off.stdout
    problem(api.client("reception.duongnoi").post("/dossiers", json={
        "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "direct",
        "data": COPY}), 422)
    on = motcua(env, "procedures", "switch-on", SECOND, "chung_thuc_ban_sao")
    assert on.exit_code == 0, on.output
    api.submit(by="reception.duongnoi")
    missing = motcua(env, "procedures", "switch-on", SECOND, "khong_co")
    assert missing.exit_code == 1
    assert "khong_co" in missing.output


def test_units_are_listed_and_imported_all_or_nothing(api: ApiOffice) -> None:
    admin = api.client("admin")
    listed = admin.get("/admin/units").json()
    assert len(listed) == 25
    assert listed[0]["name"] == "Thành phố Hà Nội" and listed[0]["level"] == "province"
    assert api.client("auditor").get("/admin/units").status_code == 403
    shipped = admin.get("/admin/units").json()
    header = "code,agency_code,name,level,parent,valid_from,valid_to,successors,confirmed,source\n"
    bad = header + "01,000.00.00.H26,Thành phố Hà Nội,province,,2008-08-01,,,no,\n" \
                   "09552,000.00.81.H26,Phường Hà Đông,commune,99,2025-07-01,,,no,\n"
    refused = admin.put("/admin/units", files={"file": ("units.csv", bad.encode(), "text/csv")})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "units.csv:3" in refused.text
    assert admin.get("/admin/units").json() == shipped  # nothing written
    shipped_file = (ROOT / "engine" / "units_data" / "ha_noi.csv").read_bytes()
    again = admin.put("/admin/units", files={"file": ("ha_noi.csv", shipped_file, "text/csv")})
    assert again.status_code == 200
    assert again.json() == {"total": 25, "added": 0, "changed": 0, "removed": 0,
                            "unchanged": 25}
    not_text = admin.put("/admin/units", files={"file": ("u.csv", b"\xff\xfe\x00", "text/csv")})
    assert not_text.status_code == 422
