"""The measured effect of each kind of intervention on completion (issue 12): interventions
from approved plans (and the sample plant's history), weekly completion from the daily
records, the teams in the viewer's scope, and track/effects' staggered
difference-in-differences with not-yet-treated teams as controls."""

from __future__ import annotations

from dataclasses import dataclass

from teamroots.domain.rows import Viewer
from teamroots.i18n import N_
from teamroots.services.access import team_scope
from teamroots.store import effects_repo
from teamroots.store.db import Database
from teamroots.track.effects import Effect, estimate

KINDS = {
    "training": N_("Leader training"),
    "link": N_("Cadre link"),
    "leader": N_("Leader change"),
}


@dataclass(frozen=True)
class KindEffect:
    kind: str
    effect: Effect  # on completion, in percentage points


def plant_effects(db: Database, viewer: Viewer) -> list[KindEffect]:
    """One measured effect per kind of intervention, on the teams in the viewer's scope."""
    with db.read() as conn:
        scope = team_scope(conn, viewer)
        first, last = effects_repo.record_span(conn)
        if first is None:
            return []
        panel = effects_repo.weekly_completion(conn, first, last)
        found = {kind: effects_repo.interventions(conn, kind) for kind in KINDS}
    if scope is not None:
        panel = [r for r in panel if r[0] in scope]
    rows = [(team, week, 100 * value) for team, week, value in panel]
    out = []
    for kind, treated in found.items():
        weeks = {team: (day - first).days // 7 for team, day in treated}
        out.append(KindEffect(kind, estimate(rows, weeks)))
    return out
