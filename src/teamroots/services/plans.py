"""Plan use cases: propose a plan (leaders, training, links), show a stored one, approve it.

Every plan goes one way — read facts → build the input → solve → check against its spec →
save as a proposal — in ``_propose``; the three problems differ only in the ``_Problem`` they
give it. An approved leadership plan is applied as membership history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from teamroots.domain.choices import PlanKind, PlanStatus, Role, label
from teamroots.errors import InvalidRequest, NotFound
from teamroots.i18n import N_, message
from teamroots.plan.edits import refuse
from teamroots.services.assess import as_of_day
from teamroots.store import effects_repo, people_repo, plan_repo
from teamroots.store.db import Database

SURVEY_MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class PlanView:
    """A plan: ``document`` is what ``plan … --json`` prints (schema in the README), its
    messages stored as data (``i18n.localized`` renders them); ``approval`` is None for a plan
    that was not stored."""

    id: int | None
    kind: PlanKind
    approval: PlanStatus | None
    document: dict[str, Any]


@dataclass(frozen=True)
class Approval:
    plan_id: int
    kind: PlanKind
    by: str
    ended: int  # memberships ended (leadership plans)
    started: int  # memberships started


@dataclass(frozen=True)
class _Problem:
    kind: PlanKind
    read: Callable[[Any], Any]  # connection → facts
    build: Callable[[Any], Any]  # facts → the problem's input
    solve: Callable[[Any], Any]  # input → plan (with to_json)
    check: Callable[[Any, Any], list]  # (input, plan) → broken rules


def _propose(
    db: Database, problem: _Problem, save: bool, finish: Callable[[dict], None] | None = None
) -> PlanView:
    """Read the facts in one snapshot, build the input, solve, check the solver's plan against
    the spec (BrokenRules if it fails: a bug, never a plan to approve), then ``finish`` the
    document and store it as a proposal."""
    with db.read() as conn:
        facts = problem.read(conn)
    inp = problem.build(facts)
    plan = problem.solve(inp)
    refuse(problem.check(inp, plan))
    document = plan.to_json()
    if finish:
        finish(document)
    plan_id = None
    if save:
        with db.write() as conn:
            plan_id = plan_repo.save_plan(conn, problem.kind, document)
    return PlanView(plan_id, problem.kind, PlanStatus.PROPOSED if save else None, document)


def plan_leaders(
    db: Database,
    *,
    as_of: date | None = None,
    time_limit: float = 30.0,
    save: bool = True,
    **options,
) -> PlanView:
    """Propose a leader and a core for every team; stored as a plan to approve. ``options``
    go to the plan's input (``max_changes``, ``k_core``, …)."""
    from teamroots.plan.leaders.checks import check_leaders
    from teamroots.plan.leaders.inputs import leaders_input
    from teamroots.plan.leaders.solve import plan_leaders as solve

    day = as_of_day(db, as_of) if as_of else leaders_day(db)
    options.setdefault("support_min", db.settings.leader_support_min)

    def read(conn):
        facts = plan_repo.leader_facts(conn, day, SURVEY_MAX_AGE_DAYS)
        if not facts.teams:
            raise NotFound("There are no teams to plan for; import teams or run 'teamroots demo'.")
        return facts

    problem = _Problem(
        PlanKind.LEADERS,
        read,
        lambda facts: leaders_input(facts, day, **options),
        lambda inp: solve(inp, time_limit),
        check_leaders,
    )
    return _propose(db, problem, save, lambda doc: doc.update(as_of=day.isoformat()))


def leaders_day(db: Database) -> date:
    """The day a leadership plan is for by default: the last daily record, or the latest
    change of leaders (an approved plan) when that is later — never after today — so that
    planning again after an approval starts from the leaders it put in."""
    day = as_of_day(db, None)
    with db.read() as conn:
        changed = people_repo.latest_change(conn, date.today())
    return max(day, changed) if changed else day


