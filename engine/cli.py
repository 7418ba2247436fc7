"""The ``motcua`` command."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from engine import cli_lang, cli_versions
from engine.cli_lang import error_text, language, say
from engine.errors import DefinitionInvalid, MotcuaError, NotReady, Problem
from engine.service.office import Office
from engine.settings import Settings

app = typer.Typer(help="motcua: BPMN procedures for one-stop government offices.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)

DEFINITION_SUFFIXES = (".bpmn", ".bpmn20.xml", ".dmn", ".json")
LANG = typer.Option(None, "--lang", metavar="vi|en",
                    help="the language of what motcua says (default: MOTCUA_LANG, else vi)")


@app.callback()
def _main(lang: str | None = LANG) -> None:
    cli_lang.choose(lang)


def _collect(paths: list[Path]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Read the files (folders recursively), each keyed by its path inside the folder given
    (a file given by itself: by its name); remember where each came from."""
    files: dict[str, bytes] = {}
    where: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            err.print(say("cli_no_such_path", path=str(path)))
            raise typer.Exit(1)
        found = sorted(p for p in path.rglob("*")
                       if p.is_file() and p.name.lower().endswith(DEFINITION_SUFFIXES)) \
            if path.is_dir() else [path]
        for file in found:
            key = file.relative_to(path).as_posix() if path.is_dir() else file.name
            if key in files:
                err.print(say("cli_given_twice", file=str(file), key=key, other=where[key]))
                raise typer.Exit(1)
            files[key] = file.read_bytes()
            where[key] = str(file)
    return files, where


def _print_problems(problems: list[Problem], where: dict[str, str]) -> None:
    for p in problems:
        located = Problem(where.get(p.file, p.file), p.line, p.element, p.message)
        # one problem per line, never wrapped
        typer.echo(located.text(cli_lang.language()), err=True)


def _office() -> Office:
    from engine.bootstrap import build_office

    office = build_office(Settings())
    try:
        office.db.check_schema()
    except NotReady as exc:
        err.print(f"{office.db.where}: {error_text(exc)}")
        raise typer.Exit(1) from exc
    return office


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from engine.bootstrap import migrate_database

    migrate_database(Settings())
    console.print(say("cli_migrated"))


NEW_VERSION_OF = typer.Option(
    [], "--new-version-of", metavar="KEY",
    help="confirm that the files really are the next version of procedure KEY, although its "
         "name and departments change (repeat for several)")


ORGANISATION = typer.Option(
    None, "--organisation", metavar="FILE",
    help="check the lanes against the departments of this organisation file (TOML or JSON; "
         "see docs/organisation.md) instead of the database's")


def _office_if_any() -> Office | None:
    """The office, or None (said on stderr) when its database is away or not migrated."""
    from engine.bootstrap import build_office
    from engine.service.checking import demo_departments

    try:
        office = build_office(Settings())
        office.db.check_schema()
    except MotcuaError as exc:
        typer.echo(say("cli_validate_demo", reason=exc.text(language()),
                       codes=", ".join(sorted(demo_departments()))), err=True)
        return None
    return office


