"""The kit's upload beside the best plain script on Meta's official SDK (``facebook-business``).

The SDK script is the fastest one we could write with the SDK's batch helper: three phases
(all images, then all creatives, then all ads), each in batches of 50 operations, no
validation, no records, no look-ups. The kit runs ``upload_batch`` with its validation,
exactly-once ledger and records. Both send the same payloads (built by the kit's own payload
functions) to a fresh sandbox and workspace, under the same latency model, side by side.

The round-trip floor: the fewest sequential round trips the work needs, times the latency:
one read of the account, the images' calls, then the ads' calls (creative → ad inside one
call, 25 ads a call), N calls in flight. ``bench_upload_scale.py`` runs this at 10–500 ads.

Requires the bench-only dependency: pip install facebook-business
Run: python bench/bench_sdk.py [--ads 100] [--images 40] [--latency-ms 100] [--parallel 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_upload import CAMPAIGN, TOKEN, graph_endpoint, make_workspace
from facebook_business.api import FacebookAdsApi

from skill.graph import GraphClient
from skill.settings import load_settings
from skill.upload.payloads import ad_payload, creative_payload
from skill.upload.run import upload_batch
from skill.validate import validate_batch

BATCH = 50


def sdk_way(threads: int) -> Callable[[str, Path], Callable[[], None]]:
    """The SDK script, prepared untimed: its config read (by the kit's reader) and its payload
    builders are not charged to it, only the calls (and the image files they send)."""

    def prepare(url: str, ws: Path) -> Callable[[], None]:
        settings = load_settings(ws)
        api = FacebookAdsApi.init(access_token=TOKEN, api_version="v26.0")
        api._session.GRAPH = url  # the session's base URL: the only way to point the SDK elsewhere
        batch = validate_batch(settings, CAMPAIGN)  # used only to read the config the same way
        account = settings.ad_account
        paths = sorted({p for ad in batch.ads for p in ad.image_paths})
        hashes: dict[Path, str] = {}
        creatives: dict[int, str] = {}

        def phase(calls: list) -> None:
            def one(part: list) -> None:
                b = api.new_batch()
                for method, path, params, files, on_ok in part:
                    b.add(method, path, params=params, files=files, success=on_ok,
                          failure=lambda r: (_ for _ in ()).throw(RuntimeError(r.body())))
                b.execute()

            parts = [calls[i:i + BATCH] for i in range(0, len(calls), BATCH)]
            if threads <= 1:
                for part in parts:
                    one(part)
            else:
                with ThreadPoolExecutor(threads) as pool:
                    list(pool.map(one, parts))

        def got_image(path: Path):
            return lambda r: hashes.__setitem__(path, next(iter(r.json()["images"].values()))["hash"])

        def run() -> None:
            phase([("POST", f"{account}/adimages", {}, {f"f{i}": open(p, "rb")}, got_image(p))
                   for i, p in enumerate(paths)])
            phase([("POST", f"{account}/adcreatives",
                    creative_payload(settings, batch, ad, [hashes[p] for p in ad.image_paths]), None,
                    (lambda i: lambda r: creatives.__setitem__(i, r.json()["id"]))(ad.index)) for ad in batch.ads])
            phase([("POST", f"{account}/ads", ad_payload(settings, batch, ad, creatives[ad.index]), None, None)
                   for ad in batch.ads])

        return run

    return prepare


def kit_way(url: str, ws: Path, parallel: int) -> int:
    settings = load_settings(ws).model_copy(update={"graph_url": url})
    client = GraphClient(url, TOKEN, retry_base_s=1.0, ad_account=settings.ad_account)
    summary = upload_batch(settings, CAMPAIGN, client=client, parallel=parallel)
    assert summary.ok
    return summary.created


def measure(way, opts: argparse.Namespace, model: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp), opts.ads, opts.images)
        with graph_endpoint(model, opts.latency_ms) as (url, sb):
            start = time.perf_counter()
            way(url, ws)
            wall = time.perf_counter() - start
            assert len(sb.state_dump()["ads"]) == opts.ads, "every ad created once"
        return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ads", type=int, default=100)
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--parallel", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", default="network", choices=["network", "sandbox"])
    opts = parser.parse_args()
    # the account read, the images' calls (50 a call), the ads' calls (25 a call), N calls at a time
    trips = 1 + math.ceil(math.ceil(opts.images / BATCH) / opts.parallel) + math.ceil(math.ceil(opts.ads / 25) / opts.parallel)
    floor = trips * opts.latency_ms / 1000
    ways = {"facebook-business, 3 phases × 50 ops": lambda url, ws: sdk_way(1)(url, ws)(),
            "kit, sequential": lambda url, ws: kit_way(url, ws, 1),
            f"kit, --parallel {opts.parallel}": lambda url, ws: kit_way(url, ws, opts.parallel)}
    walls: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(opts.runs):  # interleaved, so machine noise hits every way alike
        for name, way in ways.items():
            walls[name].append(measure(way, opts, opts.model))
    sdk = statistics.median(walls[next(iter(ways))])
    print(f"{opts.ads} ads, {opts.images} images, {opts.latency_ms:.0f} ms per round trip ({opts.model} model), "
          f"{os.cpu_count()} cores, median of {opts.runs}; round-trip floor {floor:.1f}s")
    print(f"  {'way':<40} {'wall':>7} {'vs SDK':>7} {'vs floor':>9}")
    for name, values in walls.items():
        wall = statistics.median(values)
        print(f"  {name:<40} {wall:>6.2f}s {sdk / wall:>6.2f}× {wall / floor:>8.1f}×")


if __name__ == "__main__":
    main()
