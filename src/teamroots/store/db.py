"""The database handle: one ``Database`` per process, made by ``open_database`` (the engine and
the schema-revision check, done once). Nothing is created at import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from teamroots.errors import ConfigError

if TYPE_CHECKING:
    from teamroots.config import Settings


def is_sqlite(url_or_engine: str | Engine | Connection) -> bool:
    if isinstance(url_or_engine, str):
        return make_url(url_or_engine).get_backend_name() == "sqlite"
    return url_or_engine.dialect.name == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for a SQLite file (WAL, foreign keys, synchronous=FULL) or PostgreSQL."""
    if is_sqlite(url):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins, so that a
        # whole import is one transaction and a crash part-way leaves nothing behind.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # autocommit at the driver; SQLAlchemy emits BEGIN
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@dataclass
class Database:
    """An engine on a database whose schema is current, and the settings it was opened with.
    Services receive it; ``read()`` is one snapshot, ``write()`` one all-or-nothing
    transaction."""

    engine: Engine
    settings: Settings

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One consistent view of the committed data (REPEATABLE READ on PostgreSQL; one
        SQLite read transaction)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def open_database(url: str, settings: Settings, *, upgrade: bool = False) -> Database:
    """A Database on ``url``; with ``upgrade`` the schema is created or migrated first.
    Without it, a database that is not at the newest revision is a ConfigError saying what to
    do. The revision is checked here, once per process."""
    from teamroots.store import schema

    engine = make_engine(url)
    try:
        if upgrade:
            schema.upgrade(engine)
        current = schema.current_revision(engine)
        if current != schema.head_revision():
            raise ConfigError(
                "The database {url} is not initialised or not up to date (revision {current}); "
                "run 'teamroots init' first.",
                url=engine.url.render_as_string(hide_password=True),
                current=current or "none",
            )
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, settings)


def revision(db: Database) -> str:
    from teamroots.store import schema

    return schema.current_revision(db.engine) or ""
