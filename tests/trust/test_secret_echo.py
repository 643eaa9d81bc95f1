"""The token never shows, even when the server echoes it back in every field of an error.

A tiny loopback Graph API answers every call with an error whose message, type, user title,
user message, fbtrace_id and error_data all carry the token (plain and URL-encoded); batch calls
get one such error per operation. The Graph URL carries a user and password too. Every command
run against it, in text and JSON, must show neither: not on stdout, not on stderr, not in a file.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest

from factories import CAMPAIGN, copy_workspace
from skill.cli import main

TOKEN = "EAAB-echo-me-9f8e7d6c5b4a3210zz"
PASSWORD = "hunter2-in-the-url"


def echo_error(status_code: int = 190) -> dict:
    leak = f"{TOKEN} / {quote(TOKEN)}"
    return {"error": {"message": f"Invalid token {leak}", "type": f"OAuthException {leak}", "code": status_code,
                      "error_subcode": 463, "is_transient": False, "error_user_title": f"Bad {leak}",
                      "error_user_msg": f"We got {leak}", "fbtrace_id": f"A{TOKEN}",
                      "error_data": {"blame_field_specs": [[leak]], leak: leak}}}


class Echo(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, body: bytes | None = None) -> None:
        code = self.server.code  # type: ignore[attr-defined]
        if body is not None and b"batch=" in body:
            ops = json.loads(parse_qs(body.decode())["batch"][0])
            payload = [{"code": 400, "body": json.dumps(echo_error(code))} for _ in ops]
            status = 200
        else:
            payload, status = echo_error(code), 400
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-fb-trace-id", TOKEN)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))


@pytest.fixture(params=[190, 100, 2])
def echo(request) -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.code = request.param  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://alice:{PASSWORD}@127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


COMMANDS = [
    ("upload", CAMPAIGN), ("upload", CAMPAIGN, "--json"), ("auth", "check"), ("auth", "check", "--json"),
    ("pause", "hero-receipt"), ("pause", "hero-receipt", "--json"), ("insights", CAMPAIGN, "--json"),
]


def test_a_server_echoing_the_token_everywhere_never_makes_it_show(echo, tmp_path: Path, capsys, monkeypatch):
    ws = copy_workspace(tmp_path)
    for var in ("META_AD_ACCOUNT", "META_WORKSPACE", "SOCIAL_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.001")
    monkeypatch.setenv("META_GRAPH_URL", echo)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN)
    for command in COMMANDS:
        code = main([*command, "--workspace", str(ws)])
        out, err = capsys.readouterr()
        assert out + err, command
        assert code != 0 or command[0] == "insights", command
        for secret in (TOKEN, quote(TOKEN), PASSWORD, TOKEN[5:20]):
            assert secret not in out and secret not in err, (command, out, err)
        assert "Traceback" not in out + err
        if "--json" in command:
            json.loads(out)
    for path in ws.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert TOKEN not in text and PASSWORD not in text, path


def test_the_last_resort_error_line_is_masked_too(tmp_path: Path, capsys, monkeypatch):
    ws = copy_workspace(tmp_path)
    monkeypatch.setenv("META_GRAPH_URL", f"https://bob:{PASSWORD}@graph.example.com")
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv("META_ADS_DEBUG", raising=False)
    import skill.upload.run as run

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"unexpected: token={TOKEN} url=https://bob:{PASSWORD}@graph.example.com/v26.0/")

    monkeypatch.setattr(run, "upload_batch", broken)
    assert main(["upload", CAMPAIGN, "--workspace", str(ws)]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("Internal error: RuntimeError") and err.count("\n") == 1
    assert TOKEN not in out + err and PASSWORD not in out + err and "https://***@graph.example.com" in err
    assert main(["upload", CAMPAIGN, "--workspace", str(ws), "--json"]) == 1
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["ok"] is False and doc["error"] == "InternalError"
    assert TOKEN not in out + err and PASSWORD not in out + err
