"""The tables of teamroots (SQLAlchemy 2 typed mappings). Migrations in migrations/ follow them;
a test fails when the two differ.

Natural keys (what an import upserts on) are unique constraints; surrogate ids are for joins.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OrgUnit(Base):
    """A node of the plant's tree: plant → workshops and offices → sections."""

    __tablename__ = "org_unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    line: Mapped[str | None] = mapped_column(String(100))
    shift: Mapped[str | None] = mapped_column(String(16))


class TeamPost(Base):
    """A post a team must staff, and how many people it needs (may be fractional)."""

    __tablename__ = "team_post"
    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    post: Mapped[str] = mapped_column(String(100), primary_key=True)
    headcount: Mapped[float] = mapped_column(Float)


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    hire_date: Mapped[date | None] = mapped_column(Date)


class PersonSkill(Base):
    __tablename__ = "person_skill"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(100), primary_key=True)
    level: Mapped[float] = mapped_column(Float)


class PersonDesignation(Base):
    """A designation tag (party member, league member, activist, …; the list is a setting)."""

    __tablename__ = "person_designation"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class Membership(Base):
    """A person in a team with a role over a period. History is kept: a change of team or role
    ends one row and starts another; nothing is overwritten."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("person_id", "team_id", "role", "start_date"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class Cadre(Base):
    """A manager at some level, responsible for a unit, who may be linked with teams."""

    __tablename__ = "cadre"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)


class TeamRecord(Base):
    """One team's day: planned and actual output, who was scheduled and present, incidents,
    defects. Blank means not reported (NULL), never zero."""

    __tablename__ = "team_record"
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    planned: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    members_scheduled: Mapped[float | None] = mapped_column(Float)
    members_present: Mapped[float | None] = mapped_column(Float)
    incidents: Mapped[int | None] = mapped_column(Integer)
    defects: Mapped[int | None] = mapped_column(Integer)


class TeamWeek(Base):
    """A team's daily records summed per calendar week (Monday to Sunday): the rollup an
    assessment reads instead of the daily rows. Kept in the same transaction as every write
    to team_record (import, sample plant); ``teamroots rollup`` rebuilds it."""

    __tablename__ = "team_week"
    # Week first, and on SQLite without a rowid: an assessment's weeks are contiguous on disk
    # (read 2.5x faster than by team, measured at 10,000 teams).
    __table_args__ = (
        Index("ix_team_week_team", "team_id", "week"),  # one team's weeks: its page
        {"sqlite_with_rowid": False},
    )
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # its Monday
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)
    planned: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    target_days: Mapped[int] = mapped_column(Integer)
    on_target: Mapped[int] = mapped_column(Integer)
    scheduled: Mapped[float | None] = mapped_column(Float)
    present_when_due: Mapped[float | None] = mapped_column(Float)
    member_days: Mapped[float | None] = mapped_column(Float)
    incidents: Mapped[float | None] = mapped_column(Float)
    incident_days: Mapped[int] = mapped_column(Integer)
    defects: Mapped[float | None] = mapped_column(Float)
    defect_days: Mapped[int] = mapped_column(Integer)
    last_day: Mapped[date] = mapped_column(Date)  # its latest record
    # The team's running sums up to and with this week (rollup_repo.RUNNING): of each column
    # above, and of its weekly completion series (n, Σw, Σy, Σw², Σwy, Σy², w counted in
    # weeks from 2000-01-03), so that a window's are the difference of two rows.
    c_days: Mapped[float] = mapped_column(Float)
    c_planned: Mapped[float] = mapped_column(Float)
    c_actual: Mapped[float] = mapped_column(Float)
    c_target_days: Mapped[float] = mapped_column(Float)
    c_on_target: Mapped[float] = mapped_column(Float)
    c_scheduled: Mapped[float] = mapped_column(Float)
    c_present_when_due: Mapped[float] = mapped_column(Float)
    c_member_days: Mapped[float] = mapped_column(Float)
    c_incidents: Mapped[float] = mapped_column(Float)
    c_incident_days: Mapped[float] = mapped_column(Float)
    c_defects: Mapped[float] = mapped_column(Float)
    c_defect_days: Mapped[float] = mapped_column(Float)
    c_n: Mapped[float] = mapped_column(Float)
    c_w: Mapped[float] = mapped_column(Float)
    c_y: Mapped[float] = mapped_column(Float)
    c_ww: Mapped[float] = mapped_column(Float)
    c_wy: Mapped[float] = mapped_column(Float)
    c_yy: Mapped[float] = mapped_column(Float)


class TeamPeople(Base):
    """Each team's people-side sums as an assessment last made them (assess/kpis.py's
    ``labour_sums`` and ``leadership_sums``), and when they hold: for an assessment day in
    [valid_from, valid_to) (no membership of the team starts or ends in between), with the
    survey of survey_date, while ``computed_gen`` equals ``gen``. Triggers (migration 0020)
    add one to ``gen`` of every team a write to membership, team_post, person_skill or
    nomination may touch (every team, on a TRUNCATE), so a row is never trusted after such a
    write; an assessment sums those teams again from the rows. ``gen`` never goes back: rows
    are never deleted (not in FILL_ORDER) and have no foreign key — a row outlives its team
    harmlessly, and a team that reuses its id finds it stale."""

    __tablename__ = "team_people"
    team_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    gen: Mapped[int] = mapped_column(Integer, server_default="0")
    computed_gen: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    survey_date: Mapped[date | None] = mapped_column(Date)
    labour: Mapped[bool | None] = mapped_column(Boolean)  # the team has posts
    required: Mapped[float | None] = mapped_column(Float)
    covered: Mapped[float | None] = mapped_column(Float)
    members: Mapped[int | None] = mapped_column(Integer)
    leadership: Mapped[bool | None] = mapped_column(Boolean)  # the team has members
    size: Mapped[int | None] = mapped_column(Integer)
    core_members: Mapped[int | None] = mapped_column(Integer)
    roles: Mapped[int | None] = mapped_column(Integer)
    leader_roles: Mapped[int | None] = mapped_column(Integer)
    leader_id: Mapped[int | None] = mapped_column(Integer)
    responded: Mapped[int | None] = mapped_column(Integer)
    for_leader: Mapped[int | None] = mapped_column(Integer)


class Nomination(Base):
    """One answer of a peer survey: on survey_date, nominator named nominee for question."""

    __tablename__ = "nomination"
    __table_args__ = (
        Index("ix_nomination_nominee", "nominee_id"),
        Index("ix_nomination_nominator", "nominator_id"),
    )
    survey_date: Mapped[date] = mapped_column(Date, primary_key=True)
    nominator_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    question: Mapped[str] = mapped_column(String(32), primary_key=True)


class ChecklistCheck(Base):
    """Whether a management-system item was in place in a team when checked."""

    __tablename__ = "checklist_check"
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    checked_on: Mapped[date] = mapped_column(Date, primary_key=True)
    in_place: Mapped[bool]


class DemoTruth(Base):
    """The sample plant's hidden strength of each team (0 weak … 1 strong, at the end of the
    generated year) and its trend. Only tests and benchmarks read it; assessment never does."""

    __tablename__ = "demo_truth"
    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    strength: Mapped[float] = mapped_column(Float)
    trend: Mapped[float] = mapped_column(Float)


class DemoPerson(Base):
    """The sample plant's hidden leadership quality of each person (0 weak … 1 strong): what
    benchmarks judge the leadership plan's choices by. Not written for a real plant."""

    __tablename__ = "demo_person"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    quality: Mapped[float] = mapped_column(Float)


