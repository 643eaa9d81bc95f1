"""Exactly once under faults, rate limits and parallel batches, over real HTTP.

The sandbox injects transient errors, ``null`` batch entries, dropped responses (the write is
done, the answer lost) and 80004 rate limits. For the rate-limit codes it does not send
(17, 613) a small loopback proxy in front of it refuses calls the way Meta does; the same
proxy counts the image files that actually travel, to prove each is sent once.
"""

from __future__ import annotations

import collections
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests

from factories import CAMPAIGN, ads_dir, edit_json, make_batch
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN


class Proxy(ThreadingHTTPServer):
    """Forwards to the sandbox; counts file parts; refuses the next batch calls when told."""

    daemon_threads = True

    def __init__(self, target: str) -> None:
        super().__init__(("127.0.0.1", 0), _Relay)
        self.target = target
        self.files_sent = 0
        self.refusals: list[tuple[int, str]] = []  # (code, "request" | "entries")
        self.refused = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up mid-answer is part of the test, not news


class _Relay(BaseHTTPRequestHandler):
    server: Proxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._relay("GET", b"")

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.strip("/").split("/")[-1] in ("", "v26.0") and self._refuse(body):  # the batch endpoint
            return
        with self.server.lock:
            self.server.files_sent += body.count(b'; filename="')
        self._relay("POST", body)

    def _refuse(self, body: bytes) -> bool:
        with self.server.lock:
            if not self.server.refusals:
                return False
            code, mode = self.server.refusals.pop(0)
            self.server.refused += 1
        error = {"error": {"message": f"(#{code}) Rate limit reached", "type": "OAuthException", "code": code,
                           "error_user_title": "Too Many Calls", "error_user_msg": "Slow down and retry.",
                           "fbtrace_id": "AproxyTrace"}}
        if mode == "request":
            self._send(400, json.dumps(error).encode())
        else:  # every operation refused, none run
            entries = [{"code": 400, "body": json.dumps(error)}] * _op_count(body)
            self._send(200, json.dumps(entries).encode())
        return True

    def _relay(self, method: str, body: bytes) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
        try:
            r = requests.request(method, self.server.target + self.path, data=body or None, headers=headers,
                                 timeout=30)
        except requests.ConnectionError:  # the sandbox dropped the response: drop ours too
            self.close_connection = True
            return
        out = {k: v for k, v in r.headers.items() if k.lower().startswith("x-")}
        self._send(r.status_code, r.content, out)

    def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _op_count(body: bytes) -> int:
    """How many operations a batch call carries (urlencoded or multipart)."""
    if b'name="batch"' in body:
        raw = body.split(b'name="batch"', 1)[1].split(b"\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0]
    else:
        raw = parse_qs(body.decode())["batch"][0].encode()
    return len(json.loads(raw))


@pytest.fixture
def ws(ws: Path, monkeypatch) -> Path:
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    return ws


@pytest.fixture
def proxy(sandbox: Sandbox, monkeypatch) -> Iterator[Proxy]:
    server = Proxy(sandbox.url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("META_GRAPH_URL", server.url)
    yield server
    server.shutdown()
    server.server_close()


def upload(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["upload", CAMPAIGN, "--workspace", str(ws), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def assert_exactly_once(ws: Path, sandbox: Sandbox, n_ads: int) -> None:
    dump = sandbox.state_dump()
    ads = collections.Counter(a["name"] for a in dump["ads"].values())
    creatives = collections.Counter(c["name"] for c in dump["creatives"].values())
    expected = {f"{CAMPAIGN} - hero-ad-{i:03d}": 1 for i in range(n_ads)}
    assert ads == expected, "every ad exactly once"
    assert creatives == expected, "every creative exactly once"
    assert {a["status"] for a in dump["ads"].values()} == {"PAUSED"}
    for i in range(n_ads):
        rec = json.loads((ads_dir(ws) / f"ad-{i:03d}.upload.json").read_text())
        ad = dump["ads"][rec["ad_id"]]
        assert ad["name"] == f"{CAMPAIGN} - hero-ad-{i:03d}" and ad["creative"]["id"] == rec["creative_id"]
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if "hero-ad-" in r]
    assert len(rows) == n_ads, "one assets.md row per ad"


def upload_until_done(ws: Path, capsys, *args: str, runs: int = 4) -> list[int]:
    codes = []
    for _ in range(runs):
        code, _ = upload(ws, capsys, *args)
        codes.append(code)
        if code == 0:
            break
    return codes


@pytest.fixture
def direct(sandbox: Sandbox, monkeypatch) -> Sandbox:
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    return sandbox


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_twenty_percent_faults_still_create_every_ad_exactly_once(ws, direct, capsys, seed):
    sandbox = direct
    make_batch(ws, 24, 9)
    sandbox.configure(fail_rate=0.2, null_rate=0.2, drop_rate=0.2, seed=seed)
    codes = upload_until_done(ws, capsys)
    assert codes[-1] == 0, codes
    counts = sandbox.request_counts
    assert counts.get("dropped", 0) + counts.get("nulls", 0) + counts.get("transient", 0) > 0, "faults happened"
    assert_exactly_once(ws, sandbox, 24)


def test_faults_with_keep_going_and_parallel_batches(ws, direct, capsys):
    sandbox = direct
    make_batch(ws, 40, 12, per_ad=2)
    sandbox.configure(fail_rate=0.2, null_rate=0.2, drop_rate=0.2, seed=7)
    codes = upload_until_done(ws, capsys, "--parallel", "3", "--keep-going")
    assert codes[-1] == 0, codes
    assert_exactly_once(ws, sandbox, 40)


def test_identical_images_are_sent_once_per_account(ws, sandbox, proxy, capsys):
    make_batch(ws, 25, 4)
    code, out = upload(ws, capsys)
    assert code == 0, out
    assert proxy.files_sent == 4, "4 distinct files, each sent once for 25 ads"
    assert out.count("- already in the ad account") == 0
    assert sandbox.request_counts["POST"] <= 3, "one pre-flight batch of reads, the 4 images, then 25 ads in one call"
    # a second campaign batch reusing the same files: nothing is sent again
    for p in ads_dir(ws).glob("*.upload.json"):
        p.unlink()
    (ws / "brand" / "assets.md").write_text("# Assets\n")
    make_batch(ws, 3, 4)
    for p in (ads_dir(ws) / ".ledger").glob("*.json"):
        p.unlink()
    sandbox.api.state["ads"].clear()
    sandbox.api.state["creatives"].clear()
    code, out = upload(ws, capsys)
    assert code == 0, out
    assert proxy.files_sent == 4 and out.count("- already in the ad account") == 3


def test_parallel_mode_keeps_progress_in_order(ws, sandbox, proxy, capsys):
    make_batch(ws, 35, 10, parallel=True, max_concurrent=4)
    sandbox.configure(latency_ms=5)
    code, out = upload(ws, capsys)
    assert code == 0, out
    headers = [line for line in out.splitlines() if line.startswith("[")]
    assert headers == [f"[{i}/35] ad-{i - 1:03d}" for i in range(1, 36)]
    assert "Batch complete: 35 ads created, all PAUSED" in out
    assert proxy.files_sent == 10
    assert_exactly_once(ws, sandbox, 35)


def test_ad_account_rate_limit_80004_is_waited_out(ws, sandbox, proxy, capsys):
    make_batch(ws, 12, 4)
    # a small budget that drains fast: batches get refused with 80004 and must wait
    sandbox.configure(rate_budget=40, rate_window_s=1)
    code, out = upload(ws, capsys)
    assert code == 0, out
    assert "Rate limited (error 80004)" in out and "before retry (attempt 1/" in out
    assert_exactly_once(ws, sandbox, 12)


@pytest.mark.parametrize("code,mode", [(17, "request"), (613, "request"), (17, "entries"), (613, "entries")])
def test_rate_limits_17_and_613_are_retried(ws, sandbox, proxy, capsys, code, mode):
    make_batch(ws, 5, 2)
    proxy.refusals = [(code, mode), (code, mode)]
    rc, out = upload(ws, capsys)
    assert rc == 0, out
    assert proxy.refused == 2
    assert f"Rate limited (error {code})" in out
    assert_exactly_once(ws, sandbox, 5)


def test_a_non_retryable_error_is_not_retried(ws, sandbox, proxy, capsys):
    make_batch(ws, 3, 3)
    # SEE_MENU passes validation with a warning; Meta (and the sandbox) refuse it with error 100
    edit_json(ads_dir(ws) / "ad-000.json", lambda d: d["call_to_actions"][0].update(type="SEE_MENU"))
    code, out = upload(ws, capsys)
    assert code == 1
    assert "[1/3] ad-000 - ✗ Failed" in out and "error 100" in out and "SEE_MENU" in out
    assert "Batch paused. Fix the error and retry." in out
    assert sandbox.request_counts["POST"] == 3, \
        "the pre-flight batch, the images' call, then one call of ads: a 100 is final, no retry"
    assert sandbox.state_dump()["ads"] == {}


def test_a_wrong_adset_is_refused_before_anything_is_written(ws, sandbox, proxy, capsys):
    make_batch(ws, 3, 3)
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(adset_id="99999999999"))
    code, out = upload(ws, capsys)
    assert code == 1
    assert out.count("\n") == 1 and "batch-upload.json › adset_id" in out and "'99999999999'" in out
    dump = sandbox.state_dump()
    assert dump["images"] == {} and dump["creatives"] == {} and dump["ads"] == {}, "nothing left behind"
    assert proxy.files_sent == 0


def test_a_token_expiring_mid_batch_stops_then_a_rerun_resumes(ws, direct, capsys):
    sandbox = direct
    make_batch(ws, 35, 5)
    # the pre-flight batch (with the ad set's ads, the creatives and the image look-up), the images and the first 25 ads
    sandbox.configure(expire_token_after=3)
    code, out = upload(ws, capsys)
    assert code == 1
    assert "Batch stopped: " in out and "error 190" in out and "meta-ads auth check" in out
    assert "25 ads created before stopping, all PAUSED" in out
    assert len(sandbox.state_dump()["ads"]) == 25
    sandbox.configure(expire_token_after=None)
    code, out = upload(ws, capsys)
    assert code == 0, out
    assert "Batch complete: 35 ads total, 10 newly uploaded" in out
    assert_exactly_once(ws, sandbox, 35)
