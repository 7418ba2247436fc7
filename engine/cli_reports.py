"""The auditors' commands: ``motcua audit``, ``motcua report``, ``motcua export`` and
``motcua demo-history``. ``mount`` adds them to the main ``motcua`` app."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from engine import cli_lang
from engine.cli_lang import error_text, say
from engine.errors import MotcuaError
from engine.i18n import number
from engine.service.reporting import FORMATS, Table

audit_app = typer.Typer(help="Check the audit trail.", no_args_is_help=True)
report_app = typer.Typer(help="Reports: form 06 statistics, steps, staff.", no_args_is_help=True)
export_app = typer.Typer(help="Event logs for process mining tools.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

FROM = typer.Option(..., "--from", help="first day, YYYY-MM-DD (local time)")
TO = typer.Option(..., "--to", help="last day, YYYY-MM-DD, included")
FORMAT = typer.Option("table", "--format", help=f"one of {', '.join(FORMATS)}")
OUTPUT = typer.Option(None, "--output", help="write to this file instead of the terminal")


def report_language() -> str:
    """The reports' words: the terminal's language (``--lang``, MOTCUA_LANG, else vi)."""
    return cli_lang.language()


def mount(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.add_typer(report_app, name="report")
    app.add_typer(export_app, name="export")
    app.command("demo-history")(demo_history)


def _office() -> Any:
    from engine.cli import _office as build

    return build()


@contextmanager
def _explained() -> Iterator[None]:
    """Domain errors become one line on stderr and exit code 1, as in the rest of the CLI."""
    try:
        yield
    except MotcuaError as exc:
        err.print(error_text(exc))
        raise typer.Exit(1) from exc


def _day(value: str | None, option: str) -> date | None:
    """A date of the range every door accepts (``auditing.check_dates``). The operator's
    reports may cover more than the API's three years: the CLI serves no one else."""
    from engine.service.auditing import check_dates

    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        err.print(say("cli_date_format", option=option, value=value))
        raise typer.Exit(1) from exc
    try:
        check_dates(day, None)
    except MotcuaError as exc:
        err.print(f"{option}: {error_text(exc)}")
        raise typer.Exit(1) from exc
    return day


def _required_day(value: str, option: str) -> date:
    day = _day(value, option)
    assert day is not None
    return day


# ---- audit --------------------------------------------------------------------------------

@audit_app.command("verify")
def audit_verify() -> None:
    """Walk every hash chain; exit 1 and name the first broken event when the log was altered."""
    from engine.service.reporting import verify_log

    office = _office()
    with console.status(say("cli_audit_checking")) as status:
        result = verify_log(office, lambda n: status.update(
            say("cli_audit_events_checked", count=number(n))))
    if result.intact:
        console.print(say("cli_audit_intact", events=number(result.events_checked),
                          chains=number(result.chains_checked),
                          files=number(result.files_checked)))
        return
    first = result.first
    assert first is not None
    typer.echo(say("cli_audit_broken", chain=first.chain, seq=first.seq, reason=first.reason))
    for other in result.breaks[1:]:
        typer.echo(say("cli_audit_also_broken", chain=other.chain, seq=other.seq,
                       reason=other.reason))
    more = say("cli_audit_more") if result.more_breaks else ""
    typer.echo(say("cli_audit_broken_total", count=len(result.breaks), more=more,
                   events=number(result.events_checked), chains=number(result.chains_checked),
                   files=number(result.files_checked)))
    raise typer.Exit(1)


# ---- reports ------------------------------------------------------------------------------

def _emit(table: Table, fmt: str, output: Path | None) -> None:
    from engine.service.reporting import formats

    if fmt not in FORMATS:
        err.print(say("cli_format_one_of", formats=", ".join(FORMATS), value=fmt))
        raise typer.Exit(1)
    if fmt == "xlsx":
        if output is None:
            err.print(say("cli_xlsx_needs_output"))
            raise typer.Exit(1)
        with output.open("wb") as binary:
            formats.to_xlsx(table, binary)
    elif fmt == "table":
        # A form is cut into blocks that fit the terminal (80 columns when not a terminal).
        numeric = sum(1 for c in table.columns if c.kind != "text")
        width = console.width if table.form is not None or numeric > 4 else None
        if output is None:
            _print(console, formats.to_rich(table, width))
        else:
            with output.open("w", encoding="utf-8") as text:
                _print(Console(file=text, width=width or 200), formats.to_rich(table, width))
    else:
        writer = formats.to_csv if fmt == "csv" else formats.to_json
        _write_text(lambda out: writer(table, out), output, "utf-8-sig" if fmt == "csv"
                    else "utf-8")
    if output is not None:
        err.print(say("cli_written_to", path=str(output)))


