"""The training and cadre links plans against a real database (SQLite, and PostgreSQL when
configured): built from the sample plant and its latest review, valid by their checkers, stored
as proposals, edited with a re-check, training results recorded all or nothing, approved."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.errors import BrokenRules, ImportProblems, InvalidRequest, NotFound
from teamroots.i18n import localized
from teamroots.plan.links.checks import check_links
from teamroots.plan.links.inputs import links_input
from teamroots.plan.links.model import Links
from teamroots.plan.training.checks import check_training, training_objective
from teamroots.plan.training.inputs import training_input
from teamroots.store import plan_repo

DATES = [date(2031, 3, 3), date(2031, 3, 10), date(2031, 3, 17), date(2031, 3, 24),
         date(2031, 3, 31)]


@pytest.fixture
def plant(db):
    services.census.build_demo(db, DemoSpec(teams=30, days=60))
    services.assess.assess(db)
    return db


def _facts(db, read):
    with db.read() as conn:
        return read(conn)


def _training(db, doc):
    facts = _facts(db, lambda c: plan_repo.training_facts(c, DATES[0]))
    inp = training_input(
        facts, DATES, deputies=True, class_size=doc["rules"]["class_size"],
        max_away=doc["rules"]["max_away"],
    )
    ids = {t.employee_no: t.id for t in inp.trainees}
    return inp, {ids[t["person"]]: t["batch"] - 1 for t in doc["trainees"]}


@pytest.mark.slow
def test_training_plan_is_valid_stored_edited_and_scored(plant, tmp_path):
    doc = services.plans.plan_training(plant, dates=DATES, time_limit=20).document
    assert doc["plan_id"] and doc["status"] == "OPTIMAL" and doc["gap"] == 0
    inp, batches = _training(plant, doc)
    assert check_training(inp, batches) == []
    assert training_objective(inp, batches) == doc["objective"]["lateness"]
    placed = {p for b in doc["batches"] for p in b["leaders"]}
    assert {t.employee_no for t in inp.trainees} == placed
    assert [b["date"] for b in doc["batches"]] == [d.isoformat() for d in DATES]

    # an edit that breaks a rule is refused and changes nothing
    leader = next(t for t in doc["trainees"] if t["role"] == "leader")
    deputy = next((t for t in doc["trainees"] if t["team"] == leader["team"]
                   and t["role"] == "deputy"), None)
    if deputy:
        with pytest.raises(BrokenRules, match="deputy_apart"):
            services.plan_changes.edit_plan(plant, doc["plan_id"],
                                    {"batch": {leader["person"]: deputy["batch"]}})
    # an edit that keeps every rule is stored, re-checked, logged
    ok = None
    for t in doc["trainees"]:
        for b in range(1, 6):
            trial = dict(batches)
            trial[{x.employee_no: x.id for x in inp.trainees}[t["person"]]] = b - 1
            if b != t["batch"] and not check_training(inp, trial):
                ok = (t["person"], b)
                break
        if ok:
            break
    assert ok, "the sample plant leaves some trainee a second batch"
    edited = services.plan_changes.edit_plan(plant, doc["plan_id"], {"batch": {ok[0]: ok[1]}})
    edited = edited.document
    assert edited["status"] == "EDITED" and edited["solver"]["status"] == "OPTIMAL"
    assert edited["edits"] and edited["plan_id"] == doc["plan_id"]
    assert {t["person"]: t["batch"] for t in edited["trainees"]}[ok[0]] == ok[1]

    # results: bad rows refused with row and column, nothing written; good file upserted
    first, second = edited["batches"][0]["leaders"][:2]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"employee_no,attended,score_before,score_after\n{first},maybe,60,80\n"
                   f"NOBODY,yes,1,2\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as caught:
        services.plan_changes.record_results(plant, doc["plan_id"], bad)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "attended"),
                                                                  (3, "employee_no")]
    good = tmp_path / "good.csv"
    good.write_text(f"工号,出勤,培训前,培训后\n{first},是,60,80\n{second},否,50,\n",
                    encoding="utf-8")
    record = services.plan_changes.record_results
    assert asdict(record(plant, doc["plan_id"], good)) == {"new": 2, "changed": 0,
                                                          "unchanged": 0, "ignored_columns": []}
    assert asdict(record(plant, doc["plan_id"], good)) == {"new": 0, "changed": 0,
                                                          "unchanged": 2, "ignored_columns": []}
    shown = services.plans.show_plan(plant, doc["plan_id"]).document
    one = shown["results"][0]
    assert (one["recorded"], one["attended"], one["before"], one["after"], one["change"]) == (
        2, 1, 60, 80, 20)
    # a file without the attendance column leaves attendance as it was
    scores = tmp_path / "scores.csv"
    scores.write_text(f"工号,培训后,备注\n{first},85,good\n", encoding="utf-8")
    again = record(plant, doc["plan_id"], scores)
    assert (again.changed, again.ignored_columns) == (1, ["备注"])
    one = services.plans.show_plan(plant, doc["plan_id"]).document["results"][0]
    assert (one["attended"], one["after"]) == (1, 85)

    counts = services.plans.approve(plant, doc["plan_id"], "Li Ming")
    assert counts.kind == "training"
    with pytest.raises(InvalidRequest, match="only a proposed plan"):
        services.plan_changes.edit_plan(plant, doc["plan_id"], {"batch": {ok[0]: 1}})


@pytest.mark.slow
def test_links_plan_is_valid_stored_and_edited(plant):
    doc = services.plans.plan_links(plant, time_limit=20).document
    assert doc["plan_id"] and doc["status"] == "OPTIMAL"
    inp = links_input(_facts(plant, plan_repo.links_facts))
    cadre = {c.employee_no: c.id for c in inp.cadres}
    team = {t.code: t.id for t in inp.teams}
    plan = Links(
        {cadre[x["cadre"]]: team[x["advanced_team"]] for x in doc["links"] if x["advanced_team"]},
        {cadre[x["cadre"]]: team[x["backward_team"]] for x in doc["links"] if x["backward_team"]},
    )
    assert check_links(inp, plan) == []
    assert len(doc["links"]) == len(inp.cadres)
    tier3 = {t.code for t in inp.teams if t.tier == "3"}
    covered = {x["backward_team"] for x in doc["links"] if x["backward_team"]}
    assert covered | {u["team"] for u in doc["uncovered"]} == tier3
    assert all(u["reasons"] for u in doc["uncovered"])

    # a backward team in an advanced slot breaks right_tier: refused
    someone = next(x for x in doc["links"] if x["backward_team"])
    with pytest.raises(BrokenRules, match="right_tier"):
        services.plan_changes.edit_plan(plant, doc["plan_id"],
                                {"link": {someone["cadre"]: (someone["backward_team"], None)}})
    # dropping a cadre's advanced team keeps the rules but is not the best: stored, warned
    edited = services.plan_changes.edit_plan(plant, doc["plan_id"],
                                     {"link": {someone["cadre"]: (None, someone["backward_team"])}})
    edited = localized(edited.document)
    assert edited["status"] == "EDITED"
    if someone["advanced_team"]:
        assert any("linked_when_possible" in w for w in edited["warnings"])
    assert services.plans.approve(plant, doc["plan_id"], "Li Ming").kind == "links"


def test_links_and_training_need_their_data(settings, db):
    services.init_database(settings)
    with pytest.raises(NotFound, match="no cadres"):
        services.plans.plan_links(db)
    with pytest.raises(NotFound, match="No team has a leader"):
        services.plans.plan_training(db, dates=DATES)
    with pytest.raises(InvalidRequest, match="--batches 3 but 5 dates"):
        services.plans.plan_training(db, batches=3, dates=DATES)
