"""reviews stored columnar: the evaluated frame as an Arrow IPC blob, and the survey's day

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 03:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("review", sa.Column("results_ipc", sa.LargeBinary(), nullable=True))
    op.add_column("review", sa.Column("survey_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review") as batch:
        batch.drop_column("survey_date")
        batch.drop_column("results_ipc")
