"""Upload under a tight rate budget: how close to what the budget itself permits, with how many refusals.

The sandbox is given a small budget (default 150 points per 10 s; a write costs 3, a read 1)
and the kit uploads 100 ads / 40 images into it. The floor is what the budget permits: every
point spent beyond the first full budget has to wait for the score to drain, so

    floor = max(0, points spent − budget) / (budget / window)

Prints wall time, the floor, their ratio and the rate-limit errors received (targets: ≤ 1.3×
the floor, ≤ 2 errors). Run: python bench/bench_rate.py [--ads 100] [--images 40] [--budget 150]
[--window 10] [--parallel 1,5] [--latency-ms 0] [--runs 1] (full size: --runs 3)
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench_upload import CAMPAIGN, TOKEN, make_workspace

from skill.graph import GraphClient
from skill.sandbox import Sandbox
from skill.settings import load_settings
from skill.upload.run import upload_batch

RATIO_GOAL, ERRORS_GOAL = 1.3, 2


def run_once(opts: argparse.Namespace, parallel: int) -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp), opts.ads, opts.images)
        with Sandbox(token=TOKEN, latency_ms=opts.latency_ms) as sb:
            sb.configure(rate_budget=opts.budget, rate_window_s=opts.window)
            settings = load_settings(ws, env={"META_RETRY_BASE_S": "1"}).model_copy(update={"graph_url": sb.url})
            client = GraphClient(sb.url, TOKEN, retry_base_s=1.0, ad_account=settings.ad_account, max_retries=8)
            start = time.perf_counter()
            summary = upload_batch(settings, CAMPAIGN, client=client, parallel=parallel)
            wall = time.perf_counter() - start
            assert summary.ok and len(sb.state_dump()["ads"]) == opts.ads, "every ad created once"
            points = sb.api.limiter.charged
        floor = max(0.0, points - opts.budget) / (opts.budget / opts.window)
        return wall, floor, int(points), client.stats.rate_limited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ads", type=int, default=100)
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--budget", type=float, default=150.0)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--parallel", default="1,5")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--runs", type=int, default=1, help="median of this many runs per way (full size: 3)")
    opts = parser.parse_args()
    print(f"{opts.ads} ads, {opts.images} images, budget {opts.budget:.0f} points / {opts.window:.0f} s, "
          f"median of {opts.runs} runs")
    print(f"  {'way':<22} {'wall':>8} {'floor':>8} {'ratio':>7} {'points':>7} {'rate-limit errors':>18}")
    rows = []
    for parallel in (int(p) for p in opts.parallel.split(",")):
        runs = [run_once(opts, parallel) for _ in range(opts.runs)]
        wall = statistics.median(r[0] for r in runs)
        floor = statistics.median(r[1] for r in runs)
        errors = int(statistics.median(r[3] for r in runs))
        ratio = wall / floor if floor else float("nan")
        way = "sequential" if parallel == 1 else f"--parallel {parallel}"
        print(f"  {'kit, ' + way:<22} {wall:>7.1f}s {floor:>7.1f}s {ratio:>6.2f}x {runs[0][2]:>7} {errors:>18}")
        met = ratio <= RATIO_GOAL and errors <= ERRORS_GOAL
        rows.append(f"| 2. rate budget {opts.budget:.0f} pts/{opts.window:.0f} s, {opts.ads} ads, {way} | "
                    f"{ratio:.2f}× the floor ({wall:.1f} s vs {floor:.1f} s), {errors} rate-limit errors | "
                    f"≤ {RATIO_GOAL}×, ≤ {ERRORS_GOAL} errors | {'yes' if met else 'no'} |")
    print(f"\ncores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))

if __name__ == "__main__":
    main()
