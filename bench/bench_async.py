"""Very large batches through async request sets: wall time, requests and peak memory at three sizes.

For each size (a tenth, two fifths and all of ``--ads``: 500 / 2,000 / 5,000 with ``--ads 5000``)
a fresh workspace of that many ads (over ``--images`` distinct images) is uploaded with
``meta-ads upload --batches async`` in its own process, against a fresh sandbox in another
process (``async_ops_per_poll`` requests done per poll of a set, no wait between polls, a rate
budget too large to bite: pacing is ``bench_rate.py``'s subject). Prints
wall time, HTTP requests, async sets, and the peak RSS of the client (``wait4``) and of the sandbox
(``VmHWM``), then checks that every ad exists exactly once and that the client's memory is flat:
its peak at the largest size within 1.5× of its peak at the smallest (the sandbox's peak is printed,
not a target: it keeps every object it creates). ``--sync`` also uploads the
smallest size through Graph batches, for comparison.

Beside each size, the same upload runs again under ``tracemalloc``, started once the kit's modules
are imported (so it traces the run's own data, which RSS counts on top of the interpreter and its
imports, with fragmentation and freed memory not given back): the traced peak during validation
and while sending, what is still held when the last set is recorded, and the kit's lines that
allocated the most of it (``--top``; ``--no-trace`` skips these runs).

Run: python bench/bench_async.py [--ads 1000] [--images 20] [--ops-per-poll 250] [--sync] [--top 12]
     python bench/bench_async.py --ads 5000          # the full size
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
CAMPAIGN = "summer-sale-2026"
TOKEN = "sandbox-token"
SPEC = {"bodies": [{"text": "Track expenses in seconds. Snap a photo and the app files it for you, every time."}],
        "titles": [{"text": "Never Lose a Receipt Again"}], "descriptions": [{"text": "Snap. Logged. Done."}],
        "call_to_actions": [{"type": "LEARN_MORE", "value": {"link": "https://yoursite.com/summer-sale"}}]}
FLAT_RATIO = 1.5
HELD_GOAL_B = 500  # the run-long state of an ad: a few hundred bytes

TRACED = """
import json, sys, tracemalloc
from collections import Counter
import skill.cli, skill.tools.upload, skill.upload.async_run, skill.copy.doc, skill.graph.client, requests
from skill.upload import run as R
tracemalloc.start(4)  # after the kit's imports: what is traced is the run's own data
out, phases = sys.argv[1], {}
validate = R.validate_batch
summary = R.Upload.summary


def validated(*args, **kw):
    batch = validate(*args, **kw)
    phases["after_validation"], phases["validation_peak"] = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    return batch


def summed(self):
    phases["held"], phases["send_peak"] = tracemalloc.get_traced_memory()
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    size, count = Counter(), Counter()
    for trace in snap.traces:  # each block to the kit's innermost line that allocated it; imports apart
        frames = list(reversed(trace.traceback))  # the most recent first
        if any("importlib" in f.filename for f in frames):
            key = "(imports during the run)"
        else:
            ours = next((f for f in frames if "/skill/" in f.filename), frames[0])
            key = f"{ours.filename.split('/site-packages/')[-1].split('/skill/')[-1]}:{ours.lineno}"
        size[key] += trace.size
        count[key] += 1
    phases["top"] = [[key, n, count[key]] for key, n in size.most_common(40)]
    phases["upload_own"] = sum(n for key, n in size.items() if key.startswith("upload/"))
    return summary(self)


R.validate_batch, R.Upload.summary = validated, summed
from skill.cli import main
code = main(sys.argv[2:])
json.dump(phases, open(out, "w"))
raise SystemExit(code)
"""

SANDBOX = """
import json, sys
from skill.sandbox import Sandbox
sb = Sandbox(token=%r, async_ops_per_poll=%d, rate_budget=1e12).start()
print(sb.url, flush=True)
for line in sys.stdin:
    dump = sb.state_dump()
    names = [a["name"] for a in dump["ads"].values()]
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(json.dumps({"requests": dump["requests"], "names": names, "sets": len(dump["async_sets"]),
                      "creatives": len(dump["creatives"]), "hwm_kb": hwm}), flush=True)
    break
