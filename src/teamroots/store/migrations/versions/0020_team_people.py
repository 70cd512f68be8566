"""team_people: each team's people-side sums as an assessment last made them, and the
triggers that mark them stale on every write to what they are summed from

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 08:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# (table, its column naming the team or the person, "team" or "person")
SOURCES = (
    ("membership", "team_id", "team"),
    ("team_post", "team_id", "team"),
    ("person_skill", "person_id", "person"),
    ("nomination", "nominator_id", "person"),
)
BUMP = "ON CONFLICT (team_id) DO UPDATE SET gen = team_people.gen + 1"


def _sqlite_triggers() -> list[str]:
    """A row trigger per table and event: one more to ``gen`` of the team the row names, or
    of every team of the person it names."""
    out = []
    for table, column, by in SOURCES:
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")),
                            ("DELETE", ("OLD",))):  # fmt: skip
            body = []
            for row in rows:
                if by == "team":
                    body.append(
                        f"INSERT INTO team_people (team_id, gen) VALUES ({row}.{column}, 1) {BUMP};"
                    )
                else:
                    body.append(
                        "INSERT INTO team_people (team_id, gen) SELECT DISTINCT team_id, 1 FROM "
                        f"membership WHERE person_id = {row}.{column} {BUMP};"
                    )
            out.append(
                f"CREATE TRIGGER team_people_{table}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {' '.join(body)} END"
            )
    return out


def _pg_function(name: str, column: str, by: str) -> str:
    """A statement trigger's function: the teams of the statement's rows (its transition
    tables), one more to each one's ``gen``."""

    def teams(rows: str) -> str:
        if by == "team":
            return f"SELECT {column} AS team_id FROM {rows}"
        return (
            f"SELECT m.team_id FROM membership m JOIN {rows} r ON m.person_id = r.{column}"
        )

    def bump(source: str) -> str:
        return (
            "INSERT INTO team_people (team_id, gen) SELECT DISTINCT team_id, 1 FROM "
            f"({source}) x WHERE team_id IS NOT NULL {BUMP};"
        )

    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN {bump(teams("new_rows"))}
  ELSIF TG_OP = 'DELETE' THEN {bump(teams("old_rows"))}
  ELSE {bump(teams("new_rows") + " UNION " + teams("old_rows"))}
  END IF;
  RETURN NULL;
END $$"""


def _pg_statements() -> list[str]:
    out = [
        "CREATE FUNCTION team_people_forget() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE team_people SET gen = gen + 1; RETURN NULL; END $$"
    ]
    for table, column, by in SOURCES:
        function = f"team_people_{table}"
        out.append(_pg_function(function, column, by))
        for event, refs in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            out.append(
                f"CREATE TRIGGER team_people_{table}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        out.append(  # TRUNCATE has no rows to name: no team's sums are trusted after it
            f"CREATE TRIGGER team_people_{table}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION team_people_forget()"
        )
    return out


def upgrade() -> None:
    op.create_table(
        "team_people",
        sa.Column("team_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("gen", sa.Integer(), server_default="0", nullable=False),
        sa.Column("computed_gen", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("survey_date", sa.Date(), nullable=True),
        sa.Column("labour", sa.Boolean(), nullable=True),
        sa.Column("required", sa.Float(), nullable=True),
        sa.Column("covered", sa.Float(), nullable=True),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("leadership", sa.Boolean(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("core_members", sa.Integer(), nullable=True),
        sa.Column("roles", sa.Integer(), nullable=True),
        sa.Column("leader_roles", sa.Integer(), nullable=True),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("responded", sa.Integer(), nullable=True),
        sa.Column("for_leader", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_people")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _pg_statements() if postgres else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, _column, _by in SOURCES:
        events = ("insert", "update", "delete", *(("truncate",) if postgres else ()))
        for event in events:
            op.execute(f"DROP TRIGGER IF EXISTS team_people_{table}_{event}"
                       + (f" ON {table}" if postgres else ""))  # fmt: skip
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS team_people_{table}()")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS team_people_forget()")
    op.drop_table("team_people")
