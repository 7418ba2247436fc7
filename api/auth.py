"""Bearer tokens: short-lived HS256 JWTs naming the user and the user's token generation
(``gen``); roles are reloaded per request, and signing out raises the generation, so every
token issued before is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from engine.errors import AuthenticationFailed
from engine.settings import DEFAULT_SECRET, Settings

ALGORITHM = "HS256"
ISSUER = "motcua"
MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key at least as long as the hash


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_in: int  # seconds
    token_type: str = "bearer"


def check_secret(settings: Settings) -> None:
    """Refuse to serve real users with a secret anyone can read in the source."""
    if settings.demo_mode:
        return
    if settings.secret_key == DEFAULT_SECRET:
        raise RuntimeError("MOTCUA_SECRET_KEY is the demo default; set a secret of your own "
                           "(or MOTCUA_DEMO_MODE=true for a demo)")
    if len(settings.secret_key.encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(f"MOTCUA_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long")


@dataclass(frozen=True)
class Claims:
    username: str
    generation: int  # the user's token generation when the token was issued


def issue(settings: Settings, username: str, generation: int = 0) -> Token:
    # Token lifetimes follow the real clock even when the office runs on a test clock.
    now = datetime.now(UTC)
    lifetime = timedelta(minutes=settings.token_minutes)
    claims = {"sub": username, "gen": generation, "iss": ISSUER, "iat": now,
              "exp": now + lifetime}
    return Token(jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM),
                 int(lifetime.total_seconds()))


def read(settings: Settings, token: str) -> Claims:
    """Whom a valid, unexpired token was issued to, and under which generation (tokens
    issued before generations existed carry none: generation 0, until the first sign-out)."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["sub", "exp", "iat", "iss"]})
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationFailed("the token has expired; sign in again") from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed("the token is not valid; sign in again") from exc
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise AuthenticationFailed("the token names no user")
    generation = claims.get("gen", 0)
    if not isinstance(generation, int) or isinstance(generation, bool):
        raise AuthenticationFailed("the token is not valid; sign in again")
    return Claims(sub, generation)
