"""The rubric is data: a TOML file of criteria (KPI, comparison, threshold, gate), score weights
and diagnosis rules. ``load_rubric`` checks it and says exactly what is wrong and where.
The shipped default is default_rubric.toml, documented in docs/tiers.md."""

from __future__ import annotations

import hashlib
import operator
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from teamroots.assess.kpis import KPI_NAMES
from teamroots.errors import ConfigError
from teamroots.i18n import N_, gettext

_EXAMPLE = "{ weight = 1, worst = 0, best = 1 }"
OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
GATES = ("tier2", "tier1")
DIAGNOSES = (
    "no_core",
    "labour_unreasonable",
    "low_attendance",
    "tasks_not_completed",
    "gains_not_solid",
    "load_on_leader",
)


# Labels of the default rubric's criteria (a plant's own criteria are shown by their names).
CRITERION_LABELS = {
    "leader_in_post": N_("a leader in post"),
    "completion": N_("tasks completed"),
    "attendance": N_("attendance"),
    "not_leader_alone": N_("the load not on the leader alone"),
    "core_leader_support": N_("the team trusts its leader"),
    "core_members": N_("a core of members with roles"),
    "checklist_in_place": N_("management systems in place"),
    "completion_advanced": N_("tasks completed, advanced level"),
    "on_target_days": N_("days on target"),
    "attendance_advanced": N_("attendance, advanced level"),
    "gains_solid": N_("steady weekly completion"),
    "not_declining": N_("completion not declining"),
    "labour_organised": N_("posts covered by qualified members"),
}


def criterion_name(name: str) -> str:
    """A criterion as the reader knows it (its label when it is one of the defaults)."""
    return gettext(CRITERION_LABELS[name]) if name in CRITERION_LABELS else name


@dataclass(frozen=True)
class Condition:
    kpi: str
    op: str
    threshold: float


@dataclass(frozen=True)
class Criterion(Condition):
    name: str = ""
    gate: str = "tier1"


@dataclass(frozen=True)
class ScoreWeight:
    kpi: str
    weight: float
    worst: float
    best: float


@dataclass
class Rubric:
    name: str
    version: int
    sha256: str
    window_days: int
    min_days: int
    survey_max_age_days: int
    checklist_max_age_days: int
    min_assessed: dict[str, int]
    max_failed: dict[str, int]
    criteria: list[Criterion]
    score: list[ScoreWeight]
    diagnosis: dict[str, list[str]] = field(default_factory=dict)  # problem → criteria
    source: str = ""


def default_rubric_path() -> Path:
    return Path(str(resources.files("teamroots.assess") / "default_rubric.toml"))


def rubric_from_text(text: str, source: str, sha256: str) -> Rubric:
    """A rubric from its TOML text (as a review keeps it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "Rubric file {file} is not valid TOML: {error}", file=source, error=str(exc)
        ) from None
    return rubric_from_dict(data, source, sha256)


def load_rubric(path: str | Path | None = None) -> Rubric:
    path = Path(path) if path else default_rubric_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("Rubric file {file} does not exist.", file=str(path)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "Rubric file {file} is not valid TOML: {error}", file=str(path), error=str(exc)
        ) from None
    return rubric_from_dict(data, str(path), hashlib.sha256(raw).hexdigest())


class _Reader:
    """Reads values out of the TOML, raising a ConfigError naming the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, expected: str, value: Any, **params: Any) -> ConfigError:
        """``expected`` is a msgid (marked with N_), rendered with ``params``."""
        return ConfigError(
            "Rubric {file}: {key} is {value!r}; expected {expected}.",
            file=self.source,
            key=key,
            value=value,
            expected=gettext(expected, **params),
        )

    def get(self, table: dict, key: str, where: str, kind: type | tuple, default: Any = ...):
        if key not in table:
            if default is ...:
                raise self.fail(where + key, N_("a value (it is required)"), None)
            return default
        value = table[key]
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise self.fail(where + key, _KIND_NAMES.get(kind, N_("a value")), value)
        return value

    def only(self, table: Any, allowed: tuple[str, ...], where: str) -> dict:
        """``table`` must be a table holding no key but ``allowed`` (a typo is an error)."""
        if not isinstance(table, dict):
            raise self.fail(where.rstrip(".") or "rubric", N_("a table"), table)
        for key in table:
            if key not in allowed:
                raise self.fail(
                    where + key, N_("one of: {allowed}"), key, allowed=", ".join(allowed)
                )
        return table

    def kpi(self, table: dict, where: str) -> str:
        name = self.get(table, "kpi", where, str)
        if name not in KPI_NAMES:
            raise self.fail(
                where + "kpi", N_("one of: {allowed}"), name, allowed=", ".join(KPI_NAMES)
            )
        return name

    def op(self, table: dict, where: str) -> str:
        op = self.get(table, "op", where, str)
        if op not in OPS:
            raise self.fail(where + "op", N_("one of: {allowed}"), op, allowed=" ".join(OPS))
        return op

    def condition(self, table: dict, where: str) -> Condition:
        self.only(table, ("kpi", "op", "threshold", "name", "gate"), where)
        return Condition(
            self.kpi(table, where),
            self.op(table, where),
            float(self.get(table, "threshold", where, (int, float))),
        )