@app.command()
def validate(paths: list[Path], new_version_of: list[str] = NEW_VERSION_OF,
             organisation: Path | None = ORGANISATION) -> None:
    """Check BPMN, DMN and form files without deploying them. Without a database (or with
    --organisation) the lanes are checked against the demo organisation's departments (or
    the file's), and nothing deployed is there to call."""
    from engine.service import checking
    from engine.service import deploy as deploying

    files, where = _collect(paths)
    if organisation is not None:
        try:
            departments = checking.read_organisation(str(organisation),
                                                     organisation.read_bytes())
        except OSError as exc:
            typer.echo(f"{organisation}: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from exc
        except MotcuaError as exc:
            typer.echo(exc.text(language()), err=True)
            raise typer.Exit(1) from exc
        typer.echo(say("cli_validate_organisation", file=str(organisation),
                       codes=", ".join(sorted(departments))), err=True)
        problems = checking.validate_alone(files, departments)
    else:
        office = _office_if_any()
        problems = (deploying.validate(office, files, new_version_of) if office is not None
                    else checking.validate_alone(files, checking.demo_departments()))
    if problems:
        _print_problems(problems, where)
        raise typer.Exit(1)
    console.print(say("cli_files_valid", count=len(files)))


@app.command()
def deploy(paths: list[Path], actor: str = typer.Option("cli", help="recorded as deployer"),
           new_version_of: list[str] = NEW_VERSION_OF,
           effective_from: str | None = cli_versions.EFFECTIVE_FROM) -> None:
    """Validate and deploy procedures and library files; unchanged content makes no new
    version. Each version is in force from --effective-from (or the day its file says)."""
    from engine.service import deploy as deploying
    from engine.service.versions import today

    day = cli_versions.effective_day(effective_from)
    files, where = _collect(paths)
    office = _office()
    try:
        results = deploying.deploy(office, files, actor, new_version_of, day)
    except DefinitionInvalid as exc:
        _print_problems(exc.problems, where)
        raise typer.Exit(1) from exc
    except MotcuaError as exc:
        err.print(error_text(exc))
        raise typer.Exit(1) from exc
    for r in results:
        kind = " " + say("cli_library", names=", ".join(r.provides) or "—") \
            if r.kind == "library" else ""
        # The day is said when it is not the deploy's own (in force at once).
        since = say("cli_versions_in_force_from", day=f"{r.effective_from:%d/%m/%Y}") \
            if r.effective_from and r.effective_from != today(office) else ""
        typer.echo(f"{r.key} v{r.version}{kind}{since}" + ("" if r.created else
                                                            " " + say("cli_unchanged")))


@app.command()
def demo() -> None:
    """Seed the demo organisation (departments and users, password 'demo'); idempotent."""
    from engine.service.demo import USERS, seed

    seed(_office())
    console.print(say("cli_demo_ready", users=", ".join(USERS)))


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          access_log: bool = typer.Option(True, help="log one line per request")) -> None:
    """Serve the HTTP API and web pages."""
    import uvicorn

    # uvicorn takes httptools and uvloop (dependencies on Linux and macOS) when they are
    # installed: its pure-Python HTTP parser and event loop cost more per request.
    # proxy_headers=False: the app decides which proxy to believe (MOTCUA_TRUSTED_PROXIES,
    # api/client.py); uvicorn's own handling would trust 127.0.0.1 behind our back.
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=False, log_level="info", access_log=access_log)


@app.command()
def worker(interval: float = typer.Option(5.0, help="seconds between polls"),
           once: bool = typer.Option(False, help="poll once and exit")) -> None:
    """Fire due BPMN timers and flag dossiers whose deadline is at risk; several workers may
    run against one PostgreSQL. A dossier whose timers fail gets an incident and is tried
    again later; the others go on. With --once: exit 0 even with incidents open, 1 if the
    database could not be reached."""
    from engine.cli_worker import run_worker

    run_worker(_office(), interval, once)


state_app = typer.Typer(help="Dossiers' workflow state: snapshots and the step log.",
                        no_args_is_help=True)
app.add_typer(state_app, name="state")


@state_app.command("snapshot")
def state_snapshot() -> None:
    """Write a new snapshot of every running dossier with clerks' steps logged after its
    last one (the worker does it for idle dossiers), e.g. before a downgrade."""
    from engine.service.snapshots import snapshot_all

    typer.echo(say("state_cli_snapshots", count=snapshot_all(_office())))


notify_app = typer.Typer(help="Messages to applicants (e-mail, SMS).", no_args_is_help=True)
app.add_typer(notify_app, name="notify")


@notify_app.command("send")
def notify_send(batch: int = typer.Option(20, min=1, max=1000,
                                          help="messages leased at a time")) -> None:
    """Send the messages due now, once (the worker does it every round), and say how it went.
    Exit 1 if the database could not be reached."""
    from engine.cli_worker import messages_line
    from engine.service.worker import send_all_due

    office = _office()
    try:
        done = send_all_due(office, batch)
    except NotReady as exc:
        err.print(error_text(exc))
        raise typer.Exit(1) from exc
    typer.echo(messages_line(done))


@notify_app.command("list")
def notify_list() -> None:
    """The messages that failed or may not have arrived, oldest first, with why."""
    from engine.service.messages import needing_staff

    stuck = needing_staff(_office())
    if not stuck:
        typer.echo(say("cli_notify_none_stuck"))
    for m in stuck:
        typer.echo(say("cli_notify_stuck_line", id=m.id, code=m.dossier_code,
                       kind=say(f"notify_kind_{m.kind}"), channel=say(f"notify_by_{m.channel}"),
                       status=say(f"notify_status_{m.status}"), attempts=m.attempts,
                       error=m.last_error or "—"))


