"""Directives down (issue 12): the plant or a unit issues a directive to the teams under it;
each member acknowledges it on the web, or their team leader records a shift meeting's
roll-call; editing makes a new version to be acknowledged again; the reach page shows how
far each version has got, within the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound
from teamroots.services.access import team_scope
from teamroots.services.text import plain
from teamroots.store import directives_repo as repo
from teamroots.store import people_repo, users_repo
from teamroots.store.db import Database
from teamroots.track.directives import Reach, reach

ISSUERS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER, AccessRole.UNIT_HEAD}
RECORDERS = {*ISSUERS, AccessRole.TEAM_LEADER}


def _check_text(title: str, body: str) -> tuple[str, str]:
    plain(title, body)
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise InvalidRequest("A directive needs a title and a text.")
    if len(title) > 200:
        raise InvalidRequest("The title is {n} characters long; at most 200.", n=len(title))
    return title, body


def _issuing_unit(conn, viewer: Viewer, unit: str | None) -> int | None:
    """The unit a directive goes to (None: the whole plant), if the viewer may issue there."""
    if viewer.role not in ISSUERS:
        raise NotAllowed("Only unit heads, plant managers and administrators issue directives.")
    if viewer.role is AccessRole.UNIT_HEAD:
        unit = unit or viewer.unit_code
        own = repo.unit_ids(conn, viewer.unit_code or "")
        found = repo.unit_ids(conn, unit or "")
        if own is None or found is None or found[0] not in own[1]:
            raise NotAllowed("A unit head issues directives to their own unit and those under it.")
        return found[0]
    if unit is None:
        return None
    found = repo.unit_ids(conn, unit)
    if found is None:
        raise NotFound("There is no unit {code}.", code=unit)
    return found[0]


def issue(
    db: Database, viewer: Viewer, unit: str | None, title: str, body: str, day: date | None = None
) -> tuple[int, int]:
    """Issue a directive; (its id, how many members it reached). All or nothing."""
    title, body = _check_text(title, body)
    at = datetime.now(UTC)
    with db.write() as conn:
        unit_id = _issuing_unit(conn, viewer, unit)
        directive = repo.add_directive(conn, unit_id, viewer.name, at)
        version = repo.add_version(conn, directive, 1, title, body, viewer.name, at)
        reached = repo.deliver(conn, version, unit_id, day or at.date())
        users_repo.audit(conn, at, viewer.name, "directive", f"directive {directive}", "ok")
    return directive, reached


def _directive(conn, viewer: Viewer, directive: int, person: int | None = None) -> repo.VersionRow:
    """The current version, if the viewer may see the directive (else NotFound): a member
    when it was delivered to them, others when it reached a team in their scope."""
    found = repo.current(conn, directive)
    if found is None or not _sees(conn, viewer, found, person):
        raise NotFound("There is no directive {id}.", id=directive)
    return found


def _sees(conn, viewer: Viewer, found: repo.VersionRow, person: int | None) -> bool:
    if viewer.role is AccessRole.MEMBER:
        person = person or _person(conn, viewer)
        return person is not None and repo.delivery(conn, found.version_id, person) is not None
    scope = team_scope(conn, viewer)
    if scope is None:
        return True
    return repo.reaches(conn, found.version_id, _team_ids(conn, scope))


def _team_ids(conn, scope: frozenset[str]) -> list[int]:
    return [i for c, i in people_repo.team_ids(conn).items() if c in scope]


def _person(conn, viewer: Viewer) -> int | None:
    return users_repo.person_id(conn, viewer.employee_no) if viewer.employee_no else None


def edit(db: Database, viewer: Viewer, directive: int, title: str, body: str) -> int:
    """A new version of a directive, delivered again to the members of its scope today; its
    number. Only whoever may issue to the directive's unit edits it."""
    title, body = _check_text(title, body)
    at = datetime.now(UTC)
    with db.write() as conn:
        found = _directive(conn, viewer, directive)
        if found.unit is None and viewer.role is AccessRole.UNIT_HEAD:
            raise NotAllowed("A directive to the whole plant is edited by the plant.")
        unit_id = _issuing_unit(conn, viewer, found.unit)
        version = found.version + 1
        version_id = repo.add_version(conn, directive, version, title, body, viewer.name, at)
        repo.deliver(conn, version_id, unit_id, at.date())
        users_repo.audit(conn, at, viewer.name, "directive", f"directive {directive}", "edited")
    return version


