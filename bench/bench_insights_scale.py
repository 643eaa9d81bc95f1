"""Insights at scale: linear in ads, a large breakdown report in flat client memory, a sandbox that
computes a report once and keeps it out of its state file.

The sandbox runs in its own process (``meta-ads sandbox --state FILE``) so every figure about the
client is the client's alone. For the two sizes in ``--ads`` (default 50 and 100; ``--full``: 250
and 500) a workspace campaign with that many ads uploaded to it (records, specs, batch config) is
made, and:

- ``resolve``: the campaign's ads resolved from the workspace (``resolve_target``); ``report``:
  the whole ``last_7d`` report in this process (fetch, judge, chart, markdown). Medians of
  ``--repeat`` rounds, the two sizes taking turns in each round. The ratio of the larger size's
  time to the smaller's is the cost's growth (linear = the ratio of the sizes).
- ``meta-ads insights CAMPAIGN --preset last_30d --daily --breakdown age,gender --json`` (ads ×
  28 delivered days × 18 rows, plus a daily row per ad-day and one row per ad: ~270,000 rows at
  500 ads, ~300,000 at 563: ``--big-ads``) in a subprocess, as async report jobs over
  ``--big-ads`` ads (default: the larger size) and paged synchronously (``--mode sync``) over the
  smaller size: its peak RSS (``wait4``), the rows it read, the ad-days the
  sandbox computed per ad-day in the report's three queries (1.0 = each once), and the state
  file's size after it.

Prints the sizes and the table of targets (issue 18, target 4). Run:
python bench/bench_insights_scale.py [--ads 50,100] [--big-ads N] [--full] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from skill.graph import GraphClient
from skill.insights.reports import ReportRequest, run_report
from skill.insights.targets import resolve_target
from skill.models import UploadRecord
from skill.records import write_record
from skill.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
TOKEN, ACCOUNT, ADSET, PAGE = "sandbox-token", "act_123456789", "23847000000001", "123456789"
CAMPAIGN = "summer-sale-2026"
SPEC = {"bodies": [{"text": "Track expenses in seconds. Snap a photo and the app files it for you."}],
        "titles": [{"text": "Never Lose a Receipt Again"}], "descriptions": [{"text": "Snap. Logged. Done."}],
        "call_to_actions": [{"type": "LEARN_MORE", "value": {"link": "https://example.com/lp"}}]}
RUN = "import sys; from skill.cli import main; sys.exit(main(sys.argv[1:]))"
MEMORY_GOAL_MB, STATE_GOAL_MB, CELLS_GOAL = 150, 10, 1.1



def _ctrl_c_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)

class SandboxProcess:
    """``meta-ads sandbox --state FILE`` in a child process; ``stop`` returns its peak RSS (MB)."""

    def __init__(self, state: Path) -> None:
        # a bench started in the background (``… &``) hands its children SIGINT ignored: stop()'s Ctrl-C must land
        self.proc = subprocess.Popen([sys.executable, "-c", RUN, "sandbox", "--port", "0", "--state", str(state)],
                                     stdout=subprocess.PIPE, text=True, cwd=REPO,
                                     preexec_fn=_ctrl_c_default)
        first = self.proc.stdout.readline() if self.proc.stdout else ""
        self.url = first.split(" on ", 1)[1].split()[0]

    def counters(self) -> dict[str, int]:
        return requests.get(f"{self.url}/__sandbox/state", timeout=600).json()["requests"]

    def stop(self) -> float:
        """Ctrl-C (it saves the state), then SIGTERM if it has not stopped after 20 s (every write
        is saved as it happens, so nothing is lost)."""
        self.proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 20
        while True:
            pid, _, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                return usage.ru_maxrss / 1024
            if time.monotonic() > deadline:
                print("(the sandbox did not stop on Ctrl-C within 20 s: terminated)", flush=True)
                self.proc.terminate()
                deadline = float("inf")
            time.sleep(0.1)


def make_campaign(root: Path, url: str, n: int) -> Path:
    """A copy of the example workspace whose campaign has ``n`` ads uploaded to the sandbox at ``url``."""
    ws = root / f"ws-{n}"
    shutil.copytree(REPO / "workspace", ws, ignore=shutil.ignore_patterns(
        ".sandbox", "*.upload.json", ".ledger", "reports", "previews", "*.lock"))
    ads = ws / "campaigns" / CAMPAIGN / "ads"
    for old in ads.glob("*.json"):
        old.unlink()
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {TOKEN}"
    base = f"{url}/v26.0/{ACCOUNT}"
    image = (ws / "campaigns" / CAMPAIGN / "images" / "receipt.png").read_bytes()
    image_hash = s.post(f"{base}/adimages", files={"source": ("receipt.png", image)}).json()["images"]["receipt.png"]
    spec = {"images": [{"hash": image_hash["hash"]}], "titles": [{"text": "Bench"}],
            "bodies": [{"text": "Bench body text for the insights benchmark, long enough."}],
            "link_urls": [{"website_url": "https://example.com"}], "call_to_action_types": ["LEARN_MORE"],
            "ad_formats": ["SINGLE_IMAGE"]}
    creative = s.post(f"{base}/adcreatives", data={"name": "bench", "asset_feed_spec": json.dumps(spec),
                                                   "object_story_spec": json.dumps({"page_id": PAGE})}).json()["id"]
    entries = []
    for i in range(n):
        stem = f"ad-{i:04d}"
        ad = s.post(f"{base}/ads", data={"name": f"{CAMPAIGN} - {stem}", "adset_id": ADSET, "status": "PAUSED",
                                         "creative": json.dumps({"creative_id": creative})}).json()["id"]
        (ads / f"{stem}.json").write_text(json.dumps(SPEC))
        write_record(ads / f"{stem}.upload.json", UploadRecord(
            uploaded_at="2026-11-22T08:00:00Z", campaign=CAMPAIGN, ad_name=stem, creative_id=creative, ad_id=ad,
            adset_id=ADSET, review_url="https://example.com/review"))
        entries.append({"name": stem, "asset_feed_spec_path": f"{stem}.json", "image_path": f"campaigns/{CAMPAIGN}/images/receipt.png"})
    (ads / "batch-upload.json").write_text(json.dumps({
        "campaign": CAMPAIGN, "adset_id": ADSET, "page_id": PAGE, "destination_url": "https://yoursite.com/summer-sale",
        "ads": entries}))
    return ws


def linear_cases(workspaces: dict[int, Path], url: str, repeat: int) -> dict[int, tuple[float, float]]:
    """Per size, the median seconds to resolve the campaign's ads and to run its whole last_7d
    report; the sizes take turns in each round, so a busy machine weighs on both alike."""
    env = {"META_GRAPH_URL": url, "FACEBOOK_ACCESS_TOKEN": TOKEN}
    client = GraphClient(url, TOKEN, retry_base_s=0.05)
    times: dict[int, tuple[list[float], list[float]]] = {n: ([], []) for n in workspaces}
    for _ in range(repeat):
        for n, ws in workspaces.items():
            settings = load_settings(ws, env=env)
            start = time.perf_counter()
            resolve_target(settings, CAMPAIGN, None)
            middle = time.perf_counter()
            run_report(settings, client, "insights", ReportRequest(campaign=CAMPAIGN))
            times[n][0].append(middle - start)
            times[n][1].append(time.perf_counter() - middle)
    return {n: (statistics.median(r), statistics.median(t)) for n, (r, t) in times.items()}


def ad_days(url: str, ads: list[str]) -> int:
    """How many (ad, day) pairs of ``ads`` delivered in last_30d: what each of the report's three
    queries sums."""
    client = GraphClient(url, TOKEN, retry_base_s=0.05)
    return sum(1 for _ in client.paginate(f"{ADSET}/insights", {
        "level": "ad", "date_preset": "last_30d", "time_increment": 1, "fields": "ad_id", "limit": 5000,
        "filtering": json.dumps([{"field": "ad.id", "operator": "IN", "value": ads}])}))


def big_report(ws: Path, sandbox: SandboxProcess, mode: str) -> dict[str, float]:
    """The breakdown report by the CLI in a child process: its peak RSS, rows, time, and the ad-days
    the sandbox computed for it per ad-day in its three queries (period, daily, breakdown)."""
    before = sandbox.counters().get("insights_days", 0)
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": TOKEN}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", RUN, "insights", CAMPAIGN, "--preset", "last_30d", "--daily",
                             "--breakdown", "age", "gender", "--mode", mode, "--json", "--workspace", str(ws)],
                            stdout=subprocess.PIPE, env=env, cwd=REPO)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    doc = json.loads(out)
    if status != 0 or doc.get("ok") is False:
        raise SystemExit(f"the report failed: {out[:500]!r}")
    computed = sandbox.counters().get("insights_days", 0) - before
    return {"rss_mb": usage.ru_maxrss / 1024, "rows": doc["rows"], "seconds": seconds,
            "cpu": usage.ru_utime + usage.ru_stime,
            "cells": computed / (3 * ad_days(sandbox.url, [a["id"] for a in doc["ads"]])), "mode": doc["mode"],
            "ads": len(doc["ads"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", default="50,100", help="two ad counts, smaller first (default 50,100)")
    parser.add_argument("--full", action="store_true",
                        help="the issue's sizes: 250 and 500 ads, and the breakdown report over 563 ads (~300k rows)")
    parser.add_argument("--big-ads", type=int, help="ads in the async breakdown report (default: the larger size)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small, large = (250, 500) if args.full else tuple(int(n) for n in args.ads.split(","))
    big = args.big_ads or (563 if args.full else large)
    root = Path(tempfile.mkdtemp(prefix="bench-insights-scale-"))
    try:
        run(root, small, large, big, args.repeat)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(root: Path, small: int, large: int, big_ads: int, repeat: int) -> None:
    state = root / "state.json"
    sandbox = SandboxProcess(state)
    try:
        workspaces = {n: make_campaign(root, sandbox.url, n) for n in (small, large)}
        timings = linear_cases(workspaces, sandbox.url, repeat)
        for n, (resolve, report) in timings.items():
            print(f"{n} ads: resolve {resolve * 1000:.1f} ms, last_7d report {report:.2f} s", flush=True)
        reports = {"sync": big_report(workspaces[small], sandbox, "sync")}
        big_ws = workspaces[big_ads] if big_ads in workspaces else make_campaign(root, sandbox.url, big_ads)
        reports["auto"] = big_report(big_ws, sandbox, "auto")
    finally:
        peak = sandbox.stop()
    state_mb = state.stat().st_size / 2**20
    made = small + large + (0 if big_ads in (small, large) else big_ads)
    for b in reports.values():
        print(f"{b['ads']} ads, last_30d daily × age,gender: {b['rows']:,} rows ({b['mode']}) in {b['seconds']:.1f} s "
              f"(client CPU {b['cpu']:.1f} s); client peak RSS {b['rss_mb']:.0f} MB; ad-days computed "
              f"{b['cells']:.3f}× those in the report")
    print(f"sandbox ({made} ads): peak RSS {peak:.0f} MB, state file {state_mb:.2f} MB after the reports")
    size = large / small
    resolve_ratio, report_ratio = timings[large][0] / timings[small][0], timings[large][1] / timings[small][1]
    linear_goal = size * 1.15
    b, s = reports["auto"], reports["sync"]
    rows = [
        (f"4. insights resolve {small} → {large} ads (time ratio)", f"{resolve_ratio:.2f}×",
         f"≤ {linear_goal:.2f}× (linear: {size:.1f}×)", resolve_ratio <= linear_goal),
        (f"4. insights last_7d report {small} → {large} ads (time ratio)", f"{report_ratio:.2f}×",
         f"≤ {linear_goal:.2f}× (linear: {size:.1f}×)", report_ratio <= linear_goal),
        (f"4. insights {b['rows']:,}-row breakdown report: client peak RSS", f"{b['rss_mb']:.0f} MB",
         f"< {MEMORY_GOAL_MB} MB", b["rss_mb"] < MEMORY_GOAL_MB),
        (f"4. insights {s['rows']:,}-row report paged sync: client peak RSS", f"{s['rss_mb']:.0f} MB",
         f"< {MEMORY_GOAL_MB} MB", s["rss_mb"] < MEMORY_GOAL_MB),
        (f"4. insights sandbox ad-days computed per ad-day, {b['mode']} jobs", f"{b['cells']:.3f}×",
         f"≤ {CELLS_GOAL}× (once, not per page)", b["cells"] <= CELLS_GOAL),
        (f"4. insights sandbox ad-days computed per ad-day, {s['mode']} pages", f"{s['cells']:.3f}×",
         f"≤ {CELLS_GOAL}× (once, not per page)", s["cells"] <= CELLS_GOAL),
        (f"4. insights sandbox state file ({made} ads) after the reports", f"{state_mb:.2f} MB",
         f"< {STATE_GOAL_MB} MB (rows kept out)", state_mb < STATE_GOAL_MB),
    ]
    print(f"\ncores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    for target, measured, goal, met in rows:
        print(f"| {target} | {measured} | {goal} | {'yes' if met else 'no'} |")


if __name__ == "__main__":
    main()