def plan_training(
    db: Database,
    *,
    batches: int | None = None,
    dates: list[date] | None = None,
    deputies: bool = True,
    time_limit: float = 30.0,
    save: bool = True,
    allow_past: bool = False,
    **options,
) -> PlanView:
    """Put every leader (and deputy) in one of the batches; stored as a plan to approve.
    Batch dates before today are refused unless ``allow_past``."""
    from teamroots.plan.training.checks import check_training
    from teamroots.plan.training.inputs import check_dates, default_dates, training_input
    from teamroots.plan.training.solve import plan_training as solve

    if not 0 < options.get("max_away", 0.35) <= 1:
        raise InvalidRequest(
            "--max-away {value} must be a share above 0 and at most 1, e.g. 0.35.",
            value=options["max_away"],
        )
    dates = check_dates(dates, batches) if dates else default_dates(batches or 5)
    if not allow_past and dates[0] < date.today():
        raise InvalidRequest(
            "The first batch date {day} is in the past; give later dates, or --allow-past to "
            "record a plan that has already run.",
            day=dates[0].isoformat(),
        )
    leaders: list[int | None] = [None]

    def read(conn):
        facts = plan_repo.training_facts(conn, dates[0])
        if not facts.roles:
            raise NotFound(
                "No team has a leader in office on {day}; import memberships, run 'teamroots "
                "demo', or approve a leadership plan.",
                day=dates[0].isoformat(),
            )
        newest = plan_repo.latest_plan_id(conn, PlanKind.LEADERS)
        if newest is not None and plan_repo.load_plan(conn, newest).status == PlanStatus.PROPOSED:
            leaders[0] = newest
        return facts

    problem = _Problem(
        PlanKind.TRAINING,
        read,
        lambda facts: training_input(facts, dates, deputies=deputies, **options),
        lambda inp: solve(inp, time_limit),
        lambda inp, plan: check_training(inp, plan.batches),
    )

    def finish(doc: dict) -> None:
        doc["rules"]["deputies"] = deputies
        doc["warnings"] = _proposed_leaders_warning(leaders[0])

    return _propose(db, problem, save, finish)


def _proposed_leaders_warning(plan_id: int | None) -> list[dict[str, Any]]:
    if plan_id is None:
        return []
    return [
        message(
            N_(
                "Leadership plan {plan} is proposed but not approved: the training plan is for "
                "the leaders in office now."
            ),
            plan=plan_id,
        )
    ]


def plan_links(db: Database, *, time_limit: float = 30.0, save: bool = True, **options) -> PlanView:
    """Link every cadre with an advanced and a backward team; stored as a plan to approve."""
    from teamroots.plan.links.checks import HARD
    from teamroots.plan.links.inputs import links_input
    from teamroots.plan.links.solve import plan_links as solve

    def read(conn):
        facts = plan_repo.links_facts(conn)
        if not facts.cadres:
            raise NotFound("There are no cadres to link; import cadres or run 'teamroots demo'.")
        if not facts.tiers:
            raise NotFound(
                "No team has a tier yet; run 'teamroots assess' first, then plan the links."
            )
        return facts

    problem = _Problem(
        PlanKind.LINKS,
        read,
        lambda facts: links_input(facts, **options),
        lambda inp: solve(inp, time_limit),
        lambda inp, plan: [v for check in HARD for v in check(inp, plan.plan)],
    )
    return _propose(db, problem, save)


def shown(conn, plan_id: int) -> PlanView:
    """A stored plan with its approval (status, by whom, when); a training plan also with its
    results per batch and, while it is a proposal, whether its trainees are still the leaders
    and deputies in office (``stale``)."""
    from teamroots.plan.training.results import summary

    stored = plan_repo.load_plan(conn, plan_id)
    doc = stored.document
    if stored.kind == PlanKind.TRAINING:
        doc["results"] = summary(doc, plan_repo.results(conn, plan_id))
        if stored.status == PlanStatus.PROPOSED:
            doc["stale"] = _stale(conn, doc)
    doc["approval"] = stored.status.value
    doc["approved_by"] = stored.approved_by
    doc["approved_at"] = stored.approved_at.isoformat() if stored.approved_at else None
    return PlanView(plan_id, stored.kind, stored.status, doc)


def _stale(conn, doc: dict[str, Any]) -> dict[str, list[str]] | None:
    """How a training plan's trainees differ from the leaders and deputies in office on its
    first batch's day: {"gone": [...], "new": [...]}, or None when they are the same."""
    first = date.fromisoformat(doc["batches"][0]["date"]) if doc["batches"] else date.today()
    deputies = doc["rules"].get("deputies", True)
    now = {
        m.employee_no
        for m in plan_repo.training_facts(conn, first).roles
        if m.role == Role.LEADER or deputies
    }
    planned = {t["person"] for t in doc["trainees"]}
    if now == planned:
        return None
    return {"gone": sorted(planned - now), "new": sorted(now - planned)}


def _refuse_stale(plan_id: int, stale: dict[str, list[str]]) -> None:
    def some(numbers: list[str]) -> str:
        more = len(numbers) - 5
        return ", ".join(numbers[:5]) + (f" (+{more})" if more > 0 else "") if numbers else "-"

    raise InvalidRequest(
        "Training plan {plan} is stale: {gone} of its trainees are no longer leaders or "
        "deputies ({gone_list}) and {new} who are now are not in it ({new_list}). Plan again "
        "with 'teamroots plan training'.",
        plan=plan_id,
        gone=len(stale["gone"]),
        gone_list=some(stale["gone"]),
        new=len(stale["new"]),
        new_list=some(stale["new"]),
    )


