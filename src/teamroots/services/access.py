"""The one scope check: which teams a viewer may see, and the reads that go through it.

Deny by default:
- admin and plant manager: the whole plant;
- unit head: the teams of their unit and every unit under it;
- cadre: the teams linked to them in the newest approved link plan;
- team leader: their team;
- member: no team; only their own record.

A team outside the scope is NotFound, exactly as a team that does not exist, so that ids and
codes cannot be probed. Personal fields (designations, survey nominations, scores of people)
are shown only to roles with the grant (``sees_personal``).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from teamroots.assess.kpis import weekly_series
from teamroots.domain.choices import AccessRole, PlanKind
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from teamroots.services.kept import Kept
from teamroots.store import assess_repo, plan_repo, review_repo, users_repo
from teamroots.store.db import Database

_WHOLE_PLANT = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER}
_PERSONAL = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER, AccessRole.UNIT_HEAD}


def sees_personal(viewer: Viewer) -> bool:
    return viewer.role in _PERSONAL


def team_scope(conn, viewer: Viewer, day: date | None = None) -> frozenset[str] | None:
    """The codes of the teams ``viewer`` may see; None for the whole plant."""
    role = viewer.role
    if role in _WHOLE_PLANT:
        return None
    if role is AccessRole.UNIT_HEAD and viewer.unit_code:
        return frozenset(users_repo.unit_subtree_team_codes(conn, viewer.unit_code))
    if role is AccessRole.TEAM_LEADER and viewer.team_code:
        code = users_repo.team_code(conn, viewer.team_code)
        return frozenset({code} if code else ())
    if role is AccessRole.CADRE and viewer.employee_no:
        links = plan_repo.latest_approved_document(conn, PlanKind.LINKS) or {}
        mine = viewer.employee_no.casefold()
        return frozenset(
            code
            for link in links.get("links") or []
            if str(link.get("cadre", "")).casefold() == mine
            for code in (link.get("advanced_team"), link.get("backward_team"))
            if code
        )
    return frozenset()


# A stored review never changes: its parsed document is kept, per process, by database, id and
# time made (the newest two), so that a page does not unzip and parse a large review on every
# request, and a database emptied and filled again is not mistaken for the old one.
_REVIEWS: Kept[dict[str, Any]] = Kept(2)


def _newest_review_keyed(conn) -> tuple[tuple[str, int, str], dict[str, Any]]:
    """The newest review's cache key and document (NotFound before any); callers must not
    change the document."""
    latest = review_repo.latest_review(conn)
    if latest is None:
        review_repo.stored(conn)  # raises NotFound with the usual message
    key = (str(conn.engine.url), *latest)
    return key, _REVIEWS.get(key, lambda: _load_frozen(conn, latest[0]))


def _load_frozen(conn, review_id: int) -> dict[str, Any]:
    """A review's document, out of the garbage collector's way: a large review is millions
    of objects that live as long as the process serves it, and each full collection would
    walk them all."""
    from teamroots.services.assess import stored_document

    found = stored_document(conn, review_id)
    gc.freeze()
    return found


def _newest_review(conn) -> dict[str, Any]:
    return _newest_review_keyed(conn)[1]


def _in_scope(scope: frozenset[str] | None, code: str) -> bool:
    return scope is None or code in scope


@dataclass
class ScopedReview:
    """The newest review as the viewer may see it: only the teams in scope. Orderings and
    counts derived from it are kept per review and scope (``ranked``, ``units``): a review
    never changes, and a 10,000-team plant is not re-sorted on every request."""

    document: dict[str, Any] | None  # None before any review
    scope: frozenset[str] | None
    key: tuple | None  # (database, review id, when made)

    @property
    def whole_plant(self) -> bool:
        return self.scope is None

    @property
    def teams(self) -> list[dict[str, Any]]:
        return list(self.ranked("rank", False)) if self.key else []

    def ranked(self, sort: str, descending: bool) -> tuple[dict[str, Any], ...]:
        """The teams in scope ordered by one of RANKING_SORTS."""
        if self.key is None:
            return ()
        _REVIEWS.put(self.key, self.document)  # in case a newer review evicted it
        return _ranked(self.key, self.scope, sort, descending)

    def units(self) -> list[dict[str, Any]]:
        if self.key is None:
            return []
        _REVIEWS.put(self.key, self.document)
        return _units(self.key, self.scope)

    def summary(self, units_shown: int) -> Summary:
        """What the overview shows (kept per review and scope, like the orderings)."""
        if self.key is None:
            return Summary(0, (0, 0, 0), [], [], 0)
        _REVIEWS.put(self.key, self.document)
        return _summary(self.key, self.scope, units_shown)


@dataclass(frozen=True)
class Change:
    """What changed since the review before: its tier counts (of the teams in scope then and
    now) and the teams that moved between tiers."""

    review: int
    as_of: date
    tiers: tuple[int, int, int]  # teams in tier 1, 2, 3 at the review before
    up: list[tuple[str, int | None, int | None]]  # (team, tier before, tier now), moved up
    down: list[tuple[str, int | None, int | None]]


_CHANGES: Kept[Change | None] = Kept(64)


def change_since_last(db: Database, viewer: Viewer, review: ScopedReview) -> Change | None:
    """The trend since the review before the newest, for the teams in scope (None when there
    is only one review); kept per pair of reviews and scope: neither changes once stored."""
    if review.key is None:
        return None
    return _CHANGES.get((review.key, review.scope), lambda: _change(db, review))


def _change(db: Database, review: ScopedReview) -> Change | None:
    with db.read() as conn:
        before = review_repo.previous_review(conn, review.key[1])
        then = review_repo.team_tiers(conn, before[0]) if before else {}
    if not before:
        return None
    scope = review.scope
    now = {t["team"]: t.get("tier") for t in review.ranked("rank", False)}
    then = {c: t for c, t in then.items() if scope is None or c in scope}
    moved = [(c, then[c], now[c]) for c in sorted(now) if c in then and then[c] != now[c]]

    def rank(tier: int | None) -> int:
        return tier if tier is not None else 4  # not assessed: below tier 3

    return Change(
        before[0],
        before[1],
        tuple(sum(1 for t in then.values() if t == k) for k in (1, 2, 3)),
        [m for m in moved if rank(m[2]) < rank(m[1])],
        [m for m in moved if rank(m[2]) > rank(m[1])],
    )


@dataclass(frozen=True)
class Summary:
    teams: int
    tiers: tuple[int, int, int]  # teams in tier 1, 2, 3
    units: list[dict[str, Any]]  # every unit, or on a large plant those with most backward teams
    weakest: list[dict[str, Any]]  # the 20 lowest-ranked backward teams
    unit_count: int


@lru_cache(maxsize=64)
def _summary(key: tuple, scope: frozenset[str] | None, units_shown: int) -> Summary:
    units = _units(key, scope)
    tiers = tuple(sum(u[f"tier{t}"] for u in units) for t in (1, 2, 3))
    teams = sum(u["tier1"] + u["tier2"] + u["tier3"] + u["not_assessed"] for u in units)
    weakest = [t for t in _ranked(key, scope, "rank", True) if t.get("tier") == 3][:20]
    shown = units
    if len(units) > units_shown:  # a large plant: the units with the most backward teams
        shown = sorted(units, key=lambda u: (-u["tier3"], u["unit"]))[:units_shown]
    return Summary(teams, tiers, shown, weakest, len(units))


# How the ranking can be ordered (every column of the table); ties keep the rank order.
RANKING_SORTS = {
    "rank": lambda t: (t.get("rank_in_plant") is None, t.get("rank_in_plant") or 0),
    "team": lambda t: str(t.get("team")),
    "name": lambda t: str(t.get("name")),
    "unit": lambda t: str(t.get("unit")),
    "tier": lambda t: (t.get("tier") is None, t.get("tier") or 0),
    "score": lambda t: (t.get("score") is None, round(t.get("score") or 0.0, 9)),  # as ranked
}


@lru_cache(maxsize=64)
def _ranked(key: tuple, scope: frozenset[str] | None, sort: str, descending: bool):
    teams = _REVIEWS[key].get("teams") or []
    if sort != "rank":
        teams = _ranked(key, scope, "rank", False)
    chosen = [t for t in teams if scope is None or t["team"] in scope]
    return tuple(sorted(chosen, key=RANKING_SORTS[sort], reverse=descending))


@lru_cache(maxsize=64)
def _units(key: tuple, scope: frozenset[str] | None) -> list[dict[str, Any]]:
    return unit_counts(list(_ranked(key, scope, "rank", False)))


def scoped_review(db: Database, viewer: Viewer) -> ScopedReview:
    with db.read() as conn:
        scope = team_scope(conn, viewer)
        try:
            key, document = _newest_review_keyed(conn)
        except NotFound:
            return ScopedReview(None, scope, None)
    return ScopedReview(document, scope, key)


def unit_counts(teams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tier counts per unit, from the teams in scope (what the overview shows)."""
    units: dict[str, dict[str, Any]] = {}
    for t in teams:
        row = units.setdefault(
            t["unit"],
            {
                "unit": t["unit"],
                "unit_name": t.get("unit_name") or "",
                "tier1": 0,
                "tier2": 0,
                "tier3": 0,
                "not_assessed": 0,
            },
        )
        key = f"tier{t['tier']}" if t.get("tier") in (1, 2, 3) else "not_assessed"
        row[key] += 1
    return sorted(units.values(), key=lambda r: r["unit"])


