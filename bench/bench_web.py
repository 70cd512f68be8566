"""The web app under load: the team page, the ranking and the overview at 50 concurrent
clients on a 10,000-team sample plant (SQLite), with one worker and with two, beside a trivial
endpoint of the same app (/healthz: the framework floor) measured the same way.

The team page is asked for a random team of the plant on each request. Targets (issue 11):
team page p99 <= 150 ms with one worker; >= 1,000 requests/s for the team
page with two workers. Load comes from wrk on loopback, bounded in time; wrk shares the
machine's two cores with the server, so the figures are a floor of what a server gets alone.

    python bench/bench_web.py [--teams 10000] [--seconds 10] [--connections 50]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import report
from teamroots import services
from teamroots.config import Settings

PASSWORD = "load-furnace-9"


def build(folder: Path, teams: int) -> str:
    from teamroots.census.demo import DemoSpec

    url = f"sqlite:///{folder / 'web.db'}"
    with services.open_database(Settings(database_url=url), upgrade=True) as db:
        services.census.build_demo(db, DemoSpec(teams=teams, days=90))
        services.assess.assess(db)
        services.users.add_user(db, "bench", PASSWORD, "plant_manager")
    return url


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _port()
    env = {**os.environ, "TEAMROOTS_DATABASE_URL": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "teamroots", "serve", "--port", str(port), "--workers",
         str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return proc, base
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)


def session_cookie(base: str) -> str:
    """Sign in as a browser does: the login form's CSRF cookie and field, then the post."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"name": "bench", "password": PASSWORD, "csrf": token, "next": "/"}
    ).encode()
    opener.open(f"{base}/login", data=form)
    return next(c.value for c in jar if c.name == "teamroots_session")


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


RANDOM_TEAM = """
math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("/teams/T%05d", math.random(1, {teams})))
end
"""


def load(
    url: str, cookie: str, seconds: int, connections: int, script: str | None = None
) -> dict[str, float]:
    extra = ["-s", script] if script else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         *extra, "-H", f"Cookie: teamroots_session={cookie}", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "99" not in latency:
        raise RuntimeError(f"wrk printed no latency for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=10_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        url = build(Path(tmp), args.teams)
        rows.append(("sample plant built and assessed", f"{time.perf_counter() - start:.1f} s"))
        # the team page asks for a team at random, so that a page is rarely one a worker has
        # just served (its weeks and history are kept per review and team, 4,096 per worker)
        script = Path(tmp) / "random_team.lua"
        script.write_text(RANDOM_TEAM.replace("{teams}", str(args.teams)), encoding="utf-8")
        pages = {"floor: /healthz": "/healthz", "team page": "/teams/T00042",
                 "ranking": "/ranking", "overview": "/"}
        found: dict[tuple[str, int], dict[str, float]] = {}
        for workers in (1, 2):
            proc, base = serve(url, workers)
            try:
                cookie = session_cookie(base)
                for name, path in pages.items():
                    lua = str(script) if name == "team page" else None
                    load(base + path, cookie, 2, args.connections, lua)  # warm up
                    got = load(base + path, cookie, args.seconds, args.connections, lua)
                    found[(name, workers)] = got
                    rows.append((
                        f"{name}, {workers} worker{'s' if workers > 1 else ''}",
                        f"{got['rps']:,.0f} req/s, p50 {got['p50']:.1f} ms, p99 {got['p99']:.1f} ms"
                        + (f", {got['errors']} errors" if got["errors"] else ""),
                    ))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    team1, team2 = found[("team page", 1)], found[("team page", 2)]
    floor2 = found[("floor: /healthz", 2)]
    rows.append(("team page / floor, 2 workers", f"{team2['rps'] / floor2['rps']:.2f}x req/s"))
    rows.append(("target: team page p99 <= 150 ms, 1 worker",
                 f"{team1['p99']:.1f} ms: {'PASS' if team1['p99'] <= 150 else 'FAIL'}"))
    rows.append(("target: team page >= 1,000 req/s, 2 workers",
                 f"{team2['rps']:,.0f}: {'PASS' if team2['rps'] >= 1000 else 'FAIL'}"))
    report(f"web: {args.teams:,} teams, {args.connections} clients, {args.seconds} s each", rows)


if __name__ == "__main__":
    main()
