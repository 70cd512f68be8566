"""Assessment commands: ``assess`` and ``report``."""

from __future__ import annotations

from pathlib import Path

import typer

from teamroots.cli import views
from teamroots.cli.common import as_date, check_writable, database, handled, out, say, show
from teamroots.errors import InvalidRequest
from teamroots.i18n import _
from teamroots.services import assess as service
from teamroots.services import plans


def cmd_assess(as_of: str | None, rubric: Path | None, as_json: bool, save: bool) -> None:
    with handled():
        day = as_date(as_of) if as_of else None
        with database() as db:
            result = service.assess(db, as_of=day, rubric_path=rubric, save=save)
    show(result.document, as_json, views.print_assessment)


def cmd_report(out_path: Path, review: int | None) -> None:
    from teamroots.i18n import current_language
    from teamroots.report.html import render_report

    with handled(), database() as db:
        check_writable(out_path)
        suffix = out_path.suffix.lower()
        if suffix not in (".html", ".htm", ".pdf"):
            raise InvalidRequest(
                "{file}: the report is written as HTML (.html) or PDF (.pdf); name it so.",
                file=str(out_path),
            )
        document = service.review(db, review).document
        newest = {kind.value: view.document for kind, view in plans.latest_plans(db).items()}
        history = [vars(p) for p in plans.list_plans(db)]
        if suffix == ".pdf":
            from teamroots.report.pdf import render_pdf

            out_path.write_bytes(render_pdf(document, current_language(), newest, history))
        else:
            html = render_report(document, current_language(), newest, history)
            out_path.write_text(html, encoding="utf-8")
    say(_("Report written to {file}.", file=str(out_path.resolve())))


def cmd_calibrate(
    out_path: Path, as_of: str | None, rubric: Path | None, bottom: float, top: float
) -> None:
    with handled():
        check_writable(out_path)
        day = as_date(as_of) if as_of else None
        with database() as db:
            result = service.calibrate(
                db, out_path, as_of=day, rubric_path=rubric, bottom=bottom, top=top
            )
    views.print_calibration(out, result)


def register(app: typer.Typer) -> None:
    @app.command(
        "rollup", help=_("Sum the daily records per team and week again (the weekly rollup).")
    )
    def rollup() -> None:
        from teamroots.cli.common import database, handled, say
        from teamroots.services import census

        with handled(), database() as db:
            weeks = census.rebuild_rollup(db)
        say(_("The weekly rollup holds {weeks} team-weeks.", weeks=weeks))

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

    rubric_app = typer.Typer(
        help=_("Rubrics: calibrate the thresholds to the plant's own figures."),
        no_args_is_help=True,
    )
    app.add_typer(rubric_app, name="rubric")

    @rubric_app.command(
        "calibrate",
        help=_("Propose thresholds from the plant's own distribution, written as a rubric file."),
    )
    def calibrate(
        out_path: Path = typer.Option(
            Path("calibrated_rubric.toml"), "--out", help=_("The rubric file to write.")
        ),
        as_of: str = typer.Option(None, help=_("Last day of the window (default: last record).")),
        rubric: Path = typer.Option(
            None, help=_("The rubric to start from (default: the shipped one).")
        ),
        bottom: float = typer.Option(
            0.2, help=_("Share of teams that fail each tier-2 criterion (e.g. 0.2: a fifth).")
        ),
        top: float = typer.Option(0.6, help=_("Share of teams that pass each tier-1 criterion.")),
    ) -> None:
        cmd_calibrate(out_path, as_of, rubric, bottom, top)
