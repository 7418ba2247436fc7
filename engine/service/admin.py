"""Administration: the departments of each unit, the accounts and their memberships, and the
procedures a unit does not take.

Called with a ``User`` (the API) these need the admin role, except changing one's own password
(anyone signed in) and switching a procedure off or on (also a leader in that unit); the CLI
passes ``None`` and acts as the operator, recorded as ``cli``. Every change is one event on
the system audit chain, in the same transaction; a change that changes nothing records
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from engine.audit.chain import SYSTEM
from engine.errors import Conflict, InvalidInput, NotAllowed, NotFound
from engine.i18n import Message, msg
from engine.model import (
    SYSTEM_ROLES,
    UNIT_ROLES,
    Department,
    Membership,
    ProcedureSwitchOff,
    User,
)
from engine.security import hash_password, verify_password
from engine.service.office import Office
from engine.service.permissions import can_switch_procedures, require_role
from engine.store import UnitOfWork

CLI = "cli"
DEPARTMENT_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")
PASSWORD_MIN, PASSWORD_MAX = 8, 1024
NAME_MAX, REASON_MAX = 200, 1000


def _admin(user: User | None) -> str:
    """The actor to record, once the caller is known to be an administrator."""
    if user is None:
        return CLI
    require_role(user, "admin")
    return user.username


def _record(office: Office, uow: UnitOfWork, kind: str, actor: str,
            data: dict[str, Any]) -> None:
    uow.audit.append(SYSTEM, kind, actor, office.now(), data)


def _check_unit(office: Office, uow: UnitOfWork, unit: str) -> None:
    tree = office.units(uow)
    if tree and unit not in tree:
        raise InvalidInput(msg("err_there_administrative_unit", unit=unit))


def _text(value: str, what: Message, max_length: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(msg("err_give", what=what))
    if len(value) > max_length or "\x00" in value:
        raise InvalidInput(msg("err_longer_than_characters_has_nul",
                               what=what, max_length=max_length))
    return value


def _check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(msg("err_password_has_characters",
                               password_min=PASSWORD_MIN, password_max=PASSWORD_MAX))


def _user(uow: UnitOfWork, username: str) -> User:
    found = uow.org.user(username) if USERNAME.match(username) else None
    if found is None:
        raise NotFound(msg("err_there_user", username=username))
    return found


def _membership_data(places: Iterable[Membership]) -> list[dict[str, Any]]:
    return [{"unit": m.unit, "department": m.department, "roles": sorted(m.roles)}
            for m in places]


# ---- departments --------------------------------------------------------------------------

def list_departments(office: Office, user: User | None, unit: str | None = None
                     ) -> list[Department]:
    """The departments of a unit (or of every unit), by unit and code, inactive ones too."""
    _admin(user)
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.org.departments(unit)


def save_department(office: Office, user: User | None, unit: str, code: str, name: str,
                    active: bool = True) -> Department:
    """Add a department to a unit, or rename, close or reopen one."""
    actor = _admin(user)
    if not DEPARTMENT_CODE.match(code):
        raise InvalidInput(msg("err_department_code_capital_letter_then", code=code))
    name = _text(name, msg("word_department_name"), NAME_MAX)
    with office.db.unit_of_work() as uow:
        _check_unit(office, uow, unit)
        existed = uow.org.department(unit, code) is not None
        if uow.org.upsert_department(code, name, unit, active):
            _record(office, uow, "department_changed" if existed else "department_added",
                    actor, {"unit": unit, "code": code, "name": name, "active": active})
        uow.commit()
    return Department(code, name, unit, active)


# ---- users --------------------------------------------------------------------------------

def list_users(office: Office, user: User | None, unit: str | None = None) -> list[User]:
    """Every account (or those with a membership in ``unit``), by username."""
    _admin(user)
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.org.users(unit)


def _check_places(office: Office, uow: UnitOfWork, system_roles: frozenset[str],
                  places: Iterable[Membership]) -> tuple[Membership, ...]:
    """The memberships, one per place (roles of repeated places merged), each checked."""
    unknown = system_roles - set(SYSTEM_ROLES)
    if unknown:
        raise InvalidInput(msg("err_unknown_system_role_system_roles",
                               unknown=', '.join(sorted(unknown)),
                               system_roles=', '.join(SYSTEM_ROLES)))
    merged: dict[tuple[str, str | None], frozenset[str]] = {}
    for m in places:
        unknown = m.roles - set(UNIT_ROLES)
        if unknown or not m.roles:
            raise InvalidInput(msg("err_unknown_unit_role_roles_unit",
                                   value=', '.join(sorted(unknown)) or "—",
                                   unit_roles=', '.join(UNIT_ROLES)))
        _check_unit(office, uow, m.unit)
        if m.department is not None and uow.org.department_active(m.unit, m.department) \
                is None:
            raise InvalidInput(msg("err_unit_has_department",
                                   m_unit=m.unit, department=m.department))
        key = (m.unit, m.department)
        merged[key] = merged.get(key, frozenset()) | m.roles
    if not merged and not system_roles:
        raise InvalidInput(msg("err_give_user_unit_system_role"))
    return tuple(Membership(u, d, roles) for (u, d), roles in merged.items())


def create_user(office: Office, user: User | None, username: str, full_name: str,
                password: str, system_roles: Iterable[str],
                memberships: Iterable[Membership]) -> User:
    """A new, active account with these roles and memberships."""
    actor = _admin(user)
    if not USERNAME.match(username):
        raise InvalidInput(msg("err_username_3_64_small_letters", username=username))
    full_name = _text(full_name, msg("word_full_name"), NAME_MAX)
    _check_password(password)
    roles = frozenset(system_roles)
    with office.db.unit_of_work() as uow:
        if uow.org.user(username) is not None:
            raise Conflict(msg("err_there_already_user", username=username))
        places = _check_places(office, uow, roles, memberships)
        uow.org.upsert_user(username, full_name, hash_password(password), roles, places)
        _record(office, uow, "user_created", actor,
                {"username": username, "full_name": full_name,
                 "system_roles": sorted(roles), "memberships": _membership_data(places)})
        created = _user(uow, username)
        uow.commit()
    return created


def set_memberships(office: Office, user: User | None, username: str,
                    memberships: Iterable[Membership]) -> User:
    """Make the user's memberships exactly these (their system roles stay)."""
    actor = _admin(user)
    with office.db.unit_of_work() as uow:
        target = _user(uow, username)
        system = target.roles - {r for m in target.memberships for r in m.roles}
        system &= frozenset(SYSTEM_ROLES)
        places = _check_places(office, uow, system, memberships)
        if set(places) != set(target.memberships):
            uow.org.set_memberships(target.id, places)
            _record(office, uow, "memberships_changed", actor,
                    {"username": username, "memberships": _membership_data(places)})
            target = _user(uow, username)
        uow.commit()
    return target


