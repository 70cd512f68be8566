"""KPIs per team over a window, computed column-wise with polars (never a Python loop per
team). Inputs are plain frames (see store/assess_repo.py); a KPI whose input is missing is
null — "not assessed" — never zero. Each KPI is documented in docs/kpis.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from teamroots.domain.choices import CORE_ROLES, Question, Role

QUALIFIED_LEVEL = 2.0  # a skill at this level or above qualifies a member for a post
# Each team's labour and leadership sums are kept between assessments (team_people) with this
# number: raise it whenever labour_sums, leadership_sums or what they count changes, so that
# sums made the old way are made again (tests/unit/test_assess.py holds their source to it).
PEOPLE_SUMS_VERSION = 1

# KPIs computed from daily records (not assessed when a team has too few of them).
PRODUCTION_KPIS = (
    "attendance_rate",
    "completion",
    "on_target_share",
    "weekly_volatility",
    "weekly_trend",
    "incidents_per_100",
    "defects_per_100",
)

KPI_NAMES = (
    "days_reported",
    "attendance_rate",
    "completion",
    "on_target_share",
    "weekly_volatility",
    "weekly_trend",
    "incidents_per_100",
    "defects_per_100",
    "post_coverage",
    "staffing_ratio",
    "leader_in_post",
    "leader_support",
    "survey_response",
    "core_members",
    "leader_role_share",
    "checklist_share",
)


@dataclass
class Inputs:
    """What an assessment counts, per team: the window's and the checklists' sums (the
    database makes them: store/assess_repo.py), labour and leadership (``labour_sums``,
    ``leadership_sums``); ``from_rows`` makes all of them from rows, in polars."""

    teams: pl.DataFrame
    sums: pl.DataFrame  # over the window: ``window_sums``
    labour: pl.DataFrame  # ``labour_sums``
    leadership: pl.DataFrame  # ``leadership_sums``
    checks: pl.DataFrame  # ``checklist_sums``

    @classmethod
    def from_rows(cls, teams, weekly, members, posts, skills, nominations, checks) -> Inputs:
        """The inputs from rows: a team's weeks, memberships, posts, skills, the survey's
        nominations and the latest checklist checks."""
        return cls(
            teams=teams,
            sums=window_sums(weekly),
            labour=labour_sums(members, posts, skills),
            leadership=leadership_sums(members, nominations),
            checks=checklist_sums(checks),
        )


def _ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num / den).otherwise(None)


SUMMED = (
    "days", "planned", "actual", "target_days", "on_target", "scheduled", "present_when_due",
    "member_days", "incidents", "incident_days", "defects", "defect_days",
)  # fmt: skip
# per team: the window's totals, and the sums a weekly completion series needs (its weeks
# with a completion, their index x and completion y): n, Σx, Σy, Σx², Σxy, Σy²
SERIES_SUMS = ("n", "sx", "sy", "sxx", "sxy", "syy")


def _completion() -> pl.Expr:
    return _ratio(pl.col("actual"), pl.col("planned"))


def window_sums(weekly: pl.DataFrame) -> pl.DataFrame:
    """One row per team from its weeks (store/assess_repo.py's weekly rows): what
    ``production`` needs. The database computes the same (assess_repo.window_sums), so that
    a team's weeks need not leave it."""
    w = weekly.with_columns(y=_completion(), x=pl.col("week").cast(pl.Float64))
    has = pl.col("y").is_not_null()
    x, y = pl.col("x").filter(has), pl.col("y").filter(has)
    return w.group_by("team_id").agg(
        *(pl.col(k).sum() for k in SUMMED),
        n=has.sum().cast(pl.Int64),
        sx=x.sum(),
        sy=y.sum(),
        sxx=(x * x).sum(),
        sxy=(x * y).sum(),
        syy=(y * y).sum(),
    )


def production(sums: pl.DataFrame) -> pl.DataFrame:
    """Attendance, completion, on-target share, weekly volatility (the sample standard
    deviation of weekly completion) and trend (its least-squares slope), incident rates."""
    n, sx, sy = pl.col("n"), pl.col("sx"), pl.col("sy")
    var_x = pl.col("sxx") - sx * sx / n
    var_y = (pl.col("syy") - sy * sy / n) / (n - 1)
    return sums.select(
        "team_id",
        days_reported=pl.col("days"),
        attendance_rate=_ratio(pl.col("present_when_due"), pl.col("scheduled")),
        completion=_completion(),
        on_target_share=_ratio(pl.col("on_target"), pl.col("target_days")),
        # a variance below 1e-12 is a steady series' rounding (the running sums' differences
        # leave about that much), which the square root would make 1e-6: it is 0
        weekly_volatility=pl.when(n >= 3).then(
            pl.when(var_y < 1e-12).then(0.0).otherwise(var_y).sqrt()
        ),
        weekly_trend=pl.when((n >= 3) & (var_x > 0)).then((pl.col("sxy") - sx * sy / n) / var_x),
        incidents_per_100=pl.when(pl.col("incident_days") > 0).then(
            _ratio(100 * pl.col("incidents"), pl.col("member_days"))
        ),
        defects_per_100=pl.when(pl.col("defect_days") > 0).then(
            _ratio(100 * pl.col("defects"), pl.col("member_days"))
        ),
    )


def labour_sums(members: pl.DataFrame, posts: pl.DataFrame, skills: pl.DataFrame) -> pl.DataFrame:
    """Per team with posts: the headcount its posts require, how much of it qualified members
    cover (a post's cover is at most its headcount), and its members (null: none recorded)."""
    people = members.select("team_id", "person_id").unique()
    qualified = (
        people.join(skills.filter(pl.col("level") >= QUALIFIED_LEVEL), on="person_id")
        .group_by("team_id", pl.col("skill").alias("post"))
        .agg(qualified=pl.len())
    )
    cover = (
        posts.join(qualified, on=["team_id", "post"], how="left")
        .with_columns(covered=pl.min_horizontal("headcount", pl.col("qualified").fill_null(0)))
        .group_by("team_id")
        .agg(required=pl.col("headcount").sum(), covered=pl.col("covered").sum())
    )
    size = people.group_by("team_id").agg(members=pl.len().cast(pl.Int64))
    return cover.join(size, on="team_id", how="left")


def labour(sums: pl.DataFrame) -> pl.DataFrame:
    """Required posts covered by qualified members, and staffing against the requirement."""
    has = pl.col("members").is_not_null()  # no members recorded: not assessed, not zero
    return sums.select(
        "team_id",
        post_coverage=pl.when(has).then(_ratio(pl.col("covered"), pl.col("required"))),
        staffing_ratio=pl.when(has).then(
            _ratio(pl.col("members").cast(pl.Float64), pl.col("required"))
        ),
    )


def leadership_sums(members: pl.DataFrame, nominations: pl.DataFrame) -> pl.DataFrame:
    """Per team with members: its leader (the lowest person id among leaders, null: none),
    size, core members other than the leader, roles held and those the leader holds, and of
    the latest survey's trust-to-lead answers, the members who answered and those who named
    the leader."""
    core = [r.value for r in CORE_ROLES]
    leaders = (
        members.filter(pl.col("role") == Role.LEADER.value)
        .group_by("team_id")
        .agg(leader_id=pl.col("person_id").min())
    )
    m = members.join(leaders, on="team_id", how="left")
    roles = m.group_by("team_id").agg(
        size=pl.col("person_id").n_unique().cast(pl.Int64),
        core_members=pl.col("person_id")
        .filter(pl.col("role").is_in(core) & (pl.col("person_id") != pl.col("leader_id")))
        .n_unique()
        .cast(pl.Int64),
        roles=pl.col("role").is_in([*core, Role.LEADER.value]).sum().cast(pl.Int64),
        leader_roles=(
            pl.col("role").is_in([*core, Role.LEADER.value])
            & (pl.col("person_id") == pl.col("leader_id"))
        )
        .sum()
        .cast(pl.Int64),
    )
    return roles.join(leaders, on="team_id", how="left").join(
        _support(m, nominations), on="team_id", how="left"
    )


def leadership(sums: pl.DataFrame) -> pl.DataFrame:
    """Leader in post, the team's trust in the leader, the core, and the load on the leader."""
    return sums.select(
        "team_id",
        leader_in_post=pl.col("leader_id").is_not_null(),
        leader_support=pl.when(pl.col("leader_id").is_not_null()).then(
            _ratio(pl.col("for_leader"), pl.col("responded"))
        ),
        survey_response=pl.when(pl.col("responded").is_not_null()).then(
            _ratio(pl.col("responded"), pl.col("size"))
        ),
        core_members=pl.col("core_members"),
        leader_role_share=_ratio(pl.col("leader_roles"), pl.col("roles")),
    )


def _support(m: pl.DataFrame, nominations: pl.DataFrame) -> pl.DataFrame:
    """Per team: members who answered `trust_to_lead`, and how many of them named the leader."""
    voters = m.select("team_id", "person_id", "leader_id").unique()
    answers = nominations.filter(pl.col("question") == Question.TRUST_TO_LEAD.value).join(
        voters, left_on="nominator_id", right_on="person_id"
    )
    return answers.group_by("team_id").agg(
        responded=pl.col("nominator_id").n_unique().cast(pl.Int64),
        for_leader=pl.col("nominator_id")
        .filter(pl.col("nominee_id") == pl.col("leader_id"))
        .n_unique()
        .cast(pl.Int64),
    )


def checklist_sums(checks: pl.DataFrame) -> pl.DataFrame:
    """Per team: the share of its latest item checks found in place (assess_repo.checklist_sums
    in the database)."""
    return checks.group_by("team_id").agg(
        checklist_share=pl.col("in_place").cast(pl.Float64).mean()
    )


def compute(inputs: Inputs) -> pl.DataFrame:
    """One row per team: its identity columns and every KPI in KPI_NAMES (null = no input)."""
    frame = inputs.teams
    for part in (
        production(inputs.sums),
        labour(inputs.labour),
        leadership(inputs.leadership),
        inputs.checks,
    ):
        frame = frame.join(part, on="team_id", how="left")
    # A team with no members recorded has no leadership KPIs (not assessed), rather than
    # "no leader"; one with members but no leader has leader_in_post false.
    return frame.with_columns(days_reported=pl.col("days_reported").fill_null(0)).sort("team_id")


SERIES_KPIS = ("completion", "attendance_rate", "on_target_share", "incidents_per_100")


def _share(num, den) -> float | None:
    return num / den if num is not None and den else None


def weekly_series(weeks_rows: list[dict], weeks: int) -> dict[str, list[float | None]]:
    """One team's KPIs week by week (week 0 first), each as ``production`` defines it over
    the window, from that team's rows of ``weekly_records`` (a dozen rows: plain Python, no
    frame); a week without the data is None (a gap in a sparkline, never zero)."""
    series: dict[str, list[float | None]] = {k: [None] * weeks for k in SERIES_KPIS}
    for r in weeks_rows:
        week = r["week"]
        if not 0 <= week < weeks:
            continue
        series["completion"][week] = _share(r["actual"], r["planned"])
        series["attendance_rate"][week] = _share(r["present_when_due"], r["scheduled"])
        series["on_target_share"][week] = _share(r["on_target"], r["target_days"])
        if r["incident_days"]:
            series["incidents_per_100"][week] = _share(
                100 * (r["incidents"] or 0), r["member_days"]
            )
    return series


def period_kpis(weeks_rows: list[dict]) -> dict[str, float | None]:
    """One team's KPIs over a period, from its rows of ``weekly_records`` summed: the same
    definitions as the weekly series (completion, attendance, on-target days, incidents per
    100 member-days); None where the period has no such data."""
    total = {k: 0.0 for k in ("actual", "planned", "present_when_due", "scheduled")}
    total.update(on_target=0.0, target_days=0.0, incidents=0.0, member_days=0.0)
    incident_days = 0
    for r in weeks_rows:
        for k in total:
            total[k] += r[k] or 0
        incident_days += r["incident_days"] or 0
    return {
        "completion": _share(total["actual"], total["planned"]),
        "attendance_rate": _share(total["present_when_due"], total["scheduled"]),
        "on_target_share": _share(total["on_target"], total["target_days"]),
        "incidents_per_100": _share(100 * total["incidents"], total["member_days"])
        if incident_days
        else None,
    }
