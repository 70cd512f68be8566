"""Query results as polars frames, without SQLAlchemy rows (several times faster for the
hundreds of thousands of rows an assessment reads), and several reads on one snapshot."""

from __future__ import annotations

import io
import re
from datetime import date

import polars as pl
from sqlalchemy import Connection

from teamroots.store.db import Database

_PARAM = re.compile(r":(\w+)")
CHUNK_ROWS = 250_000  # rows fetched from SQLite at a time


def frame(conn: Connection, sql: str, schema: dict, **params) -> pl.DataFrame:
    """Run ``sql`` into a frame without SQLAlchemy rows (several times faster for the hundreds
    of thousands of rows an assessment reads): on PostgreSQL as a CSV COPY parsed by polars,
    on SQLite as the driver's tuples."""
    if conn.dialect.name == "postgresql":
        return _pg_copy_frame(conn, sql, schema, params)
    cursor = conn.connection.driver_connection.cursor()
    parts = []
    try:  # a chunk at a time: millions of rows are never all Python tuples at once
        cursor.execute(sql, text_params(params))
        while rows := cursor.fetchmany(CHUNK_ROWS):
            parts.append(_rows_frame(rows, schema))
    finally:
        cursor.close()
    return pl.concat(parts) if len(parts) > 1 else (parts[0] if parts else _rows_frame([], schema))


def _pg_copy_frame(conn: Connection, query: str, schema: dict, params: dict) -> pl.DataFrame:
    from psycopg import sql as pgsql

    template = _PARAM.sub(lambda m: "{" + m.group(1) + "}", query)
    composed = pgsql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(
        pgsql.SQL(template).format(**{k: pgsql.Literal(v) for k, v in params.items()})
    )
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(composed) as copy:
        data = b"".join(bytes(block) for block in copy)
    if not data:
        return pl.DataFrame(schema=schema)
    csv_schema = {k: (pl.Utf8 if v == pl.Boolean else v) for k, v in schema.items()}
    read = pl.read_csv(
        io.BytesIO(data), has_header=False, new_columns=list(schema), schema=csv_schema
    )
    return read.with_columns(
        [(pl.col(k) == "t").alias(k) for k, v in schema.items() if v == pl.Boolean]
    )


def _rows_frame(rows: list[tuple], schema: dict) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)


def text_params(params: dict) -> dict:
    """Dates as ISO text, as the rollup stores them on SQLite (and PostgreSQL casts)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


def read_all(db: Database, jobs: dict, workers: int = 3, more=None) -> dict:
    """Run ``jobs`` (name → function of a Connection) and return their results; then, while
    ``more`` (a function of the results so far) names more jobs, those too. On PostgreSQL
    each round runs on ``workers`` connections at once, all reading one exported snapshot, so
    the results are as consistent as a single transaction; elsewhere one after another, in
    one transaction."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        with db.read() as conn:
            got: dict = {}
            while jobs:
                got |= {name: job(conn) for name, job in jobs.items()}
                jobs = more(got) if more else {}
            return got
    from concurrent.futures import ThreadPoolExecutor

    with engine.connect() as lead:
        lead.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        snapshot = lead.exec_driver_sql("SELECT pg_export_snapshot()").scalar()

        def run(job):
            with engine.connect() as conn:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                return job(conn)

        got = {}
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while jobs:
                futures = {name: pool.submit(run, job) for name, job in jobs.items()}
                got |= {name: f.result() for name, f in futures.items()}
                jobs = more(got) if more else {}
        return got
