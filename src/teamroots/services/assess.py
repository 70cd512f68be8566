"""Assessment use cases: assess every team (摸底排队) and store the run as a review; read a
stored review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from teamroots.errors import InvalidRequest, NotFound
from teamroots.i18n import N_, gettext, message
from teamroots.store import assess_repo, frames, people_sums_repo, review_repo, rollup_repo
from teamroots.store.db import Database
from teamroots.store.people_repo import latest_survey_date


class Assessment:
    """An assessment: ``document`` is what ``assess --json`` prints (schema in the README),
    with its messages stored as data (``i18n.localized`` renders them). It is built when first
    asked for: an assessment itself stores only the evaluated frame."""

    def __init__(self, document: dict[str, Any] | None = None, build=None, review_id=None):
        self._document, self._build, self._review_id = document, build, review_id

    @cached_property
    def document(self) -> dict[str, Any]:
        if self._document is None:
            self._document = self._build()
        return self._document

    @property
    def review_id(self) -> int | None:
        return self._review_id if self._document is None else self._document["review_id"]


def default_as_of(last_record: date | None) -> date:
    """The day an assessment or plan is for when none is given: the last daily record, but
    never after today."""
    return min(last_record, date.today()) if last_record else date.today()


def as_of_day(db: Database, as_of: date | None) -> date:
    """The day asked for, or the default; a day before the first record is refused."""
    with db.read() as conn:
        if as_of is None:
            return default_as_of(rollup_repo.last_record_day(conn))
        first = rollup_repo.first_record_day(conn)
    if first and as_of < first:
        raise InvalidRequest(
            "--as-of {date} is before the first daily record ({first}); choose a later day.",
            date=as_of.isoformat(),
            first=first.isoformat(),
        )
    return as_of


def load_inputs(db: Database, as_of: date, rubric):
    """Read what an assessment needs, in one snapshot: the inputs, the survey's day, and the
    people-side sums to keep for the next assessment (None when the kept ones served).

    The window's weeks and the checklists are summed per team in the database (a row a team
    leaves it). Labour and leadership come from each team's sums kept by the assessments
    before (store/people_sums_repo.py) where they still hold; for the other teams (all, when
    they are more than its STALE_SHARE) memberships, posts, skills and the survey's
    trust-to-lead answers are read as rows and summed in polars (on SQLite 1.7x faster than
    the same sums in SQL), and kept with the review."""
    import polars as pl

    from teamroots.assess import kpis
    from teamroots.domain.choices import Question

    repo, kept = assess_repo, people_sums_repo
    trust = Question.TRUST_TO_LEAD.value
    version = kpis.PEOPLE_SUMS_VERSION

    stale: list[int] | None = []  # the teams summed from rows (None: all)

    def more(got: dict) -> dict:
        nonlocal stale
        survey = got["survey_date"]
        if "kept" not in got:
            return {"kept": lambda c: kept.valid(c, as_of, survey, version)}
        if "members" in got:
            return {}
        stale = kept.stale(got["teams"], got["kept"])
        if stale == []:
            return {}
        return {
            "members": lambda c: repo.memberships(c, as_of, stale),
            "posts": lambda c: repo.posts(c, stale),
            "skills": lambda c: repo.skills(c, kpis.QUALIFIED_LEVEL, stale),  # those counted
            "nominations": lambda c: repo.nominations(c, survey, trust, stale),
            "gens": lambda c: kept.gens(c, stale),
            "spans": lambda c: kept.spans(c, as_of, stale),
        }

    got = frames.read_all(
        db,
        {
            "sums": lambda c: repo.window_sums(c, as_of, rubric.window_days),
            "teams": repo.teams,
            "checks": lambda c: repo.checklist_sums(c, as_of, rubric.checklist_max_age_days),
            "survey_date": lambda c: latest_survey_date(c, as_of, rubric.survey_max_age_days),
        },
        more=more,
    )
    survey_date, teams, to_keep = got["survey_date"], got["teams"], None
    labour, leadership = kept.split(got["kept"])
    if "members" in got:
        made_labour = kpis.labour_sums(got["members"], got["posts"], got["skills"])
        made_leadership = kpis.leadership_sums(got["members"], got["nominations"])
        made_for = teams if stale is None else teams.filter(pl.col("team_id").is_in(stale))
        to_keep = kept.stamped(made_for, made_labour, made_leadership, got["gens"],
                               got["spans"], survey_date, version)  # fmt: skip
        if stale is None:
            labour, leadership = made_labour, made_leadership
        else:  # the kept teams' and the others', made now
            labour = pl.concat([labour, made_labour], how="vertical_relaxed")
            leadership = pl.concat([leadership, made_leadership], how="vertical_relaxed")
    inputs = kpis.Inputs(teams, got["sums"], labour, leadership, got["checks"])
    return inputs, survey_date, to_keep


def assess(
    db: Database,
    *,
    as_of: date | None = None,
    rubric_path: str | Path | None = None,
    save: bool = True,
) -> Assessment:
    """Assess every team (摸底排队) and store the run as a review (its evaluated frame; the
    document is built when asked for)."""
    from teamroots.assess.assessment import document, evaluate
    from teamroots.assess.rubric import default_rubric_path, load_rubric

    rubric = load_rubric(rubric_path)
    as_of = as_of_day(db, as_of)
    inputs, survey_date, to_keep = load_inputs(db, as_of, rubric)
    if inputs.teams.is_empty():
        raise NotFound("There are no teams to assess; import teams or run 'teamroots demo'.")
    frame = evaluate(inputs, rubric)
    warnings = _warnings(frame, rubric)
    review_id = None
    if save:
        text = Path(rubric_path or default_rubric_path()).read_text(encoding="utf-8-sig")
        ids = dict(zip(inputs.teams["team"], inputs.teams["team_id"], strict=True))
        meta = review_repo.ReviewMeta(
            as_of, rubric.window_days, survey_date, rubric.name, rubric.version, rubric.sha256
        )
        with db.write() as conn:
            review_id = review_repo.save_review(conn, meta, frame, text, ids)
            if to_keep is not None:  # for the next assessment
                people_sums_repo.keep(conn, to_keep)

    def build() -> dict[str, Any]:
        found = document(frame, rubric, as_of, survey_date)
        return {**found, "review_id": review_id, "warnings": warnings}

    return Assessment(build=build, review_id=review_id)


def stored_document(conn, review_id: int | None = None) -> dict[str, Any]:
    """A stored review's document (the newest when ``review_id`` is None): kept as it was, or
    built from the stored frame with the stored rubric."""
    from teamroots.assess.assessment import document
    from teamroots.assess.rubric import rubric_from_text

    found = review_repo.stored(conn, review_id)
    if found.document is not None:
        return found.document
    m = found.meta
    rubric = rubric_from_text(found.rubric_text, f"review {found.id}", m.rubric_sha256)
    built = document(found.frame, rubric, m.as_of, m.survey_date)
    return {**built, "review_id": found.id, "warnings": _warnings(found.frame, rubric)}


def _warnings(frame, rubric) -> list[dict[str, Any]]:
    """Warnings about thin evidence and about a rubric that does not suit the plant, shown
    above the results."""
    out = _crowded(frame)
    thin = int((frame["days_reported"] < rubric.min_days).sum())
    if thin * 2 > frame.height:
        return [
            *out,
            message(
                N_(
                    "{thin} of {teams} teams have fewer than {days} daily records in the "
                    "window: their production was not assessed. Check --as-of and the records "
                    "imported."
                ),
                thin=thin,
                teams=frame.height,
                days=rubric.min_days,
            ),
        ]
    return out


def _crowded(frame) -> list[dict[str, Any]]:
    """More than half the plant in one tier: the thresholds may not suit this plant."""
    counts = frame["tier"].drop_nulls().value_counts()
    for tier, n in counts.iter_rows():
        if n * 2 > frame.height and frame.height >= 4:
            return [
                message(
                    N_(
                        "{n} of {teams} teams ({share:.0%}) are in tier {tier}: the rubric's "
                        "thresholds may not suit this plant. 'teamroots rubric calibrate' "
                        "proposes thresholds from the plant's own figures."
                    ),
                    n=n,
                    teams=frame.height,
                    share=n / frame.height,
                    tier=tier,
                )
            ]
    return []


def review(db: Database, review_id: int | None = None) -> Assessment:
    """A stored review (the newest when ``review_id`` is None)."""
    with db.read() as conn:
        return Assessment(stored_document(conn, review_id))


@dataclass(frozen=True)
class Calibration:
    """A calibrated rubric: where it was written, each criterion's threshold before and after,
    and the tier counts the plant gets with each."""

    path: Path
    thresholds: list[tuple[str, str, float, float]]  # (criterion, kpi, before, after)
    tiers_before: dict[str, int]
    tiers_after: dict[str, int]


def calibrate(
    db: Database,
    out: Path,
    *,
    as_of: date | None = None,
    rubric_path: str | Path | None = None,
    bottom: float = 0.2,
    top: float = 0.6,
) -> Calibration:
    """Propose thresholds from the plant's own distribution and write them as a rubric file."""
    from teamroots.assess import kpis, tiers
    from teamroots.assess.calibrate import propose, rewrite
    from teamroots.assess.rubric import default_rubric_path, load_rubric, rubric_from_dict

    if not (0 < bottom < 1 and 0 < top < 1):
        raise InvalidRequest("--bottom and --top are shares between 0 and 1, e.g. 0.2.")
    rubric = load_rubric(rubric_path)
    as_of = as_of_day(db, as_of)
    inputs, _survey, _kept = load_inputs(db, as_of, rubric)
    if inputs.teams.is_empty():
        raise NotFound("There are no teams to assess; import teams or run 'teamroots demo'.")
    frame = kpis.compute(inputs)
    proposed = propose(frame, rubric, bottom, top)
    source = Path(rubric_path or default_rubric_path()).read_text(encoding="utf-8-sig")
    note = gettext(
        "Calibrated by 'teamroots rubric calibrate' on the teams' figures as of {date}: tier-2 "
        "criteria fail the bottom {bottom:.0%} of teams, tier-1 criteria pass the best "
        "{top:.0%}.\nRead it, edit it, and assess with: teamroots assess --rubric {file}",
        date=as_of.isoformat(),
        bottom=bottom,
        top=top,
        file=out.name,
    )
    text = rewrite(source, proposed, note)
    import tomllib

    calibrated = rubric_from_dict(tomllib.loads(text), str(out))
    out.write_text(text, encoding="utf-8")

    def counts(r) -> dict[str, int]:
        tier = tiers.evaluate(frame, r)["tier"]
        found = {str(k): 0 for k in (1, 2, 3)} | {"not_assessed": 0}
        for value in tier.to_list():
            found["not_assessed" if value is None else str(value)] += 1
        return found

    rows = [
        (c.name, c.kpi, c.threshold, proposed.get(c.name, c.threshold)) for c in rubric.criteria
    ]
    return Calibration(out, rows, counts(rubric), counts(calibrated))
