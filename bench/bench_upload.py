"""Upload 100 ads (40 distinct images) to the sandbox the kit's way and the documented way.

The documented way: one ad at a time, three calls per ad (POST adimages, POST adcreatives,
POST ads). The kit's way: ``upload_batch`` (existing images looked up once, each file sent
once, image → creative → ad for up to 10 ads in one Graph batch call), sequential and with
``--parallel``. Each run gets a fresh sandbox and a fresh copy of the example workspace.

Two latency models, measured side by side:

- ``sandbox``: the sandbox's own ``latency_ms``, charged per HTTP request *and* per batch
  operation (Meta does work for every operation of a batch);
- ``network``: a loopback proxy adds the latency to every HTTP request only (a round trip),
  the sandbox itself answering at once.

Prints wall time, HTTP requests made and rate-limit errors received for each way.
Run: python bench/bench_upload.py [--ads 100] [--images 40] [--latency-ms 100] [--parallel 5]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from PIL import Image

from skill.graph import GraphClient
from skill.sandbox import Sandbox
from skill.settings import Settings, load_settings
from skill.upload.payloads import ad_payload, creative_payload
from skill.upload.run import upload_batch
from skill.validate import validate_batch

REPO = Path(__file__).resolve().parent.parent
CAMPAIGN = "summer-sale-2026"
TOKEN = "sandbox-token"
SPEC = ('{"bodies": [{"text": "Track expenses in seconds. Snap a photo and the app files it for you, every time."}],'
        ' "titles": [{"text": "Never Lose a Receipt Again"}], "descriptions": [{"text": "Snap. Logged. Done."}],'
        ' "call_to_actions": [{"type": "LEARN_MORE", "value": {"link": "https://yoursite.com/summer-sale"}}]}')


def make_workspace(root: Path, n_ads: int, n_images: int) -> Path:
    ws = root / "workspace"
    shutil.copytree(REPO / "workspace", ws, ignore=shutil.ignore_patterns(".sandbox", "*.upload.json", ".ledger"))
    ads = ws / "campaigns" / CAMPAIGN / "ads"
    images = []
    for k in range(n_images):
        path = ws / "campaigns" / CAMPAIGN / "images" / f"bench-{k}.jpg"
        Image.effect_noise((1080, 1080), 20 + k).convert("RGB").save(path, format="JPEG", quality=80)
        images.append(path)
    entries = []
    for i in range(n_ads):
        (ads / f"bench-{i:03d}.json").write_text(SPEC)
        entries.append(f'{{"name": "bench-{i:03d}", "image_path": "{images[i % n_images]}", '
                       f'"asset_feed_spec_path": "bench-{i:03d}.json"}}')
    (ads / "batch-upload.json").write_text(
        f'{{"campaign": "{CAMPAIGN}", "adset_id": "23847000000001", "page_id": "123456789", '
        f'"destination_url": "https://yoursite.com/summer-sale", "ads": [{", ".join(entries)}]}}')
    return ws


# ---------------------------------------------------------------- the two ways


def documented_way(settings: Settings, client: GraphClient) -> int:
    """One ad at a time, three calls per ad, as Meta's guides show it."""
    batch = validate_batch(settings, CAMPAIGN)
    account = settings.ad_account
    for ad in batch.ads:
        path = ad.image_paths[0]
        answer = client.post(f"{account}/adimages", files={"source": (path.name, path.read_bytes())})
        image_hash = next(iter(answer["images"].values()))["hash"]
        creative = client.post(f"{account}/adcreatives", creative_payload(settings, batch, ad, [image_hash]))
        client.post(f"{account}/ads", ad_payload(settings, batch, ad, creative["id"]))
    return len(batch.ads)


def kit_way(parallel: int) -> Callable[[Settings, GraphClient], int]:
    def run(settings: Settings, client: GraphClient) -> int:
        summary = upload_batch(settings, CAMPAIGN, client=client, parallel=parallel)
        assert summary.ok, summary.model_dump_json(indent=2)
        return summary.created

    return run


# ---------------------------------------------------------------- a round-trip proxy


_sessions = threading.local()


class _Delay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no delayed-ACK stalls

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._relay("GET", b"")

    def do_POST(self) -> None:  # noqa: N802
        self._relay("POST", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _relay(self, method: str, body: bytes) -> None:
        time.sleep(self.server.delay_s)  # type: ignore[attr-defined]
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
        if not hasattr(_sessions, "s"):
            _sessions.s = requests.Session()
        r = _sessions.s.request(method, self.server.target + self.path, data=body or None,  # type: ignore[attr-defined]
                                headers=headers, timeout=60)
        self.send_response(r.status_code)
        for k, v in r.headers.items():
            if k.lower().startswith("x-") or k.lower() == "content-type":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(r.content)))
        self.end_headers()
        self.wfile.write(r.content)


@contextmanager
def graph_endpoint(model: str, latency_ms: float) -> Iterator[tuple[str, Sandbox]]:
    with Sandbox(token=TOKEN, latency_ms=latency_ms if model == "sandbox" else 0) as sb:
        if model == "sandbox":
            yield sb.url, sb
            return
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Delay)
        proxy.daemon_threads = True
        proxy.target, proxy.delay_s = sb.url, latency_ms / 1000  # type: ignore[attr-defined]
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{proxy.server_address[1]}", sb
        finally:
            proxy.shutdown()
            proxy.server_close()


@dataclass
class Figures:
    wall_s: float
    requests: int
    rate_limited: int
    ads: int


def measure(way: Callable[[Settings, GraphClient], int], model: str, opts: argparse.Namespace) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp), opts.ads, opts.images)
        with graph_endpoint(model, opts.latency_ms) as (url, sb):
            if opts.tier:
                sb.configure(tier=opts.tier)
            settings = load_settings(ws, env={"META_RETRY_BASE_S": str(opts.retry_base_s)})
            settings = settings.model_copy(update={"graph_url": url})
            client = GraphClient(url, TOKEN, retry_base_s=opts.retry_base_s, ad_account=settings.ad_account)
            start = time.perf_counter()
            ads = way(settings, client)
            wall = time.perf_counter() - start
            assert len(sb.state_dump()["ads"]) == opts.ads, "every ad created once"
        return Figures(wall, client.stats.http_requests, client.stats.rate_limited, ads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ads", type=int, default=100)
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--parallel", type=int, default=5)
    parser.add_argument("--tier", choices=["development_access", "standard_access"], default=None)
    parser.add_argument("--retry-base-s", type=float, default=1.0)
    parser.add_argument("--models", default="sandbox,network", help="latency models to run, comma-separated")
    opts = parser.parse_args()
    ways = [("documented (3 calls per ad)", documented_way), ("kit, sequential", kit_way(1)),
            (f"kit, --parallel {opts.parallel}", kit_way(opts.parallel))]
    print(f"{opts.ads} ads, {opts.images} distinct images, {opts.latency_ms:.0f} ms latency")
    for model in opts.models.split(","):
        print(f"\nlatency model: {model}")
        print(f"  {'way':<30} {'wall time':>10} {'HTTP requests':>14} {'rate-limit errors':>18}")
        base = None
        for label, way in ways:
            f = measure(way, model, opts)
            base = base or f.wall_s
            print(f"  {label:<30} {f.wall_s:>9.1f}s {f.requests:>14} {f.rate_limited:>18}"
                  f"   ({base / f.wall_s:.1f}x)")


if __name__ == "__main__":
    main()
