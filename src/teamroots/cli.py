"""The teamroots command line. Built by ``make_app()`` after the language is known, so help
texts are translated too; errors become messages here, once, in the user's language."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from teamroots import services
from teamroots.census.fields import KINDS
from teamroots.config import Settings
from teamroots.domain.choices import UnitKind, label
from teamroots.errors import ImportProblems, TeamrootsError
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
        msg += " " + _(
            "Created {units} units and {teams} teams named in the file.",
            units=result.created_units,
            teams=result.created_teams,
        )
    if dry_run:
        msg += " " + _("Dry run: nothing was written.")
    say(msg)


def cmd_export(kind: str, file: Path) -> None:
    with handled():
        count = services.export_kind(settings(), kind, file)
    say(_("{count} rows written to {file}.", count=count, file=str(file)))


def cmd_census() -> None:
    with handled():
        data = services.census(settings())
    print_census(data)


def print_census(data: dict) -> None:
    units = data["units"]
    if not units:
        say(_("The database holds no plant yet: run 'teamroots demo' or import units."))
        return
    children: dict[int | None, list[dict]] = {}
    for u in units:
        children.setdefault(u["parent_id"], []).append(u)

    def node(u: dict) -> str:
        text = f"[bold]{u['code']}[/bold] {u['name']} [dim]({label(UnitKind(u['kind']))})[/dim]"
        if u["teams"]:
            share = u["responded"] / u["members"] if u["members"] else 0
            text += " " + _(
                "{teams} teams, {members} members, survey {share:.0%}",
                teams=u["teams"],
                members=u["members"],
                share=share,
            )
        return text

    def grow(tree: Tree, parent_id: int | None) -> None:
        for u in children.get(parent_id, []):
            grow(tree.add(node(u)), u["id"])

    tree = Tree(_("Census"))
    grow(tree, None)
    out.print(tree)
    summary = Table(show_header=False, box=None)
    members = sum(u["members"] for u in units)
    responded = sum(u["responded"] for u in units)
    rows = [
        (_("Units"), str(len(units))),
        (_("Teams"), str(sum(u["teams"] for u in units))),
        (_("People"), str(data["people"])),
        (_("Cadres"), str(data["cadres"])),
        (
            _("Daily team records"),
            _(
                "{count} from {first} to {last}",
                count=data["records"],
                first=data["first_day"] or "-",
                last=data["last_day"] or "-",
            ),
        ),
        (
            _("Peer survey"),
            _(
                "{date}: {responded} of {members} members answered ({share:.0%})",
                date=data["survey_date"] or "-",
                responded=responded,
                members=members,
                share=responded / members if members else 0,
            ),
        ),
        (_("Checklist checks"), str(data["checks"])),
    ]
    for name, value in rows:
        summary.add_row(f"[bold]{name}[/bold]", value)
    out.print(summary)


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

    return app


def main() -> None:
    set_language(os.environ.get("TEAMROOTS_LANG") or os.environ.get("LANG"))
    make_app()()
