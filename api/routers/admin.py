"""Administration: departments of each unit, accounts and their memberships (administrators),
and the procedures a unit does not take (administrators and the unit's leaders)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, File, Path, Query, Response, UploadFile
from pydantic import Field

from api.deps import CurrentUser, OfficeDep
from api.errors import PayloadTooLarge
from api.limits import MAX_FILE_BYTES
from api.schemas import (
    CODE_PATTERN,
    DEPARTMENT_PATTERN,
    KEY_PATTERN,
    USERNAME_PATTERN,
    NulFree,
    Strict,
    problem_responses,
)
from engine.errors import InvalidInput
from engine.model import SYSTEM_ROLES, AdministrativeUnit, Department, Membership, User
from engine.service import admin, units

router = APIRouter(prefix="/admin", tags=["administration"])

Unit = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.82.H26"],
                           description="the unit's agency code")]
UnitFilter = Annotated[str | None, Query(pattern=CODE_PATTERN, examples=["000.00.82.H26"])]
Code = Annotated[str, Path(pattern=DEPARTMENT_PATTERN, examples=["TU_PHAP"])]
Key = Annotated[str, Path(pattern=KEY_PATTERN, examples=["chung_thuc_ban_sao"])]
Username = Annotated[str, Path(pattern=USERNAME_PATTERN, examples=["tuphap.duongnoi"])]
Password = Annotated[str, Field(min_length=1, max_length=1024)]
UnitRole = Literal["staff", "leader", "auditor"]  # engine.model.UNIT_ROLES
SystemRole = Literal["admin", "designer"]  # engine.model.SYSTEM_ROLES
READ_ERRORS = problem_responses(401, 403, 422)
CHANGE_ERRORS = problem_responses(401, 403, 404, 422)


@dataclass(frozen=True)
class DepartmentOut:
    unit: str
    code: str
    name: str
    active: bool


@dataclass(frozen=True)
class MembershipOut:
    unit: str
    department: str | None  # None: the whole unit
    roles: list[str]


@dataclass(frozen=True)
class UserOut:
    username: str
    full_name: str
    active: bool
    system_roles: list[str]
    memberships: list[MembershipOut]


@dataclass(frozen=True)
class SwitchOut:
    unit: str
    procedure: str
    switched_off: bool  # the unit takes no new dossier of the procedure
    changed: bool  # it was not so before


class DepartmentIn(Strict):
    name: Annotated[NulFree, Field(min_length=1, max_length=200,
                                   examples=["Văn phòng HĐND và UBND phường (tư pháp)"])]
    active: bool = True


class MembershipIn(Strict):
    unit: Annotated[str, Field(pattern=CODE_PATTERN, examples=["000.00.82.H26"])]
    department: Annotated[str | None, Field(pattern=DEPARTMENT_PATTERN,
                                            examples=["TU_PHAP"])] = None
    roles: Annotated[list[UnitRole], Field(min_length=1, max_length=3)]


class MembershipsIn(Strict):
    memberships: Annotated[list[MembershipIn], Field(max_length=100)]


class UserIn(MembershipsIn):
    username: Annotated[str, Field(pattern=USERNAME_PATTERN, examples=["tuphap.duongnoi"])]
    full_name: Annotated[NulFree, Field(min_length=1, max_length=200,
                                        examples=["Trần Thị Bình"])]
    password: Password
    system_roles: list[SystemRole] = Field(default_factory=list, max_length=2)
    memberships: list[MembershipIn] = Field(default_factory=list, max_length=100)


class PasswordIn(Strict):
    password: Password


class SwitchOffIn(Strict):
    reason: Annotated[NulFree, Field(min_length=1, max_length=1000,
                                     examples=["Chưa có cán bộ chứng thực"])]


def _department(d: Department) -> DepartmentOut:
    return DepartmentOut(d.agency_code, d.code, d.name, d.active)


def _user(u: User) -> UserOut:
    return UserOut(u.username, u.full_name, u.active, sorted(u.roles & set(SYSTEM_ROLES)),
                   [MembershipOut(m.unit, m.department, sorted(m.roles))
                    for m in u.memberships])


def _places(body: MembershipsIn) -> list[Membership]:
    return [Membership(m.unit, m.department, frozenset(m.roles)) for m in body.memberships]


# ---- units --------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitOut:
    code: str
    agency_code: str
    name: str
    level: str
    parent: str | None
    valid_from: date
    valid_to: date | None
    successors: list[str]
    confirmed: bool
    source: str


@dataclass(frozen=True)
class UnitsImportedOut:
    total: int
    added: int
    changed: int
    removed: int
    unchanged: int


def _unit(u: AdministrativeUnit) -> UnitOut:
    return UnitOut(u.code, u.agency_code, u.name, u.level.value, u.parent, u.valid_from,
                   u.valid_to, list(u.successors), u.confirmed, u.source)


@router.get("/units", response_model=list[UnitOut], responses=READ_ERRORS)
def list_units(user: CurrentUser, office: OfficeDep) -> list[UnitOut]:
    """Every stored unit version: the province, then districts (history), then communes."""
    return [_unit(u) for u in units.list_units(office, user)]


@router.put("/units", response_model=UnitsImportedOut,
            responses=problem_responses(401, 403, 413, 422))
def import_units(file: Annotated[UploadFile, File(description="a units CSV file (UTF-8), "
                                                  "as docs/organisation.md describes")],
                 user: CurrentUser, office: OfficeDep) -> UnitsImportedOut:
    """Make the stored units exactly the file's, all or nothing: a file with any problem
    answers 422 with each problem's line and changes nothing."""
    data = file.file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise PayloadTooLarge(f"the units file is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the units file is not UTF-8 text") from None
    done = units.import_units(office, file.filename or "units.csv", text, user)
    return UnitsImportedOut(done.total, done.added, done.changed, done.removed, done.unchanged)


