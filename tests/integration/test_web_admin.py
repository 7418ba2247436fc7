"""Administration pages: an administrator adds, locks and resets accounts, gives and takes
their roles, keeps the units' departments and switches procedures off and on at a unit on
/quan-tri; anyone signed in changes their own password on /mat-khau."""

from __future__ import annotations

import httpx

from engine.service import admin as admin_service
from tests.features.api_steps import APPLICANT, COPY, ApiOffice, csrf_of, web_session

WARD = "000.00.82.H26"
PASSWORD = "mat-khau-moi-1"


def _token(api: ApiOffice, username: str, password: str) -> int:
    with httpx.Client(base_url=f"{api.url}/api/v1") as raw:
        return raw.post("/auth/token", data={"username": username,
                                             "password": password}).status_code


def _add(admin: httpx.Client, username: str, **fields: str) -> httpx.Response:
    csrf = csrf_of(admin.get("/quan-tri").text)
    data = {"csrf": csrf, "username": username, "full_name": "Nguyễn Thị Mới",
            "password": PASSWORD, "unit": WARD, "department": "TU_PHAP", "role": "staff"}
    return admin.post("/quan-tri/tai-khoan", data={**data, **fields})


def test_an_administrator_adds_an_account_that_signs_in(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    page = admin.get("/quan-tri")
    assert page.status_code == 200
    assert "Thêm tài khoản" in page.text and 'href="/quan-tri"' in page.text
    added = _add(admin, "canbo.moi")
    assert added.status_code == 303 and added.headers["location"].startswith("/quan-tri")
    listed = admin.get("/quan-tri").text
    assert "canbo.moi" in listed and "Nguyễn Thị Mới" in listed
    assert "Cán bộ – " in listed and "Đã thêm tài khoản." in admin.get(
        added.headers["location"]).text
    assert _token(api, "canbo.moi", PASSWORD) == 200
    again = _add(admin, "canbo.moi")
    assert again.status_code == 409 and "Không lưu được thay đổi" in again.text
    admin.close()


def test_a_place_that_does_not_exist_is_refused_in_vietnamese(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    no_department = _add(admin, "canbo.sai.phong", department="KHONG_CO")
    assert no_department.status_code == 422
    assert "Không lưu được thay đổi" in no_department.text
    assert 'role="alert"' in no_department.text
    no_unit = _add(admin, "canbo.sai.donvi", unit="999.99.99.H26")
    assert no_unit.status_code == 422
    listed = admin.get("/quan-tri").text
    assert "canbo.sai.phong" not in listed and "canbo.sai.donvi" not in listed
    assert _token(api, "canbo.sai.phong", PASSWORD) == 401
    admin.close()


def test_a_locked_account_signs_in_no_more_until_unlocked(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    assert _add(admin, "canbo.khoa").status_code == 303
    csrf = csrf_of(admin.get("/quan-tri").text)
    locked = admin.post("/quan-tri/tai-khoan/canbo.khoa/khoa", data={"csrf": csrf})
    assert locked.status_code == 303
    assert _token(api, "canbo.khoa", PASSWORD) == 401
    assert "Đã khoá" in admin.get("/quan-tri").text
    unlocked = admin.post("/quan-tri/tai-khoan/canbo.khoa/mo-khoa", data={"csrf": csrf})
    assert unlocked.status_code == 303
    assert _token(api, "canbo.khoa", PASSWORD) == 200
    reset = admin.post("/quan-tri/tai-khoan/canbo.khoa/mat-khau",
                       data={"csrf": csrf, "password": "dat-lai-123"})
    assert reset.status_code == 303
    assert _token(api, "canbo.khoa", PASSWORD) == 401
    assert _token(api, "canbo.khoa", "dat-lai-123") == 200
    short = admin.post("/quan-tri/tai-khoan/canbo.khoa/mat-khau",
                       data={"csrf": csrf, "password": "ngan"})
    assert short.status_code == 422 and "Không lưu được thay đổi" in short.text
    admin.close()


def test_an_administrator_renames_and_adds_departments(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    csrf = csrf_of(admin.get("/quan-tri").text)
    saved = admin.post("/quan-tri/phong-ban", data={"csrf": csrf, "unit": WARD,
                                                     "code": "KIEM_THU",
                                                     "name": "Phòng Kiểm thử",
                                                     "active": "true"})
    assert saved.status_code == 303
    assert "Phòng Kiểm thử" in admin.get("/quan-tri").text
    bad = admin.post("/quan-tri/phong-ban", data={"csrf": csrf, "unit": WARD,
                                                   "code": "sai ma", "name": "X"})
    assert bad.status_code == 422 and "Không lưu được thay đổi" in bad.text
    admin.close()


def test_only_administrators_open_the_page(api: ApiOffice) -> None:
    for username in ("leader", "justice", "auditor"):
        browser = web_session(api, username)
        assert browser.get("/quan-tri").status_code == 403
        assert 'href="/quan-tri"' not in browser.get("/mat-khau").text
        browser.close()


def test_a_user_changes_their_own_password(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    assert _add(admin, "canbo.doimatkhau").status_code == 303
    admin.close()
    me = httpx.Client(base_url=api.url)
    csrf = csrf_of(me.get("/dang-nhap").text)
    signed = me.post("/dang-nhap", data={"csrf": csrf, "username": "canbo.doimatkhau",
                                         "password": PASSWORD})
    assert signed.status_code == 303
    form = me.get("/mat-khau")
    assert form.status_code == 200 and "Mật khẩu hiện tại" in form.text
    csrf = csrf_of(form.text)
    mismatch = me.post("/mat-khau", data={"csrf": csrf, "current": PASSWORD,
                                          "new": "moi-hon-nua-1", "repeat": "khac-hon-1"})
    assert mismatch.status_code == 422 and "không khớp" in mismatch.text
    wrong = me.post("/mat-khau", data={"csrf": csrf, "current": "khong-dung-1",
                                       "new": "moi-hon-nua-1", "repeat": "moi-hon-nua-1"})
    assert wrong.status_code == 422 and "Không đổi được mật khẩu" in wrong.text
    assert _token(api, "canbo.doimatkhau", PASSWORD) == 200
    changed = me.post("/mat-khau", data={"csrf": csrf, "current": PASSWORD,
                                         "new": "moi-hon-nua-1", "repeat": "moi-hon-nua-1"})
    assert changed.status_code == 303
    assert "Đã đổi mật khẩu." in me.get(changed.headers["location"]).text
    assert _token(api, "canbo.doimatkhau", PASSWORD) == 401
    assert _token(api, "canbo.doimatkhau", "moi-hon-nua-1") == 200
    me.close()


def _roles(api: ApiOffice, username: str) -> list[dict[str, object]]:
    users = api.client("admin").get("/admin/users").json()
    return next(u for u in users if u["username"] == username)["memberships"]


def test_an_administrator_adds_and_removes_a_role_of_an_account(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    assert _add(admin, "canbo.vaitro").status_code == 303
    csrf = csrf_of(admin.get("/quan-tri").text)
    path = "/quan-tri/tai-khoan/canbo.vaitro/vai-tro"
    added = admin.post(path, data={"csrf": csrf, "unit": WARD, "department": "",
                                   "role": "leader"})
    assert added.status_code == 303
    assert "Đã lưu vai trò của tài khoản." in admin.get(added.headers["location"]).text
    row = admin.get("/quan-tri").text.split('id="user-canbo.vaitro"')[1].split("</tr>")[0]
    assert "Lãnh đạo – Cả đơn vị – " in row and "Cán bộ – " in row
    assert row.count(">Bỏ</button>") == 2 and "Thêm vai trò" in row
    assert sorted((m["unit"], m["department"] or "", tuple(m["roles"]))
                  for m in _roles(api, "canbo.vaitro")) == [
        (WARD, "", ("leader",)), (WARD, "TU_PHAP", ("staff",))]
    bad = admin.post(path, data={"csrf": csrf, "unit": WARD, "department": "KHONG_CO",
                                 "role": "staff"})
    assert bad.status_code == 422 and "Không lưu được thay đổi" in bad.text
    removed = admin.post(path, data={"csrf": csrf, "remove": f"{WARD}||leader"})
    assert removed.status_code == 303
    row = admin.get("/quan-tri").text.split('id="user-canbo.vaitro"')[1].split("</tr>")[0]
    assert "Lãnh đạo – Cả đơn vị" not in row and "Cán bộ – " in row
    assert [(m["unit"], m["department"], m["roles"]) for m in _roles(api, "canbo.vaitro")
            ] == [(WARD, "TU_PHAP", ["staff"])]
    last = admin.post(path, data={"csrf": csrf, "remove": f"{WARD}|TU_PHAP|staff"})
    assert last.status_code == 422  # an account keeps a unit or a system role
    admin.close()


def test_an_administrator_switches_a_procedure_off_and_on_at_a_unit(api: ApiOffice) -> None:
    submission = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT,
                  "channel": "direct", "data": COPY}
    admin = web_session(api, "admin")
    page = admin.get("/quan-tri").text
    assert "Thủ tục tạm ngừng tiếp nhận" in page and 'value="chung_thuc_ban_sao"' in page
    csrf = csrf_of(page)
    no_reason = admin.post("/quan-tri/thu-tuc/tat", data={
        "csrf": csrf, "unit": WARD, "procedure": "chung_thuc_ban_sao", "reason": " "})
    assert no_reason.status_code == 422 and "Không lưu được thay đổi" in no_reason.text
    no_procedure = admin.post("/quan-tri/thu-tuc/tat", data={
        "csrf": csrf, "unit": WARD, "procedure": "khong_co", "reason": "X"})
    assert no_procedure.status_code == 422
    off = admin.post("/quan-tri/thu-tuc/tat", data={
        "csrf": csrf, "unit": WARD, "procedure": "chung_thuc_ban_sao",
        "reason": "Chưa có cán bộ chứng thực"})
    try:
        assert off.status_code == 303
        listed = admin.get(off.headers["location"]).text
        assert "Đã tạm ngừng tiếp nhận thủ tục." in listed
        section = listed.split('id="h-switched-off"')[1]
        assert "Chưa có cán bộ chứng thực" in section and WARD in section
        assert api.office.calendar.local_time(api.office.now()).strftime("%d/%m/%Y") \
            in section
        assert ">Tiếp nhận lại</button>" in section
        assert [(s.unit, s.procedure_key, s.by) for s in
                admin_service.list_switch_offs(api.office, None)] == [
            (WARD, "chung_thuc_ban_sao", "admin")]
        refused = api.client("reception.duongnoi").post("/dossiers", json=submission)
        assert refused.status_code == 422, refused.text
    finally:
        on = admin.post("/quan-tri/thu-tuc/bat", data={
            "csrf": csrf, "unit": WARD, "procedure": "chung_thuc_ban_sao"})
    assert on.status_code == 303
    again = admin.get(on.headers["location"]).text
    assert "Đã tiếp nhận lại thủ tục." in again
    assert "Chưa có cán bộ chứng thực" not in again
    taken = api.client("reception.duongnoi").post("/dossiers", json=submission)
    assert taken.status_code == 201, taken.text
    admin.close()


def test_only_administrators_change_roles_and_switch_procedures(api: ApiOffice) -> None:
    for username in ("leader", "leader.duongnoi", "justice"):
        browser = web_session(api, username)
        csrf = csrf_of(browser.get("/mat-khau").text)
        for path, data in [("/quan-tri/tai-khoan/justice/vai-tro",
                            {"unit": WARD, "department": "", "role": "leader"}),
                           ("/quan-tri/thu-tuc/tat",
                            {"unit": WARD, "procedure": "chung_thuc_ban_sao",
                             "reason": "X"}),
                           ("/quan-tri/thu-tuc/bat",
                            {"unit": WARD, "procedure": "chung_thuc_ban_sao"})]:
            assert browser.post(path, data={"csrf": csrf, **data}).status_code == 403
        browser.close()
    assert admin_service.list_switch_offs(api.office, None) == []


def test_the_page_lists_the_units_with_their_merger_history(api: ApiOffice) -> None:
    admin = web_session(api, "admin")
    page = admin.get("/quan-tri").text
    head, body = page.split("</title>", 1)
    assert "<section" not in head  # the page's title is text only
    assert "Đơn vị hành chính" in body
    assert "Quận Hà Đông" in body and "01/07/2025" in body
    assert "Phường Phú La" in body and "chưa xác nhận" in body
    admin.close()
