"""The teamroots command line. Built by ``make_app()`` after the language is known, so help
texts are translated too; errors become messages here, once, in the user's language."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from teamroots import cli_views as views
from teamroots import services
from teamroots.census.fields import KINDS
from teamroots.config import Settings
from teamroots.errors import ConfigError, ImportProblems, TeamrootsError
from teamroots.i18n import _, set_language

MAX_SHOWN = 200
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def say(text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


@contextmanager
def handled() -> Iterator[None]:
    """Turn a TeamrootsError into a message and an exit code."""
    try:
        yield
    except ImportProblems as exc:
        show_problems(exc)
        raise typer.Exit(exc.exit_code) from None
    except TeamrootsError as exc:
        prefix = _("Error")
        err.print(f"[red]{escape(prefix)}:[/red] {escape(exc.message())}", soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def problem_text(problem) -> str:
    return _(problem.expected, **dict(problem.params))


def show_problems(exc: ImportProblems) -> None:
    table = Table(title=Text(exc.message()), title_style="bold red", show_lines=False)
    for name in (_("row"), _("column"), _("value"), _("expected")):
        table.add_column(name)
    for p in exc.problems[:MAX_SHOWN]:
        table.add_row(str(p.row), Text(p.column), Text(p.value), Text(problem_text(p)))
    err.print(table)
    if len(exc.problems) > MAX_SHOWN:
        err.print(
            _(
                "… and {count} more; write them all with --errors-out FILE.",
                count=len(exc.problems) - MAX_SHOWN,
            )
        )
    err.print(_("Fix the file (or the mapping) and import again."))


def check_writable(path: Path) -> None:
    """A file we are about to write must have a folder to go in (a clear error, not a crash)."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ConfigError(
            "Cannot write {file}: the folder {folder} does not exist.",
            file=str(path),
            folder=str(folder),
        )


def write_problems(path: Path, exc: ImportProblems, file: str) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "row", "column", "value", "expected"])
        for p in exc.problems:
            w.writerow([file, p.row, p.column, p.value, problem_text(p)])


@contextmanager
def progress_bar(description: str):
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def settings() -> Settings:
    return Settings()


def cmd_init() -> None:
    with handled():
        revision = services.init_db(settings())
    say(_("Database ready at schema revision {revision}.", revision=revision))


def cmd_demo(seed: int, teams: int, days: int, replace: bool) -> None:
    from teamroots.census.demo import DemoSpec

    with handled(), progress_bar(_("Building the sample plant")) as tick:
        written = services.build_demo(
            settings(), DemoSpec(seed=seed, teams=teams, days=days), replace=replace, progress=tick
        )
    out.print(
        _(
            "Sample plant built: {teams} teams, {people} people, {records} daily records.",
            teams=written.get("team", 0),
            people=written.get("person", 0),
            records=written.get("team_record", 0),
        )
    )


def cmd_import(
    kind: str, file: Path, mapping: Path | None, dry_run: bool, errors_out: Path | None
) -> None:
    with handled():
        if errors_out:
            check_writable(errors_out)
        try:
            with progress_bar(_("Importing {file}", file=file.name)) as tick:
                result = services.import_file(
                    settings(),
                    kind,
                    file,
                    str(mapping) if mapping else None,
                    dry_run=dry_run,
                    progress=tick,
                )
        except ImportProblems as exc:
            if errors_out:
                write_problems(errors_out, exc, str(file))
                err.print(_("All problems written to {file}.", file=str(errors_out)))
            raise
    if result.ignored_columns:
        say(_("Columns not used: {columns}.", columns=", ".join(result.ignored_columns)))
    msg = _(
        "{rows} rows read: {inserted} new, {updated} changed, {same} unchanged.",
        rows=result.rows,
        inserted=result.inserted,
        updated=result.updated,
        same=result.rows - result.inserted - result.updated,
    )
    if result.created_units or result.created_teams:
        counts = {"units": result.created_units, "teams": result.created_teams}
        msg += " " + (
            _("Would create {units} units and {teams} teams named in the file.", **counts)
            if dry_run
            else _("Created {units} units and {teams} teams named in the file.", **counts)
        )
    if dry_run:
        msg += " " + _("Dry run: nothing was written.")
    say(msg)


def cmd_export(kind: str, file: Path) -> None:
    with handled():
        check_writable(file)
        count = services.export_kind(settings(), kind, file)
    say(_("{count} rows written to {file}.", count=count, file=str(file)))


