"""Rich renderings for the command line: an import, the census, an assessment, the plans.
Documents arrive rendered in the reader's language (``i18n.localized``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from teamroots.assess.rubric import criterion_name
from teamroots.domain.choices import PlanStatus, Role, UnitKind, label, solve_status
from teamroots.domain.rows import Census, UnitCensus
from teamroots.i18n import _
from teamroots.plan.reasons import named
from teamroots.report import kpi_name

MAX_SHOWN = 200  # problems shown on screen; --errors-out writes them all


def print_problem_table(out: Console, title: str, problems: list, style: str) -> None:
    """Problems (or warnings) as a table: row, column, value, what was expected."""
    table = Table(title=Text(title), title_style=f"bold {style}", show_lines=False)
    for name in (_("row"), _("column"), _("value"), _("expected")):
        table.add_column(name)
    for p in problems[:MAX_SHOWN]:
        table.add_row(str(p.row), Text(p.column), Text(p.value), Text(problem_text(p)))
    out.print(table)
    if len(problems) > MAX_SHOWN:
        out.print(
            _(
                "… and {count} more; write them all with --errors-out FILE.",
                count=len(problems) - MAX_SHOWN,
            )
        )


def problem_text(problem) -> str:
    return _(problem.expected, **dict(problem.params))


def print_import(out: Console, result, dry_run: bool) -> None:
    """What an import read and changed (or, in a dry run, would change)."""
    if result.ignored_columns:
        columns = _(", ").join(result.ignored_columns)
        out.print(_("Columns not used: {columns}.", columns=columns), markup=False, soft_wrap=True)
    msg = _(
        "{rows} rows read: {inserted} new, {updated} changed, {same} unchanged.",
        rows=result.rows,
        inserted=result.inserted,
        updated=result.updated,
        same=result.rows - result.inserted - result.updated,
    )
    if result.created_units or result.created_teams:
        counts = {"units": result.created_units, "teams": result.created_teams}
        msg += " " + (
            _("Would create {units} units and {teams} teams named in the file.", **counts)
            if dry_run
            else _("Created {units} units and {teams} teams named in the file.", **counts)
        )
    if dry_run:
        msg += " " + _("Dry run: nothing was written.")
    out.print(msg, markup=False, soft_wrap=True)
    if result.warnings:
        print_problem_table(
            out,
            _(
                "{count} value(s) look implausible; they were imported. Check them, or import "
                "with --strict to refuse such a file.",
                count=len(result.warnings) + result.more_warnings,
            ),
            result.warnings,
            "yellow",
        )


def print_census(out: Console, data: Census) -> None:
    units = data.units
    if not units:
        out.print(
            _("The database holds no plant yet: run 'teamroots demo' or import units."),
            markup=False,
        )
        return
    children: dict[int | None, list[UnitCensus]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)

    def node(u: UnitCensus) -> str:
        text = f"[bold]{u.code}[/bold] {u.name} [dim]({label(UnitKind(u.kind))})[/dim]"
        if u.teams:
            share = u.responded / u.members if u.members else 0
            text += " " + _(
                "{teams} teams, {members} members, survey {share:.0%}",
                teams=u.teams,
                members=u.members,
                share=share,
            )
        return text

    def grow(tree: Tree, parent_id: int | None) -> None:
        for u in children.get(parent_id, []):
            grow(tree.add(node(u)), u.id)

    tree = Tree(_("Census"))
    grow(tree, None)
    out.print(tree)
    summary = Table(show_header=False, box=None)
    members = sum(u.members for u in units)
    responded = sum(u.responded for u in units)
    rows = [
        (_("Units"), str(len(units))),
        (_("Teams"), str(sum(u.teams for u in units))),
        (_("People"), str(data.people)),
        (_("Cadres"), str(data.cadres)),
        (
            _("Daily team records"),
            _(
                "{count} from {first} to {last}",
                count=data.records,
                first=data.first_day or "-",
                last=data.last_day or "-",
            ),
        ),
        (
            _("Peer survey"),
            _(
                "{date}: {responded} of {members} members answered ({share:.0%})",
                date=data.survey_date or "-",
                responded=responded,
                members=members,
                share=responded / members if members else 0,
            ),
        ),
        (_("Checklist checks"), str(data.checks)),
    ]
    for name, value in rows:
        summary.add_row(f"[bold]{name}[/bold]", value)
    out.print(summary)


def _pct(value) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_assessment(out: Console, doc: dict) -> None:
    s = doc["summary"]
    out.print(
        _(
            "Assessment as of {date} ({days} days), rubric {rubric}: {n} teams.",
            date=doc["as_of"],
            days=doc["window_days"],
            rubric=doc["rubric"]["name"],
            n=s["teams"],
        ),
        markup=False,
    )
    prefix = _("Warning")
    for warning in doc.get("warnings", []):
        out.print(f"{prefix}: {warning}", markup=False, style="yellow")
    units = Table(title=_("Tiers per unit"))
    blank = s.get("not_assessed", 0)
    names = [_("unit"), _("advanced"), _("intermediate"), _("backward")]
    for name in names + ([_("not assessed")] if blank else []):
        units.add_column(name, overflow="fold")
    for u in s["units"]:
        cells = [str(u["tier1"]), str(u["tier2"]), str(u["tier3"])]
        cells += [str(u.get("not_assessed", 0))] if blank else []
        units.add_row(f"{u['unit_name']} {u['unit']}", *cells)
    tiers = s["tiers"]
    total = [str(tiers["1"]), str(tiers["2"]), str(tiers["3"])] + ([str(blank)] if blank else [])
    units.add_row(_("whole plant"), *total, style="bold")
    out.print(units)
    if s.get("provisional"):
        out.print(
            _(
                "{n} teams have a provisional tier: their leadership was not measured (see "
                "to_collect in --json).",
                n=s["provisional"],
            ),
            markup=False,
        )
    weakest = sorted(doc["teams"], key=lambda t: t["rank_in_plant"])[-10:]
    table = Table(title=_("The last ten in the ranking"))
    for name in (_("rank"), _("team"), _("tier"), _("score"), _("completion"), _("attendance")):
        table.add_column(name, overflow="fold")
    for t in weakest:
        tier = t["tier_label"] + (" " + _("(provisional)") if t.get("provisional") else "")
        table.add_row(
            str(t["rank_in_plant"]),
            f"{t['name']} {t['team']}",
            tier,
            "-" if t["score"] is None else f"{t['score']:.1f}",
            _pct(t["kpis"]["completion"]),
            _pct(t["kpis"]["attendance_rate"]),
        )
    out.print(table)
    for t in weakest:
        if t["diagnosis"]:
            text = _("; ").join(_diagnosed(d) for d in t["diagnosis"])
            out.print(f"{t['name']} {t['team']}: {text}", markup=False, highlight=False)
    if doc.get("review_id"):
        out.print(
            _(
                "Stored as review {id}; 'teamroots report' writes the full report.",
                id=doc["review_id"],
            ),
            markup=False,
        )


def _diagnosed(d: dict) -> str:
    """A diagnosis item with the failed criteria behind it: value against threshold."""
    evidence = d.get("evidence")
    if not isinstance(evidence, list) or not evidence:
        return d["label"]
    parts = _("; ").join(
        _(
            "{kpi} {value}, needs {op} {threshold}",
            kpi=kpi_name(e["kpi"]),
            value=_num(e["value"]),
            op=e["op"],
            threshold=_num(e["threshold"]),
        )
        for e in evidence
    )
    return f"{d['label']} ({parts})"


def _num(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def print_leaders_plan(out: Console, doc: dict) -> None:
    gap = "-" if doc.get("gap") is None else f"{doc['gap']:.2%}"
    out.print(
        _(
            "Leadership plan {plan}: {status}; weakest team {low:.3f}, total {total:.2f}; "
            "gap {gap}.",
            plan=doc.get("plan_id") or "-",
            status=solve_status(doc["status"]),
            low=doc["objective"]["min_team"],
            total=doc["objective"]["total"],
            gap=gap,
        ),
        markup=False,
    )
    changes = [d for d in doc["decisions"] if d["leader"] != d["incumbent"]]
    table = Table(title=_("New leaders proposed ({count})", count=len(changes)))
    for name in (_("team"), _("leader"), _("incumbent"), _("core"), _("why")):
        table.add_column(name, overflow="fold")
    for d in changes[:SHOWN]:
        core = _(", ").join(
            f"{_named(c, 'name', 'person')} {label(Role(c['role']))}" for c in d["core"]
        )
        table.add_row(
            _named(d, "team_name", "team"),
            _named(d, "leader_name", "leader"),
            _named(d, "incumbent_name", "incumbent"),
            core,
            _why(d),
        )
    out.print(table)
    more(out, len(changes) - SHOWN)
    needs = [d for d in doc["decisions"] if _needs(d)]
    if needs:
        out.print(
            _(
                "{n} teams need a survey or a cadre's attention rather than a new leader: {teams}",
                n=len(needs),
                teams=_(", ").join(_named(d, "team_name", "team") for d in needs[:SHOWN]),
            ),
            markup=False,
        )
        more(out, len(needs) - SHOWN)
    approve_hint(out, doc)


SHOWN = 20  # rows of a list printed before "… and N more"


def more(out: Console, hidden: int) -> None:
    """Say what a cut list left out, and where to see it all."""
    if hidden > 0:
        out.print(
            _("… and {n} more (see --json or the report).", n=hidden), markup=False, style="dim"
        )


def _named(row: dict, name: str, code: str) -> str:
    """A person or team as people know them: name and code."""
    return named(row.get(name), row[code]) if row.get(code) else "-"


def _why(d: dict) -> str:
    """The reason that says how the leader came to be there (not the evidence)."""
    placed = ("incumbent_replaced", "transfer", "no_incumbent", "no_leader")
    found = [r["text"] for r in d["reasons"] if r["code"] in placed]
    return " ".join(found) or (d["reasons"][1]["text"] if len(d["reasons"]) > 1 else "")


def _needs(d: dict) -> bool:
    return any(r["code"] in ("needs_survey", "needs_cadre") for r in d["reasons"])


def print_training_plan(out: Console, doc: dict) -> None:
    out.print(
        _(
            "Training plan {plan}: {status}; lateness of backward teams {value} (bound {bound}, "
            "gap {gap:.2%}); class size {size}.",
            plan=doc.get("plan_id") or "-",
            status=solve_status(doc["status"]),
            value=doc["objective"]["lateness"],
            bound=doc["bound"]["lateness"],
            gap=doc["gap"],
            size=doc["rules"]["class_size"],
        ),
        markup=False,
    )
    for warning in doc.get("warnings", []):
        out.print(warning, style="yellow", markup=False)
    table = Table()
    for name in (_("batch"), _("date"), _("trainees"), _("tier 3"), _("study")):
        table.add_column(name, overflow="fold")
    for b in doc["batches"]:
        study = _(", ").join(b["curriculum"]["study"]) or "-"
        table.add_row(str(b["batch"]), b["date"], str(len(b["leaders"])), str(b["tier3"]), study)
    out.print(table)
    approve_hint(out, doc)


def print_links_plan(out: Console, doc: dict) -> None:
    linked = sum(1 for x in doc["links"] if x["advanced_team"] and x["backward_team"])
    out.print(
        _(
            "Cadre links plan {plan}: {status}; {linked} of {cadres} cadres linked with both "
            "teams; {uncovered} backward teams without a cadre; gap {gap}.",
            plan=doc.get("plan_id") or "-",
            status=solve_status(doc["status"]),
            linked=linked,
            cadres=len(doc["links"]),
            uncovered=len(doc["uncovered"]),
            gap="-" if doc.get("gap") is None else f"{doc['gap']:.2%}",
        ),
        markup=False,
    )
    table = Table()
    for name in (_("cadre"), _("unit"), _("advanced"), _("backward"), _("why")):
        table.add_column(name, overflow="fold")
    for x in doc["links"][:SHOWN]:
        why = _("; ").join(
            r["text"] for r in x["reasons"] if r["code"] not in ("advanced", "backward")
        )
        table.add_row(
            _named(x, "cadre_name", "cadre"),
            x["unit"],
            _named(x, "advanced_team_name", "advanced_team"),
            _named(x, "backward_team_name", "backward_team"),
            why,
        )
    out.print(table)
    more(out, len(doc["links"]) - SHOWN)
    for u in doc["uncovered"][:SHOWN]:
        out.print(u["reasons"][0]["text"], markup=False)
    more(out, len(doc["uncovered"]) - SHOWN)
    approve_hint(out, doc)


def approve_hint(out: Console, doc: dict) -> None:
    """Who approved a stored plan and when, or how to approve one that is still a proposal
    (unless it is stale: then what changed)."""
    stale = doc.get("stale")
    if stale:
        out.print(
            _(
                "Stale: {gone} trainees are no longer leaders or deputies and {new} who are now "
                "are not in it; plan again with 'teamroots plan training'.",
                gone=len(stale["gone"]),
                new=len(stale["new"]),
            ),
            style="yellow",
            markup=False,
        )
    elif doc.get("approval") == PlanStatus.APPROVED:
        out.print(
            _(
                "Approved by {by} at {at}.",
                by=doc.get("approved_by") or "-",
                at=(doc.get("approved_at") or "-")[:16],
            ),
            markup=False,
        )
    elif doc.get("plan_id"):
        out.print(
            _("Approve it with: teamroots approve {plan} --by NAME", plan=doc["plan_id"]),
            markup=False,
        )


def print_plan_list(out: Console, rows) -> None:
    if not rows:
        out.print(_("No plan yet: run 'teamroots plan leaders'."), markup=False)
        return
    table = Table()
    for name in (_("plan"), _("kind"), _("status"), _("made"), _("approved by"), _("at")):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.id),
            label(r.kind),
            label(r.approval),
            (r.created_at or "-")[:16],
            r.approved_by or "-",
            (r.approved_at or "-")[:16],
        )
    out.print(table)


def print_calibration(out: Console, result) -> None:
    """The thresholds a calibration proposes, and the tiers the plant gets with them."""
    table = Table(title=_("Proposed thresholds"))
    for name in (_("criterion"), _("KPI"), _("now"), _("proposed")):
        table.add_column(name, overflow="fold")
    for name, kpi, before, after in result.thresholds:
        table.add_row(criterion_name(name), kpi_name(kpi), _num(before), _num(after))
    out.print(table)
    tiers = Table(title=_("Teams per tier"))
    for name in (_("rubric"), _("advanced"), _("intermediate"), _("backward"), _("not assessed")):
        tiers.add_column(name, overflow="fold")
    for name, counts in ((_("now"), result.tiers_before), (_("proposed"), result.tiers_after)):
        keys = ("1", "2", "3", "not_assessed")
        tiers.add_row(name, *(str(counts[k]) for k in keys))
    out.print(tiers)
    out.print(
        _(
            "Written to {file}. Read it, edit it, then: teamroots assess --rubric {file}",
            file=str(result.path),
        ),
        markup=False,
    )
