"""The database handle: one ``Database`` per process, made by ``open_database`` (the engine and
the schema-revision check, done once). Nothing is created at import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from teamroots.errors import ConfigError, DatabaseBusy

if TYPE_CHECKING:
    from teamroots.config import Settings


def is_sqlite(url_or_engine: str | Engine | Connection) -> bool:
    if isinstance(url_or_engine, str):
        return make_url(url_or_engine).get_backend_name() == "sqlite"
    return url_or_engine.dialect.name == "sqlite"


# Every SQLite connection the project opens gets these, in this process or a child (see
# sqlite_parts): WAL so that readers never block the writer, durable commits, foreign keys, and
# a wait of ``busy`` ms for a lock instead of failing at once.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout={busy}",
)
# A writer's page cache on SQLite (KiB; the default is 2 MiB): an import writes its rows and
# the rollup's without spilling half-built B-tree pages to the WAL and reading them back —
# 1,000,000 records: rows written in 3.3 s instead of 7.1 s, their weeks in 1.8 s instead of
# 3.1 s. Readers keep the default, so a process's idle connections stay small.
SQLITE_WRITER_CACHE_KIB = 65_536
SQLITE_CACHE_KIB = 2_000
# The key of the PostgreSQL advisory lock every write transaction takes: writers queue.
_PG_WRITE_LOCK = 7_246_061_960
DEFAULT_BUSY_SECONDS = 60.0


def sqlite_pragmas(busy_seconds: float) -> list[str]:
    return [p.format(busy=int(busy_seconds * 1000)) for p in SQLITE_PRAGMAS]


def make_engine(url: str, *, echo: bool = False, busy_seconds: float = DEFAULT_BUSY_SECONDS):
    """An engine for a SQLite file (the SQLITE_PRAGMAS) or PostgreSQL. On SQLite a
    transaction begins deferred (a read) unless the connection is marked as a writer
    (``Database.write``), which begins IMMEDIATE: it takes the write lock first, waiting up to
    ``busy_seconds`` for another writer, so two imports queue instead of failing."""
    if is_sqlite(url):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": busy_seconds},
            # a web worker's threads keep their connections instead of opening (and running
            # the pragmas) anew beyond SQLAlchemy's default five
            pool_size=10,
            max_overflow=30,
        )
        pragmas = sqlite_pragmas(busy_seconds)

        def on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # autocommit at the driver; SQLAlchemy begins
            cur = dbapi_conn.cursor()
            for pragma in pragmas:
                cur.execute(pragma)
            cur.close()

        def on_begin(conn: Connection) -> None:
            writer = conn.get_execution_options().get("teamroots_writer")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

        event.listen(engine, "connect", on_connect)
        # SQLAlchemy, not the sqlite3 module, decides when a transaction begins, so that a
        # whole import is one transaction and a crash part-way leaves nothing behind.
        event.listen(engine, "begin", on_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _is_busy(error: exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "database is locked" in text or "lock timeout" in text or "locknotavailable" in text


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
    def write(self, *, serialize: bool = True) -> Iterator[Connection]:
        """One transaction, committed when the block ends and rolled back on error. Writers
        take turns: on SQLite it begins IMMEDIATE (the write lock) and counts itself in
        data_serial; on PostgreSQL it takes one advisory lock — unless ``serialize`` is False
        (small writes of their own rows: a session, an audit entry, a job's state, which need
        not wait behind an import). A writer that waits longer than the busy timeout is
        DatabaseBusy, and nothing was written."""
        busy = self.settings.busy_timeout_seconds
        try:
            with self.engine.connect() as conn:
                conn.execution_options(teamroots_writer=True)
                sqlite = conn.dialect.name != "postgresql"
                try:
                    with conn.begin():
                        if not sqlite and serialize:
                            timeout = int(busy * 1000)
                            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{timeout}ms'")
                            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")
                            conn.exec_driver_sql("SET LOCAL lock_timeout = 0")
                        elif sqlite:
                            conn.exec_driver_sql("UPDATE data_serial SET serial = serial + 1")
                            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_WRITER_CACHE_KIB}")
                        yield conn
                finally:
                    if sqlite:  # back to a reader's cache, the pages above it freed: on the
                        # driver's connection, which begins no transaction for a PRAGMA
                        # (through SQLAlchemy it would take the write lock again)
                        raw = conn.connection.driver_connection
                        raw.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        except exc.OperationalError as error:
            if not _is_busy(error):
                raise
            raise DatabaseBusy(
                "The database {url} is busy: another import or change has been writing for "
                "more than {seconds:g} s. Nothing was written; try again when it has "
                "finished (setting TEAMROOTS_BUSY_TIMEOUT_SECONDS).",
                url=self.url,
                seconds=busy,
            ) from None

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

    engine = make_engine(url, busy_seconds=settings.busy_timeout_seconds)
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
