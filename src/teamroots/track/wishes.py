"""Wishes up: a member's wish or problem goes to the team leader with a first-response
deadline; unanswered, it goes to the unit head, then to the plant. An anonymous wish is
followed by a receipt code, of which only a hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from enum import StrEnum

from teamroots.i18n import N_


class Category(StrEnum):
    SAFETY = "safety"
    WORKLOAD = "workload"
    PAY = "pay"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    LIVING = "living"
    OTHER = "other"


CATEGORY_NAMES = {
    Category.SAFETY: N_("Safety"),
    Category.WORKLOAD: N_("Workload and shifts"),
    Category.PAY: N_("Pay and bonuses"),
    Category.EQUIPMENT: N_("Equipment and tools"),
    Category.TRAINING: N_("Training"),
    Category.LIVING: N_("Living conditions"),
    Category.OTHER: N_("Other"),
}

LEVELS = ("team_leader", "unit_head", "plant")  # who must answer, in turn

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_receipt() -> str:
    """A receipt code of 15 characters (75 random bits) in groups of five: ABCDE-FGHJK-MNPQR."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(15))
    return "-".join(raw[i : i + 5] for i in range(0, 15, 5))


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code: SHA-256 of its characters, ignoring case, spaces and
    dashes, and reading O as 0 and I or L as 1."""
    plain = "".join(code.upper().split()).replace("-", "").translate(_READ_AS)
    return hashlib.sha256(plain.encode()).hexdigest()


def respond_by(raised: date, respond_days: int) -> date:
    return raised + timedelta(days=respond_days)


def wish_level(raised: date, answered: date | None, today: date, respond_days: int) -> int:
    """Who the wish is with: 0 (the team leader) until its first-response day; unanswered after
    it, the unit head (1); after a further ``respond_days``, the plant (2). An answered wish
    stays where it was answered."""
    end = min(today, answered) if answered else today
    late = (end - respond_by(raised, respond_days)).days
    if late <= 0:
        return 0
    return min(len(LEVELS) - 1, 1 + (late - 1) // max(respond_days, 1))


class WishStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


STATUS_NAMES = {
    WishStatus.OPEN: N_("Waiting for an answer"),
    WishStatus.ANSWERED: N_("Answered"),
    WishStatus.CLOSED: N_("Closed"),
}


def status(answered: date | None, closed: date | None) -> WishStatus:
    if closed:
        return WishStatus.CLOSED
    return WishStatus.ANSWERED if answered else WishStatus.OPEN
