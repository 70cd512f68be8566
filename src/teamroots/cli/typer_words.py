"""Typer's own words (panel titles, "Usage:", the help option) in the user's language.

Typer keeps them as module constants and literals of its vendored click; they are set here,
once per app build, from our catalog. Only names Typer documents in ``typer.rich_utils`` and two
small functions of its vendored click are touched; when a Typer release moves them, help texts
stay in English and nothing else changes.
"""

from __future__ import annotations

from teamroots.i18n import N_, gettext

_RICH = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
HELP = N_("Show this message and exit.")
USAGE = N_("Usage: ")


def translate_typer() -> None:
    try:
        from typer import rich_utils
        from typer._click import decorators, formatting
    except ImportError:  # a Typer without them: its words stay English
        return
    for name, msgid in _RICH.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, gettext(msgid))
    original = getattr(decorators.help_option, "__wrapped__", decorators.help_option)

    def help_option(param_decls):
        add = original(param_decls)

        def decorate(command):
            command = add(command)
            command.params[-1].help = gettext(HELP)
            return command

        return decorate

    help_option.__wrapped__ = original  # type: ignore[attr-defined]
    decorators.help_option = help_option
    write_usage = getattr(
        formatting.HelpFormatter.write_usage, "__wrapped__", formatting.HelpFormatter.write_usage
    )

    def usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, gettext(USAGE) if prefix is None else prefix)

    usage.__wrapped__ = write_usage  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = usage
