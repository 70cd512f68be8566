"""team_week: daily records rolled up per team and calendar week, filled from team_record

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_week",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("planned", sa.Float(), nullable=True),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("target_days", sa.Integer(), nullable=False),
        sa.Column("on_target", sa.Integer(), nullable=False),
        sa.Column("scheduled", sa.Float(), nullable=True),
        sa.Column("present_when_due", sa.Float(), nullable=True),
        sa.Column("member_days", sa.Float(), nullable=True),
        sa.Column("incidents", sa.Float(), nullable=True),
        sa.Column("incident_days", sa.Integer(), nullable=False),
        sa.Column("defects", sa.Float(), nullable=True),
        sa.Column("defect_days", sa.Integer(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_team_week_team_id_team")),
        sa.PrimaryKeyConstraint("week", "team_id", name=op.f("pk_team_week")),
        sqlite_with_rowid=False,  # an assessment's weeks contiguous on disk
    )
    op.create_index("ix_team_week_team", "team_week", ["team_id", "week"])  # a team's page
    # A database made before the rollup is filled from the daily records it holds by 0021,
    # which adds the running sums (the rollup's code is that of the latest revision).


def downgrade() -> None:
    op.drop_table("team_week")
