"""The leadership plan's input from the facts the store reads: people with their evidence
(designations, survey shares, skills, tenure), teams with their tier, incumbent and posts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from teamroots.domain.choices import Question, Role
from teamroots.domain.rows import LeaderFacts, MemberRow, VoteRow
from teamroots.plan.leaders.model import LeadersInput, Person, TeamNeed
from teamroots.plan.skills import nested


def shares(votes: list[VoteRow], home: dict[int, int]) -> dict[tuple[int, Question], float]:
    """(person, question) → share of their team's respondents who named them."""
    answered: dict[tuple[int, Question], set[int]] = defaultdict(set)
    named: dict[tuple[int, Question], set[int]] = defaultdict(set)
    for v in votes:
        team = home.get(v.nominator_id)
        if team is None:
            continue
        answered[(team, v.question)].add(v.nominator_id)
        if home.get(v.nominee_id) == team:
            named[(v.nominee_id, v.question)].add(v.nominator_id)
    return {(p, q): len(v) / len(answered[(home[p], q)]) for (p, q), v in named.items()}


def respondents(votes: list[VoteRow], home: dict[int, int]) -> dict[int, int]:
    """Team → members who answered the question "whom do you trust to lead?"."""
    answered: dict[int, set[int]] = defaultdict(set)
    for v in votes:
        if v.question == Question.TRUST_TO_LEAD and v.nominator_id in home:
            answered[home[v.nominator_id]].add(v.nominator_id)
    return {t: len(s) for t, s in answered.items()}


def _person(m: MemberRow, held: list[Role], facts, as_of: date) -> Person:
    tags, skills, share = facts
    return Person(
        id=m.person_id,
        employee_no=m.employee_no,
        team_id=m.team_id,
        designations=frozenset(tags[m.person_id]),
        trust_share=share.get((m.person_id, Question.TRUST_TO_LEAD), 0.0),
        helps_share=share.get((m.person_id, Question.HELPS_OTHERS), 0.0),
        skills=skills[m.person_id],
        tenure_years=((as_of - m.hire_date).days / 365.25) if m.hire_date else 0.0,
        core_role=next((r.value for r in held if r not in (Role.LEADER, Role.MEMBER)), None),
        name=m.name,
    )


def leaders_input(facts: LeaderFacts, as_of: date, **options) -> LeadersInput:
    """Everyone in a team on ``as_of`` (but cadres) is a person of the plan, in their first
    team; a team's incumbent is the first of them who leads it."""
    home: dict[int, MemberRow] = {}
    roles: dict[int, list[tuple[int, Role]]] = defaultdict(list)
    for m in facts.members:
        home.setdefault(m.person_id, m)
        roles[m.person_id].append((m.team_id, m.role))
    tags: dict[int, set[str]] = defaultdict(set)
    for t in facts.tags:
        tags[t.person_id].add(t.tag)
    # Support is measured in the team each person was in when the survey was made: a person
    # moved since then keeps the support they had there (and their votes count there).
    then: dict[int, int] = {}
    for m in facts.survey_teams:
        then.setdefault(m.person_id, m.team_id)
    now = {p: m.team_id for p, m in home.items()}
    share = shares(facts.votes, {**now, **then} if then else now)
    evidence = (tags, nested(facts.skills), share)
    people, incumbent, since = [], {}, {}
    for person, first in home.items():
        held = [r for t, r in roles[person] if t == first.team_id]
        if Role.LEADER in held and first.team_id not in incumbent:
            incumbent[first.team_id] = person
        people.append(_person(first, held, evidence, as_of))
    for m in facts.members:
        if m.role == Role.LEADER and incumbent.get(m.team_id) == m.person_id:
            since[m.team_id] = m.since
    answered = respondents(facts.votes, now)
    surveyed = bool(facts.votes)
    tiers = {t.team_id: t.tier for t in facts.tiers}
    posts = nested(facts.posts)
    teams = [
        TeamNeed(
            team_id=t.id,
            code=t.code,
            unit_id=t.unit_id,
            unit_code=t.unit_code,
            tier=tiers.get(t.id),
            incumbent=incumbent.get(t.id),
            posts=posts[t.id],
            incumbent_since=since.get(t.id),
            respondents=answered.get(t.id, 0),
            name=t.name,
        )
        for t in facts.teams
    ]
    options.setdefault("survey_date", facts.survey_date if surveyed else None)
    return LeadersInput(teams=teams, people=people, **options)
