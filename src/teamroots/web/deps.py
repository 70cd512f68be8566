"""What every request needs: the database, the language, the signed-in viewer, CSRF checks."""

from __future__ import annotations

import secrets
from contextlib import contextmanager

from fastapi import Depends, Form, Request

from teamroots import services
from teamroots.errors import NotAllowed, TeamrootsError
from teamroots.i18n import SUPPORTED, normalize_language, set_language
from teamroots.services import Database
from teamroots.services.users import Session, Viewer

SESSION_COOKIE = "teamroots_session"
LANG_COOKIE = "teamroots_lang"
LOGIN_CSRF_COOKIE = "teamroots_login_csrf"


class SignInNeeded(Exception):
    """No live session: pages redirect to /login, the API answers 401."""


async def database(request: Request) -> Database:
    return request.app.state.db


def language(request: Request) -> str:
    """?lang= (then kept in a cookie), else the cookie, else the browser's preference."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked:
        return normalize_language(asked)
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip()
        if tag.lower().startswith("zh"):
            return "zh-CN"
        if tag.lower().startswith("en"):
            return "en"
    return SUPPORTED[0]


@contextmanager
def speaking(lang: str):
    """Run a block with messages in ``lang`` (a context variable: per request)."""
    from teamroots.i18n import current_language

    previous = current_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def translated(exc: TeamrootsError, lang: str) -> str:
    with speaking(lang):
        return exc.message()


async def current_session(request: Request, db: Database = Depends(database)) -> Session | None:
    """The request's live session (a sub-millisecond read, done inline: a thread hop per
    dependency costs more than the query under load)."""
    cached = getattr(request.state, "session", False)
    if cached is not False:
        return cached
    found = services.users.session(db, request.cookies.get(SESSION_COOKIE))
    request.state.session = found
    return found


async def viewer(session: Session | None = Depends(current_session)) -> Viewer:
    if session is None:
        raise SignInNeeded
    return session.viewer


async def checked_form(
    request: Request,
    csrf: str = Form(""),
    session: Session | None = Depends(current_session),
) -> Session:
    """A signed-in form post whose CSRF token matches the session's."""
    if session is None:
        raise SignInNeeded
    if not csrf or not secrets.compare_digest(csrf, session.csrf):
        raise NotAllowed("The form has expired or did not come from this site; reload the page.")
    return session


def set_cookie(response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or request.app.state.settings.cookie_secure,
        path="/",
    )
