"""The web application: ``create_app(settings)`` (FastAPI, Jinja2 pages, a JSON API)."""