def cmd_census() -> None:
    with handled():
        data = services.census(settings())
    views.print_census(out, data)


def show(document: dict, as_json: bool, view) -> None:
    """A result as JSON on stdout (for machines), or rendered with Rich (for people)."""
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    else:
        view(out, document)


def cmd_assess(as_of: str | None, rubric: Path | None, as_json: bool, save: bool) -> None:
    with handled():
        day = _as_date(as_of) if as_of else None
        document = services.assess(settings(), as_of=day, rubric_path=rubric, save=save)
    show(document, as_json, views.print_assessment)


def _as_date(text: str, option: str = "--as-of"):
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            "{option} {value} is not a date like 2026-10-31.", option=option, value=text
        ) from None


def cmd_report(out_path: Path, review: int | None) -> None:
    from teamroots.i18n import current_language
    from teamroots.report.html import render_report

    with handled():
        check_writable(out_path)
        document = services.latest_review(settings(), review)
        plans = services.latest_plans(settings())
        out_path.write_text(render_report(document, current_language(), plans), encoding="utf-8")
    say(_("Report written to {file}.", file=str(out_path.resolve())))


def make_app() -> typer.Typer:
    app = typer.Typer(
        pretty_exceptions_enable=False,
        help=_("teamroots: know, rank, staff, train and follow every production team of a plant."),
        no_args_is_help=True,
        add_completion=False,
    )
    kinds = ", ".join(KINDS)

    @app.callback()
    def main_options(lang: str = typer.Option(None, "--lang", help=_("Language: en or zh-CN."))):
        if lang:
            set_language(lang)

    @app.command("init", help=_("Create the database schema or migrate it to the newest."))
    def init() -> None:
        cmd_init()

    @app.command("demo", help=_("Build the sample plant (deterministic for a seed)."))
    def demo(
        seed: int = typer.Option(7, help=_("Random seed.")),
        teams: int = typer.Option(150, min=1, help=_("Number of teams.")),
        days: int = typer.Option(365, min=1, help=_("Days of daily records.")),
        replace: bool = typer.Option(False, help=_("Delete what the database holds first.")),
    ) -> None:
        cmd_demo(seed, teams, days, replace)

    @app.command(
        "import",
        help=_(
            "Import a CSV or XLSX file: all rows or none. KIND is one of: {kinds}.", kinds=kinds
        ),
    )
    def import_(
        kind: str = typer.Argument(..., help=kinds),
        file: Path = typer.Argument(..., help=_("The CSV or XLSX file.")),
        mapping: Path = typer.Option(None, help=_("A mapping file (TOML).")),
        dry_run: bool = typer.Option(False, help=_("Check and count, write nothing.")),
        errors_out: Path = typer.Option(None, help=_("Write every problem to this CSV.")),
    ) -> None:
        cmd_import(kind, file, mapping, dry_run, errors_out)

    @app.command("export", help=_("Export KIND to a CSV or XLSX file that import reads back."))
    def export(
        kind: str = typer.Argument(..., help=kinds),
        file: Path = typer.Argument(..., help=_("The CSV or XLSX file to write.")),
    ) -> None:
        cmd_export(kind, file)

    @app.command("census", help=_("Print the census: units, teams, people, records, survey."))
    def census_() -> None:
        cmd_census()

    @app.command("assess", help=_("Assess and rank every team (tiers, reasons, diagnosis)."))
    def assess_(
        as_of: str = typer.Option(None, help=_("Last day of the window (default: last record).")),
        rubric: Path = typer.Option(
            None, help=_("A rubric file (TOML); default: the shipped one.")
        ),
        as_json: bool = typer.Option(False, "--json", help=_("Print the result as JSON.")),
        save: bool = typer.Option(True, help=_("Store the run as a review.")),
    ) -> None:
        cmd_assess(as_of, rubric, as_json, save)

    @app.command("report", help=_("Write the self-contained HTML report of an assessment."))
    def report_(
        out_path: Path = typer.Option(Path("report.html"), "--out", help=_("The HTML file.")),
        review: int = typer.Option(None, help=_("A review id (default: the newest).")),
    ) -> None:
        cmd_report(out_path, review)

    from teamroots.cli_plans import add_plan_commands

    add_plan_commands(app)
    return app


def language_from(argv: list[str]) -> str | None:
    """The --lang given on the command line, read before the app is built so that its help
    texts are in that language too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    set_language(
        language_from(sys.argv[1:]) or os.environ.get("TEAMROOTS_LANG") or os.environ.get("LANG")
    )
    make_app()()
