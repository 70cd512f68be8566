"""Assessment against a real database: the sample plant (scores follow its hidden strength),
reviews stored and read back, and a plant's own file assessed through a mapping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.errors import NotFound
from teamroots.i18n import localized
from tests.factories import UNITS, write_csv

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
TEAM_KEYS = {"team", "name", "unit", "unit_name", "tier", "tier_label", "provisional", "to_collect",
             "score", "rank_in_plant",
             "rank_in_unit", "kpis", "criteria", "diagnosis", "move_up"}


def spearman(a, b) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def truth(db) -> dict[str, float]:
    with db.read() as conn:
        rows = conn.execute(text("SELECT t.code, d.strength FROM demo_truth d "
                                 "JOIN team t ON t.id = d.team_id")).all()
    return dict(rows)


@pytest.mark.slow
def test_the_sample_plant_is_ranked_by_its_hidden_strength(db):
    services.census.build_demo(db, DemoSpec(teams=60, days=120))
    doc = services.assess.assess(db).document
    teams = doc["teams"]
    assert len(teams) == 60 and all(set(t) == TEAM_KEYS for t in teams)
    assert sorted(t["rank_in_plant"] for t in teams) == list(range(1, 61))
    assert sum(doc["summary"]["tiers"].values()) == 60
    hidden = truth(db)
    rho = spearman([t["score"] for t in teams], [hidden[t["team"]] for t in teams])
    assert rho >= 0.8, rho
    assert services.assess.review(db).document == doc
    assert doc["review_id"] is not None and doc["survey_date"] is not None


def test_no_review_yet_and_no_teams(db):
    with pytest.raises(NotFound, match="teamroots assess"):
        services.assess.review(db)
    with pytest.raises(NotFound, match="no teams"):
        services.assess.assess(db)


def test_a_plants_own_file_goes_through_a_mapping_into_assess(tmp_path, db):
    services.census.import_file(db, "units", write_csv(tmp_path / "u.csv", UNITS[:2]))
    services.census.import_file(db, "records", EXAMPLES / "garment_records.csv",
                         str(EXAMPLES / "garment_mapping.toml"))
    rubric = tmp_path / "short.toml"
    from teamroots.assess.rubric import default_rubric_path

    rubric.write_text(default_rubric_path().read_text(encoding="utf-8")
                      .replace("min_days = 20", "min_days = 3"), encoding="utf-8")
    doc = localized(services.assess.assess(db, rubric_path=rubric).document)
    assert doc["summary"]["teams"] == 22
    for t in doc["teams"]:
        crit = {c["name"]: c for c in t["criteria"]}
        assert crit["leader_in_post"]["passed"] is None
        assert "no members" in crit["leader_in_post"]["not_assessed"]
        assert crit["completion"]["passed"] is not None
        assert t["kpis"]["attendance_rate"] is None and t["kpis"]["completion"] is not None
    assert {t["tier"] for t in doc["teams"]} <= {1, 2, 3}
