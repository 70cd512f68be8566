"""For `teamroots serve --workers N`: uvicorn imports this and calls ``app()`` in each worker,
with the settings of the environment (nothing is made at import)."""

from __future__ import annotations


def app():
    from teamroots.config import Settings
    from teamroots.web.app import create_app

    return create_app(Settings())
