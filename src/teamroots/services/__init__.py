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


from teamroots.services import (  # noqa: E402
    access,
    assess,
    census,
    jobs,
    plan_changes,
    plans,
    users,
)

__all__ += ["access", "assess", "census", "jobs", "plan_changes", "plans", "users"]
