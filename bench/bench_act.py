"""Acting benchmark: Graph calls and wall time of each acting command against the sandbox.

    .venv/bin/python bench/bench_act.py

Uploads the example campaign (three ads) into a fresh sandbox in a temporary workspace,
activates them, then runs each acting command (previews and real runs) and prints the calls
the sandbox served for it (GET, POST, batch) and the time it took. No token, no network.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from factories import CAMPAIGN, GOOD_SPEC, ads_dir, copy_workspace, write_json  # noqa: E402
from skill.cli import main  # noqa: E402
from skill.sandbox import Sandbox  # noqa: E402

TOKEN = "sandbox-token"
ADSET = "summer-sale-2026 - broad"
COMMANDS = [
    ["budget", ADSET, "--daily", "60"],
    ["budget", ADSET, "--daily", "60", "--yes"],
    ["budget", "23847000000001", "--by", "-10%"],
    ["pause", ADSET],
    ["activate", CAMPAIGN],
    ["activate", ADSET, "--yes"],
    ["bleeders", CAMPAIGN, "--pause"],
    ["bleeders", CAMPAIGN, "--pause", "--yes"],
    ["winners", CAMPAIGN, "--scale", "20%", "--yes"],
    ["refresh", "hero-receipt", "--spec", "receipt-fresh.json"],
    ["history", CAMPAIGN],
]


def run(ws: Path, sb: Sandbox, args: list[str]) -> tuple[int, dict[str, int], float]:
    before = dict(sb.request_counts)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main([*args, "--workspace", str(ws)])
    took = (time.perf_counter() - start) * 1000
    after = sb.request_counts
    return code, {k: after.get(k, 0) - before.get(k, 0) for k in ("GET", "POST", "batch")}, took


def main_bench() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = copy_workspace(Path(tmp))
        write_json(ads_dir(ws) / "receipt-fresh.json", GOOD_SPEC)
        with Sandbox(token=TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
            os.environ.update(META_GRAPH_URL=sb.url, FACEBOOK_ACCESS_TOKEN=TOKEN, META_RETRY_BASE_S="0.01")
            os.environ.pop("META_AD_ACCOUNT", None)
            for setup in (["upload", CAMPAIGN], ["activate", "hero-receipt", "hero-notes-app", "hero-split-test",
                                                 "--yes"]):
                assert run(ws, sb, setup)[0] == 0, setup
            print(f"{'command':<62} exit  GET POST batch   ms")
            for args in COMMANDS:
                code, calls, took = run(ws, sb, args)
                shown = " ".join(a if " " not in a else repr(a) for a in args)
                print(f"meta-ads {shown:<53} {code:>4} {calls['GET']:>4} {calls['POST']:>4} {calls['batch']:>5} "
                      f"{took:>5.0f}")


if __name__ == "__main__":
    main_bench()
