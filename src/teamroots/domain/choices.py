"""Named choices: unit kinds, shifts, roles, cadre levels, nomination questions, tiers, plan
kinds and statuses.

Each choice has an English label (a msgid, translated when shown) and, for imports, extra
aliases plants use in their files. Values stored in the database are the enum values.
"""

from __future__ import annotations

from enum import StrEnum

from teamroots.i18n import N_, gettext


class UnitKind(StrEnum):
    PLANT = "plant"
    WORKSHOP = "workshop"
    OFFICE = "office"
    SECTION = "section"


class Shift(StrEnum):
    DAY = "day"
    MIDDLE = "middle"
    NIGHT = "night"
    ROTATING = "rotating"


class Role(StrEnum):
    LEADER = "leader"
    DEPUTY = "deputy"
    SAFETY = "safety"
    QUALITY = "quality"
    ATTENDANCE = "attendance"
    EQUIPMENT = "equipment"
    STUDY = "study"
    MEMBER = "member"


CORE_ROLES = (Role.DEPUTY, Role.SAFETY, Role.QUALITY, Role.ATTENDANCE, Role.EQUIPMENT, Role.STUDY)


class CadreLevel(StrEnum):
    PLANT = "plant"
    WORKSHOP = "workshop"
    SECTION = "section"


class Question(StrEnum):
    TRUST_TO_LEAD = "trust_to_lead"
    HELPS_OTHERS = "helps_others"


class Tier(StrEnum):
    """The three tiers of 摸底排队; stored and shown as 1, 2, 3."""

    ADVANCED = "1"
    INTERMEDIATE = "2"
    BACKWARD = "3"

    @classmethod
    def of(cls, value: object) -> Tier | None:
        """The tier of a stored or computed value (1, "1" or a Tier); None stays None."""
        return None if value is None else cls(str(value))


class PlanKind(StrEnum):
    LEADERS = "leaders"
    TRAINING = "training"
    LINKS = "links"


class SolveStatus(StrEnum):
    """What the solver (or a person) made of a plan."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    EDITED = "EDITED"


def solve_status(value: str) -> str:
    """A plan's status in the reader's language (an unknown status as it is)."""
    try:
        return label(SolveStatus(value))
    except ValueError:
        return value


class PlanStatus(StrEnum):
    """Where a stored plan stands: a proposal until a person approves it."""

    PROPOSED = "proposed"
    APPROVED = "approved"


# Keyed by enum type: members of different enums with the same value are equal strings.
class AccessRole(StrEnum):
    """What a signed-in user may see and do (DESIGN.md, "Who uses it")."""

    ADMIN = "admin"
    PLANT_MANAGER = "plant_manager"
    UNIT_HEAD = "unit_head"
    CADRE = "cadre"
    TEAM_LEADER = "team_leader"
    MEMBER = "member"


LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    AccessRole: {
        AccessRole.ADMIN: N_("administrator"),
        AccessRole.PLANT_MANAGER: N_("plant manager"),
        AccessRole.UNIT_HEAD: N_("unit head"),
        AccessRole.CADRE: N_("cadre"),
        AccessRole.TEAM_LEADER: N_("team leader"),
        AccessRole.MEMBER: N_("member"),
    },
    UnitKind: {
        UnitKind.PLANT: N_("plant"),
        UnitKind.WORKSHOP: N_("workshop"),
        UnitKind.OFFICE: N_("office"),
        UnitKind.SECTION: N_("section"),
    },
    Shift: {
        Shift.DAY: N_("day shift"),
        Shift.MIDDLE: N_("middle shift"),
        Shift.NIGHT: N_("night shift"),
        Shift.ROTATING: N_("rotating shifts"),
    },
    Role: {
        Role.LEADER: N_("team leader"),
        Role.DEPUTY: N_("deputy leader"),
        Role.SAFETY: N_("safety officer"),
        Role.QUALITY: N_("quality officer"),
        Role.ATTENDANCE: N_("attendance keeper"),
        Role.EQUIPMENT: N_("equipment keeper"),
        Role.STUDY: N_("study organiser"),
        Role.MEMBER: N_("member"),
    },
    CadreLevel: {
        CadreLevel.PLANT: N_("plant level"),
        CadreLevel.WORKSHOP: N_("workshop level"),
        CadreLevel.SECTION: N_("section level"),
    },
    Tier: {
        Tier.ADVANCED: N_("advanced"),
        Tier.INTERMEDIATE: N_("intermediate"),
        Tier.BACKWARD: N_("backward"),
    },
    PlanKind: {
        PlanKind.LEADERS: N_("Leadership plan"),
        PlanKind.TRAINING: N_("Training plan"),
        PlanKind.LINKS: N_("Cadre links plan"),
    },
    SolveStatus: {
        SolveStatus.OPTIMAL: N_("optimal (proven)"),
        SolveStatus.FEASIBLE: N_("feasible (not proven best)"),
        SolveStatus.EDITED: N_("edited by hand"),
    },
    PlanStatus: {
        PlanStatus.PROPOSED: N_("proposed"),
        PlanStatus.APPROVED: N_("approved"),
    },
    Question: {
        Question.TRUST_TO_LEAD: N_("whom do you trust to lead the team?"),
        Question.HELPS_OTHERS: N_("who helps others and cares about the collective?"),
    },
}

# Words plants write in their files for a choice, beyond its value and its labels.
ALIASES: dict[type[StrEnum], dict[StrEnum, tuple[str, ...]]] = {
    UnitKind: {
        UnitKind.PLANT: ("厂", "factory", "works"),
        UnitKind.WORKSHOP: ("车间", "shop", "department", "dept"),
        UnitKind.OFFICE: ("科室", "科", "处", "department office"),
        UnitKind.SECTION: ("工段", "段"),
    },
    Shift: {
        Shift.DAY: ("白班", "早班", "day", "d", "a"),
        Shift.MIDDLE: ("中班", "evening", "swing", "m", "b"),
        Shift.NIGHT: ("夜班", "晚班", "night", "n", "c"),
        Shift.ROTATING: ("倒班", "三班倒", "rotating", "r"),
    },
    Role: {
        Role.LEADER: ("班长", "组长", "班组长", "leader", "foreman", "team lead"),
        Role.DEPUTY: ("副班长", "副组长", "deputy", "assistant leader"),
        Role.SAFETY: ("安全员", "safety"),
        Role.QUALITY: ("质量员", "质检员", "quality"),
        Role.ATTENDANCE: ("考勤员", "attendance"),
        Role.EQUIPMENT: ("设备员", "equipment"),
        Role.STUDY: ("学习委员", "宣传员", "study"),
        Role.MEMBER: ("组员", "成员", "工人", "worker", "member"),
    },
    CadreLevel: {
        CadreLevel.PLANT: ("厂级", "plant"),
        CadreLevel.WORKSHOP: ("车间级", "workshop"),
        CadreLevel.SECTION: ("工段级", "section"),
    },
    Question: {
        Question.TRUST_TO_LEAD: ("trust", "trust to lead", "lead", "信任", "带头人"),
        Question.HELPS_OTHERS: ("helps", "helps others", "cares", "乐于助人", "关心集体"),
    },
}


# The default designation tags (a setting: a plant may use others, shown as written).
DESIGNATION_LABELS = {
    "party_member": N_("party member"),
    "league_member": N_("youth league member"),
    "activist": N_("activist"),
    "model_worker": N_("model worker"),
}


def label(choice: StrEnum) -> str:
    """The choice's label in the current language."""
    return gettext(LABELS[type(choice)][choice])
