"""Who is calling: password sign-in (throttled), the active user behind a token, signing out,
and lifting a sign-in lockout."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import cache

from engine.audit.chain import SYSTEM
from engine.errors import AuthenticationFailed, InvalidInput
from engine.i18n import msg
from engine.model import User
from engine.security import hash_password, verify_password
from engine.service.office import Office
from engine.service.permissions import require_role
from engine.service.throttle import ADDRESS, USER, username_key

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


@cache
def _dummy_hash() -> str:
    """Verified when the user is unknown, so a wrong username costs as long as a wrong
    password and response times do not reveal which usernames exist."""
    return hash_password("motcua-no-such-user")


def authenticate(office: Office, username: str, password: str,
                 address: str | None = None) -> User:
    """The active user with this password, or ``AuthenticationFailed`` saying nothing more.

    ``address`` is the client's, as the door determined it. A locked username or address
    is refused with ``TooManyRequests`` before the password is looked at; unknown usernames
    are counted like known ones, so a lockout does not tell which exist.
    """
    failed = AuthenticationFailed(msg("err_wrong_username_password"))
    named = username if _USERNAME.match(username) else None
    office.throttle.check_sign_in(named, address)
    if named is None or len(password) > 1024:
        office.throttle.sign_in_failed(None, address)
        raise failed
    with office.db.unit_of_work(readonly=True) as uow:
        stored = uow.org.password_hash(username)
        user = uow.org.user(username) if stored else None
    if not verify_password(stored or _dummy_hash(), password) or user is None or not user.active:
        office.throttle.sign_in_failed(named, address)
        raise failed
    office.throttle.signed_in(named)
    return user


def active_user(office: Office, username: str, generation: int = 0) -> User:
    """The user a valid token names, reloaded so role changes, deactivation and signing out
    apply at once; ``generation`` is the one the token was issued under."""
    user = None
    if _USERNAME.match(username):
        with office.db.unit_of_work(readonly=True) as uow:
            user = uow.org.user(username)
    if user is None or not user.active:
        raise AuthenticationFailed(msg("err_account_longer_exists_inactive_sign"))
    if user.token_generation != generation:
        raise AuthenticationFailed(msg("err_session_was_signed_out_sign"))
    return user


def sign_out(office: Office, user: User) -> None:
    """End every session of the user: tokens issued before now are refused from here on
    (on every device; one generation per user is what the token carries)."""
    with office.db.unit_of_work() as uow:
        uow.org.next_token_generation(user.id)
        uow.commit()


@dataclass(frozen=True)
class Lifted:
    scope: str  # user | address
    who: str
    lifted: bool  # a lockout was running and has ended


def lift_lockout(office: Office, actor: User | str, *, username: str | None = None,
                 address: str | None = None) -> Lifted:
    """End the sign-in lockout of a username or of a client address now. Leaders and admins
    (or an operator at the CLI, ``actor`` a name); recorded on the system audit chain when
    a lockout was running."""
    if isinstance(actor, User):
        require_role(actor, "leader")
        actor_name = actor.username
    else:
        actor_name = actor
    if (username is None) == (address is None):
        raise InvalidInput(msg("err_name_either_username_address"))
    if username is not None:
        if not _USERNAME.match(username):
            raise InvalidInput(msg("err_username", username=username))
        scope, who = USER, username_key(username)
    else:
        try:
            who = str(ipaddress.ip_address(str(address).strip()))
        except ValueError as exc:
            raise InvalidInput(msg("err_ip_address", address=address)) from exc
        scope = ADDRESS
    lifted = office.throttle.lift(scope, who)
    if lifted:
        with office.db.unit_of_work() as uow:
            uow.audit.append(SYSTEM, "sign_in_lockout_lifted", actor_name, office.now(),
                             {scope: who})
            uow.commit()
    return Lifted(scope, who, lifted)
