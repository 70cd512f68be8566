"""The experience library (issue 12): publish a case study or a practice with its team's KPIs
before and after filled in from the records; search it in Chinese or English; suggest to a
weak team the entries whose teams had its problems and then improved; count each use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from teamroots.assess.diagnosis import LABELS as DIAGNOSES
from teamroots.assess.kpis import period_kpis
from teamroots.domain.choices import AccessRole, Tier
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound
from teamroots.services.access import visible_team
from teamroots.services.text import plain
from teamroots.store import assess_repo, users_repo
from teamroots.store import experience_repo as repo
from teamroots.store.db import Database
from teamroots.track.experience import (
    PERIOD_WEEKS,
    Candidate,
    Kind,
    improvement,
    search_text,
    suggest,
    terms,
)

PUBLISHERS = {
    AccessRole.ADMIN,
    AccessRole.PLANT_MANAGER,
    AccessRole.UNIT_HEAD,
    AccessRole.CADRE,
    AccessRole.TEAM_LEADER,
}


def _checked(kind: str, title: str, texts: dict[str, str], diagnosis: list[str]) -> None:
    plain(title, *texts.values())
    if kind not in set(Kind):
        raise InvalidRequest("Unknown kind {value}; use case or practice.", value=kind)
    if not title.strip() or len(title) > 200:
        raise InvalidRequest("A title needs 1 to 200 characters.")
    empty = [name for name, value in texts.items() if not value.strip()]
    if empty:
        raise InvalidRequest("Fill in: {fields}.", fields=", ".join(empty))
    unknown = sorted(set(diagnosis) - set(DIAGNOSES))
    if unknown:
        raise InvalidRequest(
            "Unknown diagnosis {codes}; use one of: {known}.",
            codes=", ".join(unknown),
            known=", ".join(DIAGNOSES),
        )


def _periods(conn, team: int, started: date, weeks: int) -> tuple[dict, dict]:
    """The team's KPIs over ``weeks`` before the day the work began, and over as many weeks
    from it (up to its latest record)."""
    days = 7 * weeks
    first = started - timedelta(days=days)
    before = period_kpis(assess_repo.period_weeks(conn, team, first, started - timedelta(days=1)))
    last = repo.latest_record_day(conn, team)
    if last is None or last < started:
        return before, period_kpis([])
    end = min(started + timedelta(days=days - 1), last)
    return before, period_kpis(assess_repo.period_weeks(conn, team, started, end))


def publish(
    db: Database,
    viewer: Viewer,
    team: str,
    kind: str,
    title: str,
    texts: dict[str, str],
    diagnosis: list[str],
    started: date,
    weeks: int = PERIOD_WEEKS,
) -> int:
    """A new entry of the library about a team in the viewer's scope; ``texts`` holds the
    situation, actions and result. Its KPIs before and after come from the records."""
    if viewer.role not in PUBLISHERS:
        raise NotAllowed("Members read the library; cadres, leaders and managers publish to it.")
    texts = {k: texts.get(k, "") for k in ("situation", "actions", "result")}
    _checked(kind, title, texts, diagnosis)
    ref = visible_team(db, viewer, team)
    with db.write(serialize=False) as conn:
        entry = _add(conn, ref, kind, title, texts, diagnosis, started, weeks, viewer.name)
        users_repo.audit(conn, datetime.now(UTC), viewer.name, "publish", f"entry {entry}", "ok")
    return entry


def _add(conn, ref, kind, title, texts, diagnosis, started, weeks, by: str) -> int:
    before, after = _periods(conn, ref.id, started, weeks)
    row = {
        "team_id": ref.id,
        "kind": kind,
        "title": title.strip(),
        **{k: v.strip() for k, v in texts.items()},
        "diagnosis": sorted(set(diagnosis)),
        "started_on": started,
        "weeks": weeks,
        "kpis_before": before,
        "kpis_after": after,
        "improvement": improvement(before, after),
        "search_text": search_text(title, *texts.values(), ref.name, ref.code),
        "published_by": by,
        "published_at": datetime.now(UTC),
    }
    return repo.add(conn, row)


DEMO_CASES = [
    (
        "三班倒的安全交底",
        "夜班事故多，交接班说不清。",
        "每班班前会安全交底，骨干带班，交接班签字。",
        "三个月无事故，完成率回升。",
        ["tasks_not_completed", "low_attendance"],
    ),
    (
        "班组长不再一人挑担子",
        "班组长事事亲自动手，副班长不起作用。",
        "明确副班长和骨干分工，每周班组会。",
        "任务按时完成，班组长有时间抓管理。",
        ["load_on_leader", "tasks_not_completed"],
    ),
    (
        "新工人跟班培训",
        "新工人多，操作不熟练，任务常完不成。",
        "老工人一带一跟班，月底考核。",
        "新工人两个月能独立顶岗。",
        ["labour_unreasonable", "tasks_not_completed"],
    ),
]


def add_demo_cases(conn) -> int:
    """Case studies of the sample plant's trained teams that improved most (by their own
    records), for `teamroots demo --history`."""
    from teamroots.store import effects_repo

    trained = sorted(effects_repo.interventions(conn, "training"), key=lambda t: t[1])
    made = []
    for code, started in trained:
        ref = users_repo.team_ref(conn, code)
        before, after = _periods(conn, ref.id, started, PERIOD_WEEKS)
        gain = improvement(before, after)
        if gain is not None and gain > 0:
            made.append((gain, ref, started))
    made.sort(key=lambda m: -m[0])
    for (_gain, ref, started), case in zip(made, DEMO_CASES * 2, strict=False):
        title, situation, actions, result, diagnosis = case
        texts = {"situation": situation, "actions": actions, "result": result}
        _add(conn, ref, "case", title, texts, diagnosis, started, PERIOD_WEEKS, "demo-cadre")
    return min(len(made), len(DEMO_CASES) * 2)


def search(db: Database, query: str) -> list[dict]:
    """Entries holding every term of the query (a Chinese phrase is one term), newest first;
    every entry for an empty query."""
    with db.read() as conn:
        return repo.search(conn, terms(query))


def entry(db: Database, entry_id: int) -> dict:
    with db.read() as conn:
        found = repo.entry(conn, entry_id)
        if found is None:
            raise NotFound("There is no entry {id} in the library.", id=entry_id)
        found["used_by"] = repo.uses(conn, entry_id)
    return found


def suggestions(db: Database, tier: str | None, diagnosis: set[str]) -> list[dict]:
    """For an intermediate or backward team: entries whose teams had the same problems and
    then improved, the most improved first."""
    if Tier.of(tier) not in (Tier.INTERMEDIATE, Tier.BACKWARD) or not diagnosis:
        return []
    with db.read() as conn:
        ranked = suggest(diagnosis, [Candidate(*c) for c in repo.candidates(conn)])
        return repo.entries(conn, [c.id for c in ranked])


def use(db: Database, viewer: Viewer, entry_id: int, team: str) -> bool:
    """A team in the viewer's scope takes up an entry; counted once per team."""
    if viewer.role not in PUBLISHERS:
        raise NotAllowed("A team's leader, cadre or managers record that it uses an entry.")
    ref = visible_team(db, viewer, team)
    with db.write(serialize=False) as conn:
        if repo.entry(conn, entry_id) is None:
            raise NotFound("There is no entry {id} in the library.", id=entry_id)
        return repo.use(conn, entry_id, ref.id, date.today(), viewer.name)
