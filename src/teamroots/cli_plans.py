"""The plan commands: ``plan leaders|training|links|show|edit|results`` and ``approve``."""

from __future__ import annotations

from pathlib import Path

import typer

from teamroots import cli_views as views
from teamroots.cli import _as_date, handled, say, settings, show
from teamroots.errors import ConfigError
from teamroots.i18n import _

VIEWS = {
    "leaders": views.print_leaders_plan,
    "training": views.print_training_plan,
    "links": views.print_links_plan,
}


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ConfigError(
            "{option} {value}: expected KEY=VALUE, e.g. T00012=E000345.", option=option, value=text
        )
    return key.strip(), value.strip()


def parse_edits(leader: list[str], core: list[str], batch: list[str], link: list[str]) -> dict:
    """The edit options as the changes ``planning_edit.edit_plan`` takes."""
    changes: dict[str, dict] = {"leader": dict(_pair(x, "--leader") for x in leader)}
    changes["core"] = {}
    for item in core:
        team, members = _pair(item, "--core")
        pairs = [_pair(m.replace(":", "=", 1), "--core") for m in members.split(",")]
        changes["core"][team] = pairs
    changes["batch"] = {}
    for item in batch:
        person, number = _pair(item, "--batch")
        if not number.isdigit():
            raise ConfigError("--batch {value}: the batch is a number, e.g. E000345=2.", value=item)
        changes["batch"][person] = int(number)
    changes["link"] = {}
    for item in link:
        cadre, teams = _pair(item, "--link")
        advanced, sep, backward = teams.partition("/")
        if not sep:
            raise ConfigError(
                "--link {value}: expected CADRE=ADVANCED/BACKWARD, e.g. E001900=T00032/T00037.",
                value=item,
            )
        changes["link"][cadre] = tuple(
            None if t.strip() in ("", "-") else t.strip() for t in (advanced, backward)
        )
    return changes


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

    @plan.command("show", help=_("Show a stored plan (a training plan with its results)."))
    def show_plan(
        plan_id: int = typer.Argument(..., help=_("The plan's number.")),
        as_json: bool = typer.Option(False, "--json", help=json_help),
    ) -> None:
        from teamroots import planning

        with handled():
            doc = planning.show_plan(settings(), plan_id)
        show(doc, as_json, VIEWS[doc["kind"]])

    @plan.command("edit", help=_("Change a proposed plan; it is re-checked before it is stored."))
    def edit(
        plan_id: int = typer.Argument(..., help=_("The plan's number.")),
        leader: list[str] = typer.Option([], help=_("TEAM=PERSON: a team's new leader.")),
        core: list[str] = typer.Option(
            [], help=_("TEAM=PERSON:ROLE,PERSON:ROLE: a team's new core.")
        ),
        batch: list[str] = typer.Option([], help=_("PERSON=N: move a trainee to batch N.")),
        link: list[str] = typer.Option(
            [], help=_("CADRE=ADVANCED/BACKWARD: a cadre's teams ('-' for none).")
        ),
        as_json: bool = typer.Option(False, "--json", help=json_help),
    ) -> None:
        from teamroots import planning_edit

        with handled():
            changes = parse_edits(leader, core, batch, link)
            doc = planning_edit.edit_plan(settings(), plan_id, changes)
        show(doc, as_json, VIEWS[doc["kind"]])

    @plan.command(
        "results", help=_("Record trainees' attendance and scores before and after training.")
    )
    def results(
        plan_id: int = typer.Argument(..., help=_("The training plan's number.")),
        file: Path = typer.Argument(
            ..., help=_("CSV or XLSX: employee_no, attended, score_before, score_after.")
        ),
    ) -> None:
        from teamroots import training_results

        with handled():
            counts = training_results.record_results(settings(), plan_id, file)
        say(
            _(
                "Results of plan {plan}: {new} new, {changed} changed, {unchanged} unchanged. "
                "See them with: teamroots plan show {plan}",
                plan=plan_id,
                **counts,
            )
        )

    @app.command("approve", help=_("Approve a proposed plan and apply it."))
    def approve(
        plan_id: int = typer.Argument(..., help=_("The plan's number.")),
        by: str = typer.Option(..., "--by", help=_("Who approves it.")),
    ) -> None:
        from teamroots import planning

        with handled():
            counts = planning.approve(settings(), plan_id, by)
        if counts["kind"] == "leaders":
            say(
                _(
                    "Plan {plan} approved by {by}: {ended} memberships ended, {started} started.",
                    plan=plan_id,
                    by=by,
                    ended=counts["ended"],
                    started=counts["started"],
                )
            )
        else:
            say(_("Plan {plan} approved by {by}.", plan=plan_id, by=by))