@dataclass
class TeamDetail:
    team: dict[str, Any]  # the team's entry of the newest review
    count: int  # teams in the review (for "rank N of M")
    members: list[dict[str, Any]]  # name, employee number, roles (designations if granted)
    as_of: str
    series: dict[str, list[float | None]] = field(default_factory=dict)  # KPI week by week
    history: list[dict[str, Any]] = field(default_factory=list)  # tier in every review
    leaders: list[dict[str, Any]] = field(default_factory=list)  # who led it, when
    review_key: tuple | None = None  # the review's cache key (database, id, when made)


def _visible(conn, viewer: Viewer, code: str) -> users_repo.TeamRef:
    found = users_repo.team_ref(conn, code)
    if found is None or not _in_scope(team_scope(conn, viewer), found.code):
        raise NotFound("There is no team {code}.", code=code)
    return found


def visible_team(db: Database, viewer: Viewer, code: str) -> users_repo.TeamRef:
    """A team the viewer may see (its id, stored code and name), or NotFound — as for a team
    that does not exist."""
    with db.read() as conn:
        return _visible(conn, viewer, code)


def team_detail(db: Database, viewer: Viewer, code: str) -> TeamDetail:
    """One team's page, or NotFound when it does not exist or is outside the scope."""
    with db.read() as conn:
        team_id, stored, _name = _visible(conn, viewer, code)
        try:
            key, document = _newest_review_keyed(conn)
        except NotFound:
            raise NotFound(
                "Team {code} has not been assessed yet; run an assessment first.", code=stored
            ) from None
        day = date.fromisoformat(document["as_of"])
        members = users_repo.team_members(conn, stored, day, sees_personal(viewer))
        days = int(document.get("window_days") or 91)
        series, history = _as_reviewed(conn, key, team_id, day, days)
        leaders = users_repo.leader_history(conn, stored)
    _REVIEWS.put(key, document)
    entry = _by_code(key).get(stored)
    if entry is None:
        raise NotFound("Team {code} is not in the newest review; run an assessment.", code=stored)
    return TeamDetail(
        entry,
        len(document.get("teams") or []),
        members,
        document["as_of"],
        series,
        history,
        leaders,
        key,
    )


