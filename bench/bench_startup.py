"""Start-up time of everyday commands, beside ``python -c "import pydantic"`` and ``python -c pass``.

Each command runs as a fresh process, alternating with the baselines so machine noise hits
all alike; prints medians and the ratio to the pydantic import (target: ≤ 2×).
Run: python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import pydantic": [sys.executable, "-c", "import pydantic"],
    "meta-ads --help": [sys.executable, "-m", "skill", "--help"],
    "meta-ads route ...": [sys.executable, "-m", "skill", "route", "dry run summer sale", "--no-model"],
    "meta-ads validate": [sys.executable, "-m", "skill", "validate", "summer-sale-2026"],
    "meta-ads upload --dry-run": [sys.executable, "-m", "skill", "upload", "summer-sale-2026", "--dry-run"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    opts = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    env = {**os.environ, "META_WORKSPACE": str(REPO / "workspace")}
    for _ in range(opts.runs):
        for name, cmd in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(v) for name, v in times.items()}
    print(f"start-up, median of {opts.runs} runs, {os.cpu_count()} cores")
    print(f"  {'command':<28} {'median':>8} {'× pydantic':>11}   target")
    for name, value in med.items():
        target = "≤ 2×" if name.startswith("meta-ads") else ""
        print(f"  {name:<28} {value * 1000:>6.0f}ms {value / med['import pydantic']:>10.2f}×   {target}")


if __name__ == "__main__":
    main()