def _set_active(office: Office, user: User | None, username: str, active: bool) -> User:
    actor = _admin(user)
    if not active and user is not None and user.username == username:
        raise NotAllowed(msg("err_administrator_may_deactivate_their_own"))
    with office.db.unit_of_work() as uow:
        target = _user(uow, username)
        if target.active != active:
            uow.org.set_active(username, active)
            if not active:
                uow.org.next_token_generation(target.id)
            _record(office, uow, "user_reactivated" if active else "user_deactivated",
                    actor, {"username": username})
            target = _user(uow, username)
        uow.commit()
    return target


def deactivate_user(office: Office, user: User | None, username: str) -> User:
    """The account signs in no more and its tokens stop working at once."""
    return _set_active(office, user, username, False)


def reactivate_user(office: Office, user: User | None, username: str) -> User:
    return _set_active(office, user, username, True)


def reset_password(office: Office, user: User | None, username: str,
                   new_password: str) -> None:
    """A new password for the account; its tokens stop working."""
    actor = _admin(user)
    _check_password(new_password)
    with office.db.unit_of_work() as uow:
        target = _user(uow, username)
        uow.org.set_password_hash(username, hash_password(new_password))
        uow.org.next_token_generation(target.id)
        _record(office, uow, "password_reset", actor, {"username": username})
        uow.commit()


def change_own_password(office: Office, user: User, old_password: str,
                        new_password: str) -> None:
    """Any signed-in user changes their password, giving the old one."""
    if not user.active:
        raise NotAllowed(msg("err_account_inactive", user=user.name_shown))
    _check_password(new_password)
    with office.db.unit_of_work() as uow:
        stored = uow.org.password_hash(user.username)
        if stored is None or len(old_password) > PASSWORD_MAX \
                or not verify_password(stored, old_password):
            raise InvalidInput(msg("err_current_password_wrong"))
        uow.org.set_password_hash(user.username, hash_password(new_password))
        _record(office, uow, "password_changed", user.username, {"username": user.username})
        uow.commit()


# ---- procedures a unit does not take ------------------------------------------------------

def _switcher(user: User | None, unit: str) -> str:
    if user is None:
        return CLI
    can_switch_procedures(user, unit)
    return user.username


def list_switch_offs(office: Office, user: User | None, unit: str | None = None
                     ) -> list[ProcedureSwitchOff]:
    """The procedures switched off, by unit and procedure: at every unit (administrators),
    or at ``unit`` (also a leader in that unit)."""
    if unit is None:
        _admin(user)
    else:
        _switcher(user, unit)
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.org.switch_offs(unit)


def _deployed(office: Office, uow: UnitOfWork, unit: str, key: str) -> None:
    _check_unit(office, uow, unit)
    if uow.catalog.latest_id(key) is None:
        raise NotFound(msg("err_there_procedure", key=key))


def switch_off_procedure(office: Office, user: User | None, unit: str, procedure_key: str,
                         reason: str) -> bool:
    """The unit takes no new dossier of the procedure from now on; whether it took them."""
    actor = _switcher(user, unit)
    reason = _text(reason, msg("word_reason"), REASON_MAX)
    with office.db.unit_of_work() as uow:
        _deployed(office, uow, unit, procedure_key)
        changed = uow.org.switch_off(unit, procedure_key, office.now(), actor, reason)
        if changed:
            _record(office, uow, "procedure_switched_off", actor,
                    {"unit": unit, "procedure": procedure_key, "reason": reason})
        uow.commit()
    return changed


def switch_on_procedure(office: Office, user: User | None, unit: str,
                        procedure_key: str) -> bool:
    """The unit takes the procedure again; whether it was switched off."""
    actor = _switcher(user, unit)
    with office.db.unit_of_work() as uow:
        _deployed(office, uow, unit, procedure_key)
        changed = uow.org.switch_on(unit, procedure_key)
        if changed:
            _record(office, uow, "procedure_switched_on", actor,
                    {"unit": unit, "procedure": procedure_key})
        uow.commit()
    return changed