def acknowledge(db: Database, viewer: Viewer, directive: int) -> bool:
    """The viewer acknowledges the current version; False when they already had."""
    with db.write(serialize=False) as conn:
        person = _person(conn, viewer)
        found = _directive(conn, viewer, directive, person)
        if person is None or repo.delivery(conn, found.version_id, person) is None:
            raise NotFound("Directive {id} was not sent to you.", id=directive)
        return repo.acknowledge(conn, found.version_id, person, datetime.now(UTC)) == 1


def roll_call(db: Database, viewer: Viewer, directive: int, team: str, present: list[str]) -> int:
    """A shift meeting's roll-call: the members present (employee numbers) acknowledge the
    current version. A team leader records for their own team; a number not in the team is
    refused, naming it. How many acknowledged now."""
    if viewer.role not in RECORDERS:
        raise NotAllowed("Only team leaders, unit heads and plant managers record roll-calls.")
    with db.write(serialize=False) as conn:
        found = _directive(conn, viewer, directive)
        scope = team_scope(conn, viewer)
        ref = users_repo.team_ref(conn, team)
        if ref is None or (scope is not None and ref.code not in scope):
            raise NotFound("There is no team {code}.", code=team)
        members = {
            m["employee_no"].casefold(): m["employee_no"]
            for m in users_repo.team_members(conn, ref.code, date.today(), False)
        }
        strangers = [p for p in present if p.casefold() not in members]
        if strangers:
            raise InvalidRequest(
                "{people} not in team {team} today; only its members can be recorded.",
                people=", ".join(strangers),
                team=ref.code,
            )
        ids = [users_repo.person_id(conn, members[p.casefold()]) for p in present]
        at = datetime.now(UTC)
        return repo.roll_call(conn, found.version_id, [i for i in ids if i], at, viewer.name)


def listed(db: Database, viewer: Viewer) -> list[dict]:
    """The directives that reached the viewer's scope (a member: their own), current versions
    with delivered and acknowledged counts in that scope."""
    with db.read() as conn:
        if viewer.role is AccessRole.MEMBER:
            person = _person(conn, viewer)
            return repo.listed(conn, None, person) if person else []
        scope = team_scope(conn, viewer)
        ids = (
            None
            if scope is None
            else [i for c, i in people_repo.team_ids(conn).items() if c in scope]
        )
        return repo.listed(conn, ids, None)


@dataclass(frozen=True)
class ReachPage:
    version: repo.VersionRow
    versions: list[repo.VersionRow]
    total: Reach
    units: list[Reach]
    teams: list[tuple[str, Reach]]  # (unit code, the team's reach), the least reached first
    mine: tuple | None  # a member's own (acknowledged at, how), or None


def reach_page(db: Database, viewer: Viewer, directive: int) -> ReachPage:
    with db.read() as conn:
        found = _directive(conn, viewer, directive)
        person = _person(conn, viewer)
        mine = repo.delivery(conn, found.version_id, person) if person else None
        scope = team_scope(conn, viewer)
        if viewer.role is AccessRole.MEMBER:
            scope = frozenset()
        rows = [
            r for r in repo.reach_rows(conn, found.version_id) if scope is None or r[1] in scope
        ]
        versions = repo.versions(conn, directive)
    unit_of = {team: unit for unit, team, _h, _w in rows}
    teams = reach((team, hours, how) for _u, team, hours, how in rows)
    units = reach((unit, hours, how) for unit, _t, hours, how in rows)
    total = reach(("", hours, how) for _u, _t, hours, how in rows).get("") or Reach(
        "", 0, 0, 0, None, None
    )
    ordered = sorted(teams.values(), key=lambda r: (r.share, r.key))
    return ReachPage(
        found,
        versions,
        total,
        sorted(units.values(), key=lambda r: r.key),
        [(unit_of[r.key], r) for r in ordered],
        mine,
    )


def roll_call_team(db: Database, viewer: Viewer) -> tuple[users_repo.TeamRef, list[dict]] | None:
    """A team leader's own team and its members today, for the roll-call form."""
    if viewer.role is not AccessRole.TEAM_LEADER or not viewer.team_code:
        return None
    with db.read() as conn:
        ref = users_repo.team_ref(conn, viewer.team_code)
        if ref is None:
            return None
        return ref, users_repo.team_members(conn, ref.code, date.today(), False)
