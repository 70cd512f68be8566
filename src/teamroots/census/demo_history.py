"""The sample plant's year of follow-through (``teamroots demo --history``): training batches
and cadre links at staggered days — training with a planted effect of known size on
completion, links with none, so the measured effects can be checked against the truth — and
the directives with their acknowledgements, wishes with their answers, and cadres' visits with
their actions that a year of the practice leaves behind."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

TRAINING_EFFECT = 0.04  # completion from the day a team's leader is trained: +4 points
LINK_EFFECT = 0.0  # a cadre link: no planted effect
SOURCE = "sample plant"
DIRECTIVES = [
    ("冬季安全生产须知", "入冬后高炉区域防滑、防冻、防煤气中毒，班前会逐条交底。"),
    ("出铁场交接班制度", "交接班必须当面交清设备状况、安全隐患和未完成任务，双方签字。"),
    ("节能降耗月活动", "本月各班组提出一条节能措施，报车间汇总。"),
    ("设备点检到人", "每台设备指定点检责任人，点检记录每班填写。"),
    ("劳动保护用品发放", "冬季劳保用品本周发放，班组长核对名单。"),
    ("技术革新合理化建议", "征集合理化建议，采纳者给予奖励。"),
]
WISHES = {
    "safety": ["三号炉护栏松动，夜班看不清", "煤气报警器经常误报", "出铁口防护服不够用"],
    "workload": ["夜班连续太多，希望调整倒班", "检修期间人手不够"],
    "pay": ["加班费核算不清楚", "希望公布奖金分配办法"],
    "equipment": ["吊车遥控器老化", "风口窥视镜模糊，需要更换"],
    "training": ["希望组织新工人操作培训", "想学习炉前自动化新设备"],
    "living": ["更衣室太冷", "食堂夜班饭菜凉"],
    "other": ["希望多开展班组文体活动"],
}
REPLIES = ["已安排处理，本周内解决。", "已报车间，正在落实。", "已解决，请大家监督。"]
FINDINGS = {
    "core": "骨干力量分散，副班长未起作用",
    "labour": "岗位分工不清，一人顶多岗",
    "attendance": "夜班缺勤较多",
    "tasks": "任务完成不稳定",
    "leader_load": "班组长事事亲自动手",
    "systems": "交接班记录不全",
}
ACTIONS = ["明确副班长分工", "建立交接班签字制度", "安排骨干带班", "每周一次班组会"]


@dataclass
class Interventions:
    """Each team's day index (0 = the first day of records) of training and of a cadre
    link; -1 for none."""

    training: np.ndarray
    link: np.ndarray

    def lift(self, lo: int, hi: int, days: int) -> np.ndarray:
        """The planted change in completion for teams lo … hi-1 on every day."""
        day = np.arange(days)[None, :]
        trained = (self.training[lo:hi, None] >= 0) & (day >= self.training[lo:hi, None])
        linked = (self.link[lo:hi, None] >= 0) & (day >= self.link[lo:hi, None])
        return TRAINING_EFFECT * trained + LINK_EFFECT * linked


def interventions(spec, teams: int, rng: np.random.Generator) -> Interventions:
    """Six training cohorts between 35 % and 80 % of the year (six teams in ten), four link
    cohorts (four in ten); the rest never, the controls."""
    days = spec.days
    # On the first day of a week of records, so a week is wholly before or after.
    cohorts = (np.linspace(0.35, 0.8, 6) * days).astype(np.int64) // 7 * 7
    links = (np.linspace(0.3, 0.75, 4) * days).astype(np.int64) // 7 * 7
    training = np.where(rng.random(teams) < 0.6, rng.choice(cohorts, teams), -1)
    link = np.where(rng.random(teams) < 0.4, rng.choice(links, teams), -1)
    return Interventions(training, link)


def _day(spec, index: int) -> date:
    return spec.end - timedelta(days=spec.days - 1 - int(index))


def tables(spec, plant, people, planned: Interventions, rng: np.random.Generator):
    """(table, columns, rows) of the year's follow-through, parents first."""
    yield (
        "intervention",
        ["id", "team_id", "kind", "started_on", "source"],
        _interventions(spec, planned),
    )
    yield from _directives(spec, plant, people, rng)
    yield from _wishes(spec, plant, people, rng)
    yield from _visits(spec, plant, people, planned, rng)


def _interventions(spec, planned: Interventions) -> list[tuple]:
    rows = []
    for kind, days in (("training", planned.training), ("link", planned.link)):
        for team in np.flatnonzero(days >= 0):
            rows.append((len(rows) + 1, int(team) + 1, kind, _day(spec, days[team]), SOURCE))
    return rows


