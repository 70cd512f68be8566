"""Follow-through on the command line: log a visit with its findings and actions, mark an
action done, and print the board of missed visits, overdue and unowned actions."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from teamroots.cli.common import as_date, database, handled, out, say
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest
from teamroots.i18n import _
from teamroots.services import track
from teamroots.track.visits import FINDING_AREAS, LEVEL_NAMES


def _action(text: str) -> track.NewAction:
    """WHAT;DUE or WHAT;DUE;OWNER (an employee number)."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) not in (2, 3) or not parts[0]:
        raise InvalidRequest(
            "--action {value}: expected WHAT;DUE[;OWNER], e.g. 'Fix the shift handover "
            "log;2026-03-20;E000345'.",
            value=text,
        )
    owner = parts[2] if len(parts) == 3 and parts[2] else None
    return track.NewAction(parts[0], owner, as_date(parts[1], "--action"))


def cmd_log(
    team: str,
    cadre: str,
    on: str | None,
    found: list[str],
    actions: list[str],
    during: str | None = None,
) -> None:
    with handled():
        day = as_date(on, "--on") if on else date.today()
        findings = {}
        for item in found:
            area, sep, note = item.partition("=")
            if not sep or not note.strip():
                raise InvalidRequest(
                    "--found {value}: expected AREA=NOTE, e.g. 'core=the deputy left'.",
                    value=item,
                )
            findings[area.strip()] = note.strip()
        new = [_action(a) for a in actions]
        with database() as db:
            visit = track.log_visit(db, team, cadre, day, findings, new, during=during)
    say(_("Visit {visit} logged with {count} action(s).", visit=visit, count=len(new)))


def cmd_done(action: int, on: str | None) -> None:
    with handled(), database() as db:
        track.finish_action(db, action, as_date(on, "--on") if on else date.today())
    say(_("Action {action} is done.", action=action))


def cmd_board(today: str | None) -> None:
    with handled():
        day = as_date(today, "--today") if today else date.today()
        with database() as db:
            got = track.plant_board(db, Viewer(0, "cli", AccessRole.ADMIN), day)
    say(
        _(
            "{links} cadre-team links; due visits: {on_time} on time, {late} late, {missed} "
            "missed, {open} open.",
            links=got.links,
            on_time=got.visits["on_time"],
            late=got.visits["late"],
            missed=got.visits["missed"],
            open=got.visits["open"],
        )
    )
    if got.missed:
        table = Table(title=_("Missed visits"))
        for column in (_("Cadre"), _("Team"), _("Due")):
            table.add_column(column)
        for m in got.missed:
            table.add_row(m["cadre"], m["team"], m["due"].isoformat())
        out.print(table)
    if got.overdue:
        table = Table(title=_("Overdue actions"))
        for column in (_("Action"), _("Team"), _("What"), _("Owner"), _("Due"), _("Now with")):
            table.add_column(column)
        for a in got.overdue:
            table.add_row(
                str(a["id"]),
                a["team"],
                a["what"],
                a["owner"] or "—",
                a["due"].isoformat(),
                _(LEVEL_NAMES[a["level"]]),
            )
        out.print(table)
    if got.unowned:
        say(
            _(
                "Actions nobody has owned for 7 days: {actions}.",
                actions=", ".join(str(a["id"]) for a in got.unowned),
            )
        )


def register(app: typer.Typer) -> None:
    visit = typer.Typer(
        help=_("A cadre's visits to linked teams: log them, follow their actions."),
        no_args_is_help=True,
    )
    app.add_typer(visit, name="visit")

    @visit.command("log", help=_("Log a visit to TEAM with what was found and what is to be done."))
    def log(
        team: str = typer.Argument(..., help=_("The team's code.")),
        cadre: str = typer.Option(..., help=_("The visiting cadre's employee number.")),
        on: str = typer.Option(None, help=_("The day of the visit (default: today).")),
        found: list[str] = typer.Option(
            [], help=_("AREA=NOTE, repeatable; areas: {areas}.", areas=", ".join(FINDING_AREAS))
        ),
        action: list[str] = typer.Option([], help=_("WHAT;DUE[;OWNER], repeatable.")),
        during: str = typer.Option(
            None, help=_("When: day, middle, night (the shift) or meeting (the shift meeting).")
        ),
    ) -> None:
        cmd_log(team, cadre, on, found, action, during)

    @visit.command("done", help=_("Mark an action done."))
    def done(
        action: int = typer.Argument(..., help=_("The action's number.")),
        on: str = typer.Option(None, help=_("The day it was done (default: today).")),
    ) -> None:
        cmd_done(action, on)

    @visit.command("board", help=_("Missed visits, overdue actions and actions nobody owns."))
    def board(
        today: str = typer.Option(None, help=_("Judge as of this day (default: today).")),
    ) -> None:
        cmd_board(today)


def cmd_remind(at: str | None) -> None:
    from datetime import UTC, datetime, time

    from teamroots.services import notices

    with handled():
        now = datetime.now(UTC)
        if at:
            now = datetime.combine(as_date(at, "--at"), time(12), UTC)
        with database() as db:
            made = notices.remind(db, now)
    say(
        _(
            "Reminders and escalations written: {directive} for directives, {wish} for "
            "wishes, {action} for visit actions (each is written once).",
            **made,
        )
    )
    if made.get("emails"):
        say(_("{count} emails sent.", count=made["emails"]))


def cmd_directive(unit: str | None, title: str, text: str) -> None:
    from teamroots.services import directives

    with handled(), database() as db:
        directive, reached = directives.issue(
            db, Viewer(0, "cli", AccessRole.ADMIN), unit, title, text
        )
    say(_("Directive {id} issued; it reached {count} members.", id=directive, count=reached))


def cmd_reach(directive: int) -> None:
    from teamroots.services import directives

    with handled(), database() as db:
        page = directives.reach_page(db, Viewer(0, "cli", AccessRole.ADMIN), directive)
    t = page.total
    say(_("{acked} of {delivered} acknowledged, {meeting} at a shift meeting.",
          acked=t.acked, delivered=t.delivered, meeting=t.at_meeting))  # fmt: skip
    table = Table(title=_("By unit"))
    for column in (_("Unit"), _("Delivered"), _("Acknowledged"), _("Median hours")):
        table.add_column(column)
    for r in page.units:
        median = "—" if r.median_hours is None else f"{r.median_hours:.1f}"
        table.add_row(r.key, str(r.delivered), str(r.acked), median)
    out.print(table)


def register_follow(app: typer.Typer) -> None:
    @app.command("remind", help=_("Write the reminders and escalations that are due."))
    def remind(
        at: str = typer.Option(None, help=_("Judge as of this day (default: now).")),
    ) -> None:
        cmd_remind(at)

    directive = typer.Typer(
        help=_("Directives down: issue one, see its reach."), no_args_is_help=True
    )
    app.add_typer(directive, name="directive")

    @directive.command("issue", help=_("Issue a directive to a unit or the whole plant."))
    def issue(
        title: str = typer.Option(..., help=_("Its title.")),
        text: str = typer.Option(..., help=_("Its text.")),
        unit: str = typer.Option(None, help=_("The unit's code (default: the whole plant).")),
    ) -> None:
        cmd_directive(unit, title, text)

    @directive.command("reach", help=_("How far a directive has reached, unit by unit."))
    def reach(directive_id: int = typer.Argument(..., help=_("The directive's number."))) -> None:
        cmd_reach(directive_id)
