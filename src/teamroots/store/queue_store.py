"""Where the job queue (huey, services/queue.py) keeps its tasks: beside the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url


def storage_for(database_url: str) -> tuple[type, dict]:
    """huey's storage for a database: a queue file beside a SQLite file, or the same
    PostgreSQL (its tables made by migration 0018)."""
    from huey.storage import MemoryStorage, PostgresStorage, SqliteStorage

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return MemoryStorage, {}
        path = Path(url.database)
        return SqliteStorage, {"filename": str(path.with_name(path.stem + "-queue.db"))}
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresStorage, {"dsn": dsn, "create_tables": False, "read_timeout": 1}
