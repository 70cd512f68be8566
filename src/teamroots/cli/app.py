"""The teamroots command line. Built by ``make_app()`` after the language is known, so help
texts are translated too; errors become messages in ``common.handled``, once, in the user's
language."""

from __future__ import annotations

import os
import sys

import typer

from teamroots.i18n import _, set_language


def make_app() -> typer.Typer:
    from teamroots.cli import assess, census, plans, track, web
    from teamroots.cli.typer_words import translate_typer

    translate_typer()
    app = typer.Typer(
        pretty_exceptions_enable=False,
        help=_("teamroots: know, rank, staff, train and follow every production team of a plant."),
        no_args_is_help=True,
        add_completion=False,
    )

    @app.callback()
    def main_options(lang: str = typer.Option(None, "--lang", help=_("Language: en or zh-CN."))):
        if lang:
            set_language(lang)

    census.register(app)
    assess.register(app)
    plans.register(app)
    web.register(app)
    track.register(app)
    track.register_follow(app)
    return app


def language_from(argv: list[str]) -> str | None:
    """The --lang given on the command line, read before the app is built so that its help
    texts are in that language too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    set_language(
        language_from(sys.argv[1:]) or os.environ.get("TEAMROOTS_LANG") or os.environ.get("LANG")
    )
    make_app()()
