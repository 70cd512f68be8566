"""data serial: one row counting committed writes, so that a read split over several
processes can tell that every part saw the same committed state

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_serial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_serial")),
    )
    op.bulk_insert(table, [{"id": 1, "serial": 0}])


def downgrade() -> None:
    op.drop_table("data_serial")
