"""Jinja2 pages: one environment (templates in the package), ``_`` for translations, the
language and the viewer in every page's context."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from teamroots import i18n, report
from teamroots.domain.choices import DESIGNATION_LABELS, AccessRole, Role, label
from teamroots.i18n import gettext
from teamroots.track.visits import AREA_NAMES, LEVEL_NAMES


@cache
def environment():
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    env = Environment(
        # the report's templates too: a plan's section is the report's, one template for both
        loader=ChoiceLoader(
            [
                PackageLoader("teamroots.web", "templates"),
                PackageLoader("teamroots.report", "templates"),
            ]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["_"] = gettext
    env.globals["role_name"] = lambda role: label(AccessRole(role))
    env.filters["member_role"] = member_role
    env.filters["designation"] = designation_name
    env.globals["area_name"] = lambda area: gettext(AREA_NAMES.get(area, area))
    env.filters["area_label"] = lambda area: gettext(AREA_NAMES.get(area, area))
    env.globals["level_name"] = lambda level: gettext(LEVEL_NAMES.get(level, level))
    env.filters["day"] = i18n.day  # dates and numbers per locale (Babel)
    env.filters["moment"] = i18n.moment
    env.filters["number"] = i18n.number
    env.globals["kpi_name"] = report.kpi_name
    env.globals["kpi_value"] = report.fmt
    return env


def member_role(role: str) -> str:
    try:
        return label(Role(role))
    except ValueError:
        return role


def designation_name(tag: str) -> str:
    known = DESIGNATION_LABELS.get(tag)
    return gettext(known) if known else tag


def render(
    request: Request, lang: str, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    from teamroots.web.deps import speaking

    session = getattr(request.state, "session", None)
    with speaking(lang):
        html = (
            environment()
            .get_template(template)
            .render(
                lang=lang,
                path=request.url.path,
                query=str(request.url.query),
                viewer=session.viewer if session else None,
                csrf=session.csrf if session else "",
                **context,
            )
        )
    return HTMLResponse(html, status_code=status)


def render_fragment(lang: str, template: str, **context: Any) -> Markup:
    """A part of a page that does not depend on the request (kept by the caller)."""
    from markupsafe import Markup

    from teamroots.web.deps import speaking

    with speaking(lang):
        return Markup(environment().get_template(template).render(lang=lang, **context))


def render_error(request: Request, lang: str, status: int, text: str) -> HTMLResponse:
    return render(request, lang, "error.html.j2", status=status, status_code=status, text=text)
