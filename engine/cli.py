"""The ``motcua`` command."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from engine.errors import DefinitionInvalid, Problem
from engine.settings import Settings

app = typer.Typer(help="motcua: BPMN procedures for one-stop government offices.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)

DEFINITION_SUFFIXES = (".bpmn", ".dmn", ".json")


def _collect(paths: list[Path]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Read the files (folders recursively); remember where each basename came from."""
    files: dict[str, bytes] = {}
    where: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            err.print(f"{path}: no such file or folder")
            raise typer.Exit(1)
        found = sorted(p for p in path.rglob("*") if p.suffix in DEFINITION_SUFFIXES) \
            if path.is_dir() else [path]
        for file in found:
            if file.name in files:
                err.print(f"{file}: the name {file.name} is used twice ({where[file.name]})")
                raise typer.Exit(1)
            files[file.name] = file.read_bytes()
            where[file.name] = str(file)
    return files, where


def _print_problems(problems: list[Problem], where: dict[str, str]) -> None:
    for p in problems:
        located = Problem(where.get(p.file, p.file), p.line, p.element, p.message)
        err.print(str(located), markup=False, highlight=False)


def _office():  # type: ignore[no-untyped-def]
    from engine.bootstrap import build_office

    return build_office(Settings())


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from engine.store.migrate import upgrade

    upgrade(Settings().database_url)
    console.print("database is at the newest schema")


@app.command()
def validate(paths: list[Path]) -> None:
    """Check BPMN, DMN and form files without deploying them."""
    from engine.service import deploy as deploying

    files, where = _collect(paths)
    problems = deploying.validate(_office(), files)
    if problems:
        _print_problems(problems, where)
        raise typer.Exit(1)
    console.print(f"{len(files)} files are valid")


@app.command()
def deploy(paths: list[Path], actor: str = typer.Option("cli", help="recorded as deployer")
           ) -> None:
    """Validate and deploy procedures; unchanged content makes no new version."""
    from engine.service import deploy as deploying

    files, where = _collect(paths)
    try:
        results = deploying.deploy(_office(), files, actor)
    except DefinitionInvalid as exc:
        _print_problems(exc.problems, where)
        raise typer.Exit(1) from exc
    for r in results:
        console.print(f"{r.key} v{r.version}" + ("" if r.created else " (unchanged)"),
                      highlight=False)


@app.command()
def demo() -> None:
    """Seed the demo organisation (departments and users, password 'demo'); idempotent."""
    from engine.service.demo import USERS, seed

    seed(_office())
    console.print(f"demo organisation ready: users {', '.join(USERS)} (password: demo)")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the HTTP API and web pages."""
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, log_level="info")


@app.command()
def worker(interval: float = typer.Option(5.0, help="seconds between polls"),
           once: bool = typer.Option(False, help="poll once and exit")) -> None:
    """Fire due BPMN timers; several workers may run against one PostgreSQL."""
    from engine.service.timers import fire_due_timers

    office = _office()
    while True:
        for _ in range(100):  # drain a backlog, but never spin on a timer that will not fire
            if not fire_due_timers(office):
                break
        if once:
            return
        time.sleep(interval)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
