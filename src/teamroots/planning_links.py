"""Use case of the cadre links plan: cadres and the latest tiers from the database, solve,
store the proposal."""

from __future__ import annotations

from typing import Any

from teamroots.config import Settings
from teamroots.errors import NotFound
from teamroots.planning import nested
from teamroots.store import plan_repo


def links_input(facts: dict[str, Any], **options):
    from teamroots.plan.links.model import Cadre, LinksInput, LinkTeam

    skills, posts = nested(facts["skills"]), nested(facts["posts"])
    review = {team: (str(tier), score) for team, tier, score in facts["review"]}
    cadres = [Cadre(p, no, unit, skills[p]) for p, no, unit in facts["cadres"]]
    teams = [
        LinkTeam(t, code, unit, *review.get(t, (None, None)), posts[t])
        for t, code, unit in facts["teams"]
    ]
    parents = {u: parent for u, _, _, parent in facts["units"]}
    codes = {u: code for u, code, _, _ in facts["units"]}
    return LinksInput(cadres, teams, parents, codes, **options)


def plan_links(
    settings: Settings, *, time_limit: float = 30.0, save: bool = True, **options
) -> dict[str, Any]:
    """Link every cadre with an advanced and a backward team; stored as a plan to approve."""
    from teamroots.plan.links.solve import plan_links as solve
    from teamroots.services import open_db

    with open_db(settings) as engine:
        with engine.connect() as conn:
            facts = plan_repo.links_facts(conn)
        if not facts["cadres"]:
            raise NotFound("There are no cadres to link; import cadres or run 'teamroots demo'.")
        if not facts["review"]:
            raise NotFound(
                "No team has a tier yet; run 'teamroots assess' first, then plan the links."
            )
        document = solve(links_input(facts, **options), time_limit).to_json()
        if save:
            with engine.begin() as conn:
                plan_repo.save_plan(conn, "links", document)
        return document
