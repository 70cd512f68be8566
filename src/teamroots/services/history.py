"""History (issue 12): tier transitions between two reviews, within the viewer's scope, and
one team's timeline — tiers, leaders, training, cadre links, visits, directives, wishes and
library entries — for a team the viewer may see."""

from __future__ import annotations

from datetime import date, datetime

from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from teamroots.services.access import team_scope, visible_team
from teamroots.store import (
    directives_repo,
    effects_repo,
    experience_repo,
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


def _interventions(conn, team_id: int) -> list[Event]:
    """Training and cadre links, as approved plans (and the sample plant's history) recorded
    them; leader changes come from the membership history itself."""
    kinds = {"training": EventKind.TRAINING, "link": EventKind.LINK}
    return [
        Event(day, kinds[kind], {"source": source})
        for kind, day, source in effects_repo.team_interventions(conn, team_id)
        if kind in kinds
    ]


def _records(conn, team_id: int, code: str, wishes: bool) -> list[Event]:
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
    raised_wishes = wishes_repo.team_wishes(conn, team_id) if wishes else []
    for raised, category, answered, closed in raised_wishes:
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
    """A team's timeline, newest first; NotFound outside the viewer's scope. Its wishes (the
    day and category of each) only for those who answer wishes: to a cadre or a member, the
    day and category of an anonymous wish in a small team can say who raised it."""
    from teamroots.services.wishes import ANSWERERS

    ref = visible_team(db, viewer, code)
    with db.read() as conn:
        wishes = viewer.role in ANSWERERS
        events = _records(conn, ref.id, ref.code, wishes) + _interventions(conn, ref.id)
    return ref, timeline(events)
