"""A property over generated org trees: the one scope check gives every role exactly the teams
it should see, never one outside (checked against an independent walk of the tree), and the
reads built on it — the list, each team, the boards of a unit — agree with it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots import services
from teamroots.config import Settings
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from tests.factories import write_csv


@st.composite
def plants(draw):
    """Units as a tree rooted at the plant (each unit's parent comes before it), and teams
    spread over the units."""
    count = draw(st.integers(2, 9))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, count)]
    teams = draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=14))
    return parents, teams


def _expected(parents: list[int | None], teams: list[int], unit: int) -> set[str]:
    def under(u: int | None) -> bool:
        while u is not None:
            if u == unit:
                return True
            u = parents[u]
        return False

    return {f"T{i}" for i, owner in enumerate(teams) if under(owner)}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plant=plants())
def test_every_role_sees_exactly_its_teams_in_any_org_tree(sqlite_template, plant):
    parents, teams = plant
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "t.db"
        shutil.copy(sqlite_template, path)
        with services.open_database(Settings(database_url=f"sqlite:///{path}")) as db:
            units = [("code", "name", "kind", "parent")] + [
                (f"U{i}", f"Unit {i}", "plant" if p is None else "workshop",
                 "" if p is None else f"U{p}")
                for i, p in enumerate(parents)
            ]
            services.census.import_file(db, "units", write_csv(folder / "u.csv", units))
            rows = [("code", "name", "unit")] + [
                (f"T{i}", f"Team {i}", f"U{u}") for i, u in enumerate(teams)
            ]
            services.census.import_file(db, "teams", write_csv(folder / "t.csv", rows))
            every = {f"T{i}" for i in range(len(teams))}
            with db.read() as conn:
                scope = services.access.team_scope
                for role in (AccessRole.ADMIN, AccessRole.PLANT_MANAGER):
                    assert scope(conn, Viewer(1, "x", role)) is None
                for unit in range(len(parents)):
                    head = Viewer(1, "x", AccessRole.UNIT_HEAD, unit_code=f"u{unit}")
                    assert scope(conn, head) == _expected(parents, teams, unit)
                for i in range(len(teams)):
                    lead = Viewer(1, "x", AccessRole.TEAM_LEADER, team_code=f"T{i}")
                    assert scope(conn, lead) == {f"T{i}"}
                for role in (AccessRole.MEMBER, AccessRole.CADRE):
                    assert scope(conn, Viewer(1, "x", role, employee_no="E1")) == frozenset()
                # deny by default: a role without its tie, or tied to what does not exist
                assert scope(conn, Viewer(1, "x", AccessRole.UNIT_HEAD)) == frozenset()
                nowhere = (
                    Viewer(1, "x", AccessRole.UNIT_HEAD, unit_code="NONE"),
                    Viewer(1, "x", AccessRole.TEAM_LEADER, team_code="NONE"),
                )
                assert all(scope(conn, v) == set() for v in nowhere)
            # before any review, a team page is NotFound for everyone; outside scope too
            for code in every:
                for viewer in (Viewer(1, "x", AccessRole.TEAM_LEADER, team_code="T0"),
                               Viewer(1, "x", AccessRole.MEMBER, employee_no="E1")):
                    try:
                        services.access.team_detail(db, viewer, code)
                        raise AssertionError("a team page without a review or out of scope")
                    except NotFound:
                        pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)
