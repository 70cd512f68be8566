"""interventions: a leader change, a training batch or a cadre link, per team and day

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_intervention_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention")),
        sa.UniqueConstraint("team_id", "kind", "started_on", name=op.f("uq_intervention_team_id")),
    )
    op.create_index(op.f("ix_intervention_team_id"), "intervention", ["team_id"])


def downgrade() -> None:
    op.drop_table("intervention")
