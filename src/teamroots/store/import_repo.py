"""Writing census rows: reference lookups (codes → ids) and sinks that upsert on natural keys.

Two kinds of sink:
- ``UpsertSink`` for the large tables (records, nominations, memberships, …): one
  INSERT … ON CONFLICT DO UPDATE … WHERE something changed, per chunk; the driver's summed
  rowcount minus the rows added gives the rows changed, so a re-import counts 0 and 0.
- ``CompareSink`` for rows that own lists (a team's posts, a person's skills and
  designations): reads what is stored for the chunk, compares in Python, writes only changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Table, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from teamroots.store.tables import (
    Base,
    ImportBatch,
)

T = Base.metadata.tables


_KEY_COLUMN = {"org_unit": "code", "team": "code", "person": "employee_no"}
_TABLE_OF = {"unit": "org_unit", "team": "team", "person": "person"}


class DbRefs:
    """Codes → ids for units, teams and people, loaded once when first needed; creates the
    units and teams a mapping allows."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._maps: dict[str, tuple[dict[str, int], dict[str, int], dict[str, str]]] = {}
        self.created_units = 0
        self.created_teams = 0
        self._created: list[int] = []  # units this import created
        self._root: int | None = None
        self._parents: dict[str, str] | None = None

    def _loaded(self, table: str) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
        """code → id, folded code → id, folded code → the code as stored."""
        if table not in self._maps:
            t = T[table]
            rows = self.conn.execute(select(t.c[_KEY_COLUMN[table]], t.c.id))
            exact = {code: ident for code, ident in rows}  # a Result has keys(): not dict()
            folded = {c.casefold(): c for c in exact}
            self._maps[table] = (exact, {f: exact[c] for f, c in folded.items()}, folded)
        return self._maps[table]

    def _lookup(self, table: str, column: str, code: str) -> int | None:
        exact, folded, _spelled = self._loaded(table)
        found = exact.get(code)
        return found if found is not None else folded.get(code.casefold())

    def spelling(self, kind: str, code: str) -> str | None:
        """How a stored unit, team or person's key is spelled when it equals ``code`` but for
        case (full-width forms are folded when a cell is read); None when none is stored."""
        return self._loaded(_TABLE_OF[kind])[2].get(code.casefold())

    def unit_parent(self, code: str) -> str | None:
        """The code of a stored unit's parent (None for the plant or a unit not stored)."""
        if self._parents is None:
            u = T["org_unit"]
            p = u.alias("parent")
            rows = self.conn.execute(
                select(u.c.code, p.c.code).join(p, p.c.id == u.c.parent_id)
            ).tuples()
            self._parents = {c.casefold(): parent for c, parent in rows}
        return self._parents.get(code.casefold())

    def _remember(self, table: str, code: str, ident: int) -> None:
        if table in self._maps:
            self._maps[table][0][code] = ident
            self._maps[table][1][code.casefold()] = ident
            self._maps[table][2][code.casefold()] = code

    def unit(self, code: str) -> int | None:
        return self._lookup("org_unit", "code", code)

    def team(self, code: str) -> int | None:
        return self._lookup("team", "code", code)

    def person(self, number: str) -> int | None:
        return self._lookup("person", "employee_no", number)

    def root_unit(self) -> int | None:
        """The plant: the one unit without a parent that this import did not create. On a
        database with no units it is created (code PLANT), so that units a mapping creates are
        all children of the plant, never of each other."""
        if self._root is not None:
            return self._root
        made = set(self._created)
        roots = [
            r
            for r in self.conn.execute(
                select(T["org_unit"].c.id).where(T["org_unit"].c.parent_id.is_(None))
            ).scalars()
            if r not in made
        ]
        if not roots:
            ident = self.conn.execute(
                insert(T["org_unit"])
                .values(code="PLANT", name="PLANT", kind="plant", parent_id=None)
                .returning(T["org_unit"].c.id)
            ).scalar_one()
            self._remember("org_unit", "PLANT", ident)
            self.created_units += 1
            roots = [ident]
        self._root = roots[0] if len(roots) == 1 else None
        return self._root

    def new_unit(self, code: str, parent_id: int | None) -> int:
        ident = self.conn.execute(
            insert(T["org_unit"])
            .values(code=code, name=code, kind="workshop", parent_id=parent_id)
            .returning(T["org_unit"].c.id)
        ).scalar_one()
        self.unit(code)
        self._remember("org_unit", code, ident)
        self.created_units += 1
        self._created.append(ident)
        return ident

    def new_team(self, code: str, name: str, unit_id: int) -> int:
        ident = self.conn.execute(
            insert(T["team"])
            .values(code=code, name=name, unit_id=unit_id)
            .returning(T["team"].c.id)
        ).scalar_one()
        self._remember("team", code, ident)
        self.created_teams += 1
        return ident


