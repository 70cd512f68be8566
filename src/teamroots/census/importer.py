"""Run an import: stream rows through the plan, resolve references, hand rows to a sink.

Pure of any database: ``refs`` looks up and creates units and teams, ``sink`` writes rows;
``services.import_file`` gives it the database ones inside one transaction. Every problem is
collected (the sink stops receiving rows after the first); if there is any, ImportProblems is
raised and the caller's transaction rolls back, so nothing is written.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from teamroots.census.convert import Plan, Problem
from teamroots.census.duplicates import Merger
from teamroots.census.mapping import Mapping
from teamroots.census.outliers import far_dates, implausible
from teamroots.census.units import near_duplicate, units_in_order
from teamroots.errors import ConfigError, ImportProblems
from teamroots.i18n import N_


class Refs(Protocol):
    created_units: int
    created_teams: int

    def unit(self, code: str) -> int | None: ...
    def spelling(self, kind: str, code: str) -> str | None: ...
    def unit_parent(self, code: str) -> str | None: ...
    def team(self, code: str) -> int | None: ...
    def person(self, number: str) -> int | None: ...
    def root_unit(self) -> int | None: ...
    def new_unit(self, code: str, parent_id: int | None) -> int: ...
    def new_team(self, code: str, name: str, unit_id: int) -> int: ...


class Sink(Protocol):
    key: tuple[str, ...]

    def add(self, row: dict[str, Any]) -> None: ...
    def add_frame(self, frame: Any, tick: Callable[[int], None] | None = None) -> None: ...
    def finish(self) -> tuple[int, int]: ...


@dataclass
class Outcome:
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    created_units: int = 0
    created_teams: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # implausible values, imported
    more_warnings: int = 0  # warnings beyond those listed


def _missing(row: int, column: str, value: str, what: str) -> Problem:
    return Problem(row, column, value, what)


_FIELD_OF = {
    "team_id": "team",
    "unit_id": "unit",
    "person_id": "person",
    "day": "date",
    "nominator_id": "nominator",
    "nominee_id": "nominee",
}


class Resolver:
    """Turns a row's field values into a table row, resolving codes to ids."""

    def __init__(self, plan: Plan, refs: Refs, mapping: Mapping, strict: bool = False) -> None:
        self.refs = refs
        self.mapping = mapping
        self.columns = {s.field.name: s.column for s in plan.steps}
        self.today = date.today()
        self.ratio, self.strict = plan.max_actual_ratio, strict
        self.warnings: list[Problem] = []  # implausible values: problems under strict
        self.days: array = array("i")  # record dates (ordinals) and their rows
        self.day_rows: array = array("i")

    def _ref(
        self, kind: str, values: dict, name: str, row: int, problems: list[Problem]
    ) -> int | None:
        code = values.get(name)
        if code is None:
            return None
        found = getattr(self.refs, kind)(code)
        if found is None:
            if kind == "team" and self.mapping.create_teams:
                return self._create_team(code, values, row, problems)
            what = {
                "unit": N_("the code of an existing unit (import units first)"),
                "team": N_(
                    "the code of an existing team (import teams first, or allow "
                    "[create] teams = true in the mapping)"
                ),
                "person": N_("the employee number of an existing person (import people first)"),
            }[kind]
            problems.append(_missing(row, self.columns.get(name, name), code, what))
        return found

    def _create_team(
        self, code: str, values: dict, row: int, problems: list[Problem]
    ) -> int | None:
        unit_code = values.get("unit")
        if unit_code is None:
            problems.append(
                _missing(
                    row,
                    self.columns.get("team", "team"),
                    code,
                    N_(
                        "an existing team, or a 'unit' column or constant in the mapping "
                        "to create it in"
                    ),
                )
            )
            return None
        unit_id = self.refs.unit(unit_code)
        if unit_id is None and self.mapping.create_units:
            parent = (
                self.refs.unit(self.mapping.parent_unit)
                if self.mapping.parent_unit
                else self.refs.root_unit()
            )
            if self.mapping.parent_unit and parent is None:
                raise ConfigError(
                    "Mapping {mapping}: create.parent_unit '{code}' is not the code of an "
                    "existing unit.",
                    mapping=self.mapping.source,
                    code=self.mapping.parent_unit,
                )
            unit_id = self.refs.new_unit(unit_code, parent)
        if unit_id is None:
            problems.append(
                _missing(
                    row,
                    self.columns.get("unit", "unit"),
                    unit_code,
                    N_(
                        "the code of an existing unit (or allow [create] units = true in "
                        "the mapping)"
                    ),
                )
            )
            return None
        return self.refs.new_team(code, values.get("team_name") or code, unit_id)

    def resolve(self, kind: str, values: dict, row: int) -> tuple[dict | None, list[Problem]]:
        problems: list[Problem] = []
        out = getattr(self, "_" + kind)(values, row, problems)
        if problems:
            return None, problems
        # A field the file does not have is left as stored, never blanked.
        return {k: v for k, v in out.items() if _FIELD_OF.get(k, k) in self.columns}, problems

    def _own_key(self, kind: str, v: dict, name: str, row: int, p: list[Problem]) -> None:
        code = v.get(name)
        stored = self.refs.spelling(kind, code) if code else None
        if stored is not None and stored != code:
            p.append(near_duplicate(row, self.columns.get(name, name), code, stored))

    def _teams(self, v: dict, row: int, p: list[Problem]) -> dict:
        self._own_key("team", v, "code", row, p)
        return {
            "code": v.get("code"),
            "name": v.get("name"),
            "line": v.get("line"),
            "shift": v.get("shift"),
            "posts": v.get("posts"),
            "unit_id": self._ref("unit", v, "unit", row, p),
        }

    def _people(self, v: dict, row: int, p: list[Problem]) -> dict:
        self._own_key("person", v, "employee_no", row, p)
        return {k: v.get(k) for k in ("employee_no", "name", "hire_date", "skills", "designations")}

    def _memberships(self, v: dict, row: int, p: list[Problem]) -> dict:
        start, end = v.get("start_date"), v.get("end_date")
        if start and end and end < start:
            p.append(
                Problem(
                    row,
                    self.columns.get("end_date", "end_date"),
                    end.isoformat(),
                    N_("a date on or after the start date {start}"),
                    (("start", start.isoformat()),),
                )
            )
        return {
            "person_id": self._ref("person", v, "person", row, p),
            "team_id": self._ref("team", v, "team", row, p),
            "role": v.get("role"),
            "start_date": start,
            "end_date": end,
        }

    def _cadres(self, v: dict, row: int, p: list[Problem]) -> dict:
        return {
            "person_id": self._ref("person", v, "person", row, p),
            "level": v.get("level"),
            "unit_id": self._ref("unit", v, "unit", row, p),
        }

    def _not_future(self, v: dict, name: str, row: int, p: list[Problem]) -> None:
        day = v.get(name)
        if day is not None and day > self.today:
            p.append(
                Problem(
                    row,
                    self.columns.get(name, name),
                    day.isoformat(),
                    N_("a date that is not after today ({today})"),
                    (("today", self.today.isoformat()),),
                )
            )

    def _records(self, v: dict, row: int, p: list[Problem]) -> dict:
        self._not_future(v, "date", row, p)
        actual, planned = v.get("actual"), v.get("planned")
        present, due = v.get("members_present"), v.get("members_scheduled")
        if (actual is not None and planned and actual > self.ratio * planned) or (
            present is not None and due and present > self.ratio * due
        ):
            found = implausible(row, v, self.columns, self.ratio)
            (p if self.strict else self.warnings).extend(found)
        if (
            v.get("date") is not None
            and v["date"] <= self.today
            and not self.mapping.allow_far_dates
        ):
            self.days.append(v["date"].toordinal())
            self.day_rows.append(row)
        return {
            "team_id": self._ref("team", v, "team", row, p),
            "day": v.get("date"),
            **{
                k: v.get(k)
                for k in (
                    "planned",
                    "actual",
                    "members_scheduled",
                    "members_present",
                    "incidents",
                    "defects",
                )
            },
        }

    def _nominations(self, v: dict, row: int, p: list[Problem]) -> dict:
        if v.get("nominator") is not None and v.get("nominator") == v.get("nominee"):
            p.append(
                Problem(
                    row,
                    self.columns.get("nominee", "nominee"),
                    v["nominee"],
                    N_("someone other than the nominator"),
                )
            )
        return {
            "survey_date": v.get("survey_date"),
            "question": v.get("question"),
            "nominator_id": self._ref("person", v, "nominator", row, p),
            "nominee_id": self._ref("person", v, "nominee", row, p),
        }

    def _checklists(self, v: dict, row: int, p: list[Problem]) -> dict:
        return {
            "team_id": self._ref("team", v, "team", row, p),
            "item": v.get("item"),
            "in_place": v.get("in_place"),
            "checked_on": v.get("checked_on"),
        }


