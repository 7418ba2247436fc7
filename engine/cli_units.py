"""``motcua units import FILE`` and ``motcua units list``; ``mount`` adds them to the main
``motcua`` app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from engine.cli_lang import error_text, language, say
from engine.errors import MotcuaError, UnitsInvalid
from engine.model import AdministrativeUnit

units_app = typer.Typer(help="Administrative units: provinces, communes and their history.",
                        no_args_is_help=True)


def mount(app: typer.Typer) -> None:
    app.add_typer(units_app, name="units")


def _office() -> Any:
    from engine.cli import _office as build

    return build()


@units_app.command("import")
def units_import(file: Path, actor: str = typer.Option("cli", help="recorded as importer")
                 ) -> None:
    """Check FILE (CSV, see docs/organisation.md) and make the stored units exactly its
    units; a file with any problem changes nothing."""
    from engine.service.units import import_units

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        done = import_units(_office(), str(file), text, actor=actor)
    except UnitsInvalid as exc:
        for problem in exc.problems:
            typer.echo(problem.text(language()), err=True)
        raise typer.Exit(1) from exc
    except MotcuaError as exc:
        typer.echo(error_text(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(say("cli_units_imported", total=done.total, added=done.added,
                   changed=done.changed, removed=done.removed, unchanged=done.unchanged))


@units_app.command("list")
def units_list() -> None:
    """Print every unit version, one a line: code, name, level, valid from, valid to,
    parent and successors (tab-separated; '-' for none)."""
    from engine.service.units import list_units

    for unit in list_units(_office()):
        typer.echo(_line(unit))


def _line(unit: AdministrativeUnit) -> str:
    cells = [unit.code, unit.name, unit.level.value, str(unit.valid_from),
             str(unit.valid_to) if unit.valid_to else "-", unit.parent or "-",
             " ".join(unit.successors) or "-"]
    return "\t".join(cells) + ("" if unit.confirmed else "\t(unconfirmed)")