sb.stop()
"""


def make_workspace(root: Path, n_ads: int, n_images: int, sync: bool) -> Path:
    ws = root / "workspace"
    shutil.copytree(REPO / "workspace", ws, ignore=shutil.ignore_patterns(".sandbox", "*.upload.json", ".ledger"))
    (ws / "brand" / "assets.md").write_text("# Assets\n")
    stack = ws / "brand" / "stack.md"
    text = stack.read_text()
    end = text.rindex("```")
    stack.write_text(text[:end] + "async_batches: {poll_s: 0}\n" + text[end:])
    ads = ws / "campaigns" / CAMPAIGN / "ads"
    for old in ads.glob("*.json"):
        old.unlink()
    images = []
    for k in range(n_images):
        path = ws / "campaigns" / CAMPAIGN / "images" / f"bench-{k}.jpg"
        Image.effect_noise((600, 600), 20 + k).convert("RGB").save(path, format="JPEG", quality=80)
        images.append(str(path))
    spec = json.dumps(SPEC)
    entries = []
    for i in range(n_ads):
        (ads / f"bench-{i:05d}.json").write_text(spec)
        entries.append({"name": f"bench-{i:05d}", "image_path": images[i % n_images],
                        "asset_feed_spec_path": f"bench-{i:05d}.json"})
    (ads / "batch-upload.json").write_text(json.dumps(
        {"campaign": CAMPAIGN, "adset_id": "23847000000001", "page_id": "123456789",
         "destination_url": "https://yoursite.com/summer-sale", "ads": entries}))
    return ws


def one_run(n_ads: int, opts: argparse.Namespace, mode: str, traced: bool = False) -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="bench-async-"))
    try:
        ws = make_workspace(root, n_ads, opts.images, mode == "sync")
        sandbox = subprocess.Popen([sys.executable, "-c", SANDBOX % (TOKEN, opts.ops_per_poll)], text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO)
        assert sandbox.stdout is not None and sandbox.stdin is not None
        url = sandbox.stdout.readline().strip()
        env = {**os.environ, "META_GRAPH_URL": url, "FACEBOOK_ACCESS_TOKEN": TOKEN, "HOME": str(root / "home"),
               "META_RETRY_BASE_S": "0.01"}
        env.pop("META_AD_ACCOUNT", None)
        started = time.perf_counter()
        argv = ["upload", CAMPAIGN, "--batches", mode, "--workspace", str(ws)]
        head = ["-c", TRACED, str(root / "traced.json")] if traced else ["-m", "skill"]
        with open(root / "out.txt", "w") as out:
            client = subprocess.Popen([sys.executable, *head, *argv], env=env, stdout=out, stderr=subprocess.STDOUT,
                                      cwd=REPO)
            _, status, usage = os.wait4(client.pid, 0)
        wall = time.perf_counter() - started
        client.returncode = os.waitstatus_to_exitcode(status)
        sandbox.stdin.write("report\n")
        sandbox.stdin.flush()
        report = json.loads(sandbox.stdout.readline())
        sandbox.stdin.close()
        sandbox.wait(timeout=60)
        text = (root / "out.txt").read_text()
        names = Counter(report["names"])
        phases = json.loads((root / "traced.json").read_text()) if traced else {}
        return {"traced": phases, "ads": n_ads, "mode": mode, "wall_s": wall, "exit": client.returncode,
                "requests": report["requests"].get("total", 0), "sets": report["sets"],
                "created": len(names), "once": len(names) == n_ads and max(names.values(), default=0) == 1,
                "creatives": report["creatives"], "client_mb": usage.ru_maxrss / 1024,
                "sandbox_mb": report["hwm_kb"] / 1024, "tail": text.strip().splitlines()[-2:]}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ads", type=int, default=1000, help="the largest size (default 1000; 5000 for the full)")
    parser.add_argument("--images", type=int, default=20, help="distinct images (default 20)")
    parser.add_argument("--ops-per-poll", type=int, default=250, help="requests the sandbox does per poll of a set")
    parser.add_argument("--sync", action="store_true", help="also upload the smallest size through Graph batches")
    parser.add_argument("--no-trace", action="store_true", help="skip the runs under tracemalloc")
    parser.add_argument("--top", type=int, default=12, help="places holding the most at the largest size (default 12)")
    opts = parser.parse_args()
    sizes = sorted({max(1, opts.ads // 10), max(1, opts.ads * 2 // 5), opts.ads})
    runs = [one_run(n, opts, "async") for n in sizes]
    if opts.sync:
        runs.append(one_run(sizes[0], opts, "sync"))
    traces = [] if opts.no_trace else [one_run(n, opts, "async", traced=True) for n in sizes]
    print(f"async request sets, {opts.images} images, {opts.ops_per_poll} requests per poll\n")
    print("| ads | path | wall | requests | sets | created once | client peak RSS | sandbox peak RSS | exit |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in runs:
        print(f"| {r['ads']} | {r['mode']} | {r['wall_s']:.1f} s | {r['requests']} | {r['sets']} | "
              f"{r['created']} ({'yes' if r['once'] else 'no'}) | {r['client_mb']:.0f} MB | {r['sandbox_mb']:.0f} MB | "
              f"{r['exit']} |")
        if r["exit"] != 0:
            print("    " + " / ".join(r["tail"]))
    small, big = runs[0], runs[len(sizes) - 1]
    ratio = float(big["client_mb"]) / float(small["client_mb"])
    per_ad_ms = 1000 * float(big["wall_s"]) / int(big["ads"])
    every = all(r["once"] and r["exit"] == 0 for r in runs[:len(sizes)])
    print(f"\ncores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    print(f"| 3. async sets: {big['ads']} ads exactly once | {big['created']} created in {big['sets']} sets, "
          f"{big['requests']} requests, {big['wall_s']:.1f} s ({per_ad_ms:.1f} ms/ad) | every ad once, PAUSED | "
          f"{'yes' if every else 'no'} |")
    sizes_text = " / ".join(f"{r['client_mb']:.0f}" for r in runs[:len(sizes)])
    per_ad_kb = 1024 * (float(big["client_mb"]) - float(small["client_mb"])) / max(1, int(big["ads"]) - int(small["ads"]))
    print(f"| 3. async sets: client memory flat | peak RSS {sizes_text} MB at {' / '.join(map(str, sizes))} ads "
          f"(×{ratio:.2f}, {per_ad_kb:.1f} KB/ad) | ≤ ×{FLAT_RATIO} from {sizes[0]} to {sizes[-1]} ads | "
          f"{'yes' if ratio <= FLAT_RATIO else 'no'} |")
    if traces:
        traced_rows(traces, sizes)
        top_holders(traces[-1], opts.top)


def traced_rows(traces: list[dict[str, object]], sizes: list[int]) -> None:
    """The tracemalloc rows: the whole peak's ratio, and what each added ad still holds at the end."""
    t = [r["traced"] for r in traces]
    peak = [max(p["validation_peak"], p["send_peak"]) / 2**20 for p in t]
    ratio = peak[-1] / peak[0]
    held = [p["held"] for p in t]
    per_ad = (held[-1] - held[0]) / max(1, sizes[-1] - sizes[0])
    phases = " / ".join(f"{p['validation_peak'] / 2**20:.1f}+{p['send_peak'] / 2**20:.1f}" for p in t)
    at = " / ".join(map(str, sizes))
    print(f"| 3. async sets: traced memory flat | traced peak {' / '.join(f'{x:.1f}' for x in peak)} MB at {at} "
          f"ads (×{ratio:.2f}; validation+sending peaks {phases} MB) | ≤ ×{FLAT_RATIO} | "
          f"{'yes' if ratio <= FLAT_RATIO else 'no'} |")
    above = [max(0, p["send_peak"] - p["after_validation"]) / 2**20 for p in t]
    hold = " / ".join(f"{p['after_validation'] / 2**20:.1f}" for p in t)
    flat = above[-1] <= FLAT_RATIO * max(above[0], 1.0)  # within noise of one set's worth (1 MB)
    print(f"| 3. async sets: sending's peak above what validation holds | "
          f"{' / '.join(f'{x:.1f}' for x in above)} MB at {at} ads (validation holds "
          f"{hold} MB as sending starts) | "
          f"flat: ≤ ×{FLAT_RATIO} (of at least 1 MB) | {'yes' if flat else 'no'} |")
    own = (t[-1]["upload_own"] - t[0]["upload_own"]) / max(1, sizes[-1] - sizes[0])
    print(f"| 3. async sets: state held per ad for the run | {per_ad:.0f} B/ad (traced, held when the last set is "
          f"recorded: {' / '.join(f'{h / 2**20:.1f}' for h in held)} MB; allocated by skill/upload: {own:.0f} B/ad) "
          f"| ≤ {HELD_GOAL_B} B/ad | {'yes' if per_ad <= HELD_GOAL_B else 'no'} |")


def top_holders(trace: dict[str, object], top: int) -> None:
    """What holds the most when the largest size's last set is recorded (tracemalloc, by line)."""
    phases = trace["traced"]
    print(f"\nheld when the last set of {trace['ads']} ads is recorded (tracemalloc, by line allocated):")
    print("| KB | blocks | where |")
    print("| --- | --- | --- |")
    for where, size, count in phases["top"][:top]:
        print(f"| {size / 1024:.0f} | {count} | {where} |")


if __name__ == "__main__":
    main()
