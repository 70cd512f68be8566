"""Reviews: each assessment run stored with its rubric and full results, so history builds up
and reports render exactly what was decided."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, insert, select, text

from teamroots.errors import NotFound
from teamroots.store.bulk import insert_rows
from teamroots.store.people_repo import as_date
from teamroots.store.tables import Review, ReviewTeam


@dataclass(frozen=True)
class ReviewMeta:
    as_of: date
    window_days: int
    survey_date: date | None
    rubric_name: str
    rubric_version: int
    rubric_sha256: str


def save_review(
    conn: Connection, meta: ReviewMeta, frame: pl.DataFrame, rubric_text: str, ids: dict
) -> int:
    """Store an assessment: the evaluated frame (one row per team) as a zstd-compressed Arrow
    IPC blob, and each team's tier, score and ranks as rows (``ids``: team code → id). No
    JSON is built here; ``stored`` gives what the document is built from. The review's id."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    review_id = conn.execute(
        insert(Review)
        .values(
            as_of=meta.as_of,
            window_days=meta.window_days,
            survey_date=meta.survey_date,
            rubric_name=meta.rubric_name,
            rubric_version=meta.rubric_version,
            rubric_sha256=meta.rubric_sha256,
            rubric_text=rubric_text,
            teams=frame.height,
            created_at=datetime.now(UTC),
            results_gz=b"",
            results_ipc=buffer.getvalue(),
        )
        .returning(Review.id)
    ).scalar_one()
    rows = frame.select(
        pl.lit(review_id).alias("review_id"),
        pl.col("team").replace_strict(ids, return_dtype=pl.Int64).alias("team_id"),
        pl.col("tier"),
        (pl.col("provisional").fill_null(False) & pl.col("tier").is_not_null()).alias("p"),
        pl.col("score").round(2),
        pl.col("rank_in_plant"),
        pl.col("rank_in_unit"),
    ).rows()
    columns = ["review_id", "team_id", "tier", "provisional", "score", "rank_in_plant",
               "rank_in_unit"]  # fmt: skip
    for start in range(0, len(rows), 50_000):
        insert_rows(conn, ReviewTeam, columns, rows[start : start + 50_000])
    return review_id


@dataclass(frozen=True)
class Stored:
    """A stored review as it was kept: the document (older reviews) or the frame and what
    the document is built from."""

    id: int
    meta: ReviewMeta
    rubric_text: str
    document: dict[str, Any] | None
    frame: pl.DataFrame | None


def stored(conn: Connection, review_id: int | None = None) -> Stored:
    """A stored review (the newest when ``review_id`` is None); NotFound when there is none."""
    columns = (Review.id, Review.as_of, Review.window_days, Review.survey_date,
               Review.rubric_name, Review.rubric_version, Review.rubric_sha256,
               Review.rubric_text, Review.results_gz, Review.results_ipc)  # fmt: skip
    query = select(*columns)
    query = (
        query.where(Review.id == review_id)
        if review_id is not None
        else query.order_by(Review.id.desc()).limit(1)
    )
    row = conn.execute(query).first()
    if row is None:
        if review_id is None:
            raise NotFound("No assessment has been made yet; run 'teamroots assess' first.")
        raise NotFound("There is no review {review}.", review=review_id)
    meta = ReviewMeta(as_date(row[1]), row[2], as_date(row[3]), row[4], row[5], row[6])
    if row[9]:
        return Stored(row[0], meta, row[7], None, pl.read_ipc(io.BytesIO(row[9])))
    return Stored(row[0], meta, row[7], json.loads(gzip.decompress(row[8])), None)


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
