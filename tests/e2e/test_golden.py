"""``make run`` on the sample plant gives the same census, tiers, ranks and plan objectives as
the golden file (tests/golden/make_run.json). Refresh it only when a change is meant to change
them: TEAMROOTS_UPDATE_GOLDEN=1 make test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamroots import services
from teamroots.cli.app import make_app
from teamroots.config import Settings
from teamroots.i18n import set_language

GOLDEN = Path(__file__).parents[1] / "golden" / "make_run.json"
DATES = "2031-03-03,2031-03-10,2031-03-17,2031-03-24,2031-03-31"


def census_summary(settings: Settings) -> dict:
    with services.open_database(settings) as db:
        c = services.census.census(db)
    counts = {k: getattr(c, k) for k in ("cadres", "checks", "nominations", "people", "records")}
    days = {k: str(getattr(c, k)) for k in ("first_day", "last_day", "survey_date")}
    units = [[u.code, u.teams, u.members, u.responded] for u in c.units]
    return {**counts, **days, "units": units}


def make_run(tmp_path: Path, monkeypatch) -> dict:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'golden.db'}")
    monkeypatch.setenv("TEAMROOTS_DATABASE_URL", settings.database_url)
    runner = CliRunner()

    def run(*args: str) -> dict | None:
        set_language("en")
        result = runner.invoke(make_app(), list(args))
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout) if "--json" in args else None

    run("init")
    run("demo", "--replace")
    assessment = run("assess", "--json")
    plans = {
        "leaders": run("plan", "leaders", "--json"),
        "training": run("plan", "training", "--json", "--dates", DATES),
        "links": run("plan", "links", "--json"),
    }
    teams = {
        t["team"]: [t["tier"], t["score"], t["rank_in_plant"], t["rank_in_unit"],
                    [d["code"] for d in t["diagnosis"]]]
        for t in assessment["teams"]
    }
    return {
        "census": census_summary(settings),
        "summary": assessment["summary"],
        "teams": teams,
        "plans": {
            k: {"status": d["status"], "objective": d["objective"]} for k, d in plans.items()
        },
    }


@pytest.mark.slow
def test_make_run_gives_the_golden_census_tiers_and_plans(tmp_path, monkeypatch):
    got = make_run(tmp_path, monkeypatch)
    if os.environ.get("TEAMROOTS_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got["census"] == want["census"]
    assert got["summary"] == want["summary"]
    assert got["teams"] == want["teams"]
    for kind, plan in want["plans"].items():
        assert got["plans"][kind]["status"] == plan["status"], kind
        assert got["plans"][kind]["objective"] == pytest.approx(plan["objective"], abs=1e-6), kind
