"""The plan commands: ``plan leaders|training|links|show|edit|results`` and ``approve``."""

from __future__ import annotations

import typer

from teamroots import cli_views as views
from teamroots.cli import _as_date, handled, say, settings, show
from teamroots.i18n import _


def add_plan_commands(app: typer.Typer) -> None:
    plan = typer.Typer(
        help=_("Propose plans by optimization: leaders, training batches, cadre links."),
        no_args_is_help=True,
    )
    app.add_typer(plan, name="plan")
    time_limit_help = _("Seconds the solver may use.")
    json_help = _("Print the result as JSON.")
    save_help = _("Store the plan as a proposal to approve.")

    @plan.command("leaders", help=_("Propose a leader and a core for every team, plant-wide."))
    def leaders(
        as_of: str = typer.Option(None, help=_("The day the plan is for (default: last record).")),
        time_limit: float = typer.Option(30.0, help=time_limit_help),
        as_json: bool = typer.Option(False, "--json", help=json_help),
        save: bool = typer.Option(True, help=save_help),
    ) -> None:
        from teamroots import planning

        with handled():
            day = _as_date(as_of) if as_of else None
            doc = planning.plan_leaders(settings(), as_of=day, time_limit=time_limit, save=save)
        show(doc, as_json, views.print_leaders_plan)

    @plan.command("training", help=_("Put every team leader and deputy in one training batch."))
    def training(
        batches: int = typer.Option(
            None, help=_("How many batches (default: 5, or one per date).")
        ),
        dates: str = typer.Option(
            None, help=_("The batches' dates, comma-separated (default: weekly from next Monday).")
        ),
        class_size: int = typer.Option(
            None, help=_("Most trainees in one batch (default: 1.2 × an even share).")
        ),
        max_away: float = typer.Option(
            0.35, help=_("Most of a workshop shift's trainees away in one batch, as a share.")
        ),
        deputies: bool = typer.Option(True, help=_("Train the deputies too.")),
        time_limit: float = typer.Option(30.0, help=time_limit_help),
        as_json: bool = typer.Option(False, "--json", help=json_help),
        save: bool = typer.Option(True, help=save_help),
    ) -> None:
        from teamroots import planning_training

        with handled():
            days = (
                [_as_date(d, "--dates") for d in dates.split(",") if d.strip()] if dates else None
            )
            doc = planning_training.plan_training(
                settings(),
                batches=batches,
                dates=days,
                deputies=deputies,
                time_limit=time_limit,
                save=save,
                class_size=class_size,
                max_away=max_away,
            )
        show(doc, as_json, views.print_training_plan)

    @plan.command("links", help=_("Link every cadre with one advanced and one backward team."))
    def links(
        max_cadres: int = typer.Option(2, help=_("Most cadres linked with one team.")),
        time_limit: float = typer.Option(30.0, help=time_limit_help),
        as_json: bool = typer.Option(False, "--json", help=json_help),
        save: bool = typer.Option(True, help=save_help),
    ) -> None:
        from teamroots import planning_links

        with handled():
            doc = planning_links.plan_links(
                settings(), time_limit=time_limit, save=save, max_cadres=max_cadres
            )
        show(doc, as_json, views.print_links_plan)

    @app.command("approve", help=_("Approve a proposed plan and apply it."))
    def approve(
        plan_id: int = typer.Argument(..., help=_("The plan's number.")),
        by: str = typer.Option(..., "--by", help=_("Who approves it.")),
    ) -> None:
        from teamroots import planning

        with handled():
            counts = planning.approve(settings(), plan_id, by)
        say(
            _(
                "Plan {plan} approved by {by}: {ended} memberships ended, {started} started.",
                plan=plan_id,
                by=by,
                **counts,
            )
        )