def _print(target: Console, rendered: Any) -> None:
    for part in rendered if isinstance(rendered, list) else [rendered]:
        target.print(part)


def _write_text(write: Callable[[IO[str]], object], output: Path | None, encoding: str) -> None:
    if output is None:
        write(sys.stdout)
        return
    with output.open("w", encoding=encoding, newline="") as text:
        write(text)


@report_app.command("statistics")
def report_statistics(
    period: str | None = typer.Option(
        None, "--period", help="an official period: 2026-Q3, 2026-6M, 2026-9M, 2026, "
        "2026-M11, 2026-YTD, 2026-YTD-M11 (cut-offs of Decree 09/2019/NĐ-CP)"),
    date_from: str | None = typer.Option(None, "--from", help="first day of a free range, "
                                         "YYYY-MM-DD (local time)"),
    date_to: str | None = typer.Option(None, "--to", help="last day, YYYY-MM-DD, included"),
    unit: str | None = typer.Option(None, "--unit", help="the reporting unit's agency code "
                                    "(default: the province of the office)"),
    consolidate: bool = typer.Option(False, "--consolidate",
                                     help="the unit and every unit below it, one row group "
                                     "per unit, then the total"),
    group_by: str = typer.Option("form", "--group-by",
                                 help="form | field | procedure | department | level"),
    fmt: str = FORMAT, output: Path | None = OUTPUT,
) -> None:
    """Biểu số 06/VPCP/KSTT: received, resolved and pending dossiers of the period (as sent,
    with any later corrections apart, when the unit has sent it)."""
    from engine.service import reporting, submissions

    office = _office()
    with _explained():
        chosen = _period(office, period, date_from, date_to)
        named = reporting.named_period(chosen) if chosen.kind != "range" else None
        report = reporting.statistics(office, chosen.date_from, chosen.date_to, group_by,
                                      unit=unit, consolidate=_below(consolidate, unit),
                                      named=named, lang=report_language())
        sent = submissions.as_sent(office, None, report)
    if sent is None:
        _emit(reporting.statistics_table(report, report_language()), fmt, output)
        return
    # A report already sent shows as sent; what was corrected since comes as a second table.
    tables = [submissions.sent_table(office, sent.submitted, report_language())]
    if sent.differences:
        tables.append(submissions.comparison_table(office, sent, report_language()))
    _emit_many(tables, fmt, output)


SHEET_PERIOD = typer.Option(None, "--period", help="an official period (2026-Q3)")
SHEET_FROM = typer.Option(None, "--from", help="first day of a free range")
SHEET_TO = typer.Option(None, "--to", help="last day, included")
SHEET_UNIT = typer.Option(None, "--unit", help="the unit's agency code")
SHEET_BELOW = typer.Option(False, "--consolidate", help="and the units below it")


@report_app.command("satisfaction")
def report_satisfaction(period: str | None = SHEET_PERIOD, date_from: str | None = SHEET_FROM,
                        date_to: str | None = SHEET_TO, unit: str | None = SHEET_UNIT,
                        consolidate: bool = SHEET_BELOW, fmt: str = FORMAT,
                        output: Path | None = OUTPUT) -> None:
    """The applicants' ratings of the period, per unit and procedure, and the share
    satisfied."""
    _sheet("satisfaction", period, date_from, date_to, unit, consolidate, fmt, output)


