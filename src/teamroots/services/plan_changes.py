"""Changing a proposed plan before approval (``teamroots plan edit``), and recording a training
plan's results (``teamroots plan results``).

An edit is applied to the stored plan, the whole plan is re-checked by its spec on the current
data and stored again with its objective and reasons recomputed and the edit logged — or
refused with BrokenRules, every broken rule named, and nothing is changed. An edited plan's
``status`` is ``EDITED``; what the solver said is kept under ``solver``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from teamroots.domain.choices import PlanKind, label
from teamroots.errors import InvalidRequest
from teamroots.i18n import N_, message
from teamroots.services.plans import SURVEY_MAX_AGE_DAYS, PlanView, load_proposed
from teamroots.store import people_repo, plan_repo
from teamroots.store.db import Database


@dataclass(frozen=True)
class RecordedResults:
    new: int
    changed: int
    unchanged: int
    ignored_columns: list[str] = field(default_factory=list)


def _edit_leaders(conn, doc: dict, changes: dict) -> dict:
    from teamroots.plan.leaders.edit import edit
    from teamroots.plan.leaders.inputs import leaders_input

    as_of = date.fromisoformat(doc["as_of"])
    facts = plan_repo.leader_facts(conn, as_of, SURVEY_MAX_AGE_DAYS)
    rules = dict(doc.get("rules") or {})  # plans made before rules were stored: defaults
    kept = set(rules.pop("keep", []))
    rules["keep"] = frozenset(t.id for t in facts.teams if t.code in kept)
    inp = leaders_input(facts, as_of, **rules)
    people = {r.employee_no: r.id for r in people_repo.person_refs(conn)}
    out = edit(inp, doc, changes, people).to_json()
    out["as_of"] = doc["as_of"]
    return out


def _edit_training(conn, doc: dict, changes: dict) -> dict:
    from teamroots.plan.training.edit import edit
    from teamroots.plan.training.inputs import training_input

    rules = doc["rules"]
    dates = [date.fromisoformat(b["date"]) for b in doc["batches"]]
    inp = training_input(
        plan_repo.training_facts(conn, dates[0]),
        dates,
        deputies=rules.get("deputies", True),
        class_size=rules["class_size"],
        max_away=rules["max_away"],
    )
    out = edit(inp, doc, changes).to_json()
    out["rules"] = rules
    return out


def _edit_links(conn, doc: dict, changes: dict) -> dict:
    from teamroots.plan.links.edit import edit
    from teamroots.plan.links.inputs import links_input

    inp = links_input(plan_repo.links_facts(conn), max_cadres=doc["rules"]["max_cadres"])
    plan, notes = edit(inp, doc, changes)
    out = plan.to_json()
    out["warnings"] = [
        message(
            N_("Not the plan's best: {rule} ({team}): {detail}"),
            rule=v.constraint,
            team=v.team or "-",
            detail=v.detail,
        )
        for v in notes
    ]
    return out


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise InvalidRequest(
            "{option} {value}: expected KEY=VALUE, e.g. T00012=E000345.", option=option, value=text
        )
    return key.strip(), value.strip()


def parse_edits(leader: list[str], core: list[str], batch: list[str], link: list[str]) -> dict:
    """The edit options as the changes ``plan_changes.edit_plan`` takes."""
    changes: dict[str, dict] = {"leader": dict(_pair(x, "--leader") for x in leader)}
    changes["core"] = {}
    for item in core:
        team, members = _pair(item, "--core")
        pairs = [_pair(m.replace(":", "=", 1), "--core") for m in members.split(",")]
        changes["core"][team] = pairs
    changes["batch"] = {}
    for item in batch:
        person, number = _pair(item, "--batch")
        if not number.isdigit():
            raise InvalidRequest(
                "--batch {value}: the batch is a number, e.g. E000345=2.", value=item
            )
        changes["batch"][person] = int(number)
    changes["link"] = {}
    for item in link:
        cadre, teams = _pair(item, "--link")
        advanced, sep, backward = teams.partition("/")
        if not sep:
            raise InvalidRequest(
                "--link {value}: expected CADRE=ADVANCED/BACKWARD, e.g. E001900=T00032/T00037.",
                value=item,
            )
        changes["link"][cadre] = tuple(
            None if t.strip() in ("", "-") else t.strip() for t in (advanced, backward)
        )
    return changes


EDITORS = {
    PlanKind.LEADERS: _edit_leaders,
    PlanKind.TRAINING: _edit_training,
    PlanKind.LINKS: _edit_links,
}


def edit_plan(db: Database, plan_id: int, changes: dict[str, dict]) -> PlanView:
    """Apply ``changes`` ({"leader": {team: person}, "core": {team: [(person, role)]},
    "batch": {person: batch}, "link": {cadre: (advanced team, backward team)}}, by codes and
    employee numbers) to a proposed plan, re-check it and store it."""
    if not any(changes.values()):
        raise InvalidRequest("Say what to change, e.g. --leader T00012=E000345.")
    with db.write() as conn:
        stored = load_proposed(
            conn, plan_id, N_("Plan {plan} is {status}; only a proposed plan can be edited.")
        )
        doc = stored.document
        out = EDITORS[stored.kind](conn, doc, changes)
        out["plan_id"] = plan_id
        out["solver"] = doc.get("solver") or {"status": doc["status"], "gap": doc.get("gap")}
        logged = {k: {key: str(v) for key, v in c.items()} for k, c in changes.items() if c}
        out["edits"] = [*doc.get("edits", []), {"at": datetime.now(UTC).isoformat(), **logged}]
        plan_repo.update_plan(conn, plan_id, out)
    return PlanView(plan_id, stored.kind, stored.status, out)


def record_results(db: Database, plan_id: int, path: str | Path) -> RecordedResults:
    """Store a file's results for a training plan: all rows or none; a re-import of the same
    file changes nothing."""
    from teamroots.census.results import read_results

    with db.write() as conn:
        stored = plan_repo.load_plan(conn, plan_id)
        if stored.kind != PlanKind.TRAINING:
            raise InvalidRequest(
                "Plan {plan} is a {kind} plan; results are recorded for training plans.",
                plan=plan_id,
                kind=label(stored.kind),
            )
        numbers = {t["person"] for t in stored.document["trainees"]}
        trainees = {
            r.employee_no: r.id for r in people_repo.person_refs(conn) if r.employee_no in numbers
        }
        got = read_results(Path(path), db.settings, trainees)
        counts = plan_repo.upsert_results(conn, plan_id, got.rows, got.fields)
    return RecordedResults(**counts, ignored_columns=got.ignored)
