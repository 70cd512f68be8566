"""Notices (issue 12): the reminder pass writes every reminder and escalation that is due —
directives not acknowledged, wishes not answered, visit actions overdue — once each; the
inbox shows a user the notices for them and for what their role answers for. Email is not
sent: the notices are in the app (see docs/follow-through.md)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.i18n import N_
from teamroots.services.access import team_scope
from teamroots.store import (
    directives_repo,
    notices_repo,
    people_repo,
    track_repo,
    users_repo,
    wishes_repo,
)
from teamroots.store.db import Database
from teamroots.track.directives import Stage, stage
from teamroots.track.visits import LEVELS as ACTION_LEVELS
from teamroots.track.visits import action_level
from teamroots.track.wishes import LEVELS as WISH_LEVELS
from teamroots.track.wishes import respond_by, wish_level

# Which audiences each role's inbox answers for (beside the notices to the user as a person).
AUDIENCES = {
    AccessRole.ADMIN: ("plant",),
    AccessRole.PLANT_MANAGER: ("plant",),
    AccessRole.UNIT_HEAD: ("unit_head",),
    AccessRole.TEAM_LEADER: ("team_leader",),
    AccessRole.CADRE: (),
    AccessRole.MEMBER: (),
}


def _notice(kind, subject, audience, level, message, link, team=None, person=None) -> dict:
    whom = person if audience == "person" else team
    return {
        "key": f"{kind}:{subject}:{audience}:{whom}:{level}",
        "kind": kind,
        "subject": str(subject),
        "audience": audience,
        "person_id": person,
        "team_id": team,
        "level": level,
        "message": message,
        "link": link,
    }


def _directive_notices(
    conn, now: datetime, remind: int, grace: int
) -> tuple[list[dict], list[int]]:
    out, people = [], []
    behind = Counter()  # (version, directive, title, issued, team) → members behind
    for version, directive, title, issued, _person, team in directives_repo.behind(conn):
        behind[(version, directive, title, str(issued), team)] += 1
    for version, directive, title, issued in sorted({k[:4] for k in behind}):
        where = stage(_utc(issued), now, remind, grace)
        if where is Stage.FRESH:
            continue
        link = f"/directives/{directive}"
        params = {"title": title}
        reminder = {"msgid": N_("Please acknowledge the directive '{title}'."), "params": params}
        people += notices_repo.add_to_behind(conn, version, reminder, link, now)
        for (v, _d, _t, _i, team), count in sorted(behind.items()):
            if v != version:
                continue
            msg = {
                "msgid": N_("{count} members of your team have not acknowledged '{title}'."),
                "params": {**params, "count": count},
            }
            out.append(_notice("directive", version, "team_leader", 0, msg, link, team))
            if where is Stage.ESCALATE:
                msg = {
                    "msgid": N_("A team is still behind on the directive '{title}'."),
                    "params": params,
                }
                out.append(_notice("directive", version, "unit_head", 1, msg, link, team))
    return out, people


def _utc(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


WISH_MESSAGES = (
    N_("A member raised a wish; please answer by {due}."),
    N_("A wish was not answered by {due}; it has come to the unit head."),
    N_("A wish was not answered in time by the team or the unit head; it has come to the plant."),
)


def _wish_notices(conn, today: date, respond_days: int) -> list[dict]:
    out = []
    for wish, team, raised in wishes_repo.open_wishes(conn):
        level = wish_level(raised, None, today, respond_days)
        params = {"due": respond_by(raised, respond_days).isoformat()}
        for lv in range(level + 1):
            msg = {"msgid": WISH_MESSAGES[lv], "params": params}
            made = _notice("wish", wish, WISH_LEVELS[lv], lv, msg, f"/wishes/{wish}", team)
            # stamped with the day's start, never the time the pass ran: an anonymous wish's
            # notice must not say within minutes when it was raised
            made["at"] = datetime.combine(raised, time(0), UTC)
            out.append(made)
    return out


def _action_notices(conn, today: date, grace: int) -> list[dict]:
    out = []
    ids = people_repo.team_ids(conn)
    for a in track_repo.open_actions(conn):
        if today <= a["due"]:
            continue
        level = action_level(a["due"], None, today, grace)
        team = ids.get(a["team"])
        params = {"what": a["what"], "due": a["due"].isoformat()}
        msg = {"msgid": N_("The action '{what}' was due {due} and is not done."), "params": params}
        owner = users_repo.person_id(conn, a["owner"]) if a["owner"] else None
        if owner is not None:
            out.append(_notice("action", a["id"], "person", 0, msg, "/visits", team, owner))
        # the team's leader too: a leader's account names a team, not a person, so the
        # owner's notice would not reach them when they own it
        out.append(_notice("action", a["id"], "team_leader", 0, msg, "/visits", team))
        for lv in range(1, level + 1):
            out.append(_notice("action", a["id"], ACTION_LEVELS[lv], lv, msg, "/visits", team))
    return out


def remind(db: Database, now: datetime | None = None) -> dict[str, int]:
    """Write every reminder and escalation due at ``now``; how many notices were new, by kind.
    Safe to run as often as wanted: a notice is written once."""
    from teamroots.services import mail

    now = now or datetime.now(UTC)
    s = db.settings
    with db.write(serialize=False) as conn:
        found, people = _directive_notices(
            conn, now, s.directive_remind_days, s.directive_grace_days
        )
        wishes = _wish_notices(conn, now.date(), s.wish_respond_days)
        actions = _action_notices(conn, now.date(), s.action_grace_days)
        new = {
            "directive": people + notices_repo.add(conn, found, now),
            "wish": notices_repo.add(conn, wishes, now),
            "action": notices_repo.add(conn, actions, now),
        }
        made = {kind: len(ids) for kind, ids in new.items()}
        everything = [i for ids in new.values() for i in ids]
        letters = mail.letters(conn, everything, s.lang) if s.smtp_host else {}
    made["emails"] = mail.send(db, letters)  # after the commit: a slow server holds no lock
    return made


def inbox(db: Database, viewer: Viewer) -> list[dict]:
    with db.read() as conn:
        person = users_repo.person_id(conn, viewer.employee_no) if viewer.employee_no else None
        scope = team_scope(conn, viewer)
        teams = (
            None
            if scope is None
            else [i for c, i in people_repo.team_ids(conn).items() if c in scope]
        )
        return notices_repo.inbox(conn, viewer.user_id, person, teams, AUDIENCES[viewer.role])


def mark_seen(db: Database, viewer: Viewer, notices: list[int]) -> None:
    mine = {n["id"] for n in inbox(db, viewer)}
    with db.write(serialize=False) as conn:
        notices_repo.mark_seen(conn, viewer.user_id, [n for n in notices if n in mine])
