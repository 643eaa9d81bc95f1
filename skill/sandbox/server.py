"""HTTP on loopback: read the request, hand it to :class:`Api`, write Meta's response.

Sandbox-only paths (no token, never faulted, not counted):
``GET /__sandbox/state`` (a read-only dump) and ``POST /__sandbox/config`` (JSON body,
the keys of ``Sandbox.configure``).
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from skill.sandbox.errors import ApiError, fbtrace_id
from skill.sandbox.request import Request, parse_body, parse_form, split_path, strip_token

if TYPE_CHECKING:
    from skill.sandbox.api import Api

MAX_BODY = 64 * 1024 * 1024
CONTENT_TYPE = "application/json; charset=UTF-8"


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, api: Api, dump: Any) -> None:
        self.api = api
        self.dump = dump
        super().__init__(("127.0.0.1", port), Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (killed, timed out) is normal here: stay quiet."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed-ACK stalls
    server_version = "MetaAdsKitSandbox/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.api.config.verbose:
            sys.stderr.write("sandbox: %s\n" % (format % args))

    # ------------------------------------------------------------ serving

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        try:
            body = self._read_body()
        except ApiError as exc:
            self._send(exc.http_status, exc.body(), {})
            return
        if url.path.startswith("/__sandbox/"):
            self._sandbox_path(method, url.path, body)
            return
        try:
            req, token = self._request(method, url, body)
        except ApiError as exc:
            self._send(exc.http_status, exc.body(), self.server.api.usage_headers(None))
            return
        result = self.server.api.handle(req, token)
        if result.drop:
            self.close_connection = True  # committed, but the client never hears back
            return
        self._send(result.status, result.body, result.headers)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ApiError("(#1) Request body too large", 1)
        return self.rfile.read(length) if length else b""

    def _request(self, method: str, url: Any, body: bytes) -> tuple[Request, str | None]:
        version, path = split_path(url.path)
        params: dict[str, Any] = parse_form(url.query)
        form, files = parse_body(self.headers.get("Content-Type", ""), body)
        params.update(form)
        token = strip_token(params) or _header_token(self.headers.get("Authorization", ""))
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        base = f"http://{host}"
        return Request(method, path, params, files, version, base), token

    def _sandbox_path(self, method: str, path: str, body: bytes) -> None:
        if method == "GET" and path.rstrip("/") == "/__sandbox/state":
            self._send(200, self.server.dump(), {})
        elif method == "POST" and path.rstrip("/") == "/__sandbox/config":
            try:
                settings = json.loads(body.decode("utf-8") or "{}")
                self._send(200, {"config": self.server.api.configure(**settings)}, {})
            except (ValueError, TypeError) as exc:
                self._send(400, {"error": {"message": str(exc), "type": "SandboxConfigError", "code": 100}}, {})
        else:
            self._send(404, {"error": {"message": f"unknown sandbox path {path}", "type": "SandboxError",
                                       "code": 2500}}, {})

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "private, no-cache, no-store, must-revalidate")
        self.send_header("x-fb-trace-id", _trace_id(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _trace_id(body: Any) -> str:
    """The answer's trace id, as Meta sends it in ``x-fb-trace-id``: the error's, else a new one."""
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("fbtrace_id")) if isinstance(error, dict) and error.get("fbtrace_id") else fbtrace_id()


def _header_token(value: str) -> str | None:
    """``Authorization: Bearer T`` or ``OAuth T``."""
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() in ("bearer", "oauth") and token.strip():
        return token.strip()
    return None