@report_app.command("lateness")
def report_lateness(period: str | None = SHEET_PERIOD, date_from: str | None = SHEET_FROM,
                    date_to: str | None = SHEET_TO, unit: str | None = SHEET_UNIT,
                    consolidate: bool = SHEET_BELOW, fmt: str = FORMAT,
                    output: Path | None = OUTPUT) -> None:
    """The dossiers of the period resolved late or still overdue, with the reasons and the
    apologies issued."""
    _sheet("lateness", period, date_from, date_to, unit, consolidate, fmt, output)


def _sheet(kind: str, period: str | None, date_from: str | None, date_to: str | None,
           unit: str | None, consolidate: bool, fmt: str, output: Path | None) -> None:
    """A sheet that goes with form 06, for the same period and units the form would count."""
    from engine.service import reporting

    office = _office()
    with _explained():
        chosen = _period(office, period, date_from, date_to)
        units = reporting.scope_units(office, chosen.date_from, chosen.date_to, unit,
                                      _below(consolidate, unit))
        if kind == "satisfaction":
            table = reporting.satisfaction_table(reporting.satisfaction_sheet(
                office, chosen.date_from, chosen.date_to, units), report_language())
        else:
            table = reporting.lateness_table(reporting.lateness_sheet(
                office, chosen.date_from, chosen.date_to, units), report_language())
    _emit(table, fmt, output)


@report_app.command("submit")
def report_submit(
    period: str = typer.Option(..., "--period", help="the ended period: 2026-Q3, 2026-6M, "
                               "2026-9M, 2026, 2026-M11, 2026-YTD-M11"),
    unit: str = typer.Option(..., "--unit", help="the reporting unit's agency code"),
    consolidate: bool = typer.Option(False, "--consolidate",
                                     help="the unit and every unit below it"),
    by: str = typer.Option("operator", "--by", help="who sends it, as recorded"),
) -> None:
    """Send form 06 of an ended period upward: its figures are kept as sent, with who and
    when, as an event on the system audit chain."""
    from engine.service import reporting, submissions

    office = _office()
    with _explained():
        sent = submissions.submit(office, by, reporting.official_period(office, period), unit,
                                  consolidate)
    local = office.calendar.local_time(sent.submitted_at)
    totals = sent.document.get("totals") or {}
    console.print(f"Đã gửi Biểu số 06 kỳ {sent.period_code} của đơn vị {sent.unit}"
                  f"{' (tổng hợp)' if sent.consolidated else ''} lúc {local:%H:%M %d/%m/%Y}: "
                  f"nhận {totals.get('received', 0)}, đã giải quyết {totals.get('resolved', 0)}, "
                  f"đang giải quyết {totals.get('pending', 0)} (sự kiện hệ thống số "
                  f"{sent.event_seq}).")


def _emit_many(tables: list[Table], fmt: str, output: Path | None) -> None:
    """Several tables in one answer: one after the other, or one sheet each in a workbook."""
    from engine.service.reporting import formats

    if fmt == "xlsx" and output is not None:
        from openpyxl import Workbook

        book = Workbook()
        first = book.active
        assert first is not None
        first.title = "Đã gửi"
        formats.write_sheet(first, tables[0])
        for table in tables[1:]:
            formats.add_sheet(book, "Chênh lệch", table)
        book.save(output)
        err.print(say("cli_written_to", path=str(output)))
        return
    if fmt == "json":
        documents = []
        for table in tables:
            text = io.StringIO()
            formats.to_json(table, text)
            documents.append(json.loads(text.getvalue()))
        _write_text(lambda out: out.write(json.dumps(
            {"submitted": documents[0], "corrections": documents[1:]}, ensure_ascii=False,
            indent=2) + "\n"), output, "utf-8")
        return
    if fmt == "csv" and output is not None:
        # One file: the sent form, then a blank line and each table of corrections.
        def both(out: IO[str]) -> None:
            for number, table in enumerate(tables):
                if number:
                    out.write(formats.CSV_LINE_END)
                formats.to_csv(table, out)
        _write_text(both, output, "utf-8-sig")
        err.print(say("cli_written_to", path=str(output)))
        return
    for table in tables:
        _emit(table, fmt, output if len(tables) == 1 else None)