def run_import(
    plan: Plan,
    rows: Iterable[tuple[int, list[Any]]],
    refs: Refs,
    sink: Sink,
    mapping: Mapping,
    progress: Callable[[int], None] | None = None,
    strict: bool = False,
) -> Outcome:
    """Import every row or none: raises ImportProblems listing the problems found (all of
    them, or the first ``plan.max_problems``: reading stops there). Implausible values are
    warnings in the outcome, or problems when ``strict``."""
    kind = plan.kind.name
    if plan.missing:
        raise ImportProblems(plan.missing, 0, plan.file)
    outcome = Outcome(kind, ignored_columns=plan.ignored)
    if kind == "units":
        rows = units_in_order(plan, rows, refs)
    resolver = Resolver(plan, refs, mapping, strict)
    problems: list[Problem] = []
    label = ", ".join(resolver.columns.get(_FIELD_OF.get(k, k), k) for k in sink.key)
    merge = Merger(mapping.duplicates, sink.key, label)
    for number, cells in rows:
        outcome.rows += 1
        if progress is not None and not outcome.rows % 2000:
            progress(outcome.rows)
        if kind == "units":
            row, bad = cells
        else:
            values, bad = plan.convert(number, cells)
            row, more = resolver.resolve(kind, values, number)
            bad += more
        if not bad:
            shown = row if kind == "units" else values
            bad = merge.add(number, row, [shown.get(_FIELD_OF.get(k, k)) for k in sink.key])
        if bad:
            problems.extend(bad)
            if len(problems) >= plan.max_problems:
                cut = problems[: plan.max_problems]
                raise ImportProblems(cut, outcome.rows, plan.file, complete=False)
        elif not problems and merge.policy == "error":
            sink.add(row)
    if not problems:
        for row in merge.rows():
            sink.add(row)
    problems += far_dates(resolver.days, resolver.day_rows, resolver.columns.get("date", "date"))
    if problems:
        problems = sorted(problems, key=lambda p: p.row)[: plan.max_problems]
        raise ImportProblems(problems, outcome.rows, plan.file)
    outcome.warnings = resolver.warnings[: plan.max_problems]
    outcome.more_warnings = len(resolver.warnings) - len(outcome.warnings)
    outcome.inserted, outcome.updated = sink.finish()
    outcome.created_units, outcome.created_teams = refs.created_units, refs.created_teams
    return outcome
