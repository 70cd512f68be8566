"""The plans' part of the report: the newest leadership, training and links plans, rendered
from their stored documents (reasons re-rendered in the report's language)."""

from __future__ import annotations

from typing import Any

from teamroots.domain.choices import PlanKind, PlanStatus, Role, label, solve_status
from teamroots.i18n import gettext as _
from teamroots.plan.reasons import named

ROW_LIMIT = 200


def _head(doc: dict[str, Any]) -> dict[str, Any]:
    gap = doc.get("gap")
    return {
        "plan": doc.get("plan_id"),
        "status": solve_status(doc["status"]),
        "approval": _approval(doc),
        "gap": "—" if gap is None else f"{gap:.2%}",
    }


def _approval(doc: dict[str, Any]) -> str:
    status = doc.get("approval") or PlanStatus.PROPOSED
    text = label(PlanStatus(status))
    if status == PlanStatus.APPROVED and doc.get("approved_by"):
        at = (doc.get("approved_at") or "")[:16].replace("T", " ")
        text += " " + _("by {by} at {at}", by=doc["approved_by"], at=at or "—")
    if doc.get("stale"):
        text += " · " + _("stale: plan again")
    return text


def history_rows(plans: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every stored plan (newest first): kind, status, made, approved by and when."""
    return [
        {
            "plan": str(p["id"]),
            "kind": label(PlanKind(p["kind"])),
            "approval": label(PlanStatus(p["approval"])),
            "made": (p.get("created_at") or "—")[:16].replace("T", " "),
            "by": p.get("approved_by") or "—",
            "at": (p.get("approved_at") or "—")[:16].replace("T", " "),
        }
        for p in plans
    ]


def _named(name: str | None, code: str | None) -> str:
    return named(name, code) if code else "—"


def _placed(d: dict[str, Any]) -> str:
    """The reason that says how the leader came to be there (not the evidence)."""
    placed = ("incumbent_replaced", "transfer", "no_incumbent", "no_leader")
    found = [r["text"] for r in d["reasons"] if r["code"] in placed]
    return " ".join(found) or (d["reasons"][0]["text"] if d["reasons"] else "")


def _leaders(doc: dict[str, Any]) -> dict[str, Any]:
    changed = [d for d in doc["decisions"] if d["leader"] != d["incumbent"]]
    rows = [
        {
            "team": _named(d.get("team_name"), d["team"]),
            "leader": _named(d.get("leader_name"), d["leader"]),
            "incumbent": _named(d.get("incumbent_name"), d["incumbent"]),
            "core": _(", ").join(
                f"{_named(c.get('name'), c['person'])} ({label(Role(c['role']))})"
                for c in d["core"]
            ),
            "why": _placed(d),
        }
        for d in changed[:ROW_LIMIT]
    ]
    objective = _(
        "weakest team {low:.3f}, total {total:.2f}",
        low=doc["objective"]["min_team"],
        total=doc["objective"]["total"],
    )
    return {
        **_head(doc),
        "objective": objective,
        "rows": rows,
        "changed": len(changed),
        "teams": len(doc["decisions"]),
    }


def _training(doc: dict[str, Any]) -> dict[str, Any]:
    results = {r["batch"]: r for r in doc.get("results", [])}

    def score(x: float | None) -> str:
        return "—" if x is None else f"{x:.1f}"

    rows = []
    for b in doc["batches"]:
        r = results.get(b["batch"], {})
        rows.append(
            {
                "batch": b["batch"],
                "date": b["date"],
                "trainees": len(b["leaders"]),
                "tier3": b["tier3"],
                "study": _(", ").join(b["curriculum"]["study"]) or "—",
                "attended": f"{r['attended']}/{r['recorded']}" if r.get("recorded") else "—",
                "before": score(r.get("before")),
                "after": score(r.get("after")),
                "change": "—" if r.get("change") is None else f"{r['change']:+.1f}",
            }
        )
    lectures = doc["batches"][0]["curriculum"]["lectures"] if doc["batches"] else []
    objective = _(
        "lateness of backward teams {value} (bound {bound})",
        value=doc["objective"]["lateness"],
        bound=doc["bound"]["lateness"],
    )
    return {
        **_head(doc),
        "objective": objective,
        "rows": rows,
        "lectures": lectures,
        "size": doc["rules"]["class_size"],
    }


def _links(doc: dict[str, Any]) -> dict[str, Any]:
    rows = [
        {
            "cadre": x["cadre"],
            "unit": x["unit"],
            "advanced": x["advanced_team"] or "—",
            "backward": x["backward_team"] or "—",
            "why": _("; ").join(r["text"] for r in x["reasons"]),
        }
        for x in doc["links"][:ROW_LIMIT]
    ]
    uncovered = [
        {"team": u["team"], "why": u["reasons"][0]["text"]} for u in doc["uncovered"][:ROW_LIMIT]
    ]
    objective = _(
        "{covered} backward teams with a cadre, {missing} without",
        covered=len({x["backward_team"] for x in doc["links"] if x["backward_team"]}),
        missing=len(doc["uncovered"]),
    )
    return {**_head(doc), "objective": objective, "rows": rows, "uncovered": uncovered}


def plans_context(plans: dict[str, dict[str, Any]]) -> dict[str, Any]:
    build = {"leaders": _leaders, "training": _training, "links": _links}
    return {kind: build[kind](doc) for kind, doc in plans.items() if kind in build}


def plan_texts() -> dict[str, str]:
    return {
        "plans": _("Plans"),
        "history": _("Every plan"),
        "kind": _("Kind"),
        "made": _("Made"),
        "approved_by": _("Approved by"),
        "approved_at": _("Approved at"),
        "no_plans": _("No plan yet: run 'teamroots plan leaders', 'plan training', 'plan links'."),
        "leaders_plan": _("Leadership plan"),
        "training_plan": _("Training plan"),
        "links_plan": _("Cadre links plan"),
        "plan_no": _("Plan"),
        "solver": _("Solver"),
        "approval": _("Approval"),
        "objective": _("Objective"),
        "gap": _("Gap"),
        "new_leaders": _("New leaders"),
        "leader": _("Leader"),
        "incumbent": _("Incumbent"),
        "core": _("Core"),
        "why": _("Why"),
        "batch": _("Batch"),
        "date": _("Date"),
        "trainees": _("Trainees"),
        "tier3": _("Tier 3"),
        "study": _("Advanced teams to study"),
        "attended": _("Attended"),
        "before": _("Score before"),
        "after": _("Score after"),
        "change": _("Change"),
        "lectures": _("Lectures"),
        "class_size": _("Class size"),
        "cadre": _("Cadre"),
        "advanced": _("Advanced team"),
        "backward": _("Backward team"),
        "uncovered": _("Backward teams without a cadre"),
        "more_rows": _(
            "Only the first {n} rows are shown; the plan's JSON has them all.", n=ROW_LIMIT
        ),
    }
