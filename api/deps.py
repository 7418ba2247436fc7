"""Dependencies the routes declare: the office, the settings and the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from api import auth
from engine.errors import AuthenticationFailed
from engine.model import User
from engine.service import users
from engine.service.office import Office
from engine.settings import Settings

# auto_error=False: a missing token is answered by our own 401 problem, not FastAPI's.
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_office(request: Request) -> Office:
    office: Office = request.app.state.office
    return office


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


OfficeDep = Annotated[Office, Depends(get_office)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def optional_user(office: OfficeDep, settings: SettingsDep,
                  token: Annotated[str | None, Depends(_bearer)]) -> User | None:
    """None without a token; a token that is present must be valid."""
    if token is None:
        return None
    return users.active_user(office, auth.subject(settings, token))


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise AuthenticationFailed("sign in first: send 'Authorization: Bearer <token>' "
                                   "from POST /api/v1/auth/token")
    return user


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
