"""Census commands: ``init``, ``demo``, ``import``, ``export``, ``census``."""

from __future__ import annotations

from pathlib import Path

import typer

from teamroots import services
from teamroots.census.fields import KINDS
from teamroots.cli import views
from teamroots.cli.common import (
    check_writable,
    database,
    err,
    handled,
    out,
    progress_bar,
    say,
    settings,
    write_problems,
)
from teamroots.errors import ImportProblems
from teamroots.i18n import _
from teamroots.services import census as service


def cmd_init(app_role: str | None = None) -> None:
    with handled():
        revision = services.init_database(settings())
        if app_role:
            services.grant_app_role(settings(), app_role)
    say(_("Database ready at schema revision {revision}.", revision=revision))
    if app_role:
        say(
            _(
                "Role {role} may now read and write the tables and only append to the audit "
                "log; connect the app as {role}.",
                role=app_role,
            )
        )


def cmd_demo(
    seed: int, teams: int, days: int, replace: bool, force: bool, history: bool = False
) -> None:
    from teamroots.census.demo import DemoSpec

    spec = DemoSpec(seed=seed, teams=teams, days=days, history=history)
    with handled(), database() as db, progress_bar(_("Building the sample plant")) as tick:
        written = service.build_demo(db, spec, replace=replace, force=force, progress=tick)
    out.print(
        _(
            "Sample plant built: {teams} teams, {people} people, {records} daily records.",
            teams=written.get("team", 0),
            people=written.get("person", 0),
            records=written.get("team_record", 0),
        )
    )


def cmd_import(
    kind: str,
    file: Path,
    mapping: Path | None,
    dry_run: bool,
    errors_out: Path | None,
    strict: bool = False,
) -> None:
    with handled():
        if errors_out:
            check_writable(errors_out)
        try:
            with database() as db, progress_bar(_("Importing {file}", file=file.name)) as tick:
                result = service.import_file(
                    db, kind, file, mapping, dry_run=dry_run, progress=tick, strict=strict
                )
        except ImportProblems as exc:
            if errors_out:
                write_problems(errors_out, exc.problems, str(file))
                err.print(_("All problems written to {file}.", file=str(errors_out)))
            raise
    views.print_import(out, result, dry_run)
    if errors_out and result.warnings:
        write_problems(errors_out, result.warnings, str(file))
        err.print(_("All warnings written to {file}.", file=str(errors_out)))


def cmd_export(kind: str, file: Path) -> None:
    with handled(), database() as db:
        check_writable(file)
        count = service.export_kind(db, kind, file)
    say(_("{count} rows written to {file}.", count=count, file=str(file)))


def cmd_census() -> None:
    with handled(), database() as db:
        data = service.census(db)
    views.print_census(out, data)


def register(app: typer.Typer) -> None:
    kinds = ", ".join(KINDS)

    @app.command("init", help=_("Create the database schema or migrate it to the newest."))
    def init(
        app_role: str | None = typer.Option(
            None,
            help=_(
                "PostgreSQL: then grant this existing role what the app needs, with the audit "
                "log append-only."
            ),
        ),
    ) -> None:
        cmd_init(app_role)

    @app.command("demo", help=_("Build the sample plant (deterministic for a seed)."))
    def demo(
        seed: int = typer.Option(7, help=_("Random seed.")),
        teams: int = typer.Option(150, min=1, help=_("Number of teams.")),
        days: int = typer.Option(365, min=1, help=_("Days of daily records.")),
        replace: bool = typer.Option(
            False, help=_("Delete the sample plant the database holds first.")
        ),
        force: bool = typer.Option(False, help=_("With --replace: delete a plant's own data too.")),
        history: bool = typer.Option(
            False,
            help=_(
                "Add a year of follow-through: training and cadre links with a planted effect, "
                "directives, wishes, visits and case studies."
            ),
        ),
    ) -> None:
        cmd_demo(seed, teams, days, replace, force, history)

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
        strict: bool = typer.Option(
            False, help=_("Refuse the file if any value is implausible, not only warn.")
        ),
    ) -> None:
        cmd_import(kind, file, mapping, dry_run, errors_out, strict)

    @app.command("export", help=_("Export KIND to a CSV or XLSX file that import reads back."))
    def export(
        kind: str = typer.Argument(..., help=kinds),
        file: Path = typer.Argument(..., help=_("The CSV or XLSX file to write.")),
    ) -> None:
        cmd_export(kind, file)

    @app.command("census", help=_("Print the census: units, teams, people, records, survey."))
    def census_() -> None:
        cmd_census()
