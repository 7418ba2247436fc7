"""Who is calling: password sign-in and the active user behind a token."""

from __future__ import annotations

import re
from functools import cache

from engine.errors import AuthenticationFailed
from engine.model import User
from engine.security import hash_password, verify_password
from engine.service.office import Office

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


@cache
def _dummy_hash() -> str:
    """Verified when the user is unknown, so a wrong username costs as long as a wrong
    password and response times do not reveal which usernames exist."""
    return hash_password("motcua-no-such-user")


def authenticate(office: Office, username: str, password: str) -> User:
    """The active user with this password, or ``AuthenticationFailed`` saying nothing more."""
    failed = AuthenticationFailed("wrong username or password")
    if not _USERNAME.match(username) or len(password) > 1024:
        raise failed
    with office.db.unit_of_work(readonly=True) as uow:
        stored = uow.org.password_hash(username)
        user = uow.org.user(username) if stored else None
    if not verify_password(stored or _dummy_hash(), password) or user is None or not user.active:
        raise failed
    return user


def active_user(office: Office, username: str) -> User:
    """The user a valid token names, reloaded so role changes and deactivation apply at once."""
    user = None
    if _USERNAME.match(username):
        with office.db.unit_of_work(readonly=True) as uow:
            user = uow.org.user(username)
    if user is None or not user.active:
        raise AuthenticationFailed("this account no longer exists or is inactive; sign in again")
    return user
