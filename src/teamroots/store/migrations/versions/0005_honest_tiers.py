"""honest tiers: a review may leave a team not assessed (no tier) or mark its tier
provisional; the sample plant keeps each person's hidden leadership quality

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_team") as batch:
        batch.alter_column("tier", existing_type=sa.Integer(), nullable=True)
        batch.add_column(
            sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "demo_person",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_demo_person_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_demo_person")),
    )


def downgrade() -> None:
    op.drop_table("demo_person")
    with op.batch_alter_table("review_team") as batch:
        batch.drop_column("provisional")
        batch.alter_column("tier", existing_type=sa.Integer(), nullable=False)
