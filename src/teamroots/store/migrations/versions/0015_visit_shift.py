"""the shift a visit was made in (or at the shift meeting), for the shifts not to disturb

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 03:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("visit", sa.Column("during", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.drop_column("during")
