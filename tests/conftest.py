"""Shared fixtures. Every test that takes ``settings`` runs on SQLite and, when
TEAMROOTS_TEST_PG_URL is set, on PostgreSQL too (a database of its own per xdist worker)."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from teamroots.config import Settings
from teamroots.i18n import set_language
from teamroots.store import schema
from teamroots.store.db import make_engine
from teamroots.store.tables import FILL_ORDER

PG_URL = os.environ.get("TEAMROOTS_TEST_PG_URL")


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()
    return str(path)


def _admin_url(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url(worker_id: str):
    """A fresh PostgreSQL database for this worker, migrated, dropped at the end."""
    if not PG_URL:
        pytest.skip("TEAMROOTS_TEST_PG_URL is not set")
    name = f"teamroots_test_{worker_id}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = _admin_url(PG_URL, name)
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_pg(url: str) -> None:
    engine = make_engine(url)
    # accounts and sessions too; the audit log is append-only (a trigger refuses TRUNCATE)
    names = ", ".join([*(t.__tablename__ for t in FILL_ORDER), "app_user", "user_session", "job",
                       "huey_task", "huey_schedule", "huey_kv", "huey_counter"])
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template) -> str:
    """An empty, migrated database: a copied SQLite file, or the worker's emptied PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "teamroots.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    _empty_pg(url)
    return url


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def db(settings):
    """The services' handle on the test's database (opened once, closed after the test)."""
    from teamroots import services

    with services.open_database(settings) as handle:
        yield handle


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_settings(tmp_path, sqlite_template) -> Settings:
    """SQLite only: for tests about files rather than databases."""
    path = tmp_path / "teamroots.db"
    shutil.copy(sqlite_template, path)
    return Settings(database_url=f"sqlite:///{path}")
