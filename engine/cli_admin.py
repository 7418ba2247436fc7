"""``motcua users add|list|deactivate|reactivate|reset-password``, ``motcua departments
list|set`` and ``motcua procedures switch-off|switch-on``; ``mount`` adds them to the main
``motcua`` app. The operator at the CLI acts as an administrator, recorded as ``cli``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from engine.cli_lang import error_text, say
from engine.errors import MotcuaError
from engine.model import SYSTEM_ROLES, Membership, User

T = TypeVar("T")

departments_app = typer.Typer(help="The departments of each unit.", no_args_is_help=True)
procedures_app = typer.Typer(help="The procedures a unit does not take.",
                             no_args_is_help=True)


def mount(app: typer.Typer, users_app: typer.Typer) -> None:
    """The user commands join the existing ``motcua users`` group."""
    users_app.command("add")(users_add)
    users_app.command("list")(users_list)
    users_app.command("deactivate")(users_deactivate)
    users_app.command("reactivate")(users_reactivate)
    users_app.command("reset-password")(users_reset_password)
    app.add_typer(departments_app, name="departments")
    app.add_typer(procedures_app, name="procedures")


def _office() -> Any:
    from engine.cli import _office as build

    return build()


def _run(action: Callable[..., T], *args: Any) -> T:
    """The use case as the operator; its refusal printed, exit 1."""
    try:
        return action(_office(), None, *args)
    except MotcuaError as exc:
        typer.echo(error_text(exc), err=True)
        raise typer.Exit(1) from exc


def _read_password() -> str:
    """The first line of standard input (so the password is never in the shell history)."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        typer.echo(say("cli_password_stdin"), err=True)
        raise typer.Exit(1)
    return line


def _line(user: User) -> str:
    places = " ".join(f"{m.unit}/{m.department or '*'}:{','.join(sorted(m.roles))}"
                      for m in user.memberships)
    return "\t".join([user.username, user.full_name, "active" if user.active else "inactive",
                      " ".join(sorted(user.roles & set(SYSTEM_ROLES))) or "-", places or "-"])


def users_add(
    username: str,
    name: str = typer.Option(..., "--name", help="the full name"),
    unit: str | None = typer.Option(None, help="the unit's agency code"),
    department: str | None = typer.Option(None, help="a department of the unit; none: "
                                                     "the whole unit"),
    role: list[str] = typer.Option([], help="a role in the unit: staff, leader, auditor "
                                            "(repeat for several)"),
    system_role: list[str] = typer.Option([], help="admin or designer (repeat for both)"),
    password_stdin: bool = typer.Option(False, help="read the password from standard input "
                                                    "(else it is asked for)"),
) -> None:
    """Add the account USERNAME, with one membership (--unit, --department, --role) and/or
    system roles."""
    from engine.service.admin import create_user

    if unit is None and (department or role):
        typer.echo(say("cli_need_unit"), err=True)
        raise typer.Exit(1)
    if unit is not None and not role:
        typer.echo(say("cli_need_role"), err=True)
        raise typer.Exit(1)
    password = _read_password() if password_stdin else \
        typer.prompt("password", hide_input=True, confirmation_prompt=True)
    places = [Membership(unit, department, frozenset(role))] if unit else []
    user = _run(create_user, username, name, password, system_role, places)
    typer.echo(say("cli_user_added", line=_line(user)))


def users_list(unit: str | None = typer.Option(None, help="only members of this unit")
               ) -> None:
    """Print the accounts, one a line: username, name, state, system roles, memberships
    (unit/department:roles, '*' for the whole unit), tab-separated."""
    from engine.service.admin import list_users

    for user in _run(list_users, unit):
        typer.echo(_line(user))


def users_deactivate(username: str) -> None:
    """USERNAME signs in no more; their tokens stop working at once."""
    from engine.service.admin import deactivate_user

    typer.echo(_line(_run(deactivate_user, username)))


def users_reactivate(username: str) -> None:
    """USERNAME may sign in again."""
    from engine.service.admin import reactivate_user

    typer.echo(_line(_run(reactivate_user, username)))


def users_reset_password(username: str) -> None:
    """Give USERNAME the password read from standard input; their tokens stop working."""
    from engine.service.admin import reset_password

    _run(reset_password, username, _read_password())
    typer.echo(say("cli_password_reset", username=username))


@departments_app.command("list")
def departments_list(unit: str | None = typer.Option(None, help="only this unit's")) -> None:
    """Print the departments, one a line: unit, code, name, state (tab-separated)."""
    from engine.service.admin import list_departments

    for d in _run(list_departments, unit):
        typer.echo("\t".join([d.agency_code, d.code, d.name,
                              "active" if d.active else "inactive"]))


@departments_app.command("set")
def departments_set(unit: str, code: str, name: str,
                    inactive: bool = typer.Option(False, help="close the department")) -> None:
    """Add department CODE named NAME to UNIT, or rename (or close) it."""
    from engine.service.admin import save_department

    d = _run(save_department, unit, code, name, not inactive)
    typer.echo(f"{d.agency_code}\t{d.code}\t{d.name}\t{'active' if d.active else 'inactive'}")


@procedures_app.command("switch-off")
def procedures_switch_off(unit: str, key: str,
                          reason: str = typer.Option(..., help="why the unit does not take "
                                                               "it")) -> None:
    """UNIT takes no new dossier of procedure KEY."""
    from engine.service.admin import switch_off_procedure

    changed = _run(switch_off_procedure, unit, key, reason)
    typer.echo(say("cli_switched_off" if changed else "cli_already_off", key=key, unit=unit))


@procedures_app.command("switch-on")
def procedures_switch_on(unit: str, key: str) -> None:
    """UNIT takes procedure KEY again."""
    from engine.service.admin import switch_on_procedure

    changed = _run(switch_on_procedure, unit, key)
    typer.echo(say("cli_switched_on" if changed else "cli_was_not_off", key=key, unit=unit))
