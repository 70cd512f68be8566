"""what a job made, kept for its asker: a report rendered by a job worker

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 06:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("job", sa.Column("output", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("output")
