"""Reviews: each assessment run stored with its rubric and full results, so history builds up
and reports render exactly what was decided."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from teamroots.errors import NotFound
from teamroots.store.bulk import insert_rows
from teamroots.store.people_repo import as_date
from teamroots.store.tables import Review, ReviewTeam


def save_review(
    conn: Connection, assessment: dict[str, Any], rubric_text: str, team_ids: dict[str, int]
) -> int:
    """Store ``assessment`` (the `assess --json` document); returns the new review id."""
    review_id = conn.execute(
        insert(Review)
        .values(
            as_of=date.fromisoformat(assessment["as_of"]),
            window_days=assessment["window_days"],
            rubric_name=assessment["rubric"]["name"],
            rubric_version=assessment["rubric"]["version"],
            rubric_sha256=assessment["rubric"]["sha256"],
            rubric_text=rubric_text,
            teams=len(assessment["teams"]),
            created_at=datetime.now(UTC),
            results_gz=b"",
        )
        .returning(Review.id)
    ).scalar_one()
    assessment["review_id"] = review_id
    blob = gzip.compress(json.dumps(assessment, ensure_ascii=False).encode("utf-8"), 6)
    conn.execute(Review.__table__.update().where(Review.id == review_id).values(results_gz=blob))
    rows = [
        (
            review_id,
            team_ids[t["team"]],
            t["tier"],
            bool(t.get("provisional")),
            t["score"],
            t["rank_in_plant"],
            t["rank_in_unit"],
        )
        for t in assessment["teams"]
    ]
    columns = [
        "review_id",
        "team_id",
        "tier",
        "provisional",
        "score",
        "rank_in_plant",
        "rank_in_unit",
    ]
    for start in range(0, len(rows), 50_000):
        insert_rows(conn, ReviewTeam, columns, rows[start : start + 50_000])
    return review_id


def load_review(conn: Connection, review_id: int | None = None) -> dict[str, Any]:
    """A stored review's results (the newest when ``review_id`` is None)."""
    query = select(Review.results_gz)
    query = (
        query.where(Review.id == review_id)
        if review_id is not None
        else query.order_by(Review.id.desc()).limit(1)
    )
    blob = conn.execute(query).scalar()
    if blob is None:
        if review_id is None:
            raise NotFound("No assessment has been made yet; run 'teamroots assess' first.")
        raise NotFound("There is no review {review}.", review=review_id)
    return json.loads(gzip.decompress(blob))


_LATEST = text("SELECT id, created_at FROM review ORDER BY id DESC LIMIT 1")


def latest_review_id(conn: Connection) -> int | None:
    found = latest_review(conn)
    return found[0] if found else None


def latest_review(conn: Connection) -> tuple[int, str] | None:
    """The newest review's id and when it was made (together, a key that a database emptied
    and filled again does not reuse)."""
    row = conn.execute(_LATEST).first()
    return (row[0], str(row[1])) if row else None


_HISTORY = text(
    "SELECT r.id, r.as_of, t.tier, t.provisional, t.score, t.rank_in_plant, r.teams "
    "FROM review_team t JOIN review r ON r.id = t.review_id WHERE t.team_id = :team "
    "ORDER BY r.id"
)


def team_history(conn: Connection, team_id: int) -> list[dict[str, Any]]:
    """A team's tier, score and rank in every stored review, oldest first (plain SQL: it is
    read on every team page)."""
    keys = ("review", "as_of", "tier", "provisional", "score", "rank", "teams")
    out = []
    for row in conn.execute(_HISTORY, {"team": team_id}):
        entry = dict(zip(keys, row, strict=True))
        entry["as_of"] = as_date(entry["as_of"])
        entry["provisional"] = bool(entry["provisional"])
        out.append(entry)
    return out


def reviews(conn: Connection) -> list[dict[str, Any]]:
    """Every stored review (newest first): id, as-of day, window, rubric, teams, when made."""
    rows = conn.execute(
        select(
            Review.id,
            Review.as_of,
            Review.window_days,
            Review.rubric_name,
            Review.rubric_version,
            Review.teams,
            Review.created_at,
        ).order_by(Review.id.desc())
    )
    keys = ("review", "as_of", "window_days", "rubric", "rubric_version", "teams", "created_at")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def previous_review(conn: Connection, review_id: int) -> tuple[int, Any] | None:
    """The review before ``review_id`` (its id and as-of day), or None."""
    row = conn.execute(
        text("SELECT id, as_of FROM review WHERE id < :r ORDER BY id DESC LIMIT 1"),
        {"r": review_id},
    ).first()
    return (row[0], as_date(row[1])) if row else None


def team_tiers(conn: Connection, review_id: int) -> dict[str, int | None]:
    """Each team's tier in a review, by team code."""
    sql = text(
        "SELECT t.code, r.tier FROM review_team r JOIN team t ON t.id = r.team_id "
        "WHERE r.review_id = :r"
    )
    return dict(conn.execute(sql, {"r": review_id}).all())
