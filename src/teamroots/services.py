"""Use cases shared by the CLI and (later) the web app: open the database, import, export,
build the sample plant, summarise the census. Each takes Settings and returns plain data."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from teamroots.census.convert import Plan
from teamroots.census.fields import KINDS
from teamroots.census.importer import Outcome, run_import
from teamroots.census.mapping import Mapping, load_mapping
from teamroots.census.readers import open_table
from teamroots.config import Settings
from teamroots.errors import ConfigError, NotFound, TeamrootsError
from teamroots.store import queries, schema
from teamroots.store.census_repo import DbRefs, count_rows, sink_for
from teamroots.store.db import make_engine
from teamroots.store.tables import FILL_ORDER, ImportBatch

Progress = Callable[[int, int], None]  # (done, total)


def init_db(settings: Settings) -> str:
    """Create the schema, or migrate it to the newest version; returns the revision."""
    engine = make_engine(settings.database_url)
    try:
        schema.upgrade(engine)
        return schema.current_revision(engine) or ""
    finally:
        engine.dispose()


@contextmanager
def open_db(settings: Settings):
    """An engine on a database whose schema is current, or a clear error saying what to do."""
    engine = make_engine(settings.database_url)
    try:
        current = schema.current_revision(engine)
        if current != schema.head_revision():
            raise ConfigError(
                "The database {url} is not initialised or not up to date (revision {current}); "
                "run 'teamroots init' first.",
                url=_safe_url(engine),
                current=current or "none",
            )
        yield engine
    finally:
        engine.dispose()


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after counting."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    settings: Settings,
    kind: str,
    path: str | Path,
    mapping_path: str | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Import a CSV/XLSX file of ``kind``: all rows or none (ImportProblems lists every bad
    row). Re-importing the same file changes nothing."""
    if kind not in KINDS:
        raise ConfigError(
            "Unknown import kind '{kind}'; use one of: {kinds}.", kind=kind, kinds=", ".join(KINDS)
        )
    path = Path(path)
    mapping = load_mapping(mapping_path, kind) if mapping_path else Mapping()
    table = open_table(
        path,
        settings,
        encoding=mapping.encoding,
        delimiter=mapping.delimiter,
        sheet=mapping.sheet,
        header_row=mapping.header_row,
    )
    try:
        plan = Plan(KINDS[kind], table.headers, mapping, settings, str(path))
        tick = (lambda _rows: progress(table.position(), table.size)) if progress else None
        with open_db(settings) as engine:
            outcome = _import_in_transaction(engine, settings, plan, table, mapping, tick, dry_run)
    finally:
        table.close()
    if progress:
        progress(table.size, table.size)
    return outcome


def _import_in_transaction(engine, settings, plan, table, mapping, tick, dry_run) -> Outcome:
    result: Outcome | None = None
    try:
        with engine.begin() as conn:
            refs = DbRefs(conn)
            sink = sink_for(conn, plan.kind.name, settings.import_chunk_rows, refs)
            result = run_import(plan, table.rows, refs, sink, mapping, tick)
            if dry_run:
                raise _DryRun
            conn.execute(
                insert(ImportBatch).values(
                    kind=plan.kind.name,
                    file_name=table.path.name,
                    sha256=file_sha256(table.path),
                    rows=result.rows,
                    inserted=result.inserted,
                    updated=result.updated,
                    imported_at=datetime.now(UTC),
                )
            )
    except _DryRun:
        pass
    assert result is not None
    return result


def export_kind(settings: Settings, kind: str, path: str | Path) -> int:
    from teamroots.census.export import write_table

    if kind not in KINDS:
        raise ConfigError(
            "Unknown export kind '{kind}'; use one of: {kinds}.", kind=kind, kinds=", ".join(KINDS)
        )
    with open_db(settings) as engine, engine.connect() as conn:
        columns, rows = queries.export_rows(conn, kind)
        return write_table(path, columns, rows)


