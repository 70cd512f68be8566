"""Notices by email (issue 12), only when an SMTP server is configured
(TEAMROOTS_SMTP_HOST): after a reminder pass, each account with an email address gets one
message listing the new notices for it — the same notices its inbox shows. A server that
cannot be reached is logged; the notices stay in the inboxes."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from teamroots.i18n import current_language, gettext, set_language
from teamroots.store import notices_repo, users_repo
from teamroots.store.db import Database

_AUDIENCE = {"plant_manager": "plant", "admin": "plant", "unit_head": "unit_head"}


def _for(user: dict, notice: dict, subtree) -> bool:
    if notice["audience"] == "person":
        return user["person_id"] is not None and user["person_id"] == notice["person_id"]
    if notice["audience"] == "team_leader":
        return user["role"] == "team_leader" and user["team_code"] == notice["team"]
    if notice["audience"] == "unit_head":
        return user["role"] == "unit_head" and notice["team"] in subtree(user["unit_code"])
    return _AUDIENCE.get(user["role"]) == "plant" and notice["audience"] == "plant"


def letters(conn, ids: list[int], lang: str) -> dict[str, list[str]]:
    """Email address → the lines of the notices ``ids`` (a pass's new ones), in ``lang``."""
    new = notices_repo.new_ones(conn, ids)
    if not new:
        return {}
    trees: dict[str, set[str]] = {}

    def subtree(unit: str | None) -> set[str]:
        if unit not in trees:
            trees[unit] = users_repo.unit_subtree_team_codes(conn, unit) if unit else set()
        return trees[unit]

    previous = current_language()
    set_language(lang)
    try:
        out: dict[str, list[str]] = {}
        for user in notices_repo.mail_users(conn):
            for n in new:
                if _for(user, n, subtree):
                    line = gettext(n["message"]["msgid"], **n["message"]["params"])
                    out.setdefault(user["email"], []).append(f"- {line} ({n['link']})")
        return out
    finally:
        set_language(previous)


def send(db: Database, mail: dict[str, list[str]]) -> int:
    """Send one message per address; how many were sent (0 without an SMTP server)."""
    s = db.settings
    if not s.smtp_host or not mail:
        return 0
    sent = 0
    try:
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
            for address, lines in sorted(mail.items()):
                smtp.send_message(_message(s, address, lines))
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        logging.getLogger("teamroots").warning(
            "notices by email: %s:%s: %s (the notices stay in the inboxes)",
            s.smtp_host, s.smtp_port, exc,
        )  # fmt: skip
    return sent


def _message(settings, address: str, lines: list[str]) -> EmailMessage:
    previous = current_language()
    set_language(settings.lang)
    try:
        msg = EmailMessage()
        msg["Subject"] = gettext("teamroots: {count} new notices", count=len(lines))
        msg["From"] = settings.smtp_from
        msg["To"] = address
        head = gettext("New reminders and escalations for you:")
        msg.set_content("\n".join([head, "", *lines[:200]]))
        return msg
    finally:
        set_language(previous)
