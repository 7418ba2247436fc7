"""``motcua procedures versions KEY`` and ``motcua procedures withdraw KEY VERSION``: which
version of a procedure is in force when, and taking one back before its day. ``mount``
adds them to the ``motcua procedures`` group; ``effective_day`` reads ``deploy``'s
``--effective-from``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import typer

from engine.cli_lang import error_text, say
from engine.errors import MotcuaError

EFFECTIVE_FROM = typer.Option(
    None, "--effective-from", metavar="YYYY-MM-DD",
    help="the day new dossiers start on the versions deployed (default: the file's "
         "effective_from property, else today)")


def mount(procedures_app: typer.Typer) -> None:
    procedures_app.command("versions")(procedures_versions)
    procedures_app.command("withdraw")(procedures_withdraw)


def _office() -> Any:
    from engine.cli import _office as build

    return build()


def effective_day(text: str | None) -> date | None:
    """The ``--effective-from`` day (ISO), or exit 1 saying why it cannot be read."""
    if text is None:
        return None
    from engine.service.versions import parse_day

    try:
        return parse_day(text)
    except MotcuaError as exc:
        typer.echo(error_text(exc), err=True)
        raise typer.Exit(1) from exc


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "-"


def _moment(value: datetime | None) -> str:
    return f"{value:%H:%M %d/%m/%Y}" if value else "-"


def procedures_versions(key: str) -> None:
    """Every version of procedure KEY, one a line (tab-separated; '-' for none): version,
    deployed at, deployed by, in force from, replaced from (the next version's day),
    withdrawn at, dossiers, status."""
    from engine.service.versions import timeline

    try:
        found = timeline(_office(), None, key)
    except MotcuaError as exc:
        typer.echo(error_text(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo("\t".join(say(word) for word in (
        "versions_version", "versions_deployed_at", "versions_deployed_by",
        "versions_in_force_from", "versions_until", "versions_withdrawn_col",
        "versions_dossiers", "versions_state")))
    for v in found:
        typer.echo("\t".join([f"v{v.version}", _moment(v.deployed_at), v.deployed_by_name,
                              _day(v.effective_from), _day(v.until), _moment(v.withdrawn_at),
                              str(v.dossiers), say(f"versions_state_{v.state}")]))


def procedures_withdraw(key: str, version: int,
                        actor: str = typer.Option("cli", help="recorded as the one "
                                                               "withdrawing it")) -> None:
    """Withdraw VERSION of procedure KEY before the day it applies: it will never be in
    force. A version already in force, or one a dossier runs on, stays (exit 1)."""
    from engine.service.versions import withdraw

    try:
        withdraw(_office(), actor, key, version)
    except MotcuaError as exc:
        typer.echo(error_text(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(say("cli_versions_withdrawn", key=key, number=version))
