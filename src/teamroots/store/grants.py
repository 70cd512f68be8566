"""The application's own PostgreSQL role: what it may do to each table.

Migrations run as the owner of the schema; the web app and the job workers connect as a role
without DDL, which may read and write every table but only read and append to the audit log
(no UPDATE, DELETE or TRUNCATE: the log holds even if the app's account is abused; the
triggers of migration 0007 guard it against the owner's mistakes too)."""

from __future__ import annotations

from sqlalchemy import Connection, text

APPEND_ONLY = ("audit_log",)
READ_ONLY = ("alembic_version",)


def grant_app_role(conn: Connection, role: str) -> list[str]:
    """Grant ``role`` (which must exist) what the app needs in the current schema; returns
    the statements run."""
    quote = conn.dialect.identifier_preparer.quote
    who = quote(role)
    schema = quote(conn.execute(text("SELECT current_schema()")).scalar_one())
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
        *(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(t)} FROM {who}" for t in APPEND_ONLY),
        *(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {quote(t)} FROM {who}" for t in READ_ONLY),
    ]
    for sql in statements:
        conn.execute(text(sql))
    return statements


def role_exists(conn: Connection, role: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.scalar() is not None
