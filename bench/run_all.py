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
    "bench_demo.py": [],
}
QUICK = {
    "bench_import.py": ["--records", "20000", "--teams", "50"],
    "bench_demo.py": ["--teams", "50"],
}


def main() -> int:
    plan = QUICK if "--quick" in sys.argv else FULL
    failed = []
    for script, args in plan.items():
        if not (HERE / script).exists():
            continue
        print(f"\n### {script} {' '.join(args)}", flush=True)
        if subprocess.call([sys.executable, str(HERE / script), *args]) != 0:
            failed.append(script)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
