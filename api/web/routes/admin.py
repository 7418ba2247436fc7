"""Administration (Quản trị): the departments of each unit, the accounts and their roles in
the units, and the procedures a unit takes no dossier of, for administrators; and changing
one's own password, for anyone signed in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from engine.errors import Conflict, InvalidInput, NotAllowed, NotFound
from engine.model import UNIT_ROLES, Membership
from engine.service import admin, queries
from engine.service.permissions import may_administer
from engine.service.units import list_units as unit_list

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Username = Annotated[str, Path(pattern=r"^[a-z][a-z0-9._-]{2,63}$")]
NOTICES = ("notice_user_created", "notice_user_locked", "notice_user_unlocked",
           "notice_password_reset", "notice_department_saved", "notice_memberships_saved",
           "notice_procedure_switched_off", "notice_procedure_switched_on")
PASSWORD_LONGEST = 1024


def _secret(form: Any, name: str) -> str:
    """A password as typed (not stripped), cut just past the longest the engine takes."""
    value = form.get(name)
    return value[:PASSWORD_LONGEST + 1] if isinstance(value, str) else ""


def _admin_only(page: Page) -> None:
    """Said in the user's language before any form is read (the use cases say it too)."""
    if not may_administer(page.me):
        raise NotAllowed(page.t("error_admin_only"))


def _overview(page: Page, *, error: str = "", status: int = 200,
              values: dict[str, str] | None = None) -> HTMLResponse:
    departments = admin.list_departments(page.office, page.me)
    users = admin.list_users(page.office, page.me)
    units = sorted({d.agency_code for d in departments})
    all_units = unit_list(page.office, page.me)
    # By agency code, the latest version's name (the code itself for a unit not in the data).
    names = {u: u for u in units} | {u.agency_code: u.name for u in all_units}
    department_names = {(d.agency_code, d.code): d.name for d in departments}
    by_unit = {unit: [d for d in departments if d.agency_code == unit] for unit in units}
    switched_off = admin.list_switch_offs(page.office, page.me)
    procedures = queries.procedures(page.office, page.me)
    procedure_names = {p.key: p.name for p in procedures}
    # One line per role held at a place, with what its "Bỏ" button sends.
    places: dict[str, list[tuple[str, str]]] = {}
    for u in users:
        places[u.username] = [
            (" – ".join((page.t(f"role_{r}"),
                         department_names.get((m.unit, m.department), m.department)
                         if m.department else page.t("admin_whole_unit"),
                         names.get(m.unit) or m.unit)),
             f"{m.unit}|{m.department or ''}|{r}")
            for m in u.memberships for r in sorted(m.roles)]
    done = page.request.query_params.get("done", "")
    return page.render("admin.html", status=status, users=users, places=places,
                       all_units=all_units,
                       units=units, unit_names=names, by_unit=by_unit,
                       roles=UNIT_ROLES, values=values or {}, error=error,
                       switched_off=switched_off, procedures=procedures,
                       procedure_names=procedure_names,
                       notice=page.t(done) if done in NOTICES else "")


def _refused(page: Page, exc: InvalidInput | Conflict | NotFound,
             values: dict[str, str] | None = None) -> HTMLResponse:
    status = 409 if isinstance(exc, Conflict) else 422  # NotFound: a form's stale choice
    error = f"{page.t('admin_refused')} ({exc.text(page.lang)})"
    return _overview(page, error=error, status=status, values=values)


@router.get("/quan-tri", response_class=HTMLResponse)
def overview(page: UserPage) -> HTMLResponse:
    _admin_only(page)
    return _overview(page)


