"""Sign-in: the OAuth2 password flow, so /docs can authorise with a username and password;
signing out; and lifting sign-in lockouts (leaders, admins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import Field

from api import auth
from api.deps import ClientDep, CurrentUser, OfficeDep, SettingsDep
from api.schemas import USERNAME_PATTERN, Strict, problem_responses
from engine.service import admin, users

router = APIRouter(prefix="/auth", tags=["authentication"])


@dataclass(frozen=True)
class MembershipOut:
    unit: str  # the unit's agency code
    department: str | None  # None: the whole unit
    roles: list[str]


@dataclass(frozen=True)
class Me:
    username: str
    full_name: str
    roles: list[str]  # every role held somewhere
    departments: list[str]  # department codes, in whichever unit
    memberships: list[MembershipOut]


class PasswordChange(Strict):
    old_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=1, max_length=1024)]


@dataclass(frozen=True)
class LockoutLifted:
    scope: str  # user | address
    who: str
    lifted: bool  # a lockout was running and has ended


@router.post("/token", response_model=auth.Token, responses=problem_responses(401, 422, 429))
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], office: OfficeDep,
          settings: SettingsDep, client: ClientDep) -> auth.Token:
    """Exchange a username and password for a bearer token. Repeated failures lock the
    username, or the client address, out for a while (429 with ``Retry-After``)."""
    user = users.authenticate(office, form.username, form.password, client)
    return auth.issue(settings, user.username, user.token_generation)


@router.post("/logout", status_code=204, responses=problem_responses(401))
def logout(user: CurrentUser, office: OfficeDep) -> Response:
    """Sign out: every token issued to the caller so far (this one included, on every
    device, web sessions too) is refused from now on."""
    users.sign_out(office, user)
    return Response(status_code=204)


@router.post("/password", status_code=204, responses=problem_responses(401, 422))
def change_password(body: PasswordChange, user: CurrentUser, office: OfficeDep) -> Response:
    """Change the caller's password (at least 8 characters), giving the current one; the
    tokens issued so far keep working."""
    admin.change_own_password(office, user, body.old_password, body.new_password)
    return Response(status_code=204)


# async: nothing here waits, so no hop to the thread pool.
@router.get("/me", response_model=Me, responses=problem_responses(401))
async def me(user: CurrentUser) -> Me:
    """Who the token belongs to: roles and departments decide what the other endpoints allow."""
    return Me(user.username, user.full_name, sorted(user.roles),
              sorted({m.department for m in user.memberships if m.department}),
              [MembershipOut(m.unit, m.department, sorted(m.roles)) for m in user.memberships])


def _lifted(found: users.Lifted) -> LockoutLifted:
    return LockoutLifted(found.scope, found.who, found.lifted)


@router.delete("/lockouts/users/{username}", response_model=LockoutLifted,
               responses=problem_responses(401, 403, 422))
def lift_user(username: Annotated[str, Path(pattern=USERNAME_PATTERN)], user: CurrentUser,
              office: OfficeDep) -> LockoutLifted:
    """End a username's sign-in lockout now (leaders and admins); ``lifted`` says whether
    one was running."""
    return _lifted(users.lift_lockout(office, user, username=username))


@router.delete("/lockouts/addresses/{address}", response_model=LockoutLifted,
               responses=problem_responses(401, 403, 422))
def lift_address(address: Annotated[str, Path(max_length=64)], user: CurrentUser,
                 office: OfficeDep) -> LockoutLifted:
    """End a client address's sign-in lockout now (leaders and admins)."""
    return _lifted(users.lift_lockout(office, user, address=address))
