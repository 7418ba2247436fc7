"""Dependencies the routes declare: the office, the settings and the caller.

They are async because FastAPI runs every synchronous dependency in the thread pool, a thread
hop each; only the user lookup waits on the database, so only it goes to the pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from api import auth
from api.client import client_address
from engine.errors import AuthenticationFailed
from engine.i18n import negotiate
from engine.model import User
from engine.service import users
from engine.service.office import Office
from engine.settings import Settings

# auto_error=False: a missing token is answered by our own 401 problem, not FastAPI's.
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_office(request: Request) -> Office:
    office: Office = request.app.state.office
    return office


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


OfficeDep = Annotated[Office, Depends(get_office)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def optional_user(office: OfficeDep, settings: SettingsDep,
                        token: Annotated[str | None, Depends(_bearer)]) -> User | None:
    """None without a token; a token that is present must be valid."""
    if token is None:
        return None
    claims = auth.read(settings, token)  # a signature check: no I/O, on the event loop
    return await run_in_threadpool(users.active_user, office, claims.username,
                                   claims.generation)


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise AuthenticationFailed("sign in first: send 'Authorization: Bearer <token>' "
                                   "from POST /api/v1/auth/token")
    return user


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


async def get_client(request: Request) -> str | None:
    return client_address(request)


# The client's address, for the abuse limits (behind trusted proxies only: api.client).
ClientDep = Annotated[str | None, Depends(get_client)]


async def get_language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


# The reader's language, from Accept-Language (Vietnamese unless English is asked for).
LangDep = Annotated[str, Depends(get_language)]