def _below(consolidate: bool, unit: str | None) -> bool | None:
    """``--consolidate`` as the reports take it: without ``--unit`` and without the flag, the
    engine's default (the province, consolidated); with ``--unit`` alone, that unit only."""
    return True if consolidate else None if unit is None else False


def _period(office: Any, period: str | None, date_from: str | None,
            date_to: str | None) -> Any:
    """``--period``, or ``--from`` and ``--to``: one of the two."""
    from engine.service import reporting

    if period is not None:
        if date_from is not None or date_to is not None:
            err.print(say("cli_period_or_range"))
            raise typer.Exit(1)
        return reporting.official_period(office, period)
    if date_from is None or date_to is None:
        err.print(say("cli_period_needed"))
        raise typer.Exit(1)
    start, end = _required_day(date_from, "--from"), _required_day(date_to, "--to")
    if start > end:
        err.print(say("cli_range_backwards", end=end, start=start))
        raise typer.Exit(1)
    return reporting.free_range(start, end)


@report_app.command("steps")
def report_steps(
    procedure: str = typer.Option(..., help="procedure key, e.g. dang_ky_ho_kinh_doanh"),
    date_from: str = FROM, date_to: str = TO, fmt: str = FORMAT, output: Path | None = OUTPUT,
) -> None:
    """Waiting and working time per step, and the steps that most often make dossiers late."""
    from engine.service.reporting import step_report, step_table

    with _explained():
        report = step_report(_office(), procedure, _required_day(date_from, "--from"),
                             _required_day(date_to, "--to"))
    _emit(step_table(report, report_language()), fmt, output)


@report_app.command("staff")
def report_staff(
    date_from: str = FROM, date_to: str = TO,
    department: str | None = typer.Option(None, help="only this department's steps"),
    fmt: str = FORMAT, output: Path | None = OUTPUT,
) -> None:
    """Per person: steps completed, share in time, median working hours."""
    from engine.service.reporting import staff_report, staff_table

    with _explained():
        report = staff_report(_office(), _required_day(date_from, "--from"),
                              _required_day(date_to, "--to"), department)
    _emit(staff_table(report, report_language()), fmt, output)


# ---- exports ------------------------------------------------------------------------------

EXPORT_FROM = typer.Option(None, "--from", help="dossiers received from this day, YYYY-MM-DD")
EXPORT_TO = typer.Option(None, "--to", help="dossiers received up to this day, included")


@export_app.command("xes")
def export_xes_command(output: Path | None = OUTPUT, date_from: str | None = EXPORT_FROM,
                       date_to: str | None = EXPORT_TO) -> None:
    """The event log as XES (one trace per dossier), for ProM, pm4py, Disco, Celonis."""
    from engine.service.reporting import export_xes

    with _explained():
        office = _office()
        first, last = _day(date_from, "--from"), _day(date_to, "--to")
        if output is None:
            summary = export_xes(office, sys.stdout.buffer, first, last)
        else:
            with output.open("wb") as binary:
                summary = export_xes(office, binary, first, last)
    err.print(say("cli_exported", traces=number(summary.traces), events=number(summary.events)))


@export_app.command("csv")
def export_csv_command(output: Path | None = OUTPUT, date_from: str | None = EXPORT_FROM,
                       date_to: str | None = EXPORT_TO) -> None:
    """The event log as CSV, one row per event, columns named as in XES."""
    from engine.service.reporting import export_csv

    with _explained():
        office = _office()
        first, last = _day(date_from, "--from"), _day(date_to, "--to")
        summaries = []
        _write_text(lambda out: summaries.append(export_csv(office, out, first, last)), output,
                    "utf-8")
    err.print(say("cli_exported", traces=number(summaries[0].traces),
                  events=number(summaries[0].events)))


# ---- demo history -------------------------------------------------------------------------

SPAN = re.compile(r"^(\d+)([dwmy])$")
DAYS_PER = {"d": 1, "w": 7, "m": 30, "y": 365}


