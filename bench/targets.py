"""Every benchmark's targets in one table: runs each bench script that prints the shared table.

A script takes part when its source prints the table header ``| target | measured | goal | met |``
(the convention in bench/README.md): no list to keep, no knowledge of its internals. Each runs in its
own subprocess, one after another (timings are not shared with a neighbour), at its default small
size; ``--full`` adds the full-size flags from ``FULL`` below where they are known. The rows of every
table are gathered and printed as one table sorted by target number, ``cores: N`` on top. A script
that fails, times out or prints no table gets a row of its own saying so (``met`` no), never hidden.

Run: python bench/targets.py [--full] [--only startup,rate] [--timeout 900] [--list]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "| target | measured | goal | met |"
# Full-size flags per script (as its own --help and bench/README.md give them). A script not named
# here runs at its default size with --full too; add a line when a script gains full-size flags.
FULL: dict[str, list[str]] = {
    "bench_startup.py": ["--runs", "15"],
    "bench_rate.py": ["--ads", "100", "--images", "40", "--runs", "3"],
    "bench_accounts.py": ["--accounts", "10", "--ads", "30", "--images", "10"],
    "bench_sdk.py": ["--ads", "100", "--images", "40", "--latency-ms", "100", "--runs", "3"],
    "bench_upload_scale.py": ["--full"],
    "bench_validate.py": ["--full"],
}
ROW = re.compile(r"^\|(?P<cells>.*)\|\s*$")
NUMBER = re.compile(r"^\s*(\d+)\.")


@dataclass
class Outcome:
    script: str
    seconds: float = 0.0
    cores: str | None = None
    rows: list[list[str]] = field(default_factory=list)
    problem: str | None = None  # why the script has no rows (exit code, timeout, no table)


def discover(only: list[str] | None = None) -> list[Path]:
    """The bench scripts whose source prints the shared table, filtered by ``--only`` words."""
    scripts = [p for p in sorted(HERE.glob("*.py")) if p.name != Path(__file__).name
               and HEADER in p.read_text(encoding="utf-8", errors="replace")]
    if only:
        scripts = [p for p in scripts if any(word in p.stem for word in only)]
    return scripts


def parse_tables(text: str) -> tuple[str | None, list[list[str]]]:
    """``cores: N`` and the rows of every convention table in a script's output."""
    cores = None
    rows: list[list[str]] = []
    in_table = False
    for line in text.splitlines():
        if match := re.match(r"^cores:\s*(\d+)", line.strip()):
            cores = match.group(1)
        if line.strip() == HEADER:
            in_table = True
            continue
        row = ROW.match(line.strip()) if in_table else None
        if row is None:
            in_table = False
            continue
        cells = [c.strip() for c in row.group("cells").split("|")]
        if len(cells) == 4 and not set(cells[0]) <= {"-", " ", ":"}:
            rows.append(cells)
    return cores, rows


def run(script: Path, full: bool, timeout: float) -> Outcome:
    argv = [sys.executable, str(script), *(FULL.get(script.name, []) if full else [])]
    outcome = Outcome(script.name)
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=HERE.parent, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        outcome.seconds = time.perf_counter() - start
        outcome.problem = f"timed out after {timeout:.0f} s"
        return outcome
    outcome.seconds = time.perf_counter() - start
    outcome.cores, outcome.rows = parse_tables(done.stdout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        outcome.problem = f"exit {done.returncode}: {last[:160]}"
    elif not outcome.rows:
        outcome.problem = "printed no target table"
    return outcome


def sort_key(row: list[str]) -> int:
    """By target number (rows without one last); a stable sort keeps each script's own order."""
    match = NUMBER.match(row[0])
    return int(match.group(1)) if match else 99


def combined(outcomes: list[Outcome]) -> list[str]:
    rows = [row for o in outcomes for row in o.rows]
    rows += [[f"({o.script})", f"failed: {o.problem}", "a table", "no"] for o in outcomes if o.problem]
    lines = [HEADER, "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in sorted(rows, key=sort_key)]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="pass each script's full-size flags (FULL in this file)")
    parser.add_argument("--only", help="comma-separated words: run the scripts whose name holds one (startup,rate)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a script may take (default 900)")
    parser.add_argument("--list", action="store_true", help="print the scripts that would run, and their flags")
    opts = parser.parse_args()
    scripts = discover(opts.only.split(",") if opts.only else None)
    if opts.list:
        for script in scripts:
            print(script.name, " ".join(FULL.get(script.name, [])) if opts.full else "")
        return 0
    if not scripts:
        print("no bench script prints the target table" + (f" among {opts.only!r}" if opts.only else ""))
        return 1
    outcomes = []
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        outcomes.append(run(script, opts.full, opts.timeout))
        done = outcomes[-1]
        print(f"  {done.seconds:.0f} s, {len(done.rows)} rows" + (f", {done.problem}" if done.problem else ""),
              file=sys.stderr, flush=True)
    print(f"cores: {os.cpu_count()}")
    print("\n".join(combined(outcomes)))
    print()
    for o in outcomes:
        state = f"FAILED ({o.problem})" if o.problem else "ok"
        print(f"- {o.script}: {state}, {o.seconds:.0f} s" + (f", reported cores: {o.cores}" if o.cores else ""))
    return 1 if any(o.problem for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
