"""The cadre links plan's greedy baseline: the worst-scoring tier-3 team first takes the free
cadre who matches it best; then every cadre still without a backward team, and every cadre
for an advanced team, takes the best match with room left."""

from __future__ import annotations

from collections import Counter

from teamroots.domain.choices import Tier
from teamroots.plan.links.model import Links, LinksInput


def greedy_links(inp: LinksInput) -> Links:
    plan = Links()
    count: Counter[int] = Counter()
    able: dict[int, list[int]] = {}
    for c in inp.cadres:
        for t in inp.candidates[c.id][Tier.BACKWARD]:
            able.setdefault(t, []).append(c.id)
    for t in sorted(inp.backward_rank, key=inp.backward_rank.get):
        free = [c for c in able.get(t, []) if c not in plan.backward]
        if free:
            best = max(free, key=lambda c: inp.match(inp.cadre[c], inp.team[t]))
            plan.backward[best] = t
            count[t] += 1
    for c in inp.cadres:
        for tier, chosen in ((Tier.BACKWARD, plan.backward), (Tier.ADVANCED, plan.advanced)):
            if c.id in chosen:
                continue
            room = [t for t in inp.candidates[c.id][tier] if count[t] < inp.max_cadres]
            if room:
                t = max(room, key=lambda t: inp.match(c, inp.team[t]))
                chosen[c.id] = t
                count[t] += 1
    return plan
