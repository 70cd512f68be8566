"""A units file in the order it can be written: parents first.

Units may name a parent further down the file. Every parent must exist (in the file or the
database), no chain of parents may loop — following the file's parents where it has the unit
and the stored ones where it does not, so a file cannot make a loop with stored units either
(IRON under IRON-S1, or the plant under one of its workshops) — and no code may differ from a
stored one, or another in the file, only in case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from teamroots.census.convert import Plan, Problem
from teamroots.errors import ImportProblems
from teamroots.i18n import N_


def units_in_order(plan: Plan, rows: Iterable[tuple[int, list[Any]]], refs):
    parsed: dict[str, tuple[int, dict]] = {}
    folded: dict[str, str] = {}
    problems: list[Problem] = []
    parent_col = next((s.column for s in plan.steps if s.field.name == "parent"), "parent")
    code_col = next((s.column for s in plan.steps if s.field.name == "code"), "code")
    for number, cells in rows:
        values, bad = plan.convert(number, cells)
        if not bad:
            bad = _key_problems(number, values["code"], code_col, parsed, folded, refs)
        problems.extend(bad)
        if len(problems) >= plan.max_problems:
            raise ImportProblems(problems[: plan.max_problems], number, plan.file, complete=False)
        if bad:
            continue
        parsed[values["code"]] = (number, values)
        folded[values["code"].casefold()] = values["code"]
    for code, (number, values) in parsed.items():
        parent = values.get("parent")
        loop = _loop(code, parsed, refs)
        if parent and parent not in parsed and refs.unit(parent) is None:
            problems.append(
                Problem(
                    number,
                    parent_col,
                    parent,
                    N_("the code of a unit in this file or already imported"),
                )
            )
        elif loop:
            problems.append(
                Problem(
                    number,
                    parent_col,
                    parent or "",
                    N_("a parent that does not lead back to this unit (the parents loop: {loop})"),
                    (("loop", " → ".join(loop)),),
                )
            )
    if problems:
        problems = sorted(problems, key=lambda p: p.row)
        raise ImportProblems(problems[: plan.max_problems], len(parsed), plan.file)
    done: set[str] = set()

    def visit(code: str):
        if code in done or code not in parsed:
            return
        done.add(code)
        yield from visit(parsed[code][1].get("parent") or "")
        yield parsed[code][0], (parsed[code][1], [])  # (row, problems)

    for code in parsed:
        yield from visit(code)


def _key_problems(number, code, column, parsed, folded, refs) -> list[Problem]:
    if code in parsed:
        return [
            Problem(
                number,
                column,
                code,
                N_("a row whose key is not on an earlier row of the file"),
            )
        ]
    other = folded.get(code.casefold())
    if other is None:
        other = refs.spelling("unit", code)
    if other is not None and other != code:
        return [near_duplicate(number, column, code, other)]
    return []


def near_duplicate(row: int, column: str, value: str, stored: str) -> Problem:
    """A key that differs from another only in case (full-width forms are already folded)."""
    return Problem(
        row,
        column,
        value,
        N_(
            "the spelling {stored}, which is already used: codes and employee numbers are "
            "compared without regard to case or full-width forms"
        ),
        (("stored", stored),),
    )


def _loop(code: str, parsed: dict[str, tuple[int, dict]], refs) -> list[str]:
    """The chain of parents from ``code`` back to itself, or [] when it ends at a root."""
    chain = [code]
    seen = {code}
    current = _parent(code, parsed, refs)
    while current:
        chain.append(current)
        if current in seen:
            return chain if current == code else []
        seen.add(current)
        current = _parent(current, parsed, refs)
    return []


def _parent(code: str, parsed: dict[str, tuple[int, dict]], refs) -> str | None:
    if code in parsed:
        return parsed[code][1].get("parent")
    return refs.unit_parent(code)
