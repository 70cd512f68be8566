"""directives down, wishes up, and the notices (reminders and escalations) in the inboxes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 02:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, **kw)


def _directives() -> None:
    op.create_table(
        "directive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("directive", "unit_id", "org_unit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directive")),
    )
    op.create_index(op.f("ix_directive_unit_id"), "directive", ["unit_id"])
    op.create_table(
        "directive_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("issued_at", TZ, nullable=False),
        _fk("directive_version", "directive_id", "directive", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directive_version")),
        sa.UniqueConstraint(
            "directive_id", "version", name=op.f("uq_directive_version_directive_id")
        ),
    )
    op.create_table(
        "directive_delivery",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("acked_at", TZ, nullable=True),
        sa.Column("how", sa.String(10), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=True),
        _fk("directive_delivery", "version_id", "directive_version", ondelete="CASCADE"),
        _fk("directive_delivery", "person_id", "person"),
        _fk("directive_delivery", "team_id", "team"),
        sa.PrimaryKeyConstraint("version_id", "person_id", name=op.f("pk_directive_delivery")),
    )
    op.create_index(
        "ix_directive_delivery_version_team", "directive_delivery", ["version_id", "team_id"]
    )


def _wishes() -> None:
    op.create_table(
        "wish",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("receipt_hash", sa.String(64), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_at", TZ, nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _fk("wish", "team_id", "team"),
        _fk("wish", "person_id", "person"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_wish_receipt_hash")),
    )
    op.create_index(op.f("ix_wish_team_id"), "wish", ["team_id"])
    op.create_table(
        "wish_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wish_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("by_name", sa.String(100), nullable=False),
        sa.Column("by_role", sa.String(20), nullable=False),
        sa.Column("replied_at", TZ, nullable=False),
        _fk("wish_reply", "wish_id", "wish", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_reply")),
    )
    op.create_index(op.f("ix_wish_reply_wish_id"), "wish_reply", ["wish_id"])


def _notices() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("link", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("notice", "person_id", "person"),
        _fk("notice", "team_id", "team"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("key", name=op.f("uq_notice_key")),
    )
    op.create_index(op.f("ix_notice_person_id"), "notice", ["person_id"])
    op.create_index(op.f("ix_notice_team_id"), "notice", ["team_id"])
    op.create_index(op.f("ix_notice_created_at"), "notice", ["created_at"])
    op.create_table(
        "notice_seen",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("notice_seen", "notice_id", "notice", ondelete="CASCADE"),
        _fk("notice_seen", "user_id", "app_user", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("notice_id", "user_id", name=op.f("pk_notice_seen")),
    )


def upgrade() -> None:
    _directives()
    _wishes()
    _notices()


def downgrade() -> None:
    for table in (
        "notice_seen",
        "notice",
        "wish_reply",
        "wish",
        "directive_delivery",
        "directive_version",
        "directive",
    ):
        op.drop_table(table)
