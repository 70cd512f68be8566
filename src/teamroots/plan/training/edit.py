"""Editing a proposed training plan: trainees moved between batches, re-checked by the spec."""

from __future__ import annotations

from typing import Any

from teamroots.i18n import N_
from teamroots.plan.edits import lookup, refuse
from teamroots.plan.training.checks import check_training, training_objective
from teamroots.plan.training.explain import TrainingPlan, explain
from teamroots.plan.training.model import TrainingInput


def stored_batches(inp: TrainingInput, doc: dict[str, Any]) -> dict[int, int]:
    """Trainee id → batch (0-based) of the stored plan, for the trainees still in the input."""
    person = {t.employee_no: t.id for t in inp.trainees}
    return {person[t["person"]]: t["batch"] - 1 for t in doc["trainees"] if t["person"] in person}


def edit(inp: TrainingInput, doc: dict[str, Any], changes: dict) -> TrainingPlan:
    """The plan with ``changes`` ({"batch": {person: batch number}}) applied, if it keeps
    every rule; BrokenRules otherwise."""
    person = {t.employee_no: t.id for t in inp.trainees}
    batches = stored_batches(inp, doc)
    for number, batch in changes.get("batch", {}).items():
        batches[lookup(person, number, N_("Trainee"))] = batch - 1
    refuse(check_training(inp, batches))
    value = training_objective(inp, batches)
    return explain(inp, batches, status="EDITED", objective=value, bound=doc["bound"]["lateness"])