def _directives(spec, plant, people, rng):
    """One directive a month; every third to one workshop; two of them edited once."""
    directives, versions, deliveries = [], [], []
    months = max(1, spec.days // 30)
    for k in range(months):
        title, body = DIRECTIVES[k % len(DIRECTIVES)]
        workshop = plant.workshops[k % len(plant.workshops)] if k % 3 == 2 else None
        issued = datetime.combine(_day(spec, k * 30 + 3), time(8))
        directives.append((k + 1, workshop, 1, "demo-manager", issued))
        teams = _teams_under(plant, workshop)
        edits = [issued] + ([issued + timedelta(days=6)] if k % 5 == 1 else [])
        for v, at in enumerate(edits, start=1):
            vid = len(versions) + 1
            text = body if v == 1 else body + "（第二版：补充夜班要求）"
            versions.append((vid, k + 1, v, title, text, "demo-manager", at))
            deliveries += _deliveries(vid, at, teams, people, rng, last=v == len(edits))
        if len(edits) > 1:
            directives[-1] = (k + 1, workshop, len(edits), "demo-manager", issued)
    yield "directive", ["id", "unit_id", "version", "issued_by", "created_at"], directives
    yield "directive_version", [
        "id", "directive_id", "version", "title", "body", "issued_by", "issued_at"
    ], versions  # fmt: skip
    yield "directive_delivery", [
        "version_id", "person_id", "team_id", "acked_at", "how", "recorded_by"
    ], deliveries  # fmt: skip


def _teams_under(plant, workshop: int | None) -> np.ndarray:
    if workshop is None:
        return np.arange(plant.teams)
    parent = {u[0]: u[4] for u in plant.units}

    def under(unit: int) -> bool:
        while unit is not None:
            if unit == workshop:
                return True
            unit = parent.get(unit)
        return False

    return np.array([t for t in range(plant.teams) if under(plant.unit[t])], dtype=np.int64)


def _deliveries(vid: int, at: datetime, teams, people, rng, last: bool) -> list[tuple]:
    members = np.flatnonzero(np.isin(people.team, teams))
    n = len(members)
    share = 0.93 if last else 0.5  # an old version: half had acknowledged before the edit
    acked = rng.random(n) < share
    hours = rng.lognormal(np.log(9.0), 0.9, n)
    meeting = rng.random(n) < 0.3
    rows = []
    for i, member in enumerate(members.tolist()):
        when = at + timedelta(hours=float(hours[i])) if acked[i] else None
        how = None if when is None else ("meeting" if meeting[i] else "web")
        by = "demo-leader" if how == "meeting" else None
        rows.append((vid, member + 1, int(people.team[member]) + 1, when, how, by))
    return rows


def _wishes(spec, plant, people, rng):
    """About four wishes a team a year, six in ten anonymous; most answered within days."""
    wishes, replies = [], []
    categories = list(WISHES)
    for team in range(plant.teams):
        for _ in range(int(rng.poisson(4))):
            index = int(rng.integers(0, spec.days))
            day = _day(spec, index)
            category = categories[int(rng.integers(0, len(categories)))]
            body = WISHES[category][int(rng.integers(0, len(WISHES[category])))]
            anonymous = rng.random() < 0.6
            member = int(people.first[team] + rng.integers(0, plant.size[team]))
            wid = len(wishes) + 1
            receipt = hashlib.sha256(f"demo-{spec.seed}-{wid}".encode()).hexdigest()
            delay = int(rng.integers(0, 7))
            answered = day + timedelta(days=delay) if rng.random() < 0.85 else None
            closed = answered if answered and rng.random() < 0.5 else None
            wishes.append((
                wid, team + 1, None if anonymous else member + 1, receipt, category, body, day,
                None if anonymous else datetime.combine(day, time(10)), answered, closed,
            ))  # fmt: skip
            if answered:
                reply = REPLIES[int(rng.integers(0, len(REPLIES)))]
                at = datetime.combine(answered, time(15))
                replies.append((len(replies) + 1, wid, reply, "demo-leader", "team_leader", at))
    yield "wish", [
        "id", "team_id", "person_id", "receipt_hash", "category", "body", "raised_on",
        "raised_at", "answered_on", "closed_on",
    ], wishes  # fmt: skip
    yield "wish_reply", ["id", "wish_id", "body", "by_name", "by_role", "replied_at"], replies


def _visits(spec, plant, people, planned: Interventions, rng):
    """From its link day, a cadre visits the linked team about every four weeks (one visit in
    ten is skipped), with findings and an action or two, most of them done."""
    visits, actions = [], []
    cadres = people.members + 1 + np.arange(people.cadres)
    for team in np.flatnonzero(planned.link >= 0).tolist():
        cadre = int(cadres[team % len(cadres)])
        leader = int(people.leader[team]) + 1
        index = int(planned.link[team]) + 28
        while index < spec.days:
            if rng.random() >= 0.1:
                day = _day(spec, index + int(rng.integers(-5, 6)))
                areas = rng.choice(list(FINDINGS), size=int(rng.integers(1, 3)), replace=False)
                found = {a: FINDINGS[a] for a in areas.tolist()}
                vid = len(visits) + 1
                at = datetime.combine(day, time(16))
                during = "meeting" if rng.random() < 0.6 else "day"
                text = json.dumps(found, ensure_ascii=False)
                visits.append((vid, team + 1, cadre, day, during, text, "demo-cadre", at))
                for _ in range(int(rng.integers(0, 3))):
                    due = day + timedelta(days=14)
                    done = (
                        due - timedelta(days=int(rng.integers(0, 10)))
                        if rng.random() < 0.8
                        else None
                    )
                    what = ACTIONS[int(rng.integers(0, len(ACTIONS)))]
                    owner = leader if rng.random() < 0.9 else None
                    actions.append((len(actions) + 1, vid, team + 1, what, owner, day, due, done))
            index += 28
    yield "visit", [
        "id", "team_id", "cadre_person_id", "visited_on", "during", "findings", "logged_by",
        "logged_at",
    ], visits  # fmt: skip
    yield "visit_action", [
        "id", "visit_id", "team_id", "what", "owner_person_id", "created_on", "due_on", "done_on"
    ], actions  # fmt: skip
