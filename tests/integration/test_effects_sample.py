"""The sample plant's planted effects, measured: over 20 seeds the 95 % interval of the
training effect covers the planted +4.0 points in at least 17, and that of cadre links (no
planted effect) covers zero in at least 17. The full sweep is bench/bench_effects.py."""

from __future__ import annotations

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.census.demo_history import LINK_EFFECT, TRAINING_EFFECT
from teamroots.config import Settings
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer

BOSS = Viewer(1, "boss", AccessRole.PLANT_MANAGER)


def test_the_planted_effects_are_covered_in_17_of_20_sample_plants(tmp_path):
    covered = {"training": 0, "link": 0}
    planted = {"training": 100 * TRAINING_EFFECT, "link": 100 * LINK_EFFECT}
    for seed in range(20):
        url = f"sqlite:///{tmp_path / f'plant{seed}.db'}"
        with services.open_database(Settings(database_url=url), upgrade=True) as db:
            services.census.build_demo(db, DemoSpec(seed=seed, teams=60, history=True))
            for found in services.effects.plant_effects(db, BOSS):
                if found.kind in covered:
                    e = found.effect
                    assert e.enough, (seed, found.kind, e.reason)
                    covered[found.kind] += e.low <= planted[found.kind] <= e.high
    assert covered["training"] >= 17, covered
    assert covered["link"] >= 17, covered