def show_plan(db: Database, plan_id: int) -> PlanView:
    with db.read() as conn:
        return shown(conn, plan_id)


@dataclass(frozen=True)
class PlanSummary:
    id: int
    kind: PlanKind
    approval: PlanStatus
    created_at: str | None
    approved_by: str | None
    approved_at: str | None


def list_plans(db: Database) -> list[PlanSummary]:
    """Every stored plan, newest first: its kind, status, and who approved it when."""
    with db.read() as conn:
        rows = plan_repo.plan_list(conn)
    when = lambda d: d.isoformat(timespec="minutes") if d else None  # noqa: E731
    return [
        PlanSummary(r.id, r.kind, r.status, when(r.created_at), r.approved_by, when(r.approved_at))
        for r in rows
    ]


def latest_plans(db: Database) -> dict[PlanKind, PlanView]:
    """The newest plan of each kind (a training plan with its results), for the report."""
    with db.read() as conn:
        newest = {kind: plan_repo.latest_plan_id(conn, kind) for kind in PlanKind}
        return {kind: shown(conn, i) for kind, i in newest.items() if i is not None}


def load_proposed(conn, plan_id: int, refusal: str) -> plan_repo.StoredPlan:
    """A plan that is still a proposal; otherwise InvalidRequest with the ``refusal`` msgid
    (params ``plan``, ``status``)."""
    stored = plan_repo.load_plan(conn, plan_id)
    if stored.status != PlanStatus.PROPOSED:
        raise InvalidRequest(refusal, plan=plan_id, status=label(stored.status))
    return stored


def approve(db: Database, plan_id: int, by: str, on: date | None = None) -> Approval:
    """Approve a proposed plan: who approved it when; a leadership plan is applied as
    membership history (rows ended and started, never overwritten)."""
    if not by.strip():
        raise InvalidRequest("Say who approves the plan with --by NAME.")
    with db.write() as conn:
        stored = load_proposed(
            conn, plan_id, N_("Plan {plan} is {status}; only a proposed plan can be approved.")
        )
        ended = started = 0
        if stored.kind == PlanKind.LEADERS:  # training and links plans are the record themselves
            ended, started = _apply_leaders(conn, stored.document, on or date.today())
        if stored.kind == PlanKind.TRAINING and (stale := _stale(conn, stored.document)):
            _refuse_stale(plan_id, stale)
        _record_interventions(conn, stored, on or date.today())
        if not plan_repo.mark_approved(conn, plan_id, by.strip()):
            raise InvalidRequest(
                N_("Plan {plan} is {status}; only a proposed plan can be approved."),
                plan=plan_id,
                status=label(PlanStatus.APPROVED),
            )
    return Approval(plan_id, stored.kind, by.strip(), ended, started)


def _record_interventions(conn, stored, day: date) -> None:
    """What the plan does to each team, from when, for measuring its effect later: a new
    leader on the day of approval, a leader's training batch on its day, a cadre link on the
    day of approval."""
    teams = people_repo.team_ids(conn)
    doc = stored.document
    rows: list[tuple[int, str, date]] = []
    if stored.kind == PlanKind.LEADERS:
        rows = [
            (teams[d["team"]], "leader", day)
            for d in doc["decisions"]
            if d.get("leader") and d.get("leader") != d.get("incumbent")
        ]
    elif stored.kind == PlanKind.TRAINING:
        days = {b["batch"]: date.fromisoformat(b["date"]) for b in doc.get("batches") or []}
        rows = [
            (teams[t["team"]], "training", days[t["batch"]])
            for t in doc.get("trainees") or []
            if t.get("team") in teams and t.get("batch") in days
        ]
    elif stored.kind == PlanKind.LINKS:
        # the backward team is the one the link is meant to change; the advanced one teaches
        codes = {link["backward_team"] for link in doc.get("links") or []
                 if link.get("backward_team")}  # fmt: skip
        rows = [(teams[c], "link", day) for c in sorted(codes) if c in teams]
    effects_repo.add(conn, sorted(set(rows)), f"plan {stored.id}")


def _apply_leaders(conn, document: dict[str, Any], day: date) -> tuple[int, int]:
    teams = people_repo.team_ids(conn)
    people = {r.employee_no: r.id for r in people_repo.person_refs(conn)}
    ended = started = 0
    for d in document["decisions"]:
        want = {(people[c["person"]], Role(c["role"])) for c in d["core"]}
        if d["leader"]:
            want.add((people[d["leader"]], Role.LEADER))
        e, s = people_repo.set_team_roles(conn, teams[d["team"]], want, day)
        ended, started = ended + e, started + s
    return ended, started
