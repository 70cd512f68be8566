"""The one exception hierarchy of teamroots.

    TeamrootsError                 every error a user may see; carries a translatable message
     ├── ConfigError               a bad setting, mapping file, rubric or database URL
     ├── InvalidRequest            a request that cannot be done as asked (an option's value,
     │                             a plan that is no longer a proposal)
     ├── BrokenRules               a plan (or an edit of one) breaks rules; carries every one
     ├── BadFile                   a file that cannot be read as asked (missing, wrong type or
     │                             encoding, no header, no such sheet)
     ├── UnsafeFile                a file refused before parsing (size, zip bomb, XML attack)
     ├── ImportProblems            an import found bad rows; carries every Problem; nothing written
     ├── DatabaseBusy              another writer held the database longer than the busy timeout
 ├── NotFound                  a named thing does not exist
     ├── NotAllowed                the actor's scope does not cover the thing
     └── NoFeasiblePlan            a plan cannot satisfy its constraints (says which, where)

Messages are gettext msgids with named {placeholders}; they are rendered in the user's language
once, at the edge (CLI or web), by ``TeamrootsError.message()``.
"""

from __future__ import annotations

from typing import Any

from teamroots.i18n import N_, gettext


class TeamrootsError(Exception):
    exit_code = 1

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        return gettext(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.message()


class ConfigError(TeamrootsError):
    exit_code = 2


class InvalidRequest(TeamrootsError):
    exit_code = 2


class BrokenRules(TeamrootsError):
    """A plan breaks its rules; ``violations`` lists each (constraint, team, detail), so a page
    can list them one by one. Nothing was changed."""

    exit_code = 2

    def __init__(self, violations: list) -> None:
        super().__init__(
            N_("The edit breaks {n} rule(s) of the plan; nothing was changed: {rules}"),
            n=len(violations),
            rules="; ".join(f"{v.constraint} ({v.team or '-'}): {v.detail}" for v in violations),
        )
        self.violations = violations


class BadFile(TeamrootsError):
    exit_code = 2


class UnsafeFile(TeamrootsError):
    exit_code = 2


class ImportProblems(TeamrootsError):
    """Bad rows were found; ``problems`` lists them all and nothing was written."""

    exit_code = 2

    def __init__(self, problems: list, rows_read: int, file: str, complete: bool = True) -> None:
        if complete:
            msgid = N_("{count} problem(s) in {file} ({rows} rows read); nothing was imported.")
        else:
            msgid = N_(
                "{count} problems in {file} in its first {rows} rows, and more: the file has "
                "at least {count} problems and reading stopped there (setting "
                "TEAMROOTS_MAX_PROBLEMS); nothing was imported."
            )
        super().__init__(msgid, count=len(problems), file=file, rows=rows_read)
        self.problems = problems
        self.rows_read = rows_read
        self.complete = complete


class DatabaseBusy(TeamrootsError):
    """Another writer held the database longer than the busy timeout; nothing was written."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class NotFound(TeamrootsError):
    exit_code = 2


class NotAllowed(TeamrootsError):
    exit_code = 3


class NoFeasiblePlan(TeamrootsError):
    exit_code = 2
