"""Plan commands: ``plan leaders|training|links|show|edit|results`` and ``approve``."""

from __future__ import annotations

from pathlib import Path

import typer

from teamroots.cli import views
from teamroots.cli.common import as_date, database, handled, out, say, show
from teamroots.domain.choices import PlanKind
from teamroots.i18n import _
from teamroots.services import plan_changes, plans

VIEWS = {
    PlanKind.LEADERS: views.print_leaders_plan,
    PlanKind.TRAINING: views.print_training_plan,
    PlanKind.LINKS: views.print_links_plan,
}


def cmd_leaders(
    as_of: str | None, time_limit: float, max_changes: int | None, as_json: bool, save: bool
) -> None:
    with handled():
        day = as_date(as_of) if as_of else None
        with database() as db:
            view = plans.plan_leaders(
                db, as_of=day, time_limit=time_limit, save=save, max_changes=max_changes
            )
    show(view.document, as_json, views.print_leaders_plan)


def cmd_training(dates: str | None, as_json: bool, **options) -> None:
    with handled():
        days = [as_date(d, "--dates") for d in dates.split(",") if d.strip()] if dates else None
        with database() as db:
            view = plans.plan_training(db, dates=days, **options)
    show(view.document, as_json, views.print_training_plan)


def cmd_links(max_cadres: int, time_limit: float, as_json: bool, save: bool) -> None:
    with handled(), database() as db:
        view = plans.plan_links(db, time_limit=time_limit, save=save, max_cadres=max_cadres)
    show(view.document, as_json, views.print_links_plan)


def cmd_list(as_json: bool) -> None:
    with handled(), database() as db:
        rows = plans.list_plans(db)
    if as_json:
        show({"plans": [dict(vars(r)) for r in rows]}, True, views.print_plan_list)
    else:
        views.print_plan_list(out, rows)


def cmd_show(plan_id: int, as_json: bool) -> None:
    with handled(), database() as db:
        view = plans.show_plan(db, plan_id)
    show(view.document, as_json, VIEWS[view.kind])


def cmd_edit(plan_id: int, edits: dict[str, list[str]], as_json: bool) -> None:
    with handled():
        changes = plan_changes.parse_edits(**edits)
        with database() as db:
            view = plan_changes.edit_plan(db, plan_id, changes)
    show(view.document, as_json, VIEWS[view.kind])


def cmd_results(plan_id: int, file: Path) -> None:
    with handled(), database() as db:
        got = plan_changes.record_results(db, plan_id, file)
    if got.ignored_columns:
        say(_("Columns not used: {columns}.", columns=", ".join(got.ignored_columns)))
    say(
        _(
            "Results of plan {plan}: {new} new, {changed} changed, {unchanged} unchanged. "
            "See them with: teamroots plan show {plan}",
            plan=plan_id,
            new=got.new,
            changed=got.changed,
            unchanged=got.unchanged,
        )
    )


def cmd_approve(plan_id: int, by: str) -> None:
    with handled(), database() as db:
        done = plans.approve(db, plan_id, by)
    if done.kind == PlanKind.LEADERS:
        say(
            _(
                "Plan {plan} approved by {by}: {ended} memberships ended, {started} started.",
                plan=plan_id,
                by=by,
                ended=done.ended,
                started=done.started,
            )
        )
    else:
        say(_("Plan {plan} approved by {by}.", plan=plan_id, by=by))


def register(app: typer.Typer) -> None:
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
        time_limit: float = typer.Option(30.0, min=0.1, help=time_limit_help),
        max_changes: int = typer.Option(
            None,
            min=0,
            help=_(
                "Most new leaders in the plan (default: no limit; teams without a leader "
                "first, then backward teams)."
            ),
        ),
        as_json: bool = typer.Option(False, "--json", help=json_help),
        save: bool = typer.Option(True, help=save_help),
    ) -> None:
        cmd_leaders(as_of, time_limit, max_changes, as_json, save)

    @plan.command("training", help=_("Put every team leader and deputy in one training batch."))
    def training(
        batches: int = typer.Option(
            None, min=1, help=_("How many batches (default: 5, or one per date).")
        ),
        dates: str = typer.Option(
            None, help=_("The batches' dates, comma-separated (default: weekly from next Monday).")
        ),
        class_size: int = typer.Option(
            None, min=1, help=_("Most trainees in one batch (default: 1.2 × an even share).")
        ),
        max_away: float = typer.Option(
            0.35, help=_("Most of a workshop shift's trainees away in one batch, as a share.")
        ),
        deputies: bool = typer.Option(True, help=_("Train the deputies too.")),
        allow_past: bool = typer.Option(
            False, help=_("Accept batch dates before today (to record a past plan).")
        ),
        time_limit: float = typer.Option(30.0, min=0.1, help=time_limit_help),
        as_json: bool = typer.Option(False, "--json", help=json_help),
        save: bool = typer.Option(True, help=save_help),
    ) -> None:
        cmd_training(
            dates,
            as_json,
            allow_past=allow_past,
            batches=batches,
            deputies=deputies,
            time_limit=time_limit,
            save=save,
            class_size=class_size,
            max_away=max_away,
        )

    @plan.command("links", help=_("Link every cadre with one advanced and one backward team."))
    def links(
        max_cadres: int = typer.Option(2, min=1, help=_("Most cadres linked with one team.")),
        time_limit: float = typer.Option(30.0, min=0.1, help=time_limit_help),
        as_json: bool = typer.Option(False, "--json", help=json_help),
        save: bool = typer.Option(True, help=save_help),
    ) -> None:
        cmd_links(max_cadres, time_limit, as_json, save)

    @plan.command("list", help=_("List every stored plan: kind, status, who approved it when."))
    def list_(as_json: bool = typer.Option(False, "--json", help=json_help)) -> None:
        cmd_list(as_json)

    @plan.command("show", help=_("Show a stored plan (a training plan with its results)."))
    def show_plan(
        plan_id: int = typer.Argument(..., help=_("The plan's number.")),
        as_json: bool = typer.Option(False, "--json", help=json_help),
    ) -> None:
        cmd_show(plan_id, as_json)

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
        cmd_edit(plan_id, {"leader": leader, "core": core, "batch": batch, "link": link}, as_json)

    @plan.command(
        "results", help=_("Record trainees' attendance and scores before and after training.")
    )
    def results(
        plan_id: int = typer.Argument(..., help=_("The training plan's number.")),
        file: Path = typer.Argument(
            ..., help=_("CSV or XLSX: employee_no, attended, score_before, score_after.")
        ),
    ) -> None:
        cmd_results(plan_id, file)

    @app.command("approve", help=_("Approve a proposed plan and apply it."))
    def approve(
        plan_id: int = typer.Argument(..., help=_("The plan's number.")),
        by: str = typer.Option(..., "--by", help=_("Who approves it.")),
    ) -> None:
        cmd_approve(plan_id, by)
