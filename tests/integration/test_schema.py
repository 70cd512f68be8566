"""The schema: one Alembic head; upgrade, downgrade to base and upgrade again work; the
migrations create exactly what tables.py declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from teamroots import services
from teamroots.store import schema
from teamroots.store.tables import FILL_ORDER, Base


def test_one_head():
    assert schema.head_revision()


def test_up_down_up(engine):
    assert schema.current_revision(engine) == schema.head_revision()
    schema.downgrade(engine)
    assert schema.current_revision(engine) is None
    assert not set(inspect(engine).get_table_names()) & {t.__tablename__ for t in FILL_ORDER}
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    assert {t.__tablename__ for t in FILL_ORDER} <= set(inspect(engine).get_table_names())


def test_models_match_migrations(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _ours}
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_the_triggers_that_mark_kept_sums_stale_are_there(engine):
    """Migration 0020's triggers on the four tables the people-side sums are made from: a
    migration that rebuilt one of those tables on SQLite (batch mode) would drop them, and
    sums kept before a change would then be trusted after it."""
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if engine.dialect.name == "sqlite"
        else "SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal"
    )
    with engine.connect() as conn:
        found = set(conn.exec_driver_sql(sql).scalars())
    events = ("insert", "update", "delete")
    if engine.dialect.name == "postgresql":
        events += ("truncate",)
    for table in ("membership", "team_post", "person_skill", "nomination"):
        for event in events:
            assert f"team_people_{table}_{event}" in found


def _ours(name, kind, _parent) -> bool:
    """Not the experience library's search index, which is the database's own (FTS5,
    pg_trgm), nor the job queue's tables, which are huey's (made by migration 0018)."""
    return not (name or "").startswith(("experience_fts", "ix_experience_search", "huey_"))


def test_init_is_idempotent(settings):
    first = services.init_database(settings)
    assert services.init_database(settings) == first == schema.head_revision()
