"""Follow-through (issue 12): log a cadre's visit to a team with what was found and the actions
it calls for; the board of missed visits, overdue actions (with how far up the line they
have gone) and actions nobody owns. The links are the newest approved link plan's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from teamroots.domain.choices import AccessRole, PlanKind
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotFound
from teamroots.i18n import N_
from teamroots.services.access import team_scope
from teamroots.services.text import plain
from teamroots.store import plan_repo, track_repo, users_repo
from teamroots.store.db import Database
from teamroots.track.visits import (
    FINDING_AREAS,
    LEVELS,
    Schedule,
    VisitStatus,
    action_level,
    is_overdue,
    unowned_too_long,
    visit_slots,
)

DURING = ("day", "middle", "night", "meeting")  # the shift of a visit, or the shift meeting


@dataclass(frozen=True)
class NewAction:
    what: str
    owner: str | None  # an employee number, or nobody yet
    due: date


def _person(conn, number: str, missing: str) -> int:
    found = users_repo.person_id(conn, number)
    if found is None:
        raise NotFound(missing, person=number)
    return found


def log_visit(
    db: Database,
    team: str,
    cadre: str,
    day: date,
    findings: dict[str, str],
    actions: list[NewAction],
    by: str = "cli",
    during: str | None = None,
) -> int:
    """Store a visit and its actions (all or nothing); the visit's id. ``during`` is the shift
    it was made in, or "meeting" (at the shift meeting)."""
    if during is not None and during not in DURING:
        raise InvalidRequest(
            "Unknown shift {value}; use one of: {known}.", value=during, known=", ".join(DURING)
        )
    plain(*findings.values(), *(a.what for a in actions))
    unknown = sorted(set(findings) - set(FINDING_AREAS))
    if unknown:
        raise InvalidRequest(
            "Unknown finding area {areas}; use one of: {known}.",
            areas=", ".join(unknown),
            known=", ".join(FINDING_AREAS),
        )
    for a in actions:
        if not a.what.strip():
            raise InvalidRequest("An action needs to say what is to be done.")
        if a.due < day:
            raise InvalidRequest(
                "The action '{what}' is due {due}, before the visit on {day}.",
                what=a.what,
                due=a.due.isoformat(),
                day=day.isoformat(),
            )
    with db.write(serialize=False) as conn:
        found = users_repo.team_ref(conn, team)
        if found is None:
            raise NotFound("There is no team {code}.", code=team)
        team_id = found.id
        cadre_id = _person(
            conn,
            cadre,
            N_("There is no cadre {person}; give the visiting cadre's employee number."),
        )
        no_owner = N_(
            "There is no person {person} to own the action; give an employee "
            "number, or leave the owner blank."
        )
        owners = [_person(conn, a.owner, no_owner) if a.owner else None for a in actions]
        at = datetime.now(UTC)
        visit_id = track_repo.add_visit(conn, team_id, cadre_id, day, findings, by, at, during)
        for a, owner in zip(actions, owners, strict=True):
            track_repo.add_action(conn, visit_id, team_id, a.what.strip(), owner, day, a.due)
    return visit_id


def finish_action(db: Database, action_id: int, day: date) -> None:
    with db.write(serialize=False) as conn:
        if not track_repo.finish_action(conn, action_id, day):
            raise NotFound(
                "There is no open action {action}; the board lists the open ones "
                "(teamroots visit board).",
                action=action_id,
            )


@dataclass(frozen=True)
class Board:
    today: date
    links: int  # cadre-team links on the schedule
    visits: dict[str, int]  # status → count of due days
    missed: list[dict]  # cadre, team, due
    overdue: list[dict]  # an open action past its due day, with its level up the line
    unowned: list[dict]  # an action nobody has owned for 7 days
    disturbing: list[dict] = field(default_factory=list)  # visits during a quiet shift


def board(
    db: Database,
    viewer: Viewer,
    today: date,
    schedule: Schedule,
    grace_days: int,
    quiet: frozenset[str] = frozenset(),
) -> Board:
    """The follow-through board for the teams in the viewer's scope."""
    with db.read() as conn:
        scope = team_scope(conn, viewer)
        links = plan_repo.latest_approved_document(conn, PlanKind.LINKS) or {}
        start = track_repo.links_since(conn) or today
        days, disturbing = track_repo.visit_days(conn, quiet)
        actions = track_repo.open_actions(conn)
    counts = {s.value: 0 for s in VisitStatus}
    missed, pairs = [], 0
    for link in links.get("links") or []:
        for team in (link.get("advanced_team"), link.get("backward_team")):
            if not team or (scope is not None and team not in scope):
                continue
            pairs += 1
            slots, _extra = visit_slots(start, days.get((link["cadre"], team), []), schedule, today)
            for s in slots:
                counts[s.status.value] += 1
                if s.status is VisitStatus.MISSED:
                    missed.append({"cadre": link["cadre"], "team": team, "due": s.due})
    mine = [a for a in actions if scope is None or a["team"] in scope]
    overdue = [
        {**a, "level": LEVELS[action_level(a["due"], None, today, grace_days)]}
        for a in mine
        if is_overdue(a["due"], None, today)
    ]
    unowned = [a for a in mine if unowned_too_long(a["owner"], a["created"], today)]
    disturbing = [v for v in disturbing if scope is None or v["team"] in scope]
    return Board(today, pairs, counts, missed, overdue, unowned, disturbing)


def plant_board(db: Database, viewer: Viewer, today: date) -> Board:
    """The board with the plant's schedule and grace (settings TEAMROOTS_VISIT_*,
    TEAMROOTS_ACTION_GRACE_DAYS)."""
    s = db.settings
    schedule = Schedule(s.visit_every_weeks, s.visit_window_days, s.visit_grace_days)
    quiet = frozenset(s.visit_quiet_shifts)
    return board(db, viewer, today, schedule, s.action_grace_days, quiet)


VISITORS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER, AccessRole.UNIT_HEAD, AccessRole.CADRE}


def log_visit_as(
    db: Database,
    viewer: Viewer,
    team: str,
    cadre: str | None,
    day: date,
    findings: dict[str, str],
    actions: list[NewAction],
    during: str | None = None,
) -> int:
    """A visit logged from the web: the team must be in the viewer's scope (else NotFound);
    a cadre logs their own visits; unit heads, plant managers and admins log a cadre's."""
    from teamroots.errors import NotAllowed
    from teamroots.services.access import visible_team

    found = visible_team(db, viewer, team)
    if viewer.role not in VISITORS:
        raise NotAllowed("Only cadres, unit heads, plant managers and administrators log visits.")
    if viewer.role is AccessRole.CADRE:
        cadre = viewer.employee_no
    if not cadre:
        raise InvalidRequest("Say which cadre made the visit (their employee number).")
    return log_visit(db, found.code, cadre, day, findings, actions, viewer.name, during)