class ImportBatch(Base):
    """One successful import: what, from which file (and its hash), how many rows changed."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    inserted: Mapped[int]
    updated: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Review(Base):
    """One assessment run (摸底排队): its as-of date, window, the rubric (name, version, hash
    and text) and its results: the evaluated frame, one row per team, as a compressed Arrow
    IPC blob (``results_ipc``), from which the `assess --json` document is built when someone
    asks for it. Reviews stored before that keep the document as gzip-compressed JSON."""

    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    window_days: Mapped[int]
    rubric_name: Mapped[str] = mapped_column(String(100))
    rubric_version: Mapped[int]
    rubric_sha256: Mapped[str] = mapped_column(String(64))
    rubric_text: Mapped[str] = mapped_column(Text)
    teams: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    results_gz: Mapped[bytes] = mapped_column(LargeBinary)  # empty when results_ipc is set
    results_ipc: Mapped[bytes | None] = mapped_column(LargeBinary)
    survey_date: Mapped[date | None] = mapped_column(Date)


class ReviewTeam(Base):
    """A team's tier, score and ranks in one review: the history later issues track."""

    __tablename__ = "review_team"
    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True, index=True)
    tier: Mapped[int | None]  # None: not assessed
    provisional: Mapped[bool] = mapped_column(Boolean, server_default=false())
    score: Mapped[float | None] = mapped_column(Float)
    rank_in_plant: Mapped[int]
    rank_in_unit: Mapped[int]


