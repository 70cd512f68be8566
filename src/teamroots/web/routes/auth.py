"""Sign-in and sign-out. The sign-in form carries a CSRF token of its own (a cookie and a hidden
field that must match), since there is no session yet."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from teamroots import services
from teamroots.errors import NotAllowed
from teamroots.services import Database
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a URL): no open redirect."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target  # browsers read "/\\host" as "//host"
        and not any(ord(c) < 32 for c in target)
    ):
        return target
    return "/"


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str | None = None, error: str | None = None):
    lang = deps.language(request)
    token = secrets.token_urlsafe(24)
    response = render(
        request, lang, "login.html.j2", login_csrf=token, next=_safe_next(next), error=error
    )
    deps.set_cookie(response, request, deps.LOGIN_CSRF_COOKIE, token, max_age=3600)
    if request.query_params.get("lang"):
        deps.set_cookie(response, request, deps.LANG_COOKIE, lang, max_age=365 * 86400)
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    name: str = Form(...),
    password: str = Form(...),
    csrf: str = Form(""),
    next: str = Form("/"),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    expected = request.cookies.get(deps.LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf, expected):
        raise NotAllowed("The form has expired or did not come from this site; reload the page.")
    try:
        signed = services.users.sign_in(db, name, password)
    except NotAllowed as exc:
        token = secrets.token_urlsafe(24)
        response = render(
            request,
            lang,
            "login.html.j2",
            status=401,
            login_csrf=token,
            next=_safe_next(next),
            error=deps.translated(exc, lang),
        )
        deps.set_cookie(response, request, deps.LOGIN_CSRF_COOKIE, token, max_age=3600)
        return response
    response = RedirectResponse(_safe_next(next), status_code=303)
    max_age = db.settings.session_max_hours * 3600
    deps.set_cookie(response, request, deps.SESSION_COOKIE, signed.token, max_age=max_age)
    response.delete_cookie(deps.LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(
    request: Request,
    _session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    services.users.sign_out(db, request.cookies.get(deps.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response
