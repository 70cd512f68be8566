"""What every command shares: the consoles, the database of this run, errors turned into
messages and exit codes (once, in the user's language), progress bars, JSON or Rich output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from teamroots import services
from teamroots.cli.views import print_problem_table, problem_text
from teamroots.config import Settings
from teamroots.errors import ImportProblems, InvalidRequest, TeamrootsError
from teamroots.i18n import _, localized

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def say(text: str) -> None:
    out.print(text, markup=False, soft_wrap=True)


def settings() -> Settings:
    """This run's settings; a setting refused is a ConfigError naming it, its value and why."""
    from pydantic import ValidationError

    from teamroots.config import CLOCK_INTERVALS
    from teamroots.errors import ConfigError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "TEAMROOTS_" + str(first["loc"][0]).upper() if first["loc"] else "TEAMROOTS_*"
        reason = first["msg"].removeprefix("Value error, ")  # pydantic's words, in English
        if reason == CLOCK_INTERVALS:
            reason = _(CLOCK_INTERVALS)  # ours: in the user's language
        raise ConfigError(
            "The setting {name}={value} is refused: {reason}. Change it (docs/settings.md "
            "says what each setting takes) and run the command again.",
            name=name,
            value=first.get("input"),
            reason=reason,
        ) from None


@contextmanager
def database() -> Iterator[services.Database]:
    """The database of this command (opened once, closed when the command ends)."""
    with services.open_database(settings()) as db:
        yield db


@contextmanager
def handled() -> Iterator[None]:
    """Turn a TeamrootsError into a message and an exit code."""
    try:
        yield
    except ImportProblems as exc:
        show_problems(exc)
        raise typer.Exit(exc.exit_code) from None
    except TeamrootsError as exc:
        prefix = _("Error")
        err.print(f"[red]{escape(prefix)}:[/red] {escape(exc.message())}", soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def show_problems(exc: ImportProblems) -> None:
    print_problem_table(err, exc.message(), exc.problems, "red")
    err.print(_("Fix the file (or the mapping) and import again."))


def check_writable(path: Path) -> None:
    """A file we are about to write must have a folder to go in (a clear error, not a crash)."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InvalidRequest(
            "Cannot write {file}: the folder {folder} does not exist.",
            file=str(path),
            folder=str(folder),
        )


def write_problems(path: Path, problems: list, file: str) -> None:
    """Every problem to a CSV, through the one writer that escapes formula-like cells."""
    from teamroots.census.export import write_table

    columns = ["file", "row", "column", "value", "expected"]
    write_table(
        path, columns, ((file, p.row, p.column, p.value, problem_text(p)) for p in problems)
    )


@contextmanager
def progress_bar(description: str):
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def show(document: dict[str, Any], as_json: bool, view: Callable[[Console, dict], None]) -> None:
    """A stored document in the reader's language: as JSON on stdout (for machines), or
    rendered with Rich (for people)."""
    document = localized(document)
    if as_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    else:
        view(out, document)


def as_date(text: str, option: str = "--as-of") -> date:
    """A date in any form the importer reads (2026-03-05, 2026/3/5, 2026年3月5日, …)."""
    from teamroots.census.parse import Bad, date_parser

    try:
        day = date_parser()(text)
    except Bad:
        day = None
    if day is None:
        raise InvalidRequest(
            "{option} {value} is not a date like 2026-03-05, 2026/3/5 or 2026年3月5日.",
            option=option,
            value=text,
        )
    return day
