"""Use cases of the plans (shared by CLI and web): build a plan's input from the database,
solve, store the proposal, and apply it when a person approves it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, insert, text

from teamroots.config import Settings
from teamroots.errors import ConfigError, NotFound
from teamroots.i18n import N_
from teamroots.store import assess_repo, plan_repo
from teamroots.store.tables import Membership

LEADERSHIP_ROLES = ("leader", "deputy", "safety", "quality", "attendance", "equipment", "study")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _shares(votes, home: dict[int, int]) -> dict[tuple[int, str], float]:
    """(person, question) → share of their team's respondents who named them."""
    answered: dict[tuple[int, str], set[int]] = defaultdict(set)
    named: dict[tuple[int, str], set[int]] = defaultdict(set)
    for voter, nominee, question in votes:
        team = home.get(voter)
        if team is None:
            continue
        answered[(team, question)].add(voter)
        if home.get(nominee) == team:
            named[(nominee, question)].add(voter)
    return {(p, q): len(v) / len(answered[(home[p], q)]) for (p, q), v in named.items()}


def nested(rows) -> defaultdict[Any, dict[Any, Any]]:
    """(key, name, value) rows → {key: {name: value}} (e.g. a person's skills, a team's
    posts); a key without rows reads as {}."""
    out: defaultdict[Any, dict[Any, Any]] = defaultdict(dict)
    for key, name, value in rows:
        out[key][name] = value
    return out


def leaders_input(facts: dict[str, Any], as_of: date, **options):
    from teamroots.plan.leaders.model import LeadersInput, Person, TeamNeed

    home: dict[int, int] = {}
    roles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    info: dict[int, tuple[str, date | None]] = {}
    for person, team, role, number, hired in facts["members"]:
        home.setdefault(person, team)
        roles[person].append((team, role))
        info[person] = (number, _day(hired))
    tags: dict[int, set[str]] = defaultdict(set)
    for person, tag in facts["tags"]:
        tags[person].add(tag)
    skills, posts = nested(facts["skills"]), nested(facts["posts"])
    share = _shares(facts["votes"], home)
    tiers = dict(facts["tiers"])
    people = []
    incumbent: dict[int, int] = {}
    for person, team in home.items():
        held = [r for t, r in roles[person] if t == team]
        if "leader" in held:
            incumbent.setdefault(team, person)
        number, hired = info[person]
        people.append(
            Person(
                id=person,
                employee_no=number,
                team_id=team,
                designations=frozenset(tags[person]),
                trust_share=share.get((person, "trust_to_lead"), 0.0),
                helps_share=share.get((person, "helps_others"), 0.0),
                skills=skills[person],
                tenure_years=((as_of - hired).days / 365.25) if hired else 0.0,
                core_role=next((r for r in held if r not in ("leader", "member")), None),
            )
        )
    teams = [
        TeamNeed(
            team_id=t,
            code=code,
            unit_id=u,
            unit_code=ucode,
            tier=tiers.get(t),
            incumbent=incumbent.get(t),
            posts=posts[t],
        )
        for t, code, u, ucode in facts["teams"]
    ]
    return LeadersInput(teams=teams, people=people, **options)


def plan_leaders(
    settings: Settings,
    *,
    as_of: date | None = None,
    time_limit: float = 30.0,
    save: bool = True,
    **options,
) -> dict[str, Any]:
    """Propose a leader and a core for every team; stored as a plan to approve."""
    from teamroots.plan.leaders.solve import plan_leaders as solve
    from teamroots.services import default_as_of, open_db

    with open_db(settings) as engine:
        with engine.connect() as conn:
            as_of = as_of or default_as_of(assess_repo.record_days(conn)[1])
            facts = plan_repo.leader_facts(conn, as_of, 365)
        if not facts["teams"]:
            raise NotFound("There are no teams to plan for; import teams or run 'teamroots demo'.")
        plan = solve(leaders_input(facts, as_of, **options), time_limit)
        document = plan.to_json()
        document["as_of"] = as_of.isoformat()
        if save:
            with engine.begin() as conn:
                plan_repo.save_plan(conn, "leaders", document)
        return document