# ---- departments --------------------------------------------------------------------------

@router.get("/units/{unit}/departments", response_model=list[DepartmentOut],
            responses=READ_ERRORS)
def departments(unit: Unit, user: CurrentUser, office: OfficeDep) -> list[DepartmentOut]:
    """The unit's departments, closed ones too."""
    return [_department(d) for d in admin.list_departments(office, user, unit)]


@router.put("/units/{unit}/departments/{code}", response_model=DepartmentOut,
            responses=READ_ERRORS)
def save_department(unit: Unit, code: Code, body: DepartmentIn, user: CurrentUser,
                    office: OfficeDep) -> DepartmentOut:
    """Add the department to the unit, or rename, close (``active`` false) or reopen it."""
    return _department(admin.save_department(office, user, unit, code, body.name,
                                             body.active))


# ---- users --------------------------------------------------------------------------------

@router.get("/users", response_model=list[UserOut], responses=READ_ERRORS)
def users(user: CurrentUser, office: OfficeDep, unit: UnitFilter = None) -> list[UserOut]:
    """Every account, or those with a membership in ``unit``."""
    return [_user(u) for u in admin.list_users(office, user, unit)]


@router.post("/users", status_code=201, response_model=UserOut,
             responses=problem_responses(401, 403, 409, 422))
def create_user(body: UserIn, user: CurrentUser, office: OfficeDep) -> UserOut:
    """A new account; it needs a membership in some unit or a system role."""
    return _user(admin.create_user(office, user, body.username, body.full_name,
                                   body.password, body.system_roles, _places(body)))


@router.put("/users/{username}/memberships", response_model=UserOut,
            responses=CHANGE_ERRORS)
def set_memberships(username: Username, body: MembershipsIn, user: CurrentUser,
                    office: OfficeDep) -> UserOut:
    """Make the account's memberships exactly these; its system roles stay."""
    return _user(admin.set_memberships(office, user, username, _places(body)))


@router.post("/users/{username}/deactivate", response_model=UserOut,
             responses=CHANGE_ERRORS)
def deactivate(username: Username, user: CurrentUser, office: OfficeDep) -> UserOut:
    """The account signs in no more; its tokens and sessions stop working at once."""
    return _user(admin.deactivate_user(office, user, username))


@router.post("/users/{username}/reactivate", response_model=UserOut,
             responses=CHANGE_ERRORS)
def reactivate(username: Username, user: CurrentUser, office: OfficeDep) -> UserOut:
    return _user(admin.reactivate_user(office, user, username))


@router.post("/users/{username}/reset-password", status_code=204, responses=CHANGE_ERRORS)
def reset_password(username: Username, body: PasswordIn, user: CurrentUser,
                   office: OfficeDep) -> Response:
    """A new password (at least 8 characters); the account's tokens stop working."""
    admin.reset_password(office, user, username, body.password)
    return Response(status_code=204)


# ---- procedures a unit does not take ------------------------------------------------------

@router.put("/units/{unit}/procedures/{key}/switch-off", response_model=SwitchOut,
            responses=CHANGE_ERRORS)
def switch_off(unit: Unit, key: Key, body: SwitchOffIn, user: CurrentUser,
               office: OfficeDep) -> SwitchOut:
    """The unit takes no new dossier of the procedure (administrators, the unit's leaders)."""
    changed = admin.switch_off_procedure(office, user, unit, key, body.reason)
    return SwitchOut(unit, key, True, changed)


@router.delete("/units/{unit}/procedures/{key}/switch-off", response_model=SwitchOut,
               responses=CHANGE_ERRORS)
def switch_on(unit: Unit, key: Key, user: CurrentUser, office: OfficeDep) -> SwitchOut:
    """The unit takes the procedure again."""
    changed = admin.switch_on_procedure(office, user, unit, key)
    return SwitchOut(unit, key, False, changed)
