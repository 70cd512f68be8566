"""visits: a cadre's visits to linked teams, their findings and actions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 01:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("cadre_person_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("logged_by", sa.String(100), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_visit_team_id_team")),
        sa.ForeignKeyConstraint(
            ["cadre_person_id"], ["person.id"], name=op.f("fk_visit_cadre_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    op.create_index("ix_visit_team_day", "visit", ["team_id", "visited_on"])
    op.create_index(op.f("ix_visit_cadre_person_id"), "visit", ["cadre_person_id"])
    op.create_table(
        "visit_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
            name=op.f("fk_visit_action_visit_id_visit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_visit_action_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"],
            ["person.id"],
            name=op.f("fk_visit_action_owner_person_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_action")),
    )
    op.create_index(op.f("ix_visit_action_visit_id"), "visit_action", ["visit_id"])
    op.create_index(op.f("ix_visit_action_team_id"), "visit_action", ["team_id"])


def downgrade() -> None:
    op.drop_table("visit_action")
    op.drop_table("visit")
