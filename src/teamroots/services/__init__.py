"""The use cases of teamroots, shared by the CLI, the report and (later) the web app.

The only code that imports ``store/``. One module per area — ``census``, ``assess``,
``plans`` (propose, show, approve) and ``plan_changes`` (edit, results) — each use case a
function taking the ``Database`` (made once per process by ``open_database``) and returning
typed results. Authorisation (scope) will be checked here, once.
"""

from __future__ import annotations

from teamroots.config import Settings
from teamroots.store.db import Database

__all__ = ["Database", "init_database", "open_database"]


def open_database(settings: Settings, *, upgrade: bool = False) -> Database:
    """The process's database handle; ``upgrade`` creates or migrates the schema first
    (``teamroots init``). A database that is not current is a ConfigError saying what to do."""
    from teamroots.store.db import open_database as _open

    return _open(settings.database_url, settings, upgrade=upgrade)


def init_database(settings: Settings) -> str:
    """Create the schema, or migrate it to the newest version; returns the revision."""
    from teamroots.store.db import revision

    with open_database(settings, upgrade=True) as db:
        return revision(db)


def grant_app_role(settings: Settings, role: str) -> list[str]:
    """Let the PostgreSQL role ``role`` run the app: read and write every table, only append
    to the audit log, never migrate (see store/grants.py). The statements run."""
    from teamroots.errors import InvalidRequest
    from teamroots.store import grants

    with open_database(settings) as db:
        if db.engine.dialect.name != "postgresql":
            raise InvalidRequest(
                "--app-role is for PostgreSQL; SQLite has no roles (its audit log is guarded "
                "by triggers)."
            )
        with db.write(serialize=False) as conn:
            if not grants.role_exists(conn, role):
                raise InvalidRequest(
                    "There is no PostgreSQL role {role}; create it first (CREATE ROLE {role} "
                    "LOGIN PASSWORD '…').",
                    role=role,
                )
            return grants.grant_app_role(conn, role)


from teamroots.services import (  # noqa: E402
    access,
    assess,
    census,
    directives,
    effects,
    experience,
    history,
    jobs,
    notices,
    plan_changes,
    plans,
    reports,
    track,
    users,
    wishes,
    work,
)

__all__ += [
    "access",
    "assess",
    "census",
    "directives",
    "effects",
    "experience",
    "history",
    "jobs",
    "notices",
    "plan_changes",
    "plans",
    "reports",
    "track",
    "users",
    "wishes",
    "work",
]
