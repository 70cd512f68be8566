"""Accounts, sign-in and sessions, and the audit log.

Passwords are argon2 hashes; one of fewer than 8 characters, on the common-password list or
equal to the account's name is refused. After ``MAX_FAILURES`` failed sign-ins within
``FAILURE_WINDOW`` an account refuses further attempts until the window has passed. Sessions
live on the server: the browser keeps a random token, the database its SHA-256, so a stolen
database cannot be replayed as cookies; a session ends on sign-out, after the idle or the
absolute timeout (settings), and when its account is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound
from teamroots.store import users_repo
from teamroots.store.db import Database

MIN_PASSWORD = 8
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
# What each role is tied to: admins and plant managers to nothing, the others to one code.
_TIE = {
    AccessRole.UNIT_HEAD: "unit_code",
    AccessRole.CADRE: "employee_no",
    AccessRole.TEAM_LEADER: "team_code",
    AccessRole.MEMBER: "employee_no",
}


@dataclass(frozen=True)
class SignedIn:
    viewer: Viewer
    token: str  # for the cookie; only its hash is stored
    csrf: str


def now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def common_passwords() -> frozenset[str]:
    text = (resources.files("teamroots.services") / "common_passwords.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w and not w.startswith("#"))


def check_password(name: str, password: str) -> None:
    """InvalidRequest saying what is wrong with a new password, or nothing."""
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest("A password needs at least {count} characters.", count=MIN_PASSWORD)
    lowered = password.lower()
    name = name.strip().lower()
    if (
        lowered in common_passwords()
        or (len(name) >= 3 and name in lowered)
        or len(set(password)) < 3
    ):
        raise InvalidRequest(
            "That password is too common or too easy to guess; choose another (a few words "
            "make a good one)."
        )


def _viewer(row: dict) -> Viewer:
    return Viewer(
        row["id"],
        row["name"],
        AccessRole(row["role"]),
        row["unit_code"],
        row["team_code"],
        row["employee_no"],
    )


def add_user(
    db: Database,
    name: str,
    password: str,
    role: AccessRole | str,
    *,
    unit: str | None = None,
    team: str | None = None,
    person: str | None = None,
    email: str | None = None,
    by: str = "cli",
) -> Viewer:
    """A new account. A unit head needs a unit, a team leader a team, a cadre or a member
    their employee number; the code must exist."""
    role = AccessRole(role)
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidRequest("A user name needs 1 to 100 characters.")
    check_password(name, password)
    email = (email or "").strip() or None
    if email and ("@" not in email or len(email) > 200 or any(c.isspace() for c in email)):
        raise InvalidRequest("'{email}' is not an email address.", email=email)
    tie = {"unit_code": unit, "team_code": team, "employee_no": person}
    needed = _TIE.get(role)
    with db.write(serialize=False) as conn:
        if users_repo.user_by_name(conn, name) is not None:
            raise InvalidRequest("A user named {name} already exists.", name=name)
        if needed and not tie[needed]:
            option = {"unit_code": "--unit", "team_code": "--team", "employee_no": "--person"}
            raise InvalidRequest(
                "A {role} account needs {option}.", role=role.value, option=option[needed]
            )
        _check_tie(conn, tie)
        row = {
            "name": name,
            "password_hash": _hasher().hash(password),
            "role": role.value,
            **{k: (v if k == needed else None) for k, v in tie.items()},
            "email": email,
            "disabled": False,
            "created_at": now(),
        }
        user_id = users_repo.add_user(conn, row)
        users_repo.audit(conn, now(), by, "add_user", name, "ok")
    return _viewer({"id": user_id, **row})


def _check_tie(conn, tie: dict) -> None:
    from teamroots.store import census_repo

    if tie["unit_code"] and not census_repo.unit_exists(conn, tie["unit_code"]):
        raise NotFound("There is no unit {code}.", code=tie["unit_code"])
    if tie["team_code"] and users_repo.team_code(conn, tie["team_code"]) is None:
        raise NotFound("There is no team {code}.", code=tie["team_code"])
    if tie["employee_no"] and users_repo.person_id(conn, tie["employee_no"]) is None:
        raise NotFound("There is no person with employee number {code}.", code=tie["employee_no"])


def sign_in(db: Database, name: str, password: str) -> SignedIn:
    """A new session, or NotAllowed (the same message whether the name or the password was
    wrong, so that names cannot be probed)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    at = now()
    with db.write(serialize=False) as conn:
        failures = users_repo.failures_since(conn, name, at - FAILURE_WINDOW)
        if failures >= MAX_FAILURES:
            users_repo.audit(conn, at, name, "sign_in", "", "throttled")
            throttled = True
        else:
            throttled = False
            row = users_repo.user_by_name(conn, name)
            ok = False
            if row is not None and not row["disabled"]:
                try:
                    ok = _hasher().verify(row["password_hash"], password)
                except (VerificationError, InvalidHashError):
                    ok = False
            if ok:
                token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                users_repo.add_session(
                    conn,
                    {
                        "id": _digest(token),
                        "user_id": row["id"],
                        "csrf": csrf,
                        "created_at": at,
                        "seen_at": at,
                        "ended_at": None,
                    },
                )
                users_repo.audit(conn, at, row["name"], "sign_in", "", "ok")
                return SignedIn(_viewer(row), token, csrf)
            users_repo.audit(conn, at, name, "sign_in", "", "failed")
    if throttled:
        raise NotAllowed(
            "Too many failed sign-ins for {name}; try again in {minutes} minutes.",
            name=name,
            minutes=int(FAILURE_WINDOW.total_seconds() // 60),
        )
    raise NotAllowed("The user name or the password is wrong.")


@dataclass(frozen=True)
class Session:
    viewer: Viewer
    csrf: str


def session(db: Database, token: str | None) -> Session | None:
    """The live session of a cookie's token, or None (ended, timed out, account disabled).
    A read; it writes only to end a session or, at most once a minute, to note activity."""
    if not token:
        return None
    settings, at, digest = db.settings, now(), _digest(token)
    with db.read() as conn:
        row, user = users_repo.session_and_user(conn, digest)
    if row is None or row["ended_at"] is not None:
        return None
    idle = at - _aware(row["seen_at"]) > timedelta(minutes=settings.session_idle_minutes)
    old = at - _aware(row["created_at"]) > timedelta(hours=settings.session_max_hours)
    if user is None or user["disabled"] or idle or old:
        with db.write(serialize=False) as conn:
            users_repo.end_sessions(conn, at, digest=digest)
        return None
    if at - _aware(row["seen_at"]) > timedelta(seconds=60):
        with db.write(serialize=False) as conn:
            users_repo.touch_session(conn, digest, at)
    return Session(_viewer(user), row["csrf"])


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sign_out(db: Database, token: str | None) -> None:
    if not token:
        return
    with db.write(serialize=False) as conn:
        row = users_repo.session(conn, _digest(token))
        users_repo.end_sessions(conn, now(), digest=_digest(token))
        if row is not None:
            user = users_repo.user_by_id(conn, row["user_id"])
            users_repo.audit(conn, now(), user["name"] if user else "?", "sign_out", "", "ok")


def set_disabled(db: Database, name: str, disabled: bool, by: str = "cli") -> None:
    """Disable (or enable) an account; disabling ends its sessions at once."""
    with db.write(serialize=False) as conn:
        row = users_repo.user_by_name(conn, name)
        if row is None:
            raise NotFound("There is no user {name}.", name=name)
        users_repo.set_user(conn, row["id"], disabled=disabled)
        if disabled:
            users_repo.end_sessions(conn, now(), user_id=row["id"])
        users_repo.audit(conn, now(), by, "disable" if disabled else "enable", name, "ok")


@dataclass(frozen=True)
class DemoAccount:
    viewer: Viewer
    password: str
    teams: int  # teams in the account's scope today


def demo_accounts(db: Database) -> list[DemoAccount]:
    """One account per role on the sample plant, each with a new random password (printed
    once, never a default): demo-admin, demo-manager, demo-head (the first workshop),
    demo-cadre (a cadre of the newest link plan), demo-leader (the lowest-ranked team) and
    demo-member (one of its members). Refused on a plant's own data."""
    from teamroots.services import access
    from teamroots.store import census_repo

    with db.read() as conn:
        if not census_repo.table_counts(conn).get("demo_truth"):
            raise InvalidRequest(
                "Demo accounts are made only on the sample plant ('teamroots demo'); add real "
                "accounts with 'teamroots user add'."
            )
        ties = users_repo.demo_ties(conn)
    wanted = [
        ("demo-admin", AccessRole.ADMIN, {}),
        ("demo-manager", AccessRole.PLANT_MANAGER, {}),
        ("demo-head", AccessRole.UNIT_HEAD, {"unit_code": ties["unit"]}),
        ("demo-cadre", AccessRole.CADRE, {"employee_no": ties["cadre"]}),
        ("demo-leader", AccessRole.TEAM_LEADER, {"team_code": ties["team"]}),
        ("demo-member", AccessRole.MEMBER, {"employee_no": ties["member"]}),
    ]
    made = []
    with db.write(serialize=False) as conn:
        for name, role, tie in wanted:
            password = secrets.token_urlsafe(9)
            row = {
                "name": name,
                "password_hash": _hasher().hash(password),
                "role": role.value,
                "unit_code": tie.get("unit_code"),
                "team_code": tie.get("team_code"),
                "employee_no": tie.get("employee_no"),
                "disabled": False,
                "created_at": now(),
            }
            old = users_repo.user_by_name(conn, name)
            if old is None:
                user_id = users_repo.add_user(conn, row)
            else:
                user_id = old["id"]
                users_repo.set_user(conn, user_id, **{k: v for k, v in row.items() if k != "name"})
                users_repo.end_sessions(conn, now(), user_id=user_id)
            users_repo.audit(conn, now(), "cli", "demo_account", name, "ok")
            viewer = _viewer({"id": user_id, **row})
            scope = access.team_scope(conn, viewer)
            teams = ties["teams"] if scope is None else len(scope)
            made.append(DemoAccount(viewer, password, teams))
    return made


def list_users(db: Database) -> list[Viewer]:
    with db.read() as conn:
        return [_viewer(r) for r in users_repo.list_users(conn)]


def audit(db: Database, viewer: Viewer, action: str, target: str, outcome: str = "ok") -> None:
    """One entry of the audit log (who, what, when; never the values)."""
    with db.write(serialize=False) as conn:
        users_repo.audit(conn, now(), viewer.name, action, target, outcome)


def audit_log(db: Database, limit: int = 200) -> list[dict]:
    with db.read() as conn:
        return users_repo.audit_entries(conn, limit)


__all__ = [
    "SignedIn",
    "Viewer",
    "add_user",
    "audit",
    "check_password",
    "session",
    "sign_in",
    "sign_out",
]
