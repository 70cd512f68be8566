"""Census use cases: import a file, export a kind, build the sample plant, count the census."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from teamroots.census.convert import Plan
from teamroots.census.fields import KINDS
from teamroots.census.importer import Outcome, run_import
from teamroots.census.mapping import Mapping as ColumnMapping
from teamroots.census.mapping import load_mapping
from teamroots.census.readers import open_table
from teamroots.domain.rows import Census
from teamroots.errors import InvalidRequest, TeamrootsError
from teamroots.i18n import N_
from teamroots.store import census_repo, export_repo, import_repo
from teamroots.store.db import Database

Progress = Callable[[int, int], None]  # (done, total)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after counting."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _known(kind: str, msgid: str) -> None:
    if kind not in KINDS:
        raise InvalidRequest(msgid, kind=kind, kinds=", ".join(KINDS))


def import_file(
    db: Database,
    kind: str,
    path: str | Path,
    mapping_path: str | Path | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    strict: bool = False,
) -> Outcome:
    """Import a CSV/XLSX file of ``kind``: all rows or none (ImportProblems lists the bad
    rows). Re-importing the same file changes nothing. Implausible values are warnings in the
    outcome, or problems with ``strict``. A clean daily-records file is read column by column
    (census/columnar.py); any other file, row by row."""
    _known(kind, N_("Unknown import kind '{kind}'; use one of: {kinds}."))
    path = Path(path)
    mapping = load_mapping(str(mapping_path), kind) if mapping_path else ColumnMapping()
    settings = db.settings

    def open_it():
        return open_table(
            path,
            settings,
            encoding=mapping.encoding,
            delimiter=mapping.delimiter,
            sheet=mapping.sheet,
            header_row=mapping.header_row,
        )

    reading = _Reading(open_it, progress)
    try:
        plan = Plan(KINDS[kind], reading.table.headers, mapping, settings, str(path))
        outcome = _import_in_transaction(db, plan, mapping, reading, dry_run, strict)
    finally:
        reading.close()
    if progress:
        progress(reading.table.size, reading.table.size)
    return outcome


class _Reading:
    """A file being imported: its rows (read again from the start on a second call) and the
    progress shown while it is read and written."""

    def __init__(self, open_it, progress: Progress | None) -> None:
        self._open, self._progress = open_it, progress
        self.table = open_it()
        self._read = False

    def rows(self):
        if self._read:
            self.table.close()
            self.table = self._open()
        self._read = True
        return self.table.rows

    def close(self) -> None:
        self.table.close()

    def row_tick(self):
        """Progress of the row-by-row import: the share of the file's bytes read."""
        if self._progress is None:
            return None
        return lambda _rows: self._progress(self.table.position(), self.table.size)

    def share_tick(self):
        """Progress of the columnar import, given its share of the work done (reading the
        file is its first 40 %)."""
        if self._progress is None:
            return None

        def tick(done: float) -> None:  # below 0.4: reading, as far as the file is read
            size = self.table.size
            if done < 0.4:
                done = 0.4 * self.table.position() / max(size, 1)
            self._progress(int(size * done), size)

        return tick


def _import_in_transaction(
    db: Database, plan: Plan, mapping, reading: _Reading, dry_run: bool, strict: bool
) -> Outcome:
    from teamroots.census import columnar

    result: Outcome | None = None
    try:
        with db.write() as conn:
            refs = import_repo.DbRefs(conn)
            sink = import_repo.sink_for(conn, plan.kind.name, db.settings.import_chunk_rows, refs)
            if columnar.eligible(plan, mapping):
                tick = reading.share_tick()
                result = columnar.run(plan, reading.rows(), refs, sink, mapping, tick)
            if result is None:  # not a clean records file: row by row, which names the problems
                tick = reading.row_tick()
                result = run_import(plan, reading.rows(), refs, sink, mapping, tick, strict)
            if dry_run:
                raise _DryRun
            table = reading.table
            sha = file_sha256(table.path)
            import_repo.record_import(conn, plan.kind.name, table.path.name, sha, result)
    except _DryRun:
        pass
    assert result is not None
    return result


def export_kind(db: Database, kind: str, path: str | Path) -> int:
    """Write every row of ``kind`` to a CSV or XLSX file that ``import`` reads back."""
    from teamroots.census.export import write_table

    _known(kind, N_("Unknown export kind '{kind}'; use one of: {kinds}."))
    with db.read() as conn:
        columns, rows = export_repo.export_rows(conn, kind)
        return write_table(path, columns, rows)


def census(db: Database) -> Census:
    with db.read() as conn:
        return census_repo.census_summary(conn)


def table_counts(db: Database) -> dict[str, int]:
    """Rows in every table: what tests compare before and after a failed import."""
    with db.read() as conn:
        return census_repo.table_counts(conn)


def build_demo(
    db: Database,
    spec,
    *,
    replace: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> Mapping[str, int]:
    """Fill the database with the sample plant, in one transaction; rows written per table.
    ``replace`` deletes a sample plant first; a plant's own data only with ``force`` too."""
    from teamroots.census.demo import generate, total_work
    from teamroots.store import rollup_repo
    from teamroots.store.bulk import analyze, delete_all, insert_rows, reset_sequences

    counts = table_counts(db)
    if any(counts.values()) and not replace:
        raise TeamrootsError(
            "The database already holds data; run 'teamroots demo --replace' to delete it "
            "and build the sample plant."
        )
    if counts.get("team") and not counts.get("demo_truth") and not force:
        raise TeamrootsError(
            "The database {url} holds a plant's own data, not the sample plant: nothing was "
            "deleted. Point TEAMROOTS_DATABASE_URL at another database for the sample plant, "
            "or add --force to delete that data.",
            url=db.url,
        )
    total, done, written = total_work(spec), 0, {}
    with db.write() as conn:
        delete_all(conn)
        for batch in generate(spec):
            insert_rows(conn, batch.table, batch.columns, batch.rows)
            written[batch.table] = written.get(batch.table, 0) + len(batch.rows)
            done += batch.work
            if progress:
                progress(done, total)
        reset_sequences(conn)
        rollup_repo.rebuild(conn)
        if getattr(spec, "history", False):
            from teamroots.services.experience import add_demo_cases

            written["experience"] = add_demo_cases(conn)
        analyze(conn)
    return written


def import_upload(
    db: Database,
    viewer,
    kind: str,
    path,
    mapping=None,
    *,
    dry_run: bool = True,
    progress=None,
):
    """An import from the web: the administrator's, audited; all or nothing as ever."""
    from teamroots.services.access import audit, require_admin

    require_admin(db, viewer, "import")
    try:
        outcome = import_file(db, kind, path, mapping, dry_run=dry_run, progress=progress)
    except Exception:
        audit(db, viewer, "import", f"{kind} {path.name}", "refused")
        raise
    audit(db, viewer, "import", f"{kind} {path.name}", "checked" if dry_run else "ok")
    return outcome


def rebuild_rollup(db: Database) -> int:
    """Sum every team's daily records per calendar week again (team_week); how many weeks."""
    from teamroots.store import rollup_repo

    with db.write() as conn:
        return rollup_repo.rebuild(conn)
