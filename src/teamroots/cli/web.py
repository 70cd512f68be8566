"""`teamroots serve` and `teamroots user …`: the web app and its accounts."""

from __future__ import annotations

import sys

import typer

from teamroots import services
from teamroots.cli.common import database, handled, say, settings
from teamroots.domain.choices import AccessRole, label
from teamroots.i18n import _


def cmd_serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from teamroots.web.app import create_app

    with handled():
        config = settings()
        services.open_database(config).close()  # a clear error now rather than per request
    say(_("Serving {url} — stop with Ctrl+C.", url=f"http://{host}:{port}"))
    if workers > 1:
        from teamroots.web.workers import run_workers

        run_workers(host, port, workers)
    else:
        uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False)


def cmd_worker(threads: int | None) -> None:
    import logging

    with handled():
        config = settings()
        db = services.open_database(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    count = threads or config.worker_threads
    say(_("Job worker with {threads} thread(s) — stop with Ctrl+C.", threads=count))
    try:
        services.jobs.run_worker(db, count)
    finally:
        db.close()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)


def cmd_user_add(
    name: str,
    role: str,
    unit: str | None,
    team: str | None,
    person: str | None,
    stdin: bool,
    email: str | None = None,
) -> None:
    with handled():
        try:
            role_value = AccessRole(role)
        except ValueError:
            from teamroots.errors import InvalidRequest

            raise InvalidRequest(
                "Unknown role '{role}'; use one of: {roles}.",
                role=role,
                roles=", ".join(r.value for r in AccessRole),
            ) from None
        password = _password(stdin)
        with database() as db:
            user = services.users.add_user(
                db, name, password, role_value, unit=unit, team=team, person=person, email=email
            )
    say(_("User {name} added ({role}).", name=user.name, role=label(user.role)))


def cmd_user_list() -> None:
    with handled(), database() as db:
        users = services.users.list_users(db)
    for u in users:
        tie = u.unit_code or u.team_code or u.employee_no or ""
        say(f"{u.name}\t{label(u.role)}\t{tie}")


def cmd_user_disable(name: str, enable: bool) -> None:
    with handled(), database() as db:
        services.users.set_disabled(db, name, not enable)
    say(
        _("User {name} enabled.", name=name)
        if enable
        else _("User {name} disabled; their sessions ended.", name=name)
    )


def cmd_user_demo() -> None:
    from rich.table import Table

    from teamroots.cli.common import out

    with handled(), database() as db:
        made = services.users.demo_accounts(db)
    table = Table(title=_("Sign in at http://127.0.0.1:8000 (passwords are new each time)"))
    for name in (_("Role"), _("User name"), _("Password"), _("Teams in scope")):
        table.add_column(name)
    for account in made:
        v = account.viewer
        teams = f"{account.teams:,}"
        if v.role is AccessRole.CADRE and not account.teams:
            teams += " " + _("(approve a link plan first)")
        table.add_row(label(v.role), v.name, account.password, teams)
    out.print(table)


def register(app: typer.Typer) -> None:
    @app.command("serve", help=_("Serve the web app (pages and the API under /api/v1)."))
    def serve(
        host: str = typer.Option("127.0.0.1", help=_("Address to listen on.")),
        port: int = typer.Option(8000, help=_("Port to listen on.")),
        workers: int = typer.Option(1, min=1, help=_("Worker processes.")),
    ) -> None:
        cmd_serve(host, port, workers)

    @app.command(
        "worker",
        help=_(
            "Run a job worker: plans, big imports, reminders and escalations, off the queue "
            "(for web processes started with TEAMROOTS_WORKER_IN_APP=false)."
        ),
    )
    def worker(
        threads: int = typer.Option(
            None, min=1, max=32, help=_("Jobs at once (default: TEAMROOTS_WORKER_THREADS).")
        ),
    ) -> None:
        cmd_worker(threads)

    users = typer.Typer(help=_("Web accounts: add, list, disable."), no_args_is_help=True)
    app.add_typer(users, name="user")
    roles = ", ".join(r.value for r in AccessRole)

    @users.command("add", help=_("Add an account. ROLE is one of: {roles}.", roles=roles))
    def add(
        name: str = typer.Argument(..., help=_("The user name.")),
        role: str = typer.Option(..., help=roles),
        unit: str = typer.Option(None, help=_("A unit head's unit code.")),
        team: str = typer.Option(None, help=_("A team leader's team code.")),
        person: str = typer.Option(None, help=_("A cadre's or member's employee number.")),
        password_stdin: bool = typer.Option(
            False, help=_("Read the password from standard input instead of asking.")
        ),
        email: str = typer.Option(
            None, help=_("An email address for notices (when an SMTP server is set).")
        ),
    ) -> None:
        cmd_user_add(name, role, unit, team, person, password_stdin, email)

    @users.command(
        "demo", help=_("On the sample plant: an account for each role, with new passwords.")
    )
    def demo() -> None:
        cmd_user_demo()

    @users.command("list", help=_("List the accounts."))
    def list_() -> None:
        cmd_user_list()

    @users.command("disable", help=_("Disable an account (its sessions end at once)."))
    def disable(
        name: str = typer.Argument(..., help=_("The user name.")),
        enable: bool = typer.Option(False, help=_("Enable it again instead.")),
    ) -> None:
        cmd_user_disable(name, enable)
