"""schemathesis over the whole API, signed in as a plant manager on a small sample plant:
no 5xx, and every response inside its schema (status codes, content types, bodies)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.config import Settings
from teamroots.web.app import create_app

PASSWORD = "api-furnace-3"


def _app():
    folder = Path(tempfile.mkdtemp(prefix="teamroots-api-"))
    config = Settings(database_url=f"sqlite:///{folder / 'api.db'}")
    with services.open_database(config, upgrade=True) as db:
        services.census.build_demo(db, DemoSpec(teams=12, days=40))
        services.assess.assess(db)
        services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    app = create_app(config)
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": token})
    app.state.test_cookie = client.cookies.get("teamroots_session")
    app.state.test_folder = folder
    return app


APP = _app()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    shutil.rmtree(APP.state.test_folder, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_inside_its_schema(case):
    case.call_and_validate(headers={"Cookie": f"teamroots_session={APP.state.test_cookie}"})
