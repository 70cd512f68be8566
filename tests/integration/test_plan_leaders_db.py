"""The leadership plan against a real database: built from the sample plant and its latest
review, valid by the checker, stored as a proposal, applied on approval as membership history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.errors import InvalidRequest, NotFound
from teamroots.plan.leaders.checks import check_leaders
from teamroots.plan.leaders.inputs import leaders_input
from teamroots.store import plan_repo


def leaders_now(db, day: date) -> dict[str, str]:
    with db.read() as conn:
        rows = conn.execute(text(
            "SELECT t.code, p.employee_no FROM membership m JOIN team t ON t.id = m.team_id "
            "JOIN person p ON p.id = m.person_id WHERE m.role = 'leader' AND m.start_date <= :d "
            "AND (m.end_date IS NULL OR m.end_date >= :d)"), {"d": day}).all()
    return dict(rows)


@pytest.mark.slow
def test_plan_is_valid_stored_and_applied(db):
    services.census.build_demo(db, DemoSpec(teams=24, days=60))
    services.assess.assess(db)
    doc = services.plans.plan_leaders(db, time_limit=20).document
    assert doc["plan_id"] and doc["status"] in ("OPTIMAL", "FEASIBLE")
    assert len(doc["decisions"]) == 24 and all(d["reasons"] for d in doc["decisions"])
    with db.read() as conn:
        facts = plan_repo.leader_facts(conn, date.fromisoformat(doc["as_of"]), 365)
    inp = leaders_input(facts, date.fromisoformat(doc["as_of"]))
    ids = {p.employee_no: p.id for p in inp.people}
    teams = {t.code: t.team_id for t in inp.teams}
    from teamroots.plan.leaders.model import Assignment

    plan = Assignment(
        leaders={teams[d["team"]]: ids[d["leader"]] for d in doc["decisions"] if d["leader"]},
        core={teams[d["team"]]: [(ids[c["person"]], c["role"]) for c in d["core"]]
              for d in doc["decisions"]},
    )
    assert check_leaders(inp, plan) == []
    day = date(2030, 1, 1)
    counts = services.plans.approve(db, doc["plan_id"], "Li Ming", on=day)
    assert counts.started > 0
    assert leaders_now(db, day) == {d["team"]: d["leader"] for d in doc["decisions"]
                                          if d["leader"]}
    with pytest.raises(InvalidRequest, match="only a proposed plan"):
        services.plans.approve(db, doc["plan_id"], "Li Ming", on=day)


def test_missing_plan_and_no_teams(db):
    with pytest.raises(NotFound, match="no teams"):
        services.plans.plan_leaders(db)
    with pytest.raises(NotFound, match="no plan 42"):
        services.plans.approve(db, 42, "Li Ming")


@pytest.mark.slow
def test_approve_then_plan_again_changes_nothing(db):
    services.census.build_demo(db, DemoSpec(teams=40, days=60))
    services.assess.assess(db)
    first = services.plans.plan_leaders(db, time_limit=20).document
    changed = [d for d in first["decisions"] if d["leader"] != d["incumbent"]]
    assert changed, "the sample plant has leaders worth changing"
    services.plans.approve(db, first["plan_id"], "Li Ming")
    again = services.plans.plan_leaders(db, time_limit=20).document
    assert [d for d in again["decisions"] if d["leader"] != d["incumbent"]] == []
    done = services.plans.approve(db, again["plan_id"], "Li Ming")
    assert (done.ended, done.started) == (0, 0)


@pytest.mark.slow
def test_new_leaders_are_supported_and_the_budget_holds(db):
    services.census.build_demo(db, DemoSpec(teams=40, days=60))
    services.assess.assess(db)
    doc = services.plans.plan_leaders(db, time_limit=20, max_changes=2).document
    changed = [d for d in doc["decisions"] if d["leader"] != d["incumbent"]]
    assert len(changed) <= 2
    for d in changed:
        codes = [r["code"] for r in d["reasons"]]
        assert "incumbent_replaced" in codes or "no_incumbent" in codes or "transfer" in codes
        if d["incumbent"]:
            assert d["incumbent_goes"] is not None


@pytest.mark.slow
def test_a_stale_training_plan_is_refused(db):
    services.census.build_demo(db, DemoSpec(teams=40, days=60))
    services.assess.assess(db)
    training = services.plans.plan_training(db, time_limit=20).document
    leaders = services.plans.plan_leaders(db, time_limit=20).document
    if not [d for d in leaders["decisions"] if d["leader"] != d["incumbent"]]:
        pytest.skip("no leader changed on this plant")
    services.plans.approve(db, leaders["plan_id"], "Li Ming")
    shown = services.plans.show_plan(db, training["plan_id"]).document
    assert shown["stale"] and (shown["stale"]["gone"] or shown["stale"]["new"])
    with pytest.raises(InvalidRequest, match="stale"):
        services.plans.approve(db, training["plan_id"], "Li Ming")
    fresh = services.plans.plan_training(db, time_limit=20).document
    assert services.plans.show_plan(db, fresh["plan_id"]).document["stale"] is None
    assert services.plans.approve(db, fresh["plan_id"], "Li Ming").kind == "training"


@pytest.mark.slow
def test_an_edit_keeps_the_rules_the_plan_was_made_with(db):
    from teamroots.errors import BrokenRules

    services.census.build_demo(db, DemoSpec(teams=60, days=60))
    services.assess.assess(db)
    free = services.plans.plan_leaders(db, time_limit=20, save=False).document
    wanted = [d for d in free["decisions"] if d["leader"] != d["incumbent"]]
    if len(wanted) < 2:
        pytest.skip("the sample plant needs two changes for this test")
    doc = services.plans.plan_leaders(db, time_limit=20, max_changes=1).document
    assert doc["rules"]["max_changes"] == 1
    made = [d["team"] for d in doc["decisions"] if d["leader"] != d["incumbent"]]
    extra = next(d for d in wanted if d["team"] not in made)
    change = {"leader": {extra["team"]: extra["leader"]},
              "core": {extra["team"]: [(c["person"], c["role"]) for c in extra["core"]]}}
    with pytest.raises(BrokenRules) as caught:
        services.plan_changes.edit_plan(db, doc["plan_id"], change)
    assert {v.constraint for v in caught.value.violations} & {"max_changes", "tier1_kept"}