def approve(settings: Settings, plan_id: int, by: str, on: date | None = None) -> dict[str, Any]:
    """Approve a proposed plan: who approved it when; a leadership plan is applied as
    membership history (rows ended and started, never overwritten). Returns the plan's kind and
    how many memberships were ended and started."""
    from teamroots.services import open_db

    if not by.strip():
        raise ConfigError("Say who approves the plan with --by NAME.")
    with open_db(settings) as engine, engine.begin() as conn:
        kind, document = plan_repo.load_proposed(
            conn, plan_id, N_("Plan {plan} is {status}; only a proposed plan can be approved.")
        )
        counts = {"ended": 0, "started": 0}
        if kind == "leaders":  # training and links plans are the record themselves
            counts = _apply_leaders(conn, document, on or date.today())
        plan_repo.mark_approved(conn, plan_id, by.strip())
        return {"kind": kind, **counts}


def show_plan(settings: Settings, plan_id: int) -> dict[str, Any]:
    """A stored plan's document with its approval status; a training plan also gets its
    results per batch (``training_results.summary``)."""
    from teamroots.services import open_db

    with open_db(settings) as engine, engine.connect() as conn:
        return shown(conn, plan_id)


def shown(conn: Connection, plan_id: int) -> dict[str, Any]:
    from teamroots.training_results import summary

    kind, status, doc = plan_repo.load_plan(conn, plan_id)
    if kind == "training":
        doc["results"] = summary(doc, plan_repo.results(conn, plan_id))
    doc["approval"] = status
    return doc


def _leave_other_teams(conn: Connection, person: int, team: int, day: date) -> int:
    """A person moved to lead or serve in ``team`` leaves the teams they were in."""
    rows = conn.execute(
        text(
            "SELECT id, start_date FROM membership WHERE person_id = :p AND team_id <> :t AND "
            "start_date <= :d AND (end_date IS NULL OR end_date >= :d)"
        ),
        {"p": person, "t": team, "d": day},
    ).all()
    for row_id, start in rows:
        end = max(_day(start), day - timedelta(days=1))
        conn.execute(
            text("UPDATE membership SET end_date = :e WHERE id = :i"), {"e": end, "i": row_id}
        )
    return len(rows)


def _apply_leaders(conn: Connection, document: dict[str, Any], day: date) -> dict[str, int]:
    ids = dict(conn.execute(text("SELECT code, id FROM team")).all())
    people = dict(conn.execute(text("SELECT employee_no, id FROM person")).all())
    ended = started = 0
    for d in document["decisions"]:
        team = ids[d["team"]]
        want = {(people[c["person"]], c["role"]) for c in d["core"]}
        if d["leader"]:
            want.add((people[d["leader"]], "leader"))
        rows = conn.execute(
            text(
                "SELECT id, person_id, role, start_date FROM membership WHERE team_id = :t AND "
                "start_date <= :d AND (end_date IS NULL OR end_date >= :d)"
            ),
            {"t": team, "d": day},
        ).all()
        have = {(r[1], r[2]) for r in rows}
        for row_id, person, role, start in rows:
            if role in LEADERSHIP_ROLES and (person, role) not in want:
                end = max(_day(start), day - timedelta(days=1))
                conn.execute(
                    text("UPDATE membership SET end_date = :e WHERE id = :i"),
                    {"e": end, "i": row_id},
                )
                ended += 1
        for person in {p for p, _ in want}:
            ended += _leave_other_teams(conn, person, team, day)
            if not any(p == person for p, _ in have):
                want.add((person, "member"))
        for person, role in sorted(want - have):
            conn.execute(
                insert(Membership).values(
                    person_id=person, team_id=team, role=role, start_date=day, end_date=None
                )
            )
            started += 1
    return {"ended": ended, "started": started}