@notify_app.command("retry")
def notify_retry(message_id: int = typer.Argument(..., help="the message's number (notify list)"),
                 actor: str = typer.Option("cli", help="recorded in the audit log")) -> None:
    """Send a failed or uncertain message again (an uncertain e-mail may then arrive twice)."""
    from engine.service.messages import send_again

    try:
        send_again(_office(), message_id, actor)
    except MotcuaError as exc:
        err.print(error_text(exc))
        raise typer.Exit(1) from exc
    typer.echo(say("cli_notify_requeued", id=message_id))


users_app = typer.Typer(help="Accounts, their memberships and sign-in lockouts.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("unlock")
def users_unlock(
    username: str | None = typer.Argument(None, help="the locked-out username"),
    address: str | None = typer.Option(None, help="a locked-out client address instead"),
    actor: str = typer.Option("cli", help="recorded in the audit log as who lifted it"),
) -> None:
    """End the sign-in lockout of USERNAME (or of --address) now."""
    from engine.service.users import lift_lockout

    office = _office()
    if not office.throttle.shared:
        err.print(say("cli_lockouts_in_memory"))
        raise typer.Exit(1)
    try:
        lifted = lift_lockout(office, actor, username=username, address=address)
    except MotcuaError as exc:
        err.print(error_text(exc))
        raise typer.Exit(1) from exc
    typer.echo(f"{lifted.scope} {lifted.who}: "
               + say("cli_lockout_lifted" if lifted.lifted else "cli_not_locked_out"))


calendar_app = typer.Typer(help="The working-day calendar.", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")


CHANNEL_WORDS = {"desk": "direct", "online": "online"}  # the command's words: Channel values


@calendar_app.command("due")
def calendar_due(
    procedure: str = typer.Option(..., help="procedure key, e.g. dang_ky_ho_kinh_doanh"),
    received: str = typer.Option(..., help="when received, ISO 8601 with offset"),
    channel: str = typer.Option("desk", help="desk, or online: an online filing out of "
                                "office hours counts from the next opening"),
) -> None:
    """Print when a dossier of PROCEDURE received at RECEIVED through CHANNEL is due, and
    the days on the way that the calendar data has not confirmed."""
    from datetime import datetime

    if channel not in CHANNEL_WORDS:
        typer.echo(say("cli_due_channel", channel=channel), err=True)
        raise typer.Exit(1)

    try:
        when = datetime.fromisoformat(received)
    except ValueError as exc:
        err.print(say("cli_received_format", reason=str(exc)))
        raise typer.Exit(1) from exc
    if when.tzinfo is None:
        err.print(say("cli_received_offset"))
        raise typer.Exit(1)
    from engine.service.due_dates import statutory_due

    try:
        due = statutory_due(_office(), procedure, when, CHANNEL_WORDS[channel])
    except MotcuaError as exc:
        err.print(error_text(exc))
        raise typer.Exit(1) from exc
    amount = f"{due.deadline:g} " if due.deadline else ""
    typer.echo(f"{due.due_at.isoformat()}  ({procedure}: {amount}{due.unit})")
    if due.counted_from is not None and due.counted_from != when:
        typer.echo(say("cli_due_counted_from",
                        moment=due.counted_from.strftime("%H:%M %d/%m/%Y")))
    for day in due.unconfirmed:
        typer.echo(say("cli_due_unconfirmed", day=day.day.strftime("%d/%m/%Y"),
                        reason=day.reason))


@calendar_app.command("working-days")
def calendar_working_days(start: str, end: str) -> None:
    """Print the number of working days after START up to and including END (YYYY-MM-DD)."""
    from datetime import date

    from engine.bootstrap import office_calendar

    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        err.print(say("cli_dates_iso", reason=str(exc)))
        raise typer.Exit(1) from exc
    console.print(str(office_calendar(Settings()).working_days_between(first, last)))


from engine.cli_reports import mount  # noqa: E402  (the auditors' commands live apart)

mount(app)

from engine.cli_units import mount as mount_units  # noqa: E402

mount_units(app)

from engine.cli_admin import mount as mount_admin  # noqa: E402

mount_admin(app, users_app)

from engine.cli_admin import procedures_app  # noqa: E402

cli_versions.mount(procedures_app)

from engine.cli_migrate import mount as mount_migrate  # noqa: E402

mount_migrate(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
