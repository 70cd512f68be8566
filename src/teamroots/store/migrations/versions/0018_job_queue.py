"""long work on a job queue (huey): what a job needs to run again in any worker (its
parameters), how many times it was started, and by which worker; on PostgreSQL the queue's own
tables, so that the app's role (which may not create tables) can use them

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# huey 3.5's PostgresStorage tables (table_prefix "huey"), created with create_tables=False
HUEY_TABLES = (
    "CREATE TABLE IF NOT EXISTS huey_kv (queue text NOT NULL, key text NOT NULL, "
    "value bytea NOT NULL, PRIMARY KEY (queue, key))",
    "CREATE TABLE IF NOT EXISTS huey_schedule (id bigserial PRIMARY KEY, queue text NOT NULL, "
    "data bytea NOT NULL, timestamp double precision NOT NULL)",
    "CREATE INDEX IF NOT EXISTS huey_schedule_queue_timestamp ON huey_schedule (queue, timestamp)",
    "CREATE TABLE IF NOT EXISTS huey_task (id bigserial PRIMARY KEY, queue text NOT NULL, "
    "data bytea NOT NULL, priority double precision NOT NULL DEFAULT 0.0)",
    "CREATE INDEX IF NOT EXISTS huey_task_queue_priority_id "
    "ON huey_task (queue, priority DESC, id)",
    "CREATE TABLE IF NOT EXISTS huey_counter (queue text NOT NULL, key text NOT NULL, "
    "value bigint NOT NULL DEFAULT 0, PRIMARY KEY (queue, key))",
)


def upgrade() -> None:
    import json

    from teamroots.i18n import N_

    # jobs left queued or running by the threads of before: nothing can run them again (they
    # kept no parameters); they end, saying so
    stopped = N_("The job was interrupted by an upgrade of teamroots; start it again.")
    op.get_bind().execute(
        sa.text(
            "UPDATE job SET status = 'failed', finished_at = CURRENT_TIMESTAMP, error = :e "
            "WHERE status IN ('queued', 'running')"
        ),
        {"e": json.dumps({"msgid": stopped, "params": {}})},
    )
    op.add_column("job", sa.Column("params", sa.Text(), nullable=True))
    op.add_column("job", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("job", sa.Column("worker", sa.String(100), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for sql in HUEY_TABLES:
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("huey_kv", "huey_schedule", "huey_task", "huey_counter"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("worker")
        batch.drop_column("attempts")
        batch.drop_column("params")
