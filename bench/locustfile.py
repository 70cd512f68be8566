"""The users of bench/load_test.py (locust): members who browse, acknowledge the directive and
raise wishes, and managers who browse the ranking, teams and the directive's reach. Each user
signs in as its own account (LOAD_ACCOUNTS: a JSON list of [name, role, team]); what was
accepted is counted and written to LOAD_COUNTS when the run ends, to be checked against what
the database stored."""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "[]"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
DIRECTIVE = int(os.environ.get("LOAD_DIRECTIVE", "0"))
TEAMS = json.loads(os.environ.get("LOAD_TEAMS", "[]"))
CATEGORIES = ("safety", "workload", "pay", "equipment", "training", "living", "other")
COUNTS = {"acks": 0, "wishes": 0, "anonymous": 0, "acked_by": [], "wished": []}
_NEXT = {"member": itertools.count(), "plant_manager": itertools.count()}
_TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


def _account(role: str) -> tuple[str, str, str]:
    mine = [a for a in ACCOUNTS if a[1] == role]
    return mine[next(_NEXT[role]) % len(mine)]  # more users than accounts share them


class Signed(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    role = ""

    def on_start(self) -> None:
        self.name, _role, self.team = _account(self.role)
        page = self.client.get("/login", name="/login")
        token = _TOKEN.search(page.text).group(1)
        self.client.post(
            "/login",
            data={"name": self.name, "password": PASSWORD, "csrf": token, "next": "/"},
            name="/login [post]",
        )

    def _csrf(self, path: str, name: str) -> str | None:
        page = self.client.get(path, name=name)
        found = _TOKEN.search(page.text)
        return found.group(1) if found else None


class Member(Signed):
    weight = 9
    role = "member"

    def on_start(self) -> None:
        super().on_start()
        self.acked = False

    @task(5)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(3)
    def directives(self) -> None:
        self.client.get("/directives", name="/directives")

    @task(2)
    def inbox(self) -> None:
        self.client.get("/inbox", name="/inbox")

    @task(2)
    def acknowledge(self) -> None:
        if self.acked:
            self.client.get(f"/directives/{DIRECTIVE}", name="/directives/{id}")
            return
        token = self._csrf(f"/directives/{DIRECTIVE}", "/directives/{id}")
        with self.client.post(
            f"/directives/{DIRECTIVE}/ack",
            data={"csrf": token},
            name="/directives/{id}/ack [post]",
            allow_redirects=False,
            catch_response=True,
        ) as reply:
            where = reply.headers.get("location", "")
            if reply.status_code == 303 and where.endswith("?done=ack"):
                self.acked = True
                COUNTS["acks"] += 1
                COUNTS["acked_by"].append(self.name)
                reply.success()
            else:
                reply.failure(f"acknowledge: {reply.status_code} {where}")

    @task(1)
    def wish(self) -> None:
        token = self._csrf("/wishes", "/wishes")
        anonymous = random.random() < 0.6
        mark = f"{random.randrange(10**12):012d}"  # to find this very wish in the database
        data = {
            "csrf": token,
            "category": random.choice(CATEGORIES),
            "body": f"load test wish {mark}: the fan on line 2 is loud",
        }
        if anonymous:
            data["anonymous"] = "yes"
        with self.client.post(
            "/wishes", data=data, name="/wishes [post]", catch_response=True
        ) as reply:
            if reply.status_code == 201:
                COUNTS["wishes"] += 1
                COUNTS["anonymous"] += anonymous
                COUNTS["wished"].append([mark, anonymous])
                reply.success()
            else:
                reply.failure(f"wish: {reply.status_code}")


class Manager(Signed):
    weight = 1
    role = "plant_manager"

    @task(3)
    def ranking(self) -> None:
        self.client.get("/ranking", name="/ranking")

    @task(5)
    def team(self) -> None:
        self.client.get(f"/teams/{random.choice(TEAMS)}", name="/teams/{code}")

    @task(2)
    def reach(self) -> None:
        self.client.get(f"/directives/{DIRECTIVE}", name="/directives/{id}")

    @task(1)
    def wishes(self) -> None:
        self.client.get("/wishes", name="/wishes")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")


@events.quitting.add_listener
def _write_counts(environment, **_kwargs) -> None:
    path = os.environ.get("LOAD_COUNTS")
    if path:
        with open(path, "w") as out:
            json.dump(COUNTS, out)
