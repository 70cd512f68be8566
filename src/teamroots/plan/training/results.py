"""What a training plan's results say, per batch: trainees, results recorded, attended, and the
mean score before and after with the change."""

from __future__ import annotations

from typing import Any

from teamroots.domain.rows import ResultRow


def summary(doc: dict[str, Any], results: list[ResultRow]) -> list[dict[str, Any]]:
    """Per batch: trainees, results recorded, attended, mean score before and after and the
    change (over trainees with both scores)."""
    batch_of = {t["person"]: t["batch"] for t in doc["trainees"]}
    out = []
    for b in doc["batches"]:
        mine = [r for r in results if batch_of.get(r.person) == b["batch"]]
        both = [
            (r.score_before, r.score_after)
            for r in mine
            if r.score_before is not None and r.score_after is not None
        ]
        before = sum(x for x, _ in both) / len(both) if both else None
        after = sum(y for _, y in both) / len(both) if both else None
        out.append(
            {
                "batch": b["batch"],
                "date": b["date"],
                "trainees": len(b["leaders"]),
                "recorded": len(mine),
                "attended": sum(1 for r in mine if r.attended),
                "before": before,
                "after": after,
                "change": None if before is None else after - before,
            }
        )
    return out
