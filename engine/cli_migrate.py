"""``motcua dossiers migrate``: move running dossiers to a newer version of their procedure.

The operator at the server's shell calls the same use case as the designers' page and API
(``engine.service.migrations``), without a user; ``mount`` adds the ``dossiers`` group."""

from __future__ import annotations

from typing import Any

import typer

from engine.cli_lang import error_text, say
from engine.errors import MotcuaError
from engine.service import migrations

dossiers_app = typer.Typer(help="Running dossiers: moving them to a new procedure version.",
                           no_args_is_help=True)


def mount(app: typer.Typer) -> None:
    app.add_typer(dossiers_app, name="dossiers")


def _office() -> Any:
    from engine.cli import _office as build

    return build()


@dossiers_app.command("migrate")
def migrate(
    procedure: str = typer.Option(..., "--procedure", metavar="KEY",
                                  help="the procedure whose dossiers move"),
    to_version: int = typer.Option(..., "--to-version", metavar="N", min=1,
                                   help="the version they move to"),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="only say which dossiers can move and why not"),
    code: list[str] = typer.Option([], "--code", metavar="CODE",
                                   help="only this dossier (repeat for several)"),
    apply_new_deadline: bool = typer.Option(
        False, "--apply-new-deadline",
        help="the new version's deadline applies (by default the due date stays)"),
    actor: str = typer.Option("cli", help="recorded as who moved them"),
) -> None:
    """Move the running dossiers of a procedure on older versions to version N, each in its
    own transaction; those that cannot move are listed with the reason. Exit 1 on bad input
    (a version that does not exist, an older version, a dossier not running): nothing moves."""
    try:
        report = migrations.migrate(_office(), None, procedure, to_version, dry_run=dry_run,
                                    codes=code or None, apply_new_deadline=apply_new_deadline,
                                    operator=actor)
    except MotcuaError as exc:
        typer.echo(error_text(exc), err=True)
        raise typer.Exit(1) from exc
    for line in lines(report):
        typer.echo(line)


def lines(report: migrations.MigrationReport) -> list[str]:
    """One line per dossier, then the totals (and, for a dry run, that nothing moved)."""
    out: list[str] = []
    for move in report.dossiers:
        line = (f"{move.code}  v{move.from_version} → v{report.to_version}  "
                f"{say(f'migrate_outcome_{move.outcome}')}")
        if move.reasons:
            line += ": " + "; ".join(say(r.message) for r in move.reasons)
        if move.mapping:
            line += "  (" + ", ".join(f"{a} → {b}" for a, b in move.mapping.items()) + ")"
        if move.retried:
            line += " " + say("migrate_retried")
        out.append(line)
    if not report.dossiers:
        out.append(say("migrate_none"))
    moving = report.count(migrations.PLANNED) + report.count(migrations.MOVED)
    out.append(say("migrate_summary", procedure=report.procedure, version=report.to_version,
                   total=len(report.dossiers), moving=moving,
                   blocked=report.count(migrations.BLOCKED),
                   skipped=report.count(migrations.SKIPPED)))
    if report.dry_run:
        out.append(say("migrate_dry_run_note"))
    return out
