"""Start-up time of everyday commands, beside ``python -c "import pydantic"`` and ``python -c pass``.

Each command runs as a fresh process, in rounds that alternate with the baselines so machine
noise hits all alike; prints medians and the ratio to the pydantic import (target 5: ≤ 2×).
A third baseline defines and validates one pydantic model (with the command's plugin setting):
the floor of any command that uses a model. Bytecode is cached as an installed package has it (a warm-up round writes ``__pycache__``; an
inherited ``PYTHONDONTWRITEBYTECODE`` is dropped, or every run would recompile the kit).
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
KIT = [sys.executable, "-m", "skill"]
MODEL_FLOOR = """from skill.startup import skip_pydantic_plugins
skip_pydantic_plugins()
from pydantic import BaseModel, Field
class M(BaseModel):
    x: int = Field(1, description="d")
M(x=2)"""
BASELINES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import pydantic": [sys.executable, "-c", "import pydantic"],
    # what any command that defines and validates one pydantic model pays, before the kit's own work
    "one pydantic model, validated": [sys.executable, "-c", MODEL_FLOOR],
}
COMMANDS = {  # target name -> command line (the meta-ads ones are checked against 2× import pydantic)
    "5. start-up --help": [*KIT, "--help"],
    "5. start-up upload --help": [*KIT, "upload", "--help"],
    "5. start-up route": [*KIT, "route", "dry run summer sale", "--no-model"],
    "5. start-up validate": [*KIT, "validate", "summer-sale-2026"],
    "5. start-up upload --dry-run": [*KIT, "upload", "summer-sale-2026", "--dry-run"],
}
GOAL = 2.0


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: a command's own "failed" (e.g. findings); anything else is broken
        raise SystemExit(f"{' '.join(cmd[2:])} exited {done.returncode}: {done.stderr.decode()[-300:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    opts = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["META_WORKSPACE"] = str(REPO / "workspace")
    everything = {**BASELINES, **COMMANDS}
    for cmd in everything.values():  # warm-up: bytecode written, files in the page cache
        run_once(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in everything}
    for _ in range(opts.runs):
        for name, cmd in everything.items():
            times[name].append(run_once(cmd, env))
    med = {name: statistics.median(v) for name, v in times.items()}
    base = med["import pydantic"]
    print(f"start-up, median of {opts.runs} runs (fresh process each)")
    for name in BASELINES:
        print(f"  {name:<32} {med[name] * 1000:6.0f} ms  {med[name] / base:5.2f}× import pydantic")
    for name in COMMANDS:
        print(f"  {name.removeprefix('5. start-up '):<32} {med[name] * 1000:6.0f} ms  {med[name] / base:5.2f}× import pydantic")
    print(f"\ncores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    for name in COMMANDS:
        ratio = med[name] / base
        measured = f"{ratio:.2f}× import pydantic ({med[name] * 1000:.0f} ms vs {base * 1000:.0f} ms; pass {med['python -c pass'] * 1000:.0f} ms)"
        print(f"| {name} | {measured} | ≤ {GOAL:g}× | {'yes' if ratio <= GOAL else 'no'} |")


if __name__ == "__main__":
    main()
