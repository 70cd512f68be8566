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


def _ours(name, kind, _parent) -> bool:
    """Not the experience library's search index, which is the database's own (FTS5,
    pg_trgm), nor the job queue's tables, which are huey's (made by migration 0018)."""
    return not (name or "").startswith(("experience_fts", "ix_experience_search", "huey_"))


def test_init_is_idempotent(settings):
    first = services.init_database(settings)
    assert services.init_database(settings) == first == schema.head_revision()
