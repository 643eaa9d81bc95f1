"""A fake Anthropic Messages API on loopback, for driving the real ``anthropic`` SDK offline.

    with FakeAnthropic(api_key="test-key") as fake:
        fake.enqueue(json_message({...}), error_reply(429, "rate_limit_error", "slow down"))
        client = anthropic.Anthropic(api_key="test-key", base_url=fake.url, max_retries=0)
        ...
        fake.requests[0].body["messages"]  # every request is recorded

Replies, in order of precedence:
1. ``fake.responder(request) -> Reply | None``: decide from the request (e.g. first try vs repair);
2. the FIFO queue filled by ``fake.enqueue(*replies)``;
3. ``fake.default`` (a Reply, or None: answer 500 "no canned reply" with ``x-should-retry: false``).

Auth is checked like the real API: ``x-api-key: KEY`` or ``Authorization: Bearer KEY`` (the 2.x
SDK sends Bearer), and an ``anthropic-version`` header is required. Reply builders cover text,
JSON (structured output), ``tool_use`` blocks (for tool routing) and error statuses.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_MODEL = "claude-haiku-5-5"
_ids = itertools.count(1)


@dataclass
class Reply:
    """One canned HTTP answer. ``delay_s`` sleeps before answering (for timeout tests)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class RecordedRequest:
    """One request as the fake received it. Header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def api_key(self) -> str | None:
        if self.headers.get("x-api-key"):
            return self.headers["x-api-key"]
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages") or [])

    @property
    def system_text(self) -> str:
        system = (self.body or {}).get("system") or ""
        if isinstance(system, str):
            return system
        return "\n".join(b.get("text", "") for b in system if isinstance(b, dict))

    def blocks(self, block_type: str) -> list[dict[str, Any]]:
        """Every content block of ``block_type`` in every message, in order."""
        found = []
        for message in self.messages:
            content = message.get("content")
            if isinstance(content, list):
                found += [b for b in content if isinstance(b, dict) and b.get("type") == block_type]
        return found

    @property
    def user_text(self) -> str:
        """The text of every user turn, joined (string contents and text blocks alike)."""
        parts = []
        for message in self.messages:
            if message.get("role") != "user":
                continue
            content = message.get("content")
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, list):
                parts += [b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"]
        return "\n".join(parts)


# ---------------------------------------------------------------- reply builders


def usage(input_tokens: int = 1500, output_tokens: int = 400, cache_read: int = 0, cache_creation: int = 0) -> dict[str, int]:
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_read_input_tokens": cache_read,
        "cache_creation_input_tokens": cache_creation,
    }


def message(content: list[dict[str, Any]], *, stop_reason: str = "end_turn", model: str = DEFAULT_MODEL,
            usage_: dict[str, int] | None = None) -> Reply:
    """A 200 reply carrying a Message with ``content`` blocks."""
    return Reply(body={
        "id": f"msg_fake_{next(_ids):04d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage_ or usage(),
    })


def text_message(text: str, **kw: Any) -> Reply:
    return message([{"type": "text", "text": text}], **kw)


def json_message(data: Any, **kw: Any) -> Reply:
    """A structured-output reply: the JSON document as the text block."""
    return text_message(json.dumps(data), **kw)


def tool_use_message(name: str, tool_input: dict[str, Any], *, text: str | None = None, **kw: Any) -> Reply:
    """A reply that calls a tool (``stop_reason: tool_use``), optionally after some text."""
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    content.append({"type": "tool_use", "id": f"toolu_fake_{next(_ids):04d}", "name": name, "input": tool_input})
    kw.setdefault("stop_reason", "tool_use")
    return message(content, **kw)


ERROR_TYPES = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
    500: "api_error", 529: "overloaded_error",
}


def error_reply(status: int, error_type: str | None = None, msg: str | None = None, *,
                retry_after_ms: int | None = 1, headers: dict[str, str] | None = None) -> Reply:
    """An error in the API's shape. ``retry-after-ms`` keeps the SDK's retries quick in tests."""
    error_type = error_type or ERROR_TYPES.get(status, "api_error")
    hdrs = dict(headers or {})
    if retry_after_ms is not None:
        hdrs.setdefault("retry-after-ms", str(retry_after_ms))
    body = {"type": "error", "error": {"type": error_type, "message": msg or error_type.replace("_", " ")},
            "request_id": f"req_fake_{next(_ids):04d}"}
    return Reply(status=status, body=body, headers=hdrs)


# ---------------------------------------------------------------- the server


class FakeAnthropic:
    """The fake API server. Use as a context manager; ``url`` is its base URL."""

    def __init__(self, api_key: str | None = "test-key", default: Reply | None = None) -> None:
        self.api_key = api_key
        self.default = default
        self.responder: Callable[[RecordedRequest], Reply | None] | None = None
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first (use it as a context manager)"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def message_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.split("?")[0].endswith("/v1/messages")]

    def __enter__(self) -> FakeAnthropic:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # ------------------------------------------------------------ answering

    def answer(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
        problem = self._check_headers(request)
        if problem:
            return problem
        if not request.path.split("?")[0].endswith("/v1/messages") or request.method != "POST":
            return error_reply(404, msg=f"fake: no route {request.method} {request.path}", retry_after_ms=None)
        if not isinstance(request.body, dict) or not request.body.get("messages"):
            return error_reply(400, msg="messages: field required", retry_after_ms=None)
        if self.responder is not None:
            reply = self.responder(request)
            if reply is not None:
                return reply
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.default is not None:
            return self.default
        return error_reply(500, "api_error", "fake: no canned reply left", retry_after_ms=None,
                           headers={"x-should-retry": "false"})

    def _check_headers(self, request: RecordedRequest) -> Reply | None:
        if self.api_key is not None and request.api_key != self.api_key:
            return error_reply(401, msg="invalid x-api-key", retry_after_ms=None)
        if not request.headers.get("anthropic-version"):
            return error_reply(400, msg="anthropic-version: header is required", retry_after_ms=None)
        return None


def _handler_for(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = fake.answer(RecordedRequest(self.command, self.path, headers, body))
            if reply.delay_s:
                time.sleep(reply.delay_s)
            data = json.dumps(reply.body).encode() if reply.body is not None else b""
            try:
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", f"req_fake_{next(_ids):04d}")
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_POST = do_GET = _serve

    return Handler