def census(settings: Settings) -> dict[str, Any]:
    with open_db(settings) as engine, engine.connect() as conn:
        return queries.census_rows(conn)


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table: what tests compare before and after a failed import."""
    with engine.connect() as conn:
        return {t.__tablename__: count_rows(conn, t.__tablename__) for t in FILL_ORDER}


def build_demo(
    settings: Settings, spec, *, replace: bool = False, progress: Progress | None = None
) -> dict[str, int]:
    """Fill the database with the sample plant, in one transaction."""
    from teamroots.census.demo import generate, total_work
    from teamroots.store.bulk import analyze, delete_all, insert_rows, reset_sequences

    with open_db(settings) as engine:
        if any(table_counts(engine).values()) and not replace:
            raise TeamrootsError(
                "The database already holds data; run 'teamroots demo --replace' to delete it "
                "and build the sample plant."
            )
        total, done, written = total_work(spec), 0, {}
        with engine.begin() as conn:
            delete_all(conn)
            for batch in generate(spec):
                insert_rows(conn, batch.table, batch.columns, batch.rows)
                name = batch.table.__tablename__
                written[name] = written.get(name, 0) + len(batch.rows)
                done += batch.work
                if progress:
                    progress(done, total)
            reset_sequences(conn)
            analyze(conn)
        return written


def load_inputs(engine: Engine, as_of: date, rubric):
    """Read what an assessment needs; daily records are aggregated per team and week in the
    database, so only about a seventh of their rows leave it."""
    from teamroots.assess.kpis import Inputs
    from teamroots.store import assess_repo as repo

    got = repo.read_all(
        engine,
        {
            "weekly": lambda c: repo.weekly_records(c, as_of, rubric.window_days),
            "survey": lambda c: repo.latest_survey(c, as_of, rubric.survey_max_age_days),
            "teams": repo.teams,
            "members": lambda c: repo.memberships(c, as_of),
            "posts": repo.posts,
            "skills": repo.skills,
            "checks": lambda c: repo.latest_checks(c, as_of, rubric.checklist_max_age_days),
        },
    )
    survey_date, nominations = got.pop("survey")
    inputs = Inputs(nominations=nominations, **got)
    return inputs, survey_date


def assess(
    settings: Settings,
    *,
    as_of: date | None = None,
    rubric_path: str | Path | None = None,
    save: bool = True,
) -> dict[str, Any]:
    """Assess every team (摸底排队) and store the run as a review; returns the document."""
    from teamroots.assess.assessment import assess as run
    from teamroots.assess.rubric import default_rubric_path, load_rubric
    from teamroots.store import assess_repo, review_repo

    rubric = load_rubric(rubric_path)
    with open_db(settings) as engine:
        with engine.connect() as conn:
            first, last = assess_repo.record_days(conn)
        if as_of is None:
            as_of = default_as_of(last)
        elif first and as_of < first:
            raise ConfigError(
                "--as-of {date} is before the first daily record ({first}); choose a later day.",
                date=as_of.isoformat(),
                first=first.isoformat(),
            )
        inputs, survey_date = load_inputs(engine, as_of, rubric)
        if inputs.teams.is_empty():
            raise NotFound("There are no teams to assess; import teams or run 'teamroots demo'.")
        document, frame = run(inputs, rubric, as_of, survey_date)
        document["warnings"] = _warnings(frame, rubric)
        if save:
            text = Path(rubric_path or default_rubric_path()).read_text(encoding="utf-8-sig")
            ids = dict(zip(inputs.teams["team"], inputs.teams["team_id"], strict=True))
            with engine.begin() as conn:
                review_repo.save_review(conn, document, text, ids)
        return document


def default_as_of(last_record: date | None) -> date:
    """The day an assessment or plan is for when none is given: the last daily record, but
    never after today."""
    return min(last_record, date.today()) if last_record else date.today()


def _warnings(frame, rubric) -> list[str]:
    """Plain-language warnings about thin evidence, shown above the results."""
    from teamroots.i18n import gettext

    thin = int((frame["days_reported"] < rubric.min_days).sum())
    if thin * 2 > frame.height:
        return [
            gettext(
                "{thin} of {teams} teams have fewer than {days} daily records in the window: "
                "their production was not assessed. Check --as-of and the records imported.",
                thin=thin,
                teams=frame.height,
                days=rubric.min_days,
            )
        ]
    return []


def latest_review(settings: Settings, review_id: int | None = None) -> dict[str, Any]:
    from teamroots.store import review_repo

    with open_db(settings) as engine, engine.connect() as conn:
        return review_repo.load_review(conn, review_id)


def latest_plans(settings: Settings) -> dict[str, dict[str, Any]]:
    """The newest plan of each kind (a training plan with its results), for the report."""
    from teamroots.planning import shown
    from teamroots.store import plan_repo

    with open_db(settings) as engine, engine.connect() as conn:
        newest = {
            kind: plan_repo.latest_plan(conn, kind) for kind in ("leaders", "training", "links")
        }
        return {kind: shown(conn, row[0]) for kind, row in newest.items() if row}
