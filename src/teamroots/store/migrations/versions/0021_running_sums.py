"""team_week keeps each team's running sums (a window's sums are two rows' difference),
filled by summing the rollup again from the daily records

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from teamroots.store.rollup_repo import RUNNING, rebuild

    with op.batch_alter_table("team_week") as batch:
        for column in RUNNING:
            batch.add_column(sa.Column(column, sa.Float(), nullable=False, server_default="0"))
    rebuild(op.get_bind())  # the time `teamroots rollup` takes


def downgrade() -> None:
    from teamroots.store.rollup_repo import RUNNING

    with op.batch_alter_table("team_week") as batch:
        for column in RUNNING:
            batch.drop_column(column)
