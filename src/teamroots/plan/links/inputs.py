"""The cadre links plan's input from the facts the store reads: cadres with their unit and
skills, teams with their latest tier, score and posts, and the unit tree."""

from __future__ import annotations

from teamroots.domain.rows import LinksFacts
from teamroots.plan.links.model import Cadre, LinksInput, LinkTeam
from teamroots.plan.skills import nested


def links_input(facts: LinksFacts, **options) -> LinksInput:
    skills, posts = nested(facts.skills), nested(facts.posts)
    tiers = {t.team_id: t for t in facts.tiers}
    cadres = [
        Cadre(c.person_id, c.employee_no, c.unit_id, skills[c.person_id], c.name)
        for c in facts.cadres
    ]
    teams = [
        LinkTeam(
            t.id,
            t.code,
            t.unit_id,
            tiers[t.id].tier if t.id in tiers else None,
            tiers[t.id].score if t.id in tiers else None,
            posts[t.id],
            t.name,
        )
        for t in facts.teams
    ]
    parents = {u.id: u.parent_id for u in facts.units}
    codes = {u.id: u.code for u in facts.units}
    return LinksInput(cadres, teams, parents, codes, **options)
