"""Compile a kind + a file's headers + a mapping into a plan that turns a row's cells into
typed field values (pure; no database)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from teamroots.census import parse
from teamroots.census.cells import BadCell, BadRow
from teamroots.census.fields import CHECKLIST_ALIASES, DESIGNATION_ALIASES, Field, Kind
from teamroots.census.mapping import Mapping
from teamroots.config import Settings
from teamroots.domain.choices import ALIASES, LABELS
from teamroots.errors import ConfigError
from teamroots.i18n import N_, catalog


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is (row, column), what it was, and what was expected."""

    row: int
    column: str
    value: str
    expected: str  # a msgid
    params: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Step:
    field: Field
    column: str  # the source column (or template / constant) shown in problems
    get: Callable[[list[Any]], Any]
    parse: Callable[[Any], Any]
    index: int | None = None  # the cell a plain column step reads (no alias, template, constant)


_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def choice_names(enum: type[StrEnum]) -> dict[str, str]:
    zh = catalog("zh-CN")
    names: dict[str, str] = {}
    labels, aliases = LABELS[enum], ALIASES.get(enum, {})
    for member in enum:
        spellings = (
            member.value,
            labels[member],
            zh.get(labels[member], ""),
            *aliases.get(member, ()),
        )
        for spelling in spellings:
            if spelling:
                names.setdefault(parse.norm_word(spelling), member.value)
    return names


def listed_names(allowed: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    names = {parse.norm_word(a): a for a in allowed}
    for value in allowed:
        for alias in aliases.get(value, ()):
            names.setdefault(parse.norm_word(alias), value)
    return names


# What plants write for "no designation": the person has none (an empty list, not an error).
NO_DESIGNATION = frozenset(
    parse.norm_word(w) for w in ("群众", "无", "无党派", "none", "no", "-", "n/a", "masses")
)


def _tags_parser(settings: Settings) -> Callable[[Any], list[str] | None]:
    one = parse.choice_parser(
        listed_names(settings.designations, DESIGNATION_ALIASES), settings.designations
    )

    def tags(raw: Any) -> list[str] | None:
        values = [v for v in parse.items(raw) if parse.norm_word(v) not in NO_DESIGNATION]
        if not values:
            return [] if parse.items(raw) else None
        return sorted({one(v) for v in values})

    return tags


def _parser(field: Field, mapping: Mapping, settings: Settings) -> Callable[[Any], Any]:
    match field.type:
        case "number":
            return parse.number
        case "count":
            return parse.count
        case "date":
            return parse.date_parser(mapping.date_formats)
        case "bool":
            return parse.boolean
        case "choice":
            assert field.choices is not None
            return parse.choice_parser(
                choice_names(field.choices), [c.value for c in field.choices]
            )
        case "pairs":
            return parse.pairs
        case "tags":
            return _tags_parser(settings)
        case "item":
            return parse.choice_parser(
                listed_names(settings.checklist_items, CHECKLIST_ALIASES), settings.checklist_items
            )
        case _:
            return parse.text


class Plan:
    """How to read one kind from one file: a Step per field found, and what was left out."""

    def __init__(
        self, kind: Kind, headers: list[str], mapping: Mapping, settings: Settings, file: str
    ) -> None:
        self.kind = kind
        self.file = file
        self.max_problems = settings.max_problems
        self.max_actual_ratio = settings.max_actual_ratio
        self.headers = headers
        self._index = {}
        for i, h in enumerate(headers):
            self._index.setdefault(parse.norm_word(h), i)
        self._mapping = mapping
        self.steps: list[Step] = []
        self.missing: list[Problem] = []
        used: set[int] = set()
        for field in kind.fields:
            step = self._step(field, mapping, settings, used)
            if step is not None:
                self.steps.append(step)
            elif field.required:
                self.missing.append(self._missing_column(field.name, headers))
        self.ignored = [h for i, h in enumerate(headers) if i not in used and h]

    def _missing_column(self, name: str, headers: list[str]) -> Problem:
        params = (("field", name), ("headers", ", ".join(headers)))
        if not self.steps:  # nothing recognised: the header may not be on the first row
            return Problem(
                self._mapping.header_row,
                name,
                "",
                N_(
                    "a column for the required field '{field}' (the file has: {headers}); no "
                    "column was recognised: if the header is not on the first row, set "
                    "header_row in [file] of a mapping file (e.g. header_row = 3)"
                ),
                params,
            )
        return Problem(
            1,
            name,
            "",
            N_(
                "a column for the required field '{field}' (the file has: {headers}); "
                "name it in [columns] of a mapping file"
            ),
            params,
        )

    def _column(self, name: str, field: Field, used: set[int]) -> int:
        index = self._index.get(parse.norm_word(name))
        if index is None:
            raise ConfigError(
                "Mapping {mapping}: field '{field}' is mapped to column '{column}', which {file} "
                "does not have; its columns are: {headers}.",
                mapping=self._mapping.source,
                field=field.name,
                column=name,
                file=self.file,
                headers=", ".join(self.headers),
            )
        used.add(index)
        return index

    def _plain(self, field: Field, index: int, parser) -> Step:
        """The step of a column read as it is, or through the mapping's value aliases."""
        aliased = self._mapping.values.get(parse.norm_word(self.headers[index]))
        plain = None if aliased else index
        return Step(field, self.headers[index], self._cell(index), parser, plain)

    def _cell(self, index: int) -> Callable[[list[Any]], Any]:
        aliases = self._mapping.values.get(parse.norm_word(self.headers[index]))
        if not aliases:
            return lambda cells: cells[index] if index < len(cells) else None

        def aliased(cells: list[Any]) -> Any:
            raw = cells[index] if index < len(cells) else None
            return aliases.get(parse.norm_word(parse.clean(raw)), raw)

        return aliased

    def _step(
        self, field: Field, mapping: Mapping, settings: Settings, used: set[int]
    ) -> Step | None:
        parser = _parser(field, mapping, settings)
        if field.name in mapping.constants:
            value = mapping.constants[field.name]
            return Step(field, f"[constants] {field.name}", lambda _cells: value, parser)
        spec = mapping.columns.get(field.name)
        if spec is not None and _TEMPLATE.search(spec):
            parts = [
                (m.group(0), self._cell(self._column(m.group(1), field, used)))
                for m in _TEMPLATE.finditer(spec)
            ]

            def build(cells: list[Any], spec: str = spec, parts=parts) -> str:
                out = spec
                for token, get in parts:
                    value = get(cells)
                    if isinstance(value, BadCell):
                        return value
                    out = out.replace(token, parse.clean(value), 1)
                return out

            return Step(field, spec, build, parser)
        if spec is not None:
            return self._plain(field, self._column(spec, field, used), parser)
        for name in (field.name, *field.headers):
            index = self._index.get(parse.norm_word(name))
            if index is not None and index not in used:
                used.add(index)
                return self._plain(field, index, parser)
        return None

    def convert(self, row: int, cells: list[Any]) -> tuple[dict[str, Any], list[Problem]]:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        bad_row = type(cells) is BadRow
        for step in self.steps:
            raw = step.get(cells)
            if bad_row and isinstance(raw, BadCell):
                problems.append(Problem(row, step.column, str(raw), raw.expected, raw.params))
                continue
            try:
                value = step.parse(raw)
            except parse.Bad as bad:
                problems.append(
                    Problem(
                        row, step.column, parse.clean(raw), bad.expected, tuple(bad.params.items())
                    )
                )
                continue
            if value is None and step.field.required:
                problems.append(
                    Problem(row, step.column, "", N_("a value (this field is required)"))
                )
            values[step.field.name] = value
        return values, problems