# A team's weeks over the newest review's window and its tiers in every review, kept per
# process by review and team: they are what the review saw, and change with the next review.
_AS_REVIEWED: Kept[tuple[dict[str, list[float | None]], list[dict[str, Any]]]] = Kept(4096)


def _as_reviewed(conn, key: tuple, team_id: int, day: date, days: int):
    def read():
        weekly = assess_repo.team_weekly(conn, team_id, day, days)
        return weekly_series(weekly, -(-days // 7)), review_repo.team_history(conn, team_id)

    return _AS_REVIEWED.get((key, team_id), read)


@lru_cache(maxsize=2)
def _by_code(key: tuple) -> dict[str, dict[str, Any]]:
    """The teams of a kept review, by code."""
    return {t["team"]: t for t in _REVIEWS[key].get("teams") or []}


def own_record(db: Database, viewer: Viewer) -> dict[str, Any]:
    """A member's own record: their teams and roles today (what a member may see)."""
    if not viewer.employee_no:
        return {"employee_no": None, "teams": []}
    with db.read() as conn:
        teams = users_repo.person_memberships(conn, viewer.employee_no, date.today())
    return {"employee_no": viewer.employee_no, "teams": teams}


_APPROVERS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER}


def may_approve(viewer: Viewer) -> bool:
    return viewer.role in _APPROVERS


def _plan_in_scope(document: dict[str, Any], scope: frozenset[str] | None, viewer: Viewer):
    """The parts of a plan about the teams in scope (everything for the whole plant)."""
    if scope is None:
        return document
    doc = dict(document)
    if "decisions" in doc:
        doc["decisions"] = [d for d in doc["decisions"] if d["team"] in scope]
    if "trainees" in doc:
        doc["trainees"] = [t for t in doc["trainees"] if t["team"] in scope]
        mine = {t["person"] for t in doc["trainees"]}
        doc["batches"] = [
            {**b, "leaders": [p for p in b["leaders"] if p in mine]} for b in doc["batches"]
        ]
    if "links" in doc:
        me = (viewer.employee_no or "").casefold()
        doc["links"] = [
            x
            for x in doc["links"]
            if x.get("advanced_team") in scope
            or x.get("backward_team") in scope
            or (me and str(x.get("cadre", "")).casefold() == me)
        ]
        doc["uncovered"] = [u for u in doc.get("uncovered") or [] if u["team"] in scope]
    return doc


def plan_list(db: Database, viewer: Viewer):
    """Every stored plan (members see none)."""
    from teamroots.services import plans

    if viewer.role is AccessRole.MEMBER:
        return []
    return plans.list_plans(db)


def plan_view(db: Database, viewer: Viewer, plan_id: int):
    """A stored plan with only the parts about the viewer's teams; NotFound for members and
    for a plan that does not exist."""
    from teamroots.services import plans

    if viewer.role is AccessRole.MEMBER:
        raise NotFound("There is no plan {plan}.", plan=plan_id)
    view = plans.show_plan(db, plan_id)
    with db.read() as conn:
        scope = team_scope(conn, viewer)
    document = _plan_in_scope(view.document, scope, viewer)
    if not sees_personal(viewer):
        document = _without_personal(document)
    return replace(view, document=document)


# Reasons of a leaders plan that hold no person's score, trust or designations: what a cadre
# or a team leader may read of a decision (the others are for roles with the grant).
IMPERSONAL_REASONS = frozenset(
    {"tier1_kept", "incumbent_kept", "no_incumbent", "plant_minimum", "transfer"}
)


def _without_personal(document: dict[str, Any]) -> dict[str, Any]:
    """A plan without people's scores, survey shares and designations."""
    from teamroots.i18n import N_, message

    if "decisions" not in document:
        return document
    hidden = message(
        N_("The reasons that name people's scores are shown to unit heads and plant managers.")
    )
    decisions = []
    for d in document["decisions"]:
        kept = [r for r in d.get("reasons") or [] if r.get("code") in IMPERSONAL_REASONS]
        if len(kept) < len(d.get("reasons") or []):
            kept.append({"code": "hidden", **hidden})
        decisions.append({**d, "score": None, "reasons": kept})
    return {**document, "decisions": decisions}


def approve_plan(db: Database, viewer: Viewer, plan_id: int):
    """Approve a proposed plan as the signed-in viewer (plant managers and admins only); the
    approval is in the audit log."""
    from teamroots.errors import NotAllowed
    from teamroots.services import plans

    plan_view(db, viewer, plan_id)  # NotFound first, as for any read
    if not may_approve(viewer):
        audit(db, viewer, "approve", f"plan {plan_id}", "denied")
        raise NotAllowed("Only a plant manager or an administrator approves plans.")
    approval = plans.approve(db, plan_id, viewer.name)
    audit(db, viewer, "approve", f"plan {plan_id}", "ok")
    return approval


def audit(db: Database, viewer: Viewer, action: str, target: str, outcome: str) -> None:
    from datetime import UTC, datetime

    with db.write(serialize=False) as conn:
        users_repo.audit(conn, datetime.now(UTC), viewer.name, action, target, outcome)


def unit_team_details(db: Database, viewer: Viewer, unit_code: str) -> list[TeamDetail]:
    """Every team of a unit (and the units under it) in the viewer's scope, for printing its
    boards in one go; NotFound when the unit does not exist or none of its teams is in scope."""
    with db.read() as conn:
        scope = team_scope(conn, viewer)
        codes = sorted(
            c for c in users_repo.unit_subtree_team_codes(conn, unit_code) if _in_scope(scope, c)
        )
        if not codes:
            raise NotFound("There is no unit {code}.", code=unit_code)
        document = _newest_review(conn)
        day = date.fromisoformat(document["as_of"])
        personal = sees_personal(viewer)
        members = {c: users_repo.team_members(conn, c, day, personal) for c in codes}
    entries = {t["team"]: t for t in document.get("teams") or []}
    count = len(entries)
    return [
        TeamDetail(entries[c], count, members[c], document["as_of"]) for c in codes if c in entries
    ]


def require_admin(db: Database, viewer: Viewer, action: str) -> None:
    """Imports and accounts are the administrator's; anyone else is refused (and logged)."""
    from teamroots.errors import NotAllowed

    if viewer.role is not AccessRole.ADMIN:
        audit(db, viewer, action, "", "denied")
        raise NotAllowed("Only an administrator may do this.")


@dataclass
class UnitView:
    code: str
    name: str
    parent: tuple[str, str] | None  # the unit above (code, name), None at the top
    teams: list[dict[str, Any]]  # the review's entries of its teams in scope, in rank order
    units: list[dict[str, Any]]  # tier counts per unit of its subtree (as on the overview)
    as_of: str | None


def unit_view(db: Database, viewer: Viewer, code: str) -> UnitView:
    """A unit with the teams of its subtree that the viewer may see; NotFound when the unit
    does not exist or none of its teams is in scope (as for a team: nothing to probe)."""
    review = scoped_review(db, viewer)
    with db.read() as conn:
        unit = users_repo.unit(conn, code)
        codes = users_repo.unit_subtree_team_codes(conn, unit["code"]) if unit else set()
    mine = [t for t in review.ranked("rank", False) if t["team"] in codes]
    if unit is None or not mine:
        raise NotFound("There is no unit {code}.", code=code)
    parent = (unit["parent_code"], unit["parent_name"]) if unit["parent_code"] else None
    as_of = review.document["as_of"] if review.document else None
    return UnitView(unit["code"], unit["name"], parent, mine, unit_counts(mine), as_of)


def edit_plan(db: Database, viewer: Viewer, plan_id: int, changes: dict[str, dict]):
    """Change a proposed plan as the signed-in viewer (those who approve plans); re-checked by
    the plan's rules (BrokenRules names each broken one, nothing changed) and audited."""
    from teamroots.errors import NotAllowed
    from teamroots.services import plan_changes

    plan_view(db, viewer, plan_id)  # NotFound first, as for any read
    if not may_approve(viewer):
        audit(db, viewer, "edit", f"plan {plan_id}", "denied")
        raise NotAllowed("Only a plant manager or an administrator changes plans.")
    try:
        view = plan_changes.edit_plan(db, plan_id, changes)
    except Exception:
        audit(db, viewer, "edit", f"plan {plan_id}", "refused")
        raise
    audit(db, viewer, "edit", f"plan {plan_id}", "ok")
    return view


def review_list(db: Database, viewer: Viewer) -> list[dict[str, Any]]:
    """Every stored review (members see none: a review is about teams)."""
    if viewer.role is AccessRole.MEMBER:
        return []
    with db.read() as conn:
        return review_repo.reviews(conn)


@dataclass
class ReportInputs:
    document: dict[str, Any]  # the review with only the teams in scope, its summary of them
    plans: dict[str, dict[str, Any]]  # the newest plan of each kind, only its part in scope
    history: list[dict[str, Any]]  # every stored plan's summary


def report_inputs(db: Database, viewer: Viewer, review_id: int | None) -> ReportInputs:
    """What the report of a review shows the viewer: the teams in their scope and the parts
    of the plans about them; NotFound for members and for a review that does not exist."""
    from teamroots.assess.explain import summary
    from teamroots.services import plans

    if viewer.role is AccessRole.MEMBER:
        raise NotFound("There is no review {review}.", review=review_id or "")
    with db.read() as conn:
        scope = team_scope(conn, viewer)
        from teamroots.services.assess import stored_document

        document = stored_document(conn, review_id)
    newest = {k.value: v.document for k, v in plans.latest_plans(db).items()}
    history = [vars(p) for p in plans.list_plans(db)]
    if scope is not None:
        teams = [t for t in document.get("teams") or [] if t["team"] in scope]
        document = {**document, "teams": teams, "summary": summary(teams)}
        newest = {k: _plan_in_scope(v, scope, viewer) for k, v in newest.items()}
    audit(db, viewer, "report", f"review {document['review_id']}", "ok")
    return ReportInputs(document, newest, history)
