"""Settings, read from TEAMROOTS_* environment variables (and nothing at import time).

Every setting is documented in docs/settings.md; a test fails when one is missing there.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from teamroots.i18n import N_

DEFAULT_DESIGNATIONS = ["party_member", "league_member", "activist", "model_worker"]
DEFAULT_CHECKLIST = [
    "post_responsibility",
    "shift_handover",
    "safety",
    "quality_self_check",
    "attendance",
    "equipment_care",
    "team_meeting",
    "study",
]


# why a reminder interval is refused (translated where it is shown: cli/common.py)
CLOCK_INTERVALS = N_(
    "it must be a divisor of 60 (5, 10, 15, 20, 30, 60), a multiple of 60 that divides a day "
    "(120, 180, 240, 360, 480, 720, 1440), or 0"
)


class Settings(BaseSettings):
    """What an installation may change. Lists are given as JSON in the environment."""

    model_config = SettingsConfigDict(env_prefix="TEAMROOTS_", extra="ignore")

    database_url: str = Field(
        "sqlite:///teamroots.db",
        description="SQLAlchemy URL: a SQLite file (default) or postgresql+psycopg://…",
    )
    lang: str = Field("en", description="Language of messages: en or zh-CN.")
    designations: list[str] = Field(
        default_factory=lambda: list(DEFAULT_DESIGNATIONS),
        description="Designation tags a person may carry (party member, activist, …).",
    )
    checklist_items: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CHECKLIST),
        description="Management-system checklist items a team is checked on.",
    )
    max_file_bytes: int = Field(
        200 * 1024 * 1024, description="Largest CSV or XLSX file an import accepts."
    )
    visit_every_weeks: int = Field(4, description="A cadre visits each linked team this often.")
    visit_window_days: int = Field(7, description="How early a visit counts for its due day.")
    visit_grace_days: int = Field(
        7, description="How late a visit still counts (as late) before it is missed."
    )
    visit_quiet_shifts: list[str] = Field(
        default_factory=lambda: ["night"],
        description="Shifts a cadre's visit must not disturb: a visit made during one counts "
        "for no due day (visit at the shift meeting instead).",
    )
    action_grace_days: int = Field(
        7, description="Days an action may stay overdue before it goes one level up the line."
    )
    directive_remind_days: int = Field(
        2, description="Days after a directive is issued when members behind get a reminder."
    )
    directive_grace_days: int = Field(
        3,
        description="Further days after the reminder when a team still behind goes to its "
        "unit head.",
    )
    wish_respond_days: int = Field(
        3,
        description="Days the team leader has to answer a wish first; then it goes to the unit "
        "head, and after as many again to the plant.",
    )
    remind_every_minutes: int = Field(
        10,
        ge=0,
        description="How often the job workers write the reminders and escalations that are "
        "due, in minutes: a divisor of 60, or a multiple of 60 that divides a day (0: never; "
        "run 'teamroots remind' instead).",
    )
    worker_in_app: bool = Field(
        True,
        description="Run a job worker inside each web process (the embedded default). Set it "
        "false where job workers run apart, as 'teamroots worker'.",
    )
    worker_threads: int = Field(
        1, ge=1, le=32, description="Jobs a worker runs at once (plans, big imports, reminders)."
    )
    report_job_teams: int = Field(
        1000,
        ge=0,
        description="A review of more teams than this is rendered as a report by a job worker, "
        "its page showing the progress; smaller ones at once.",
    )
    job_stale_seconds: int = Field(
        60,
        ge=5,
        description="A running job whose worker has not beaten for this long is deemed stopped: "
        "it runs again once, then is marked failed with the reason.",
    )
    smtp_host: str | None = Field(
        None,
        description="An SMTP server for notices by email (none: notices stay in the app).",
    )
    smtp_port: int = Field(25, description="The SMTP server's port.")
    smtp_from: str = Field(
        "teamroots@localhost", description="The sender address of notices by email."
    )
    smtp_starttls: bool = Field(False, description="Use STARTTLS with the SMTP server.")
    smtp_user: str | None = Field(None, description="SMTP user name, if the server wants one.")
    smtp_password: str | None = Field(
        None, description="SMTP password (no default; set it in the environment)."
    )
    background_import_bytes: int = Field(
        2 * 1024 * 1024,
        description="An upload on the web larger than this is imported in the background.",
    )
    max_unzipped_bytes: int = Field(
        1024 * 1024 * 1024, description="Largest total uncompressed size inside an XLSX."
    )
    max_zip_ratio: int = Field(
        200, description="Largest compression ratio of any XLSX part (zip-bomb guard)."
    )
    max_shared_strings_bytes: int = Field(
        100 * 1024 * 1024,
        gt=0,
        description="Largest uncompressed shared-strings part of an XLSX (its text is held in "
        "memory while the sheet is read).",
    )
    max_field_chars: int = Field(
        1000, gt=0, description="Longest text a cell of an imported file may hold."
    )
    max_columns: int = Field(
        1000, gt=0, description="Most columns a row of an imported file may have."
    )
    max_problems: int = Field(
        1000,
        gt=0,
        description="Problems an import collects before it stops listing them (it still "
        "counts to the end of the file).",
    )
    max_actual_ratio: float = Field(
        3.0,
        gt=1,
        description="A daily record whose actual output is more than this multiple of its "
        "planned output is reported as implausible (a warning; refused under --strict).",
    )
    leader_support_min: float = Field(
        0.3,
        gt=0,
        le=1,
        description="Share of a team's survey respondents who must name someone as a person "
        "they trust to lead before a plan may make them its new leader (the team's most named "
        "person passes too).",
    )
    busy_timeout_seconds: float = Field(
        60.0,
        gt=0,
        description="How long a write waits for another writer (an import running) before "
        "giving up with nothing written.",
    )
    session_idle_minutes: int = Field(
        30, gt=0, description="A web session ends after this many minutes without a request."
    )
    session_max_hours: int = Field(
        12, gt=0, description="A web session ends this many hours after sign-in, used or not."
    )
    cookie_secure: bool = Field(
        False,
        description="Mark the web app's cookies Secure even when the request reached it over "
        "plain HTTP (behind a reverse proxy that ends TLS). They always are over HTTPS.",
    )
    import_chunk_rows: int = Field(
        5000, ge=1, description="Rows written per statement during an import."
    )

    @field_validator("remind_every_minutes")
    @classmethod
    def _a_clock_interval(cls, minutes: int) -> int:
        """Reminders run on the clock (crontab): every N minutes of each hour, or every N
        hours of each day, so N must divide 60, or be a multiple of 60 that divides 1440."""
        if minutes == 0 or 60 % minutes == 0 or (minutes % 60 == 0 and 1440 % minutes == 0):
            return minutes
        raise ValueError(CLOCK_INTERVALS)