def demo_history(
    period: str | None = typer.Option(
        None, "--period", help="only the home office's recent past, this far back: e.g. 90d, "
        "12w, 6m, 1y (run `motcua demo` and `motcua deploy processes/` first)"),
    date_from: str | None = typer.Option(
        None, "--from", help="first day, YYYY-MM-DD [default: 2024-01-01]"),
    date_to: str | None = typer.Option(
        None, "--to", help="last day, YYYY-MM-DD, included [default: 2025-12-31; "
        "2024-12-31 for ha-dong-2024]"),
    processes: Path = typer.Option(Path("processes"), help="the shipped procedures' folder"),
    seed: int = typer.Option(2024, help="the same seed makes the same history"),
    per_day: float | None = typer.Option(
        None, "--per-day", help="dossiers per working day at each desk [default: 3; 20 with "
        "--period]"),
    scenario: str = typer.Option(
        "reform", "--scenario", help="reform: both eras at a few dossiers a day; ha-dong-2024: "
        "the district's 2024 at the volumes of its report (docs/reports.md)"),
    scale: float = typer.Option(1.0, "--scale", help="ha-dong-2024: this share of the "
                                "report's volumes, e.g. 0.01"),
) -> None:
    """Make the past on a new database, by the real engine: the organisation before and after
    the 1 July 2025 reform, the law of each era deployed on its first day, dossiers from
    --from to --to at the desks of each era."""
    if period is not None:
        _recent_history(period, seed, per_day or 20.0)
        return
    if scenario == "ha-dong-2024":
        if per_day is not None:
            err.print(say("cli_per_day_not_here"))
            raise typer.Exit(1)
        _ha_dong_2024(date_from, date_to, processes, seed, scale)
        return
    if scenario != "reform":
        err.print(say("cli_scenario", value=scenario))
        raise typer.Exit(1)
    from engine.service.demo_history import USERS as PAST_USERS
    from engine.simulation.past import make_the_past

    first = _day(date_from or "2024-01-01", "--from")
    last = _day(date_to or "2025-12-31", "--to")
    assert first is not None and last is not None  # given or defaulted
    files = _procedure_files(processes)
    with _explained():
        office = _office()
        summary = _with_progress((last - first).days + 1, lambda progress: make_the_past(
            office, files, first, last, seed, per_day or 3.0, progress))
    _print_summary(summary, office.calendar.tz)
    console.print(say("cli_past_people", users=", ".join(PAST_USERS)))


def _ha_dong_2024(date_from: str | None, date_to: str | None, processes: Path, seed: int,
                  scale: float) -> None:
    from engine.simulation.ha_dong_2024 import FIRST_DAY, LAST_DAY, make_ha_dong_2024

    first = _day(date_from, "--from") or FIRST_DAY
    last = _day(date_to, "--to") or LAST_DAY
    files = _procedure_files(processes)
    with _explained():
        office = _office()
        summary = _with_progress((last - first).days + 1, lambda progress: make_ha_dong_2024(
            office, files, scale, first, last, seed, progress))
    _print_summary(summary, office.calendar.tz)


def _procedure_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        err.print(say("cli_processes_folder", folder=str(folder)))
        raise typer.Exit(1)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in (".bpmn", ".dmn", ".json")}


def _recent_history(period: str, seed: int, per_day: float) -> None:
    from engine.simulation.history import generate_history

    match = SPAN.match(period.strip().lower())
    if match is None:
        err.print(say("cli_span", value=period))
        raise typer.Exit(1)
    days = int(match.group(1)) * DAYS_PER[match.group(2)]
    office = _office()
    with _explained():
        summary = _with_progress(days, lambda progress: generate_history(
            office, days=days, seed=seed, per_day=per_day, progress=progress))
    _print_summary(summary, office.calendar.tz)


def _with_progress(days: int, run: Callable[[Callable[[int, int], None]], Any]) -> Any:
    columns = (TextColumn(say("cli_simulating_days")), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task("days", total=days)
        return run(lambda done, _: bar.update(task, completed=done))


def _print_summary(summary: Any, tz: Any) -> None:
    """The span in the office's local dates (the summary's moments are UTC)."""
    console.print(say("cli_history_summary", dossiers=number(summary.dossiers),
                      steps=number(summary.steps), apologies=summary.apologies,
                      first=summary.start.astimezone(tz).date(),
                      last=summary.end.astimezone(tz).date()))
