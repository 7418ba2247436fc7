"""Sign-in: the OAuth2 password flow, so /docs can authorise with a username and password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from api import auth
from api.deps import CurrentUser, OfficeDep, SettingsDep
from api.schemas import problem_responses
from engine.service import users

router = APIRouter(prefix="/auth", tags=["authentication"])


@dataclass(frozen=True)
class Me:
    username: str
    full_name: str
    roles: list[str]
    departments: list[str]


@router.post("/token", response_model=auth.Token, responses=problem_responses(401, 422))
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], office: OfficeDep,
          settings: SettingsDep) -> auth.Token:
    """Exchange a username and password for a bearer token."""
    user = users.authenticate(office, form.username, form.password)
    return auth.issue(settings, user.username)


# async: nothing here waits, so no hop to the thread pool.
@router.get("/me", response_model=Me, responses=problem_responses(401))
async def me(user: CurrentUser) -> Me:
    """Who the token belongs to: roles and departments decide what the other endpoints allow."""
    return Me(user.username, user.full_name, sorted(user.roles), sorted(user.departments))
