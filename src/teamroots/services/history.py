"""History (issue 12): tier transitions between two reviews, within the viewer's scope, and
one team's timeline — tiers, leaders, training, cadre links, visits, directives, wishes and
library entries — for a team the viewer may see."""

from __future__ import annotations

from datetime import date, datetime

from teamroots.domain.choices import PlanKind
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from teamroots.services.access import team_scope, visible_team
from teamroots.store import (
    directives_repo,
    experience_repo,
    plan_repo,
    review_repo,
    track_repo,
    users_repo,
    wishes_repo,
)
from teamroots.store.db import Database
from teamroots.track.history import Event, EventKind, Transitions, timeline, transitions


def tier_transitions(
    db: Database, viewer: Viewer, before: int | None = None, after: int | None = None
) -> tuple[Transitions, dict, dict, list[dict]]:
    """(the transitions, the review before, the review after, every review) — by default the
    newest review and the one before it. NotFound with fewer than two reviews."""
    with db.read() as conn:
        reviews = review_repo.reviews(conn)
        ids = {r["review"]: r for r in reviews}
        if len(reviews) < 2:
            raise NotFound("Tier transitions need two reviews; run another assessment later.")
        after = after if after in ids else reviews[0]["review"]
        if before not in ids:
            found = review_repo.previous_review(conn, after)
            before = found[0] if found else reviews[-1]["review"]
        scope = team_scope(conn, viewer)
        then = review_repo.team_tiers(conn, before)
        now = review_repo.team_tiers(conn, after)
    if scope is not None:
        then = {c: t for c, t in then.items() if c in scope}
        now = {c: t for c, t in now.items() if c in scope}
    return transitions(then, now), ids[before], ids[after], reviews


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _plans(conn, code: str) -> list[Event]:
    out = []
    training = plan_repo.latest_approved_document(conn, PlanKind.TRAINING) or {}
    days = {b["batch"]: b["date"] for b in training.get("batches") or []}
    for t in training.get("trainees") or []:
        if t.get("team") == code and t.get("batch") in days:
            params = {"person": t.get("name") or t["person"], "batch": t["batch"]}
            out.append(Event(_day(days[t["batch"]]), EventKind.TRAINING, params))
    links = plan_repo.latest_approved_document(conn, PlanKind.LINKS) or {}
    since = track_repo.links_since(conn)
    for link in links.get("links") or []:
        if since and code in (link.get("advanced_team"), link.get("backward_team")):
            params = {"cadre": link.get("cadre_name") or link.get("cadre")}
            out.append(Event(since, EventKind.LINK, params))
    return out


def _records(conn, team_id: int, code: str) -> list[Event]:
    out = [
        Event(
            h["as_of"],
            EventKind.REVIEW,
            {"tier": h["tier"], "rank": h["rank"], "teams": h["teams"]},
        )
        for h in review_repo.team_history(conn, team_id)
    ]
    for leader in users_repo.leader_history(conn, code):
        if leader["start"]:
            out.append(Event(leader["start"], EventKind.LEADER, {"name": leader["name"]}))
    for v in track_repo.team_visits(conn, team_id):
        out.append(Event(v["day"], EventKind.VISIT, v))
    for title, version, at, delivered, acked in directives_repo.team_versions(conn, team_id):
        params = {"title": title, "version": version, "delivered": delivered, "acked": acked}
        out.append(Event(_day(at), EventKind.DIRECTIVE, params))
    for raised, category, answered, closed in wishes_repo.team_wishes(conn, team_id):
        params = {"category": category, "answered": answered, "closed": closed}
        out.append(Event(raised, EventKind.WISH, params))
    for entry, title, kind, at in experience_repo.team_entries(conn, team_id):
        out.append(
            Event(_day(at), EventKind.EXPERIENCE, {"id": entry, "title": title, "kind": kind})
        )
    return out


def team_timeline(
    db: Database, viewer: Viewer, code: str
) -> tuple[users_repo.TeamRef, list[Event]]:
    """A team's timeline, newest first; NotFound outside the viewer's scope."""
    ref = visible_team(db, viewer, code)
    with db.read() as conn:
        events = _records(conn, ref.id, ref.code) + _plans(conn, ref.code)
    return ref, timeline(events)
