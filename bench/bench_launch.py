"""Launch a campaign with M ad sets and N ads to the sandbox, then launch it again.

Prints, for the launch and for the re-run: wall time, HTTP requests (GET / POST), Graph batch
operations, and what one-call-per-object would take (1 campaign + M ad sets + 3 calls per ad:
image, creative, ad). The sandbox charges ``--latency-ms`` per request and per batch operation.
Run: python bench/bench_launch.py [--ads 30] [--adsets 3] [--images 11] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from PIL import Image

from skill.cli import main
from skill.sandbox import Sandbox

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "workspace" / "campaigns" / "black-friday-2026" / "ads" / "doorbuster.json"


def make_workspace(root: Path, ads: int, adsets: int, images: int) -> Path:
    ws = root / "workspace"
    shutil.copytree(REPO / "workspace", ws, ignore=shutil.ignore_patterns(".sandbox", "*.upload.json", ".ledger",
                                                                           "*.launch.json", "reports", "*.lock"))
    folder = ws / "campaigns" / "bench-launch"
    (folder / "images").mkdir(parents=True)
    (folder / "ads").mkdir()
    paths = []
    for k in range(images):
        path = folder / "images" / f"img-{k}.png"
        Image.new("RGB", (600, 600), (k * 23 % 256, 80, 120)).save(path)
        paths.append(path)
    entries = []
    for i in range(ads):
        shutil.copy(SPEC, folder / "ads" / f"ad-{i:03d}.json")
        entries.append({"name": f"ad-{i:03d}", "adset": f"set-{i % adsets}", "image_path": str(paths[i % images]),
                        "asset_feed_spec_path": f"ad-{i:03d}.json"})
    config = {"campaign": {"name": "bench-launch", "objective": "OUTCOME_SALES"}, "page_id": "123456789",
              "destination_url": "https://yoursite.com/bench",
              "adsets": [{"name": f"set-{j}", "daily_budget": "20.00", "targeting": {"countries": ["US"]}}
                         for j in range(adsets)], "ads": entries}
    (folder / "ads" / "batch-upload.json").write_text(json.dumps(config))
    return ws


def measure(sandbox: Sandbox, ws: Path) -> tuple[int, float, dict[str, int]]:
    before = dict(sandbox.request_counts)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["launch", "bench-launch", "--workspace", str(ws)])
    after = sandbox.request_counts
    return code, time.perf_counter() - start, {k: after.get(k, 0) - before.get(k, 0)
                                               for k in ("total", "GET", "POST", "batch_ops")}


def run(ads: int, adsets: int, images: int, latency_ms: float) -> None:
    with tempfile.TemporaryDirectory() as tmp, Sandbox(token="bench-token", latency_ms=latency_ms) as sandbox:
        ws = make_workspace(Path(tmp), ads, adsets, images)
        os.environ.update(META_GRAPH_URL=sandbox.url, FACEBOOK_ACCESS_TOKEN="bench-token", HOME=tmp)
        os.environ.pop("META_AD_ACCOUNT", None)
        print(f"{ads} ads over {adsets} ad sets, {images} images, sandbox latency {latency_ms:g} ms")
        print(f"one call per object would be {1 + adsets + 3 * ads} requests")
        for label in ("launch", "re-run"):
            code, seconds, counts = measure(sandbox, ws)
            print(f"{label:7} exit {code}  {seconds:6.2f} s  requests {counts['total']:3} (GET {counts['GET']}, "
                  f"POST {counts['POST']})  batch operations {counts['batch_ops']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=30)
    parser.add_argument("--adsets", type=int, default=3)
    parser.add_argument("--images", type=int, default=11)
    parser.add_argument("--latency-ms", type=float, default=20)
    args = parser.parse_args()
    run(args.ads, args.adsets, args.images, args.latency_ms)