@router.post("/quan-tri/tai-khoan")
def create_account(page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    values = {name: text_field(form, name, 300)
              for name in ("username", "full_name", "unit", "department", "role")}
    password = _secret(form, "password")
    place = Membership(values["unit"], values["department"] or None,
                       frozenset({values["role"]}) if values["role"] else frozenset())
    try:
        admin.create_user(page.office, page.me, values["username"], values["full_name"],
                          password, (), [place])
    except (InvalidInput, Conflict) as exc:
        return _refused(page, exc, values)
    return page.redirect("/quan-tri?done=notice_user_created")


@router.post("/quan-tri/tai-khoan/{username}/khoa")
def lock(username: Username, page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    admin.deactivate_user(page.office, page.me, username)
    return page.redirect("/quan-tri?done=notice_user_locked")


@router.post("/quan-tri/tai-khoan/{username}/mo-khoa")
def unlock(username: Username, page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    admin.reactivate_user(page.office, page.me, username)
    return page.redirect("/quan-tri?done=notice_user_unlocked")


@router.post("/quan-tri/tai-khoan/{username}/mat-khau")
def reset_password(username: Username, page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    try:
        admin.reset_password(page.office, page.me, username,
                             _secret(form, "password"))
    except InvalidInput as exc:
        return _refused(page, exc)
    return page.redirect("/quan-tri?done=notice_password_reset")


@router.post("/quan-tri/phong-ban")
def save_department(page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    try:
        admin.save_department(page.office, page.me, text_field(form, "unit", 64),
                              text_field(form, "code", 64), text_field(form, "name", 300),
                              active=form.get("active") == "true")
    except (InvalidInput, Conflict) as exc:
        return _refused(page, exc)
    return page.redirect("/quan-tri?done=notice_department_saved")


def _without(memberships: tuple[Membership, ...], place: str) -> list[Membership]:
    """The memberships less one role at one place, ``unit|department|role`` (a place left
    with no role goes); unchanged when the user holds no such role there."""
    unit, _, rest = place.partition("|")
    department, _, role = rest.partition("|")
    kept = []
    for m in memberships:
        if m.unit == unit and (m.department or "") == department:
            m = Membership(m.unit, m.department, m.roles - {role})
        if m.roles:
            kept.append(m)
    return kept


@router.post("/quan-tri/tai-khoan/{username}/vai-tro")
def change_roles(username: Username, page: UserPage, form: Posted) -> Response:
    """Add one role at one place (``unit``, ``department`` or the whole unit, ``role``), or
    take one away (``remove``); the account's whole new list goes to the use case."""
    _admin_only(page)
    current = next((u for u in admin.list_users(page.office, page.me)
                    if u.username == username), None)
    if current is None:
        return _refused(page, NotFound(f"there is no user {username}"))
    remove = text_field(form, "remove", 400)
    if remove:
        memberships = _without(current.memberships, remove)
    else:
        role = text_field(form, "role", 64)
        memberships = [*current.memberships,
                       Membership(text_field(form, "unit", 64),
                                  text_field(form, "department", 64) or None,
                                  frozenset({role}) if role else frozenset())]
    try:
        admin.set_memberships(page.office, page.me, username, memberships)
    except InvalidInput as exc:
        return _refused(page, exc)
    return page.redirect("/quan-tri?done=notice_memberships_saved")


@router.post("/quan-tri/thu-tuc/tat")
def switch_off(page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    values = {name: text_field(form, name, 1001) for name in ("unit", "procedure", "reason")}
    try:
        admin.switch_off_procedure(page.office, page.me, values["unit"], values["procedure"],
                                   values["reason"])
    except (InvalidInput, NotFound) as exc:
        return _refused(page, exc, values)
    return page.redirect("/quan-tri?done=notice_procedure_switched_off")


@router.post("/quan-tri/thu-tuc/bat")
def switch_on(page: UserPage, form: Posted) -> Response:
    _admin_only(page)
    try:
        admin.switch_on_procedure(page.office, page.me, text_field(form, "unit", 64),
                                  text_field(form, "procedure", 200))
    except (InvalidInput, NotFound) as exc:
        return _refused(page, exc)
    return page.redirect("/quan-tri?done=notice_procedure_switched_on")


# ---- one's own password -----------------------------------------------------------------

def _password_page(page: Page, *, error: str = "", status: int = 200,
                   **context: Any) -> HTMLResponse:
    done = page.request.query_params.get("done", "") == "1"
    return page.render("password.html", status=status, error=error,
                       notice=page.t("notice_password_changed") if done else "", **context)


@router.get("/mat-khau", response_class=HTMLResponse)
def password_form(page: UserPage) -> HTMLResponse:
    return _password_page(page)


@router.post("/mat-khau")
def change_password(page: UserPage, form: Posted) -> Response:
    current = _secret(form, "current")
    new = _secret(form, "new")
    if new != _secret(form, "repeat"):
        return _password_page(page, error=page.t("password_mismatch"), status=422,
                              invalid="repeat")
    try:
        admin.change_own_password(page.office, page.me, current, new)
    except InvalidInput as exc:
        return _password_page(page, error=f"{page.t('password_refused')} ({exc.text(page.lang)})",
                              status=422)
    return page.redirect("/mat-khau?done=1")
