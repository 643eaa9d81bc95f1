"""Read thousands of insights rows from the sandbox: synchronous paging vs an async report job,
and a campaign read through its ad set vs ad by ad.

Setup: a fresh sandbox with N ads (default 12) in the seeded ad set. Measured side by side,
each case repeated and the median printed, at two per-request latencies (0 and --latency-ms):

- ``daily × age,gender``, last_30d (N × 30 × 18 rows): ``fetch_rows`` forced ``sync`` (paged,
  500 rows a page) and forced ``async`` (report job, polled, then paged). The sandbox finishes
  a job after ``--report-delay`` seconds, standing in for Meta's own compute time.
- ``last_7d per ad``: one request for the ad set filtered to the ads (the kit's way; several ad
  sets' reads go in one batch call), one request per ad, the account's insights filtered on
  ``ad.id``, and one read per ad sent as one batch call.

Prints rows, HTTP requests, and the median wall time of each case. Run:
python bench/bench_insights.py [--ads 12] [--latency-ms 20] [--report-delay 0.2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from collections.abc import Callable

import requests
from PIL import Image

from skill.graph import GraphClient
from skill.insights.fetch import Query, fetch_rows
from skill.sandbox import Sandbox

TOKEN = "sandbox-token"
ACCOUNT, ADSET, PAGE = "act_123456789", "23847000000001", "123456789"


def make_ads(sb: Sandbox, n: int) -> list[str]:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {TOKEN}"
    base = f"{sb.url}/v26.0/{ACCOUNT}"
    ids = []
    for i in range(n):
        buf = io.BytesIO()
        Image.new("RGB", (600, 600), (i * 37 % 256, 90, 40)).save(buf, format="PNG")
        image = s.post(f"{base}/adimages", files={"source": (f"b{i}.png", buf.getvalue())}).json()
        image_hash = image["images"][f"b{i}.png"]["hash"]
        spec = {"images": [{"hash": image_hash}], "titles": [{"text": "Bench"}],
                "bodies": [{"text": "Bench body text for the insights benchmark, long enough."}],
                "link_urls": [{"website_url": "https://example.com"}], "call_to_action_types": ["LEARN_MORE"],
                "ad_formats": ["SINGLE_IMAGE"]}
        creative = s.post(f"{base}/adcreatives", data={"name": f"bench-{i}", "asset_feed_spec": json.dumps(spec),
                                                        "object_story_spec": json.dumps({"page_id": PAGE})}).json()
        ad = s.post(f"{base}/ads", data={"name": f"bench - {i}", "adset_id": ADSET, "status": "PAUSED",
                                          "creative": json.dumps({"creative_id": creative["id"]})}).json()
        ids.append(ad["id"])
    return ids


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def run(args: argparse.Namespace, latency_ms: int) -> None:
    with Sandbox(token=TOKEN, report_delay_s=args.report_delay, rate_budget=10**9) as sb:
        ads = make_ads(sb, args.ads)
        sb.configure(latency_ms=latency_ms)
        client = GraphClient(sb.url, TOKEN, retry_base_s=0.05)
        big = Query(objects=[ADSET], only_ads=set(ads), date_preset="last_30d", daily=True,
                    breakdowns=["age", "gender"])
        small_set = Query(objects=[ADSET], only_ads=set(ads), date_preset="last_7d")
        small_ads = Query(objects=list(ads), date_preset="last_7d")
        rule = [{"field": "ad.id", "operator": "IN", "value": list(ads)}]
        filtered = Query(objects=["act_123456789"], filtering=rule, date_preset="last_7d")
        batched = Query(objects=list(ads), filtering=rule, date_preset="last_7d")
        cases = [
            ("daily × age,gender, sync paged", lambda: len(fetch_rows(client, big, mode="sync")[0])),
            ("daily × age,gender, async job", lambda: len(fetch_rows(client, big, mode="async")[0])),
            ("last_7d, one request per ad set", lambda: len(fetch_rows(client, small_set, mode="sync")[0])),
            ("last_7d, one HTTP request per ad", lambda: sum(
                len(list(client.paginate(f"{a}/insights", small_ads.params()))) for a in ads)),
            ("last_7d, account filtered by ad.id", lambda: len(fetch_rows(client, filtered, mode="sync")[0])),
            ("last_7d, per-ad reads in one batch", lambda: len(fetch_rows(client, batched, mode="sync")[0])),
        ]
        print(f"\n{args.ads} ads, {latency_ms} ms per request, report jobs take {args.report_delay:.2f} s")
        print(f"{'case':<34} {'rows':>6} {'requests':>9} {'median s':>9}")
        for label, fn in cases:
            before = sb.request_count
            median, rows = timed(fn, args.repeat)
            requests_made = (sb.request_count - before) // args.repeat
            print(f"{label:<34} {rows:>6} {requests_made:>9} {median:>9.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=12)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--report-delay", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for latency in (0, args.latency_ms):
        run(args, latency)


if __name__ == "__main__":
    main()
