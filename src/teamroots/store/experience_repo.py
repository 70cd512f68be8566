"""The experience library's rows, its search and its counted uses (issue 12)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Connection, insert, text

from teamroots.store.people_repo import as_date
from teamroots.store.tables import Experience

_ENTRY = (
    "SELECT e.id, e.kind, e.title, e.situation, e.diagnosis, e.actions, e.result, e.started_on, "
    "e.weeks, e.kpis_before, e.kpis_after, e.improvement, e.published_by, e.published_at, "
    "t.code, t.name, (SELECT COUNT(*) FROM experience_use x WHERE x.experience_id = e.id) "
    "FROM experience e JOIN team t ON t.id = e.team_id "
)
_KEYS = (
    "id", "kind", "title", "situation", "diagnosis", "actions", "result", "started_on", "weeks",
    "kpis_before", "kpis_after", "improvement", "published_by", "published_at", "team",
    "team_name", "uses",
)  # fmt: skip


def _row(r) -> dict:
    out = dict(zip(_KEYS, r, strict=True))
    out["diagnosis"] = [c for c in out["diagnosis"].split(",") if c]
    out["kpis_before"] = json.loads(out["kpis_before"])
    out["kpis_after"] = json.loads(out["kpis_after"])
    out["started_on"] = as_date(out["started_on"])
    return out


def add(conn: Connection, row: dict) -> int:
    values = {**row, "diagnosis": ",".join(row["diagnosis"])}
    values["kpis_before"] = json.dumps(row["kpis_before"])
    values["kpis_after"] = json.dumps(row["kpis_after"])
    return conn.execute(insert(Experience).values(**values).returning(Experience.id)).scalar_one()


def entry(conn: Connection, entry_id: int) -> dict | None:
    found = conn.execute(text(_ENTRY + "WHERE e.id = :i"), {"i": entry_id}).first()
    return _row(found) if found else None


def search(conn: Connection, terms: list[str], limit: int = 200) -> list[dict]:
    """Entries holding every term as a substring of their text, newest first. On SQLite a term
    of three characters or more goes through the FTS5 trigram index; shorter ones (二字 words)
    and PostgreSQL (its pg_trgm index) use LIKE."""
    conds, params = [], {"limit": limit}
    for i, term in enumerate(terms):
        params[f"t{i}"] = term
        like = f"e.search_text LIKE :l{i} ESCAPE '\\'"
        params[f"l{i}"] = (
            "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        if conn.dialect.name == "sqlite" and len(term) >= 3:
            params[f"t{i}"] = '"' + term.replace('"', '""') + '"'
            conds.append(
                f"e.id IN (SELECT rowid FROM experience_fts WHERE experience_fts MATCH :t{i})"
            )
        else:
            conds.append(like)
    where = " AND ".join(conds) or "1 = 1"
    sql = text(_ENTRY + f"WHERE {where} ORDER BY e.id DESC LIMIT :limit")
    return [_row(r) for r in conn.execute(sql, params)]


def candidates(conn: Connection) -> list[tuple]:
    """(id, diagnosis codes, improvement, uses) of every entry."""
    sql = text(
        "SELECT e.id, e.diagnosis, e.improvement, "
        "(SELECT COUNT(*) FROM experience_use x WHERE x.experience_id = e.id) FROM experience e"
    )
    return [
        (i, frozenset(c for c in d.split(",") if c), imp, n) for i, d, imp, n in conn.execute(sql)
    ]


def entries(conn: Connection, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    sql = text(_ENTRY + f"WHERE e.id IN ({','.join(str(int(i)) for i in ids)})")
    found = {r[0]: _row(r) for r in conn.execute(sql)}
    return [found[i] for i in ids if i in found]


def use(conn: Connection, entry_id: int, team: int, day: date, by: str) -> bool:
    """Count a team's use of an entry, once per team; False when counted before."""
    sql = text(
        "INSERT INTO experience_use (experience_id, team_id, used_on, by) "
        "VALUES (:e, :t, :d, :b) ON CONFLICT DO NOTHING"
    )
    return conn.execute(sql, {"e": entry_id, "t": team, "d": day, "b": by}).rowcount == 1


def uses(conn: Connection, entry_id: int) -> list[tuple[str, date]]:
    sql = text(
        "SELECT t.code, x.used_on FROM experience_use x JOIN team t ON t.id = x.team_id "
        "WHERE x.experience_id = :e ORDER BY x.used_on"
    )
    return [(c, as_date(d)) for c, d in conn.execute(sql, {"e": entry_id})]


def latest_record_day(conn: Connection, team: int) -> date | None:
    found = conn.execute(
        text("SELECT MAX(day) FROM team_record WHERE team_id = :t"), {"t": team}
    ).scalar()
    return as_date(found)


def team_entries(conn: Connection, team_id: int) -> list[tuple]:
    """(id, title, kind, published at) of the entries about a team."""
    sql = text(
        "SELECT id, title, kind, published_at FROM experience WHERE team_id = :t ORDER BY id"
    )
    return conn.execute(sql, {"t": team_id}).all()
