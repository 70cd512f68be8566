"""the experience library: case studies and practices, their uses, and their search index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 03:00:00

Search finds a phrase inside the text, Chinese or English, with no word segmentation: on SQLite
an FTS5 table with the trigram tokenizer (kept by triggers), on PostgreSQL a pg_trgm GIN index
for ILIKE. Measured on this machine (bench/bench_search.py): a 4-character Chinese phrase over
20,000 entries takes 0.1 ms through FTS5 against 45 ms for LIKE over the rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_FTS = [
    "CREATE VIRTUAL TABLE experience_fts USING fts5(search_text, content='experience', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER experience_fts_insert AFTER INSERT ON experience BEGIN "
    "INSERT INTO experience_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER experience_fts_delete AFTER DELETE ON experience BEGIN "
    "INSERT INTO experience_fts(experience_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER experience_fts_update AFTER UPDATE ON experience BEGIN "
    "INSERT INTO experience_fts(experience_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO experience_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def _search_index() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for sql in _FTS:
            op.execute(sql)
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    # Without it search still works (ILIKE over the rows), only slower; nothing fails.
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return
    op.execute(
        "CREATE INDEX ix_experience_search ON experience USING gin (search_text gin_trgm_ops)"
    )


def upgrade() -> None:
    op.create_table(
        "experience",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("diagnosis", sa.String(200), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("kpis_before", sa.Text(), nullable=False),
        sa.Column("kpis_after", sa.Text(), nullable=False),
        sa.Column("improvement", sa.Float(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("published_by", sa.String(100), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_experience_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experience")),
    )
    op.create_index(op.f("ix_experience_team_id"), "experience", ["team_id"])
    op.create_table(
        "experience_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experience_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("used_on", sa.Date(), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["experience_id"],
            ["experience.id"],
            name=op.f("fk_experience_use_experience_id_experience"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_experience_use_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experience_use")),
        sa.UniqueConstraint(
            "experience_id", "team_id", name=op.f("uq_experience_use_experience_id")
        ),
    )
    op.create_index(op.f("ix_experience_use_team_id"), "experience_use", ["team_id"])
    _search_index()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS experience_fts")
    op.drop_table("experience_use")
    op.drop_table("experience")