class Plan(Base):
    """A plan (leaders, training, links): a proposal until a person approves it. The document
    is the plan's JSON, exactly as `teamroots plan … --json` printed it."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    payload: Mapped[str] = mapped_column(Text)


class TrainingResult(Base):
    """A trainee's attendance and test scores before and after, for one training plan."""

    __tablename__ = "training_result"
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    score_before: Mapped[float | None] = mapped_column(Float)
    score_after: Mapped[float | None] = mapped_column(Float)


class Visit(Base):
    """A cadre's visit to a team: what was found, area by area (JSON: area → note)."""

    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_team_day", "team_id", "visited_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    cadre_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    during: Mapped[str | None] = mapped_column(String(10))  # a shift, or "meeting"; unknown
    findings: Mapped[str] = mapped_column(Text)
    logged_by: Mapped[str] = mapped_column(String(100))
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VisitAction(Base):
    """Something to do that a visit found: who owns it (nobody yet, maybe), by when, when done."""

    __tablename__ = "visit_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class Directive(Base):
    """A directive issued by the plant (no unit) or a unit, to the teams under it. Its text
    lives in versions: editing makes a new version that must be acknowledged again."""

    __tablename__ = "directive"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the current version
    issued_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectiveVersion(Base):
    __tablename__ = "directive_version"
    __table_args__ = (UniqueConstraint("directive_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directive.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectiveDelivery(Base):
    """A version delivered to one member of a team in scope when it was issued, and when and
    how they acknowledged it (on the web, or at a shift meeting's roll-call)."""

    __tablename__ = "directive_delivery"
    __table_args__ = (Index("ix_directive_delivery_version_team", "version_id", "team_id"),)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("directive_version.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    acked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    how: Mapped[str | None] = mapped_column(String(10))  # web, meeting
    recorded_by: Mapped[str | None] = mapped_column(String(100))


class Wish(Base):
    """A member's wish or problem for their team. An anonymous one keeps no person and no
    exact time, only the day; its author follows it by a receipt code (kept as a hash)."""

    __tablename__ = "wish"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    raised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # named only
    answered_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class WishReply(Base):
    __tablename__ = "wish_reply"
    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wish.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    by_name: Mapped[str] = mapped_column(String(100))
    by_role: Mapped[str] = mapped_column(String(20))
    replied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notice(Base):
    """A reminder or escalation in the app's inboxes: to one person, a team's leader, the unit
    heads over a team, or the plant. Each is written once (the unique key), so the reminder
    pass can run as often as it likes; together they are the escalation log."""

    __tablename__ = "notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # written once
    kind: Mapped[str] = mapped_column(String(20))  # directive, wish, action
    subject: Mapped[str] = mapped_column(String(40))  # e.g. directive version id, wish id
    audience: Mapped[str] = mapped_column(String(20))  # person, team_leader, unit_head, plant
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    level: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text)  # JSON: msgid and params
    link: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class NoticeSeen(Base):
    __tablename__ = "notice_seen"
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )


class Experience(Base):
    """An entry of the experience library: a case study of one team ("dissect a sparrow":
    situation, diagnosis, what was done, the result) or an advanced team's practice, with the
    team's KPIs before and after the day the work began, filled in from its records. Search
    reads ``search_text`` (SQLite FTS5 trigram; PostgreSQL pg_trgm), see migration 0012."""

    __tablename__ = "experience"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # case, practice
    title: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text)
    diagnosis: Mapped[str] = mapped_column(String(200))  # diagnosis codes, comma-separated
    actions: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)  # the length of each period compared
    kpis_before: Mapped[str] = mapped_column(Text)  # JSON: KPI → value
    kpis_after: Mapped[str] = mapped_column(Text)
    improvement: Mapped[float | None] = mapped_column(Float)  # completion, points
    search_text: Mapped[str] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExperienceUse(Base):
    """A team that took up an entry: the library counts its use."""

    __tablename__ = "experience_use"
    __table_args__ = (UniqueConstraint("experience_id", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    experience_id: Mapped[int] = mapped_column(ForeignKey("experience.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    used_on: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(100))


class Intervention(Base):
    """Something done to a team from a day on — a leader change, a training batch, a cadre
    link — whose effect on its KPIs is measured (track/effects). Written when a plan is
    approved (and by the sample plant's year of history)."""

    __tablename__ = "intervention"
    __table_args__ = (UniqueConstraint("team_id", "kind", "started_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # leader, training, link
    started_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))  # "plan 12", "sample plant"


# Tables in the order they can be filled (parents first); reversed for deleting.
FILL_ORDER = [
    OrgUnit,
    Team,
    TeamPost,
    Person,
    PersonSkill,
    PersonDesignation,
    Membership,
    Cadre,
    DemoPerson,
    TeamRecord,
    TeamWeek,
    Nomination,
    ChecklistCheck,
    DemoTruth,
    ImportBatch,
    Review,
    ReviewTeam,
    Plan,
    TrainingResult,
    Visit,
    VisitAction,
    Directive,
    DirectiveVersion,
    DirectiveDelivery,
    Wish,
    WishReply,
    Notice,
    NoticeSeen,
    Experience,
    ExperienceUse,
    Intervention,
]


class DataSerial(Base):
    """One row counting committed write transactions on SQLite: a read that runs in several
    processes compared it to know they all saw the same committed state."""

    __tablename__ = "data_serial"
    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[int] = mapped_column(Integer, default=0)


class AppUser(Base):
    """A person who signs in to the web app. The scope is kept by code (unit, team, employee
    number), not by id, so that rebuilding the census (``demo --replace``) keeps the accounts;
    an unknown code gives an empty scope (deny by default)."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str | None] = mapped_column(String(100))
    team_code: Mapped[str | None] = mapped_column(String(100))
    employee_no: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))  # notices by email, if SMTP is set
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A server-side session: the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "user_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who did what, when (UTC), never the values. Append-only: triggers refuse UPDATE and
    DELETE on SQLite and PostgreSQL alike."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))


class Job(Base):
    """Long work (a plan to solve, a big import) run by a job worker off the queue: who asked,
    its state, and the plan it made or the error it met, so that any process can show it."""

    __tablename__ = "job"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))  # queued, running, done, failed
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    time_limit: Mapped[float] = mapped_column(Float)
    plan_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)  # a message as JSON (msgid and params)
    progress: Mapped[float | None] = mapped_column(Float)  # 0..1 where measured (imports)
    result: Mapped[str | None] = mapped_column(Text)  # JSON: an import's counts or problems
    params: Mapped[str | None] = mapped_column(Text)  # JSON: what a worker needs to run it
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")  # times started
    worker: Mapped[str | None] = mapped_column(String(100))  # host:pid of its last worker
    output: Mapped[bytes | None] = mapped_column(LargeBinary)  # a report it rendered
