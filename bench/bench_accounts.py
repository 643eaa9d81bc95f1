"""Ten ad accounts side by side against one sandbox: the unit of scale is the account.

Meta's rate budgets are per ad account, so an agency runs one ``meta-ads upload`` process per
account under whatever scheduler it has. This starts one sandbox with N accounts (each with
its own rate budget, a campaign and an ad set), runs one upload process per account at once,
and prints the aggregate throughput beside one account alone. Every ad is checked to exist
exactly once. Run: python bench/bench_accounts.py [--accounts 10] [--ads 10] [--images 4]
[--budget 60] [--window 10]; full size: --ads 30 --images 10
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_upload import CAMPAIGN, TOKEN, make_workspace

from skill.sandbox import Sandbox

FIRST = 100000001


def add_accounts(sb: Sandbox, n: int) -> list[tuple[str, str]]:
    """(account, ad set) pairs, cloned from the seeded account (bench-only: writes the state directly)."""
    pairs = []
    with sb.api.lock:
        data = sb.api.state.data
        account = data["accounts"]["act_123456789"]
        campaign = data["campaigns"]["23846000000001"]
        adset = data["adsets"]["23847000000001"]
        for i in range(n):
            digits = str(FIRST + i)
            cid, aid = f"2384690000{i:04d}", f"2384790000{i:04d}"
            data["accounts"][f"act_{digits}"] = {**account, "id": f"act_{digits}", "account_id": digits}
            data["campaigns"][cid] = {**campaign, "id": cid, "account_id": digits}
            data["adsets"][aid] = {**adset, "id": aid, "campaign_id": cid, "account_id": digits}
            pairs.append((f"act_{digits}", aid))
    return pairs


def run(accounts: list[tuple[str, str]], root: Path, sb: Sandbox, opts: argparse.Namespace) -> float:
    procs = []
    for n, (account, adset) in enumerate(accounts):
        ws = make_workspace(root / f"ws{n}", opts.ads, opts.images)
        config = ws / "campaigns" / CAMPAIGN / "ads" / "batch-upload.json"
        config.write_text(json.dumps({**json.loads(config.read_text()), "adset_id": adset}))
        env = {**os.environ, "META_GRAPH_URL": sb.url, "FACEBOOK_ACCESS_TOKEN": TOKEN, "META_AD_ACCOUNT": account,
               "META_RETRY_BASE_S": "1"}
        procs.append(([sys.executable, "-m", "skill", "upload", CAMPAIGN, "--workspace", str(ws), "--json"], env))
    start = time.perf_counter()
    running = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for cmd, env in procs]
    for p in running:
        _, err = p.communicate()
        assert p.returncode == 0, err.decode()[-500:]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--ads", type=int, default=10, help="ads per account (full size: 30)")
    parser.add_argument("--images", type=int, default=4, help="images per account (full size: 10)")
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--window", type=float, default=10.0)
    opts = parser.parse_args()
    print(f"{opts.ads} ads per account, budget {opts.budget:.0f} points / {opts.window:.0f} s per account")
    print(f"  {'accounts at once':<18} {'wall':>8} {'ads':>6} {'ads/s':>8} {'vs one account':>15}")
    rates: dict[int, tuple[float, int, int]] = {}  # accounts -> (wall, ads created, distinct ad names)
    for count in (1, opts.accounts):
        with tempfile.TemporaryDirectory() as tmp, Sandbox(token=TOKEN) as sb:
            sb.configure(rate_budget=opts.budget, rate_window_s=opts.window)
            pairs = add_accounts(sb, count)
            wall = run(pairs, Path(tmp), sb, opts)
            ads = sb.state_dump()["ads"].values()
            distinct = len({(a.get("account_id"), a.get("name")) for a in ads})
            rates[count] = (wall, len(ads), distinct)
            rate, base = len(ads) / wall, rates[1][1] / rates[1][0]
            print(f"  {count:<18} {wall:>7.1f}s {len(ads):>6} {rate:>8.1f} {rate / base:>14.1f}×")
    print(f"\ncores: {os.cpu_count()}")
    table(rates, opts)


def table(rates: dict[int, tuple[float, int, int]], opts: argparse.Namespace) -> None:
    """The convention table: exactly once across accounts, and aggregate throughput against one account.

    Budgets are per account, so accounts don't slow each other down: N accounts should go at
    least min(N, cores) times as fast as one (past the cores, the machine is the limit, not Meta).
    """
    n = opts.accounts
    wall, created, distinct = rates[n]
    expected = n * opts.ads
    speedup = (created / wall) / (rates[1][1] / rates[1][0])
    goal = min(n, os.cpu_count() or 1)
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    print(f"| past one machine: {n} accounts side by side, each ad once | {created} ads created, {distinct} distinct, "
          f"{expected} expected | every ad exactly once | {'yes' if created == distinct == expected else 'no'} |")
    print(f"| past one machine: {n} accounts aggregate throughput | {created / wall:.1f} ads/s = {speedup:.1f}× one "
          f"account ({wall:.1f} s for {created} ads) | ≥ {goal}× (min(accounts, cores)) | "
          f"{'yes' if speedup >= goal else 'no'} |")

if __name__ == "__main__":
    main()
