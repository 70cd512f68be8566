"""Synthetic cadre-links inputs for benchmarks and property tests (seeded, no database)."""

from __future__ import annotations

import numpy as np

from teamroots.plan.links.model import Cadre, LinksInput, LinkTeam

POSTS = ("furnace", "crane", "inspection", "electrician", "fitter", "driver")


def synthetic_links(
    teams: int, cadres: int, *, teams_per_workshop: int = 50, seed: int = 0, **options
) -> LinksInput:
    """A plant (unit 0) of workshops of ``teams_per_workshop`` teams in sections of five;
    tiers a third each; cadres 2% at plant level, 38% at workshops, the rest at sections."""
    rng = np.random.default_rng(seed)
    shops = max(1, -(-teams // teams_per_workshop))
    sections = -(-teams // 5)
    parents: dict[int, int | None] = {0: None}
    parents.update({1 + w: 0 for w in range(shops)})
    first_section = 1 + shops
    for s in range(sections):
        parents[first_section + s] = 1 + (s * 5) // teams_per_workshop
    out_teams = [
        LinkTeam(
            i,
            f"T{i:06d}",
            first_section + i // 5,
            str(int(rng.integers(1, 4))),
            float(rng.random()),
            {p: float(rng.integers(1, 4)) for p in rng.choice(POSTS, 2, replace=False)},
        )
        for i in range(teams)
    ]
    out_cadres = []
    for k in range(cadres):
        r = rng.random()
        unit = (
            0
            if r < 0.02
            else (
                1 + int(rng.integers(shops))
                if r < 0.4
                else first_section + int(rng.integers(sections))
            )
        )
        skills = {p: float(rng.integers(1, 6)) for p in rng.choice(POSTS, 2, replace=False)}
        out_cadres.append(Cadre(10**7 + k, f"C{k:06d}", unit, skills))
    codes = {u: f"U{u}" for u in parents}
    return LinksInput(out_cadres, out_teams, parents, codes, **options)
