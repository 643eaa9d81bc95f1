"""The Graph client over real HTTP against a scripted loopback server: exactly what goes on the
wire (token, encoding, URLs), error mapping, retries and their messages, lost answers, pacing,
pagination and batch re-sends. No sleeping: ``sleep`` is a list the client appends to."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from skill.errors import (
    AccountBlocked,
    GraphConnectionError,
    GraphError,
    InvalidParameter,
    PermissionDenied,
    RateLimited,
    TokenInvalid,
    TransientError,
)
from skill.events import Collector
from skill.graph import BatchOp, GraphClient, ref

TOKEN = "EAAGsecret-token-0123456789"
DROP = "drop"  # close the connection without answering


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("latin-1"), keep_blank_values=True).items()}

    @property
    def batch(self) -> list[dict[str, Any]]:
        if b"multipart/form-data" in self.headers.get("content-type", "").encode():
            text = self.body.decode("latin-1")
            start = text.index('name="batch"') + len('name="batch"')
            return json.loads(text[start:].split("\r\n\r\n", 1)[1].split("\r\n--", 1)[0])
        return json.loads(self.form["batch"])


Reply = tuple[int, Any, dict[str, str]] | str
Handler = Callable[[Seen], Reply]


@dataclass
class Script:
    """What the server answers, in order (the last one repeats), and every request it saw."""

    replies: list[Reply | Handler] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    delay_s: float = 0.0
    url: str = ""

    def next_reply(self, req: Seen) -> Reply:
        self.seen.append(req)
        reply = self.replies[min(len(self.seen), len(self.replies)) - 1]
        return reply(req) if callable(reply) else reply


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            url = urlsplit(self.path)
            req = Seen(self.command, url.path, parse_qs(url.query), {k.lower(): v for k, v in self.headers.items()},
                       self.rfile.read(length))
            reply = script.next_reply(req)
            if script.delay_s:
                time.sleep(script.delay_s)
            if reply == DROP:
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, body, headers = reply
            raw = (body if isinstance(body, str) else json.dumps(body)).encode() if body is not None else b""
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            try:
                self.wfile.write(raw)
            except OSError:
                pass  # the client gave up (a timeout test): nothing to tell anyone

        do_GET = do_POST = _serve

    return Handler


@pytest.fixture
def server() -> Iterator[Script]:
    script = Script()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    httpd.daemon_threads = False  # server_close() waits for requests still being answered
    httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield script
    httpd.shutdown()
    httpd.server_close()


def make_client(url: str, **kw: Any) -> tuple[GraphClient, Collector, list[float]]:
    events, sleeps = Collector(), []
    kw.setdefault("rand", lambda: 0.5)  # no jitter: 10, 20, 40 …
    kw.setdefault("timeout", 5)
    client = GraphClient(url, TOKEN, "v26.0", sleep=sleeps.append, report=events, **kw)
    return client, events, sleeps


def ok(body: Any = None, **headers: str) -> Reply:
    return (200, {"id": "1"} if body is None else body, headers)


def meta_error(code: int, subcode: int | None = None, status: int = 400, headers: dict[str, str] | None = None,
               **extra: Any) -> Reply:
    error = {"message": f"error {code}", "type": "OAuthException", "code": code, "fbtrace_id": "Ftrace1", **extra}
    if subcode is not None:
        error["error_subcode"] = subcode
    return (status, {"error": error}, headers or {})


def no_token_anywhere(script: Script) -> None:
    for req in script.seen:
        assert req.headers["authorization"] == f"Bearer {TOKEN}"
        assert TOKEN not in req.path + json.dumps(req.query) + req.body.decode("latin-1")


# ---------------------------------------------------------------- the wire


def test_token_travels_in_the_header_and_paths_get_the_version(server):
    server.replies = [ok({"id": "act_1"})]
    client, _, _ = make_client(server.url)
    client.get("/act_1", {"fields": "id,name"})
    client.get("v25.0/me")
    client.get(f"act_1/ads?access_token={TOKEN}&limit=2")
    assert [r.path for r in server.seen] == ["/v26.0/act_1", "/v25.0/me", "/v26.0/act_1/ads"]
    assert server.seen[0].query == {"fields": ["id,name"]} and server.seen[2].query == {"limit": ["2"]}
    no_token_anywhere(server)


def test_post_is_form_encoded_with_json_for_dicts_and_lists(server):
    server.replies = [ok()]
    client, _, _ = make_client(server.url)
    client.post("act_1/ads", {"name": "a b", "creative": {"creative_id": "9"}, "tags": ["x"], "on": True,
                              "skip": None, "n": 3})
    assert server.seen[0].form == {"name": "a b", "creative": '{"creative_id":"9"}', "tags": '["x"]', "on": "true",
                                   "n": "3"}


def test_pagination_follows_next_without_the_token(server):
    def page(n: int, last: bool = False) -> Reply:
        nxt = {} if last else {"next": f"{server.url}/v26.0/act_1/ads?after=c{n}&access_token={TOKEN}&limit=2"}
        return ok({"data": [{"id": f"{n}a"}, {"id": f"{n}b"}], "paging": nxt})

    server.replies = [page(1), page(2), page(3, last=True)]
    client, _, _ = make_client(server.url)
    rows = [r["id"] for r in client.paginate("act_1/ads", {"limit": 2})]
    assert rows == ["1a", "1b", "2a", "2b", "3a", "3b"]
    assert server.seen[2].query == {"after": ["c2"], "limit": ["2"]}
    no_token_anywhere(server)


def test_pagination_refuses_another_host(server):
    server.replies = [ok({"data": [{"id": "1"}], "paging": {"next": f"https://evil.example/x?access_token={TOKEN}"}})]
    client, _, _ = make_client(server.url)
    with pytest.raises(GraphError) as exc:
        list(client.paginate("act_1/ads"))
    assert "evil.example" in str(exc.value) and TOKEN not in str(exc.value)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("reply,cls", [
    (meta_error(190, 463), TokenInvalid), (meta_error(200, status=403), PermissionDenied),
    (meta_error(10), PermissionDenied), (meta_error(100, 1487195), InvalidParameter),
    (meta_error(368, 1390008), AccountBlocked), (meta_error(294), PermissionDenied),
    (meta_error(2635), GraphError), (meta_error(1, 99, status=500), GraphError),
])
def test_errors_that_are_never_retried(server, reply, cls):
    server.replies = [reply]
    client, _, sleeps = make_client(server.url)
    with pytest.raises(GraphError) as exc:
        client.get("act_1")
    assert type(exc.value) is cls and sleeps == [] and len(server.seen) == 1
    assert exc.value.fbtrace_id == "Ftrace1" and exc.value.http_status == reply[0]


def test_error_fields_hints_and_error_data_string(server):
    server.replies = [meta_error(100, 1487195, error_user_title="Invalid Call-To-Action Type",
                                 error_user_msg="The call-to-action type 'click here' is not valid",
                                 error_data=json.dumps({"blame_field_specs": [["call_to_action_types"]]}))]
    client, _, _ = make_client(server.url)
    with pytest.raises(InvalidParameter) as exc:
        client.post("act_1/adcreatives", {"name": "x"})
    err = exc.value
    assert (err.code, err.subcode, err.error_type) == (100, 1487195, "OAuthException")
    assert err.user_title == "Invalid Call-To-Action Type" and "click here" in err.user_msg
    assert err.error_data == {"blame_field_specs": [["call_to_action_types"]]}
    assert "fbtrace_id Ftrace1" in str(err) and err.hint


@pytest.mark.parametrize("code,words", [(190, "social auth login"), (200, "ads_management"),
                                        (368, "https://www.facebook.com/adsmanager/account_quality")])
def test_hints_say_what_to_do(server, code, words):
    server.replies = [meta_error(code)]
    client, _, _ = make_client(server.url)
    with pytest.raises(GraphError) as exc:
        client.get("me")
    assert words in exc.value.hint


def test_the_token_never_appears_in_an_error(server):
    server.replies = [meta_error(190, message=f"Bad token {TOKEN} in https://x/?access_token={TOKEN}",
                                 error_user_msg=f"token {TOKEN} expired")]
    client, _, _ = make_client(server.url)
    with pytest.raises(TokenInvalid) as exc:
        client.get("me")
    everything = str(exc.value) + repr(exc.value) + json.dumps(exc.value.to_dict()) + repr(client)
    assert TOKEN not in everything and "***" in everything


# ---------------------------------------------------------------- retries


def test_metas_regain_estimate_bounds_the_wait_and_is_never_slept_whole(server):
    usage = {"x-business-use-case-usage": json.dumps({"1": [{"type": "ads_management", "call_count": 100,
                                                             "estimated_time_to_regain_access": 1}]})}
    server.replies = [meta_error(80004, 2446079, headers=usage), ok()]
    client, events, sleeps = make_client(server.url, retry_base_s=100)
    client.pacer.base_s = 0  # the retry path alone, no pacing
    assert client.get("act_1") == {"id": "1"}
    assert sleeps == [60.0], "a 100 s backoff is cut to Meta's one-minute estimate"
    assert "Rate limited (error 80004). Waiting 60s before retry (attempt 1/3)..." in events.lines
    assert events.lines[-1] == "✓ Retry successful"
    assert client.stats.rate_limited == 1 and client.stats.retries == 1 and client.stats.http_requests == 2


def test_backoff_without_an_estimate_doubles(server):
    server.replies = [meta_error(2, status=500, is_transient=True), meta_error(17), meta_error(613), ok()]
    client, events, sleeps = make_client(server.url)
    client.get("act_1")
    assert sleeps == [10, 20, 40]
    assert events.lines[:3] == ["Transient error (code 2). Waiting 10s before retry (attempt 1/3)...",
                                "Rate limited (error 17). Waiting 20s before retry (attempt 2/3)...",
                                "Rate limited (error 613). Waiting 40s before retry (attempt 3/3)..."]


def test_gives_up_after_max_retries(server):
    server.replies = [meta_error(80004)]
    client, _, sleeps = make_client(server.url, max_retries=2, retry_base_s=1)
    with pytest.raises(RateLimited) as exc:
        client.get("act_1")
    assert len(sleeps) == 2 and len(server.seen) == 3 and exc.value.hint


def test_write_with_an_error_answer_is_retried(server):
    """Meta answered with an error body: it did not do the write, so posting again is safe."""
    server.replies = [meta_error(2, status=500), meta_error(4), ok()]
    client, _, sleeps = make_client(server.url)
    assert client.post("act_1/ads", {"name": "x"}) == {"id": "1"}
    assert len(server.seen) == 3 and len(sleeps) == 2


@pytest.mark.parametrize("reply", [DROP, (502, None, {}), (503, "<html>bad gateway</html>", {})])
def test_write_whose_answer_was_lost_is_not_reposted(server, reply):
    server.replies = [reply, ok()]
    client, _, sleeps = make_client(server.url)
    with pytest.raises(GraphConnectionError) as exc:
        client.post("act_1/ads", {"name": "x"})
    assert exc.value.may_have_succeeded and exc.value.hint
    assert len(server.seen) == 1 and sleeps == []


@pytest.mark.parametrize("reply", [DROP, (502, None, {})])
def test_reads_and_idempotent_writes_are_retried_after_a_lost_answer(server, reply):
    server.replies = [reply, ok()]
    client, _, _ = make_client(server.url)
    assert client.get("act_1") == {"id": "1"}
    server.replies, server.seen = [reply, ok()], []
    assert client.post("123", {"status": "PAUSED"}, idempotent=True) == {"id": "1"}
    assert len(server.seen) == 2


def test_a_connection_never_made_is_retried_even_for_a_write():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once we leave: nothing listens there
    client, events, sleeps = make_client(f"http://127.0.0.1:{port}", max_retries=2)
    with pytest.raises(GraphConnectionError) as exc:
        client.post("act_1/ads", {"name": "x"})
    assert not exc.value.may_have_succeeded and len(sleeps) == 2
    assert events.lines[0].startswith("No answer from Meta. Waiting 10s before retry (attempt 1/2)")


def test_every_call_has_a_timeout(server):
    server.replies, server.delay_s = [ok()], 0.4
    client, _, sleeps = make_client(server.url, timeout=0.1, max_retries=1)
    with pytest.raises(GraphConnectionError) as exc:
        client.get("act_1")
    assert "ReadTimeout" in str(exc.value) and len(sleeps) == 1 and not exc.value.may_have_succeeded
    with pytest.raises(GraphConnectionError) as exc:
        client.post("act_1/ads", {"name": "x"})
    assert exc.value.may_have_succeeded


# ---------------------------------------------------------------- pacing


def account_usage(pct: float, reset_s: int = 60) -> dict[str, str]:
    return {"x-ad-account-usage": json.dumps({"acc_id_util_pct": pct, "reset_time_duration": reset_s,
                                              "ads_api_access_tier": "development_access"})}


def test_pacing_waits_exactly_until_the_next_call_fits(server):
    # the score drains 1 % a second (pct / reset_time_duration); each call adds ~20-25 %
    server.replies = [ok(None, **account_usage(40, 40)), ok(None, **account_usage(60, 60)),
                      ok(None, **account_usage(85, 85)), ok(None, **account_usage(20, 20))]
    client, events, sleeps = make_client(server.url, clock=lambda: 0.0)
    client.get("a")
    client.get("b")
    assert sleeps == [] and client.usage.max_pct == 60 and client.usage.tier == "development_access"
    client.get("c")
    assert sleeps == [], "60 % + one call (20 %) still fits under the 90 % target"
    client.get("d")
    # cost learnt over both answers by weight: (20 + 25) / 2 = 22.5; 85 + 22.5 − 90 = 17.5 % to drain at 1 %/s
    assert sleeps == [pytest.approx(17.5)]
    assert events.events[0].kind == "pace" and "85% used" in events.lines[0]
    client.get("e")
    assert len(sleeps) == 1, "usage dropped: no more waiting"


def test_pacing_waits_out_a_block_meta_announces(server):
    blocked = {"x-business-use-case-usage": json.dumps({"act_1": [{"type": "ads_management", "call_count": 60,
                                                                   "estimated_time_to_regain_access": 2}]})}
    server.replies = [ok(None, **blocked), ok()]
    client, _, sleeps = make_client(server.url, clock=lambda: 0.0)
    client.get("a")
    client.get("b")
    assert sleeps == [120.0] and client.stats.rate_limited == 0


# ---------------------------------------------------------------- batch


def entry(body: Any, code: int = 200, **headers: str) -> dict[str, Any]:
    return {"code": code, "headers": [{"name": k, "value": v} for k, v in headers.items()], "body": json.dumps(body)}


def entry_error(code: int, status: int = 400, **extra: Any) -> dict[str, Any]:
    return entry({"error": {"message": f"error {code}", "code": code, "fbtrace_id": "Fb", **extra}}, status)


def image_chain() -> list[BatchOp]:
    return [
        BatchOp("GET", "act_1?fields=name"),
        BatchOp("POST", "act_1/adimages", None, name="img", attached_files="f0", omit_response_on_success=False),
        BatchOp("POST", "act_1/adcreatives", {"name": "cr", "asset_feed_spec": {"images": [{"hash": ref(
            "img", "$.images.*.hash")}]}}, name="cr", omit_response_on_success=False),
        BatchOp("POST", "act_1/ads", {"name": "ad", "creative": {"creative_id": ref("cr")}, "status": "PAUSED"}),
    ]


def test_batch_wire_format_and_files(server):
    server.replies = [(200, [entry({"name": "A"}), entry({"images": {"a.png": {"hash": "h1"}}}),
                             entry({"id": "c1"}), entry({"id": "ad1"})], {})]
    client, _, _ = make_client(server.url)
    results = client.batch(image_chain(), files={"f0": ("a.png", b"PNGDATA"), "unused": ("b.png", b"X")})
    assert [r.ok for r in results] == [True] * 4 and results[3].data == {"id": "ad1"}
    sent = server.seen[0]
    assert sent.path == "/v26.0/" and b"PNGDATA" in sent.body and b"b.png" not in sent.body
    ops = sent.batch
    assert ops[1] == {"method": "POST", "relative_url": "act_1/adimages", "name": "img", "attached_files": "f0",
                      "omit_response_on_success": False}
    assert "{result=cr:$.id}" in ops[3]["body"] and "status=PAUSED" in ops[3]["body"]
    no_token_anywhere(server)


def test_null_entries_are_resent_with_done_answers_filled_in(server):
    """The image was uploaded, the creative not run, the ad failed on it: send the creative (with
    the image's hash written in, never the image again) and the ad, which still refers to it."""
    dependency_failed = entry_error(1, 500, error_user_title="Dependency Failed")
    server.replies = [
        (200, [None, entry({"images": {"a.png": {"hash": "h1"}}}), None, dependency_failed], {}),
        (200, [entry({"name": "A"}), entry({"id": "c1"}), entry({"id": "ad1"})], {}),
    ]
    client, events, sleeps = make_client(server.url)
    results = client.batch(image_chain(), files={"f0": ("a.png", b"PNGDATA")})
    assert all(r.ok for r in results) and results[2].data == {"id": "c1"}
    again = server.seen[1].batch
    assert [op["relative_url"] for op in again] == ["act_1?fields=name", "act_1/adcreatives", "act_1/ads"]
    assert "h1" in parse_qs(again[1]["body"])["asset_feed_spec"][0] and "result=img" not in again[1]["body"]
    assert "{result=cr:$.id}" in again[2]["body"]
    assert b"PNGDATA" not in server.seen[1].body, "the image is not uploaded twice"
    assert len(sleeps) == 1 and events.lines[0].startswith("Not run by Meta (null batch entry). Waiting")
    assert client.stats.batch_calls == 2


def test_batch_never_resends_a_write_that_may_have_happened(server):
    ops = [
        BatchOp("POST", "act_1/adimages", None, name="img", attached_files="f0"),  # referenced: may be omitted
        BatchOp("POST", "act_1/adcreatives", {"image_hash": ref("img", "$.images.*.hash")}),
        BatchOp("POST", "act_1/ads", {"name": "unclear"}),  # code 2: may have happened
        BatchOp("POST", "act_1/ads", {"name": "limited"}),  # rate limited: refused before running
        BatchOp("GET", "act_1/ads"),  # a read with code 2: ask again
    ]
    server.replies = [
        (200, [None, entry({"id": "c1"}), entry_error(2, 500), entry_error(80004), entry_error(2, 500)], {}),
        (200, [entry({"id": "ad2"}), entry({"data": []})], {}),
    ]
    client, events, sleeps = make_client(server.url)
    results = client.batch(ops, files={"f0": ("a.png", b"P")})
    assert results[0].not_run and results[1].ok
    assert isinstance(results[2].error, TransientError) and not results[2].ok
    assert results[3].ok and results[4].ok
    assert [op["body"] if "body" in op else op["relative_url"] for op in server.seen[1].batch] == [
        "name=limited", "act_1/ads"]
    assert events.lines[0].startswith("Rate limited (error 80004). Waiting 10s")


def test_batch_stops_at_a_bad_token_or_a_blocked_account(server):
    server.replies = [(200, [entry({"id": "1"})] * 49 + [entry_error(368, 400)], {})]
    client, _, sleeps = make_client(server.url)
    results = client.batch([BatchOp("POST", f"{i}", {"status": "PAUSED"}) for i in range(70)])
    assert len(server.seen) == 1 and sleeps == []
    assert isinstance(results[49].error, AccountBlocked) and results[49].error.hint
    assert all(r.not_run for r in results[50:])


def test_batch_gives_up_after_max_retries_and_reports_not_run(server):
    server.replies = [lambda req: (200, [None] * len(req.batch), {})]
    client, _, sleeps = make_client(server.url, max_retries=2)
    results = client.batch([BatchOp("GET", f"{i}") for i in range(3)])
    assert all(r.not_run for r in results) and len(server.seen) == 3 and len(sleeps) == 2


def test_batch_entry_headers_feed_the_pacer(server):
    server.replies = [(200, [entry({"id": "1"}, **account_usage(97, reset_s=45))], account_usage(10))]
    client, _, _ = make_client(server.url, clock=lambda: 0.0)
    client.batch([BatchOp("GET", "1")])
    # 97 % draining to zero in 45 s: the next call fits once 7 % has drained, not after the whole reset
    assert client.usage.max_pct == 97 and client.pacer.delay() == pytest.approx(45 * 7 / 97)


def test_the_pacer_reads_the_last_entry_that_carries_usage(server):
    entries = [entry({"id": "1"}, **account_usage(30, 20)), entry({"id": "2"}, **account_usage(97, 45)),
               entry({"id": "3"})]
    server.replies = [(200, entries, account_usage(10))]
    client, _, _ = make_client(server.url, clock=lambda: 0.0)
    results = client.batch([BatchOp("GET", str(i)) for i in (1, 2, 3)])
    assert all(r.ok for r in results) and client.usage.max_pct == 97, "an entry without headers is passed over"


def test_a_lost_batch_answer(server):
    server.replies = [DROP, (200, [entry({"id": "1"})], {})]
    client, _, _ = make_client(server.url)
    assert client.batch([BatchOp("GET", "1")])[0].ok, "a read-only batch is asked again"
    server.replies, server.seen = [DROP, (200, [entry({"id": "1"})], {})], []
    with pytest.raises(GraphConnectionError) as exc:
        client.batch([BatchOp("POST", "act_1/ads", {"name": "x"})])
    assert exc.value.may_have_succeeded and len(server.seen) == 1


def test_parallel_calls_share_one_client(server):
    server.replies = [ok(None, **account_usage(30))]
    client, _, _ = make_client(server.url)
    threads = [threading.Thread(target=lambda: [client.get("x") for _ in range(10)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert client.stats.http_requests == 40 == len(server.seen) and client.usage.max_pct == 30
