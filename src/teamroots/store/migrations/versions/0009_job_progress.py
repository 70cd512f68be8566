"""jobs: a measured progress and a result (a background import's counts or problems)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 00:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("job", sa.Column("progress", sa.Float(), nullable=True))
    op.add_column("job", sa.Column("result", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("result")
        batch.drop_column("progress")
