"""Run every benchmark at full scale, one after another, and print their figures.

    make bench            # or: .venv/bin/python bench/run_all.py [--quick]

--quick runs each at a small scale (a smoke test of the benchmarks themselves).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
FULL = {
    "bench_import.py": [],
    "bench_hostile.py": [],
    "bench_demo.py": ["--teams", "10000"],
    "bench_assess.py": ["--teams", "10000"],
    "bench_assess.py --teams 100000": ["--teams", "100000", "--no-pandas"],
    "bench_leaders.py": ["--teams", "10000"],
    "bench_leaders.py --teams 150": ["--teams", "150", "--lp-units", "3"],
    "bench_training.py": ["--teams", "10000"],
    "bench_links.py": ["--teams", "10000", "--cadres", "2000"],
    "bench_directives.py": ["--teams", "8000"],
    "bench_effects.py": ["--seeds", "100"],
    "bench_queue.py": [],
}
QUICK = {
    "bench_import.py": ["--records", "20000", "--teams", "50"],
    "bench_hostile.py": ["--ss-mb", "5", "--ss-ok-mb", "2", "--bad-mb", "5", "--columns", "5000"],
    "bench_demo.py": ["--teams", "50"],
    "bench_assess.py": ["--teams", "200", "--pg", ""],
    "bench_leaders.py": ["--teams", "100", "--lp-units", "1"],
    "bench_training.py": ["--teams", "200", "--mono-limit", "2"],
    "bench_links.py": ["--teams", "300", "--cadres", "60"],
    "bench_directives.py": ["--teams", "100"],
    "bench_effects.py": ["--seeds", "3", "--teams", "60"],
    "bench_queue.py": ["--jobs", "100", "--latency", "3", "--pg", ""],
}


def main() -> int:
    plan = QUICK if "--quick" in sys.argv else FULL
    failed = []
    for name, args in plan.items():
        script = name.split()[0]
        print(f"\n### {script} {' '.join(args)}", flush=True)
        if subprocess.call([sys.executable, str(HERE / script), *args]) != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