_NUMBER = (int, float)
_KIND_NAMES = {
    str: N_("a text"),
    int: N_("a whole number"),
    _NUMBER: N_("a number"),
    list: N_("a list"),
    dict: N_("a table"),
}


_TOP = (
    "name",
    "version",
    "window_days",
    "min_days",
    "survey_max_age_days",
    "checklist_max_age_days",
    "gates",
    "criteria",
    "score",
    "diagnosis",
)


def rubric_from_dict(data: dict, source: str = "rubric", sha256: str = "") -> Rubric:
    r = _Reader(source)
    r.only(data, _TOP, "")
    gates = r.only(r.get(data, "gates", "", dict, {}), GATES, "gates.")
    for g, spec in gates.items():
        r.only(spec, ("min_assessed", "max_failed"), f"gates.{g}.")
    criteria = []
    for i, item in enumerate(r.get(data, "criteria", "", list)):
        where = f"criteria[{i + 1}]."
        if not isinstance(item, dict):
            raise r.fail(where[:-1], N_("a table"), item)
        cond = r.condition(item, where)
        gate = r.get(item, "gate", where, str)
        if gate not in GATES:
            raise r.fail(where + "gate", N_("tier2 or tier1"), gate)
        criteria.append(
            Criterion(cond.kpi, cond.op, cond.threshold, r.get(item, "name", where, str), gate)
        )
    if not criteria:
        raise r.fail("criteria", N_("at least one criterion"), [])
    names = [c.name for c in criteria]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise r.fail("criteria.name", N_("names that differ"), dup)
    return Rubric(
        name=r.get(data, "name", "", str),
        version=r.get(data, "version", "", int, 1),
        sha256=sha256,
        window_days=_positive(r, data, "window_days", 90),
        min_days=_positive(r, data, "min_days", 20, least=0),
        survey_max_age_days=_positive(r, data, "survey_max_age_days", 365),
        checklist_max_age_days=_positive(r, data, "checklist_max_age_days", 365),
        min_assessed={
            g: r.get(r.get(gates, g, "gates.", dict, {}), "min_assessed", f"gates.{g}.", int, 1)
            for g in GATES
        },
        max_failed={
            g: r.get(r.get(gates, g, "gates.", dict, {}), "max_failed", f"gates.{g}.", int, 0)
            for g in GATES
        },
        criteria=criteria,
        score=_score(r, r.get(data, "score", "", dict)),
        diagnosis=_diagnosis(r, r.get(data, "diagnosis", "", dict, {}), names),
        source=source,
    )


def _positive(r: _Reader, data: dict, key: str, default: int, least: int = 1) -> int:
    value = r.get(data, key, "", int, default)
    if value < least:
        raise r.fail(key, N_("a whole number ≥ {least}"), value, least=least)
    return value


def _score(r: _Reader, table: dict) -> list[ScoreWeight]:
    out = []
    for kpi, spec in table.items():
        where = f"score.{kpi}."
        if kpi not in KPI_NAMES:
            raise r.fail(f"score.{kpi}", N_("one of: {allowed}"), kpi, allowed=", ".join(KPI_NAMES))
        if not isinstance(spec, dict):
            raise r.fail(f"score.{kpi}", N_("a table like {example}"), spec, example=_EXAMPLE)
        r.only(spec, ("weight", "worst", "best"), where)
        worst = float(r.get(spec, "worst", where, _NUMBER))
        best = float(r.get(spec, "best", where, _NUMBER))
        if worst == best:
            raise r.fail(where + "best", N_("a value different from worst"), best)
        weight = float(r.get(spec, "weight", where, _NUMBER))
        if weight < 0:
            raise r.fail(where + "weight", N_("a number ≥ 0"), weight)
        out.append(ScoreWeight(kpi, weight, worst, best))
    if not out:
        raise r.fail("score", N_("at least one KPI with a weight"), table)
    return out


def _diagnosis(r: _Reader, table: dict, criteria: list[str]) -> dict[str, list[str]]:
    """Each problem names the criteria whose failure it diagnoses (so a problem is never given
    for a criterion the team passed)."""
    out = {}
    for code, names in table.items():
        key = f"diagnosis.{code}"
        if code not in DIAGNOSES:
            raise r.fail(key, N_("one of: {allowed}"), code, allowed=", ".join(DIAGNOSES))
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise r.fail(
                key,
                N_("a list of criterion names, e.g. {example}"),
                names,
                example='["completion", "on_target_days"]',
            )
        for name in names:
            if name not in criteria:
                raise r.fail(
                    key, N_("names of criteria: {allowed}"), name, allowed=", ".join(criteria)
                )
        out[code] = list(names)
    return out