def upsert_statement(conn: Connection, table: Table, key: tuple[str, ...], columns: list[str]):
    """INSERT … ON CONFLICT (key) DO UPDATE SET the other columns, only where one differs."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(table)
    values = [c for c in columns if c not in key]
    if not values:
        return stmt.on_conflict_do_nothing(index_elements=list(key))
    return stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={c: stmt.excluded[c] for c in values},
        where=or_(*[table.c[c].is_distinct_from(stmt.excluded[c]) for c in values]),
    )


def _sqlite_converter(column) -> Callable[[Any], Any] | None:
    python_type = getattr(column.type, "python_type", None) if column is not None else None
    if python_type is date:
        return lambda v: v.isoformat() if v is not None else None
    if python_type is bool:
        return lambda v: int(v) if v is not None else None
    return None


def driver_statement(
    conn: Connection, stmt, table: Table, columns: list[str]
) -> tuple[str, Callable[[list], list]]:
    """Compile ``stmt`` once into the driver's SQL and a function turning row dicts into the
    driver's parameters: SQLAlchemy's per-row parameter handling is otherwise the largest
    cost of a streamed import."""
    compiled = stmt.compile(dialect=conn.dialect, column_keys=columns)
    if conn.dialect.name != "sqlite":
        return str(compiled), lambda rows: rows
    order = list(compiled.positiontup)
    convert = [_sqlite_converter(table.c.get(name)) for name in order]
    if not any(convert):
        return str(compiled), lambda rows: [tuple(r[c] for c in order) for r in rows]
    pairs = [(name, fn or (lambda v: v)) for name, fn in zip(order, convert, strict=True)]
    return str(compiled), lambda rows: [tuple(fn(r[c]) for c, fn in pairs) for r in rows]


def count_rows(conn: Connection, table: str) -> int:
    return conn.execute(select(func.count()).select_from(T[table])).scalar_one()


class UpsertSink:
    def __init__(self, conn: Connection, table: str, key: tuple[str, ...], chunk: int) -> None:
        self.conn, self.table, self.key, self.chunk = conn, T[table], key, chunk
        self.before = count_rows(conn, table)
        self.changed = 0
        self._rows: list[dict[str, Any]] = []
        self._stmt = None

    def add(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        if self._stmt is None:
            columns = list(self._rows[0])
            stmt = upsert_statement(self.conn, self.table, self.key, columns)
            self._stmt = driver_statement(self.conn, stmt, self.table, columns)
        sql, params = self._stmt
        self.changed += self.conn.exec_driver_sql(sql, params(self._rows)).rowcount
        self._rows = []

    def add_frame(self, frame: pl.DataFrame, tick: Callable[[int], None] | None = None) -> None:
        """Rows as a frame whose columns are the table's (the columnar import): written as
        ``add`` writes them, a chunk at a time, without a dict a row; ``tick`` gets the rows
        written so far."""
        self.flush()
        stmt = upsert_statement(self.conn, self.table, self.key, frame.columns)
        compiled = stmt.compile(dialect=self.conn.dialect, column_keys=frame.columns)
        if self.conn.dialect.name == "sqlite":  # positional, dates as ISO text
            frame = frame.select(compiled.positiontup).with_columns(pl.col(pl.Date).cast(pl.Utf8))
        for start in range(0, frame.height, self.chunk):
            part = frame.slice(start, self.chunk)
            rows = part.rows() if self.conn.dialect.name == "sqlite" else part.to_dicts()
            self.changed += self.conn.exec_driver_sql(str(compiled), rows).rowcount
            if tick is not None:
                tick(start + part.height)

    def finish(self) -> tuple[int, int]:
        self.flush()
        inserted = count_rows(self.conn, self.table.name) - self.before
        return inserted, self.changed - inserted


# table → (list field, child table, name column, value column or None for a set)
CHILDREN = {
    "team": {"posts": ("team_post", "post", "headcount")},
    "person": {
        "skills": ("person_skill", "skill", "level"),
        "designations": ("person_designation", "tag", None),
    },
    "org_unit": {},
}
_PARENT_FK = {"team": "team_id", "person": "person_id"}


class CompareSink:
    """Upsert rows keyed by one code column, with their child lists, counting exactly."""

    def __init__(
        self, conn: Connection, table: str, key: str, chunk: int, refs: DbRefs | None = None
    ) -> None:
        self.conn, self.table, self.key, self.chunk = conn, T[table], (key,), chunk
        self.refs = refs
        self.children = CHILDREN[table]
        self.inserted = self.updated = 0
        self._rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        if self.refs is not None and "parent" in row:  # units: parents are already written
            parent = row.pop("parent")
            row["parent_id"] = self.refs.unit(parent) if parent else None
        self._rows.append(row)
        if len(self._rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        key = self.key[0]
        t = self.table
        codes = [r[key] for r in self._rows]
        stored = {
            r._mapping[key]: r._mapping
            for r in self.conn.execute(select(t).where(t.c[key].in_(codes)))
        }
        lists = self._stored_lists([stored[c]["id"] for c in codes if c in stored])
        for row in self._rows:
            main = {k: v for k, v in row.items() if k not in self.children}
            old = stored.get(row[key])
            if old is None:
                ident = self.conn.execute(insert(t).values(main).returning(t.c.id)).scalar_one()
                self.inserted += 1
                changed = False
            else:
                ident = old["id"]
                diff = {k: v for k, v in main.items() if old[k] != v}
                if diff:
                    self.conn.execute(update(t).where(t.c.id == ident).values(diff))
                changed = bool(diff)
            changed |= self._write_lists(ident, row, lists.get(ident, {}))
            self.updated += changed and old is not None
            if self.refs is not None:
                self.refs._remember(t.name, row[key], ident)
        self._rows = []

    def _stored_lists(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        fk = _PARENT_FK.get(self.table.name)
        for field, (table, name, value) in self.children.items():
            ct = T[table]
            for r in self.conn.execute(select(ct).where(ct.c[fk].in_(ids))):
                m = r._mapping
                slot = out.setdefault(m[fk], {}).setdefault(field, {})
                slot[m[name]] = m[value] if value else None
        return out

    def _write_lists(self, ident: int, row: dict, stored: dict[str, Any]) -> bool:
        changed = False
        fk = _PARENT_FK.get(self.table.name)
        for field, (table, name, value) in self.children.items():
            wanted = row.get(field)
            if wanted is None:  # a blank cell leaves the stored list as it is
                continue
            wanted = dict.fromkeys(wanted) if value is None else dict(wanted)
            if wanted == stored.get(field, {}):
                continue
            ct = T[table]
            self.conn.execute(ct.delete().where(ct.c[fk] == ident))
            if wanted:
                self.conn.execute(
                    insert(ct),
                    [
                        {fk: ident, name: k, **({value: v} if value else {})}
                        for k, v in wanted.items()
                    ],
                )
            changed = True
        return changed

    def finish(self) -> tuple[int, int]:
        self.flush()
        return self.inserted, self.updated


SINKS = {  # kind → (table, natural key)
    "records": ("team_record", ("team_id", "day")),
    "nominations": ("nomination", ("survey_date", "nominator_id", "nominee_id", "question")),
    "checklists": ("checklist_check", ("team_id", "item", "checked_on")),
    "memberships": ("membership", ("person_id", "team_id", "role", "start_date")),
    "cadres": ("cadre", ("person_id",)),
}


class RecordsSink(UpsertSink):
    """Daily records, upserted; the weekly rollup of the teams and weeks they touch is summed
    again when the import finishes (the same transaction)."""

    def __init__(self, conn: Connection, chunk: int) -> None:
        super().__init__(conn, "team_record", SINKS["records"][1], chunk)
        self.teams: set[int] = set()
        self.first = None  # the rollup is summed again from its week on

    def add(self, row: dict[str, Any]) -> None:
        self.teams.add(row["team_id"])
        day = row["day"]
        self.first = day if self.first is None or day < self.first else self.first
        super().add(row)

    def add_frame(self, frame: pl.DataFrame, tick: Callable[[int], None] | None = None) -> None:
        if frame.height:
            self.teams.update(frame["team_id"].unique().to_list())
            first = frame["day"].min()
            self.first = first if self.first is None else min(first, self.first)
        super().add_frame(frame, tick)

    def finish(self) -> tuple[int, int]:
        from teamroots.store import rollup_repo

        counts = super().finish()
        if self.first is not None:
            rollup_repo.refresh(self.conn, self.teams, self.first)
        return counts


def sink_for(conn: Connection, kind: str, chunk: int, refs: DbRefs):
    if kind == "units":
        return CompareSink(conn, "org_unit", "code", 1, refs)
    if kind == "teams":
        return CompareSink(conn, "team", "code", chunk)
    if kind == "people":
        return CompareSink(conn, "person", "employee_no", chunk)
    if kind == "records":
        return RecordsSink(conn, chunk)
    table, key = SINKS[kind]
    return UpsertSink(conn, table, key, chunk)


def record_import(conn: Connection, kind: str, file_name: str, sha256: str, outcome) -> None:
    """Log one successful import: what, from which file (and its hash), how many rows."""
    conn.execute(
        insert(ImportBatch).values(
            kind=kind,
            file_name=file_name,
            sha256=sha256,
            rows=outcome.rows,
            inserted=outcome.inserted,
            updated=outcome.updated,
            imported_at=datetime.now(UTC),
        )
    )
