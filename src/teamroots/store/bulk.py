"""Fast writes of many rows with explicit ids (the sample plant): one executemany on SQLite,
COPY on PostgreSQL. The caller holds the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer, text

from teamroots.store.tables import FILL_ORDER, Base


def insert_rows(conn: Connection, table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table`` (its name, a mapped
    class or a Table). Dates are ``datetime.date``; None is NULL."""
    if not rows:
        return
    if isinstance(table, str):
        table = Base.metadata.tables[table]
    sql_table = getattr(table, "__table__", table)
    quoted = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql":
        _copy(conn, sql_table.name, quoted, rows)
        return
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{sql_table.name}" ({quoted}) VALUES ({marks})'
    conn.exec_driver_sql(sql, _for_sqlite(conn, sql_table, columns, rows))


def _copy(conn: Connection, name: str, quoted: str, rows: list[tuple]) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _for_sqlite(conn: Connection, sql_table, columns, rows: list[tuple]) -> list[tuple]:
    """Values as SQLAlchemy stores them on SQLite (dates as ISO text, booleans as 0/1): each
    column's own bind processor, run once per distinct value (such columns repeat few).
    Rows are rebuilt one by one: transposing millions of them wakes the garbage collector."""
    types = {i: sql_table.columns[c].type for i, c in enumerate(columns)}
    processors = {
        i: t.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        for i, t in types.items()
        if isinstance(t, Date | DateTime | Boolean)
    }
    for i, process in processors.items():
        stored = {v: process(v) for v in {r[i] for r in rows}}
        rows = [(*r[:i], stored[r[i]], *r[i + 1 :]) for r in rows]
    return rows


def reset_sequences(conn: Connection) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id,
    so that later inserts without an id do not collide. Nothing to do on SQLite."""
    if conn.dialect.name != "postgresql":
        return
    for mapped in FILL_ORDER:
        table = mapped.__table__
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not isinstance(key[0].type, Integer):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f'COALESCE(MAX(id), 0) + 1, false) FROM "{table.name}"'
            )
        )


def delete_all(conn: Connection) -> None:
    """Empty every table of FILL_ORDER, children first. On PostgreSQL one TRUNCATE: a DELETE
    there checks each removed person against nomination.nominator_id, which no index leads
    (minutes for a large plant)."""
    tables = [mapped.__table__ for mapped in reversed(FILL_ORDER)]
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        return
    for table in tables:
        conn.execute(table.delete())


def analyze(conn: Connection) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL plans a 10-million-row
    aggregation very differently with and without them)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE"))
