"""What each import kind holds: its fields, their types, which are required, which form the
natural key an import upserts on, and the header names plants commonly use for them.

Documented field by field in docs/import.md; a test fails when a field is missing there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from teamroots.domain.choices import CadreLevel, Question, Role, Shift, UnitKind


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, number, count, date, bool, choice, pairs, tags, item, unit, team, person
    required: bool = False
    headers: tuple[str, ...] = ()
    choices: type[StrEnum] | None = None
    create_only: bool = False  # read only to create a team a records file names


@dataclass(frozen=True)
class Kind:
    name: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


_TEAM_FOR_CREATE = (
    Field("unit", "unit", create_only=True, headers=("unit code", "workshop", "车间", "单位")),
    Field("team_name", "text", create_only=True, headers=("班组名称",)),
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "units",
            ("code",),
            (
                Field("code", "text", True, ("unit code", "单位代码", "单位编码", "代码")),
                Field("name", "text", True, ("unit name", "单位名称", "名称")),
                Field("kind", "choice", True, ("type", "unit kind", "类型", "单位类型"), UnitKind),
                Field("parent", "unit", False, ("parent code", "parent unit", "上级单位", "上级")),
            ),
        ),
        Kind(
            "teams",
            ("code",),
            (
                Field("code", "text", True, ("team code", "team", "班组代码", "班组编码")),
                Field("name", "text", True, ("team name", "班组名称", "名称")),
                Field(
                    "unit",
                    "unit",
                    True,
                    ("unit code", "workshop", "section", "车间", "工段", "单位"),
                ),
                Field("line", "text", False, ("production line", "生产线", "产线")),
                Field("shift", "choice", False, ("班次",), Shift),
                Field("posts", "pairs", False, ("required posts", "岗位", "岗位定员")),
            ),
        ),
        Kind(
            "people",
            ("employee_no",),
            (
                Field("employee_no", "text", True, ("employee number", "emp no", "工号", "员工号")),
                Field("name", "text", True, ("姓名",)),
                Field("hire_date", "date", False, ("hired", "入职日期", "入厂日期")),
                Field("skills", "pairs", False, ("技能",)),
                Field("designations", "tags", False, ("tags", "政治面貌", "身份")),
            ),
        ),
        Kind(
            "memberships",
            ("person", "team", "role", "start_date"),
            (
                Field("person", "person", True, ("employee_no", "employee number", "工号")),
                Field("team", "team", True, ("team code", "班组", "班组代码")),
                Field("role", "choice", True, ("职务", "角色"), Role),
                Field("start_date", "date", True, ("from", "start", "开始日期", "起始日期")),
                Field("end_date", "date", False, ("to", "end", "结束日期", "截止日期")),
            ),
        ),
        Kind(
            "cadres",
            ("person",),
            (
                Field("person", "person", True, ("employee_no", "employee number", "工号")),
                Field("level", "choice", True, ("级别", "层级"), CadreLevel),
                Field("unit", "unit", True, ("unit code", "负责单位", "单位")),
            ),
        ),
        Kind(
            "records",
            ("team", "date"),
            (
                Field("team", "team", True, ("team code", "班组", "班组代码")),
                Field("date", "date", True, ("day", "日期")),
                Field(
                    "planned",
                    "number",
                    False,
                    ("plan", "target", "planned output", "计划", "计划产量"),
                ),
                Field("actual", "number", False, ("actual output", "output", "实际", "实际产量")),
                Field("members_scheduled", "number", False, ("scheduled", "应出勤", "应到人数")),
                Field("members_present", "number", False, ("present", "实出勤", "实到人数")),
                Field("incidents", "count", False, ("事故", "安全事件")),
                Field("defects", "count", False, ("质量问题", "不良品", "废品")),
                *_TEAM_FOR_CREATE,
            ),
        ),
        Kind(
            "nominations",
            ("survey_date", "nominator", "nominee", "question"),
            (
                Field("survey_date", "date", True, ("survey", "date", "调查日期")),
                Field("nominator", "person", True, ("voter", "from", "推荐人")),
                Field("nominee", "person", True, ("named", "to", "被推荐人")),
                Field("question", "choice", True, ("问题", "题目"), Question),
            ),
        ),
        Kind(
            "checklists",
            ("team", "item", "checked_on"),
            (
                Field("team", "team", True, ("team code", "班组", "班组代码")),
                Field("item", "item", True, ("制度", "项目")),
                Field("in_place", "bool", True, ("in place", "done", "是否建立", "落实")),
                Field("checked_on", "date", True, ("date", "checked", "检查日期")),
                *_TEAM_FOR_CREATE,
            ),
        ),
    )
}

# Words plants use for the default designation tags; a plant's own tags match by name.
DESIGNATION_ALIASES = {
    "party_member": ("party member", "cpc member", "党员", "中共党员"),
    "league_member": ("league member", "youth league", "团员", "共青团员"),
    "activist": ("积极分子", "入党积极分子"),
    "model_worker": ("model worker", "劳模", "劳动模范", "先进工作者"),
}

CHECKLIST_ALIASES = {
    "post_responsibility": ("岗位责任制", "post responsibility"),
    "shift_handover": ("交接班", "交接班制度", "shift handover"),
    "safety": ("安全", "安全制度", "安全生产"),
    "quality_self_check": ("质量自检", "自检", "quality self check"),
    "attendance": ("考勤", "考勤制度"),
    "equipment_care": ("设备维护", "设备保养", "equipment care"),
    "team_meeting": ("班组会", "班前会", "team meeting"),
    "study": ("学习", "学习制度"),
}
