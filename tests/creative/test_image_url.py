"""``image_url`` in a batch config, against a loopback image server: fetched once into the campaign's
images/ folder, then uploaded like a file; type and size checked before the body is read; redirects
only to http(s); nothing but JPG or PNG bytes kept."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factories import CAMPAIGN, ads_dir, edit_json
from skill.cli import main
from skill.creative import remote
from skill.sandbox import Sandbox
from support import png_bytes

PNG = png_bytes((1080, 1080), seed=9)


class ImageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: list[str] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        pass  # the client hanging up on a refused image is the point of the test, not news


class _Handler(BaseHTTPRequestHandler):
    server: ImageServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.hits.append(self.path)
        routes = {
            "/hero.png": lambda: self._send(200, PNG, "image/png"),
            "/moved": lambda: self._redirect("/hero.png"),
            "/to-ftp": lambda: self._redirect("ftp://127.0.0.1/hero.png"),
            "/page": lambda: self._send(200, b"<html>not an image</html>", "text/html"),
            "/fake.png": lambda: self._send(200, b"GIF89a not really", "image/png"),
            "/huge.jpg": self._huge,
            "/endless.jpg": self._endless,
        }
        routes.get(self.path, lambda: self._send(404, b"no", "text/plain"))()

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _huge(self) -> None:
        """Says 40 MB, sends a little, then holds the connection until the test ends."""
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(40 * 1024 * 1024))
        self.end_headers()
        self.wfile.write(b"\xff\xd8\xff" + b"0" * 1000)
        self.wfile.flush()
        self.server.release.wait(60)

    def _endless(self) -> None:
        """No length: a JPEG header, then more bytes than the limit."""
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(b"\xff\xd8\xff" + b"0" * 200_000)
        except OSError:
            pass


@pytest.fixture
def images() -> Iterator[ImageServer]:
    server = ImageServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def ws(ws: Path, live: Sandbox) -> Path:
    return ws


def use_url(ws: Path, url: str) -> None:
    def edit(d: dict) -> None:
        d["ads"][0].pop("image_path")
        d["ads"][0]["image_url"] = url
    edit_json(ads_dir(ws) / "batch-upload.json", edit)


def run(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_an_image_url_is_fetched_once_then_uploaded_like_a_file(ws, sandbox, images, capsys):
    use_url(ws, f"{images.url}/moved")
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    assert code == 0, out
    fetched = list((ws / "campaigns" / CAMPAIGN / "images").glob("moved-*.png"))
    assert len(fetched) == 1 and fetched[0].read_bytes() == PNG
    assert images.hits == ["/moved", "/hero.png"]
    code, out = run(ws, capsys, "upload", CAMPAIGN)
    assert code == 0, out
    assert images.hits == ["/moved", "/hero.png"], "fetched once: the upload used the saved file"
    rec = json.loads((ads_dir(ws) / "notes-app.upload.json").read_text())
    assert rec["image_hash"] in {i["hash"] for i in sandbox.state_dump()["images"].values()}


@pytest.mark.parametrize("path,message", [
    ("/to-ftp", "image_url must be an http or https URL, got 'ftp://127.0.0.1/hero.png'"),
    ("/page", "Format not supported: the server says text/html (use JPG or PNG)"),
    ("/fake.png", "Format not supported: the bytes are not a JPG or PNG"),
    ("/huge.jpg", "Image too large: 40.0 MB (max 30 MB)"),
    ("/missing.png", "the server answered HTTP 404"),
])
def test_a_bad_image_url_is_a_clean_error_naming_the_ad(ws, images, capsys, path, message):
    use_url(ws, f"{images.url}{path}")
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1
    assert message in out and "ads[0].image_url" in out
    assert not list((ws / "campaigns" / CAMPAIGN / "images").glob(f"{Path(path).stem}-*"))


def test_a_body_without_a_length_is_cut_off_at_the_limit(ws, images, capsys, monkeypatch):
    monkeypatch.setattr(remote, "MAX_BYTES", 100_000)
    use_url(ws, f"{images.url}/endless.jpg")
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1 and "Image too large: over 30 MB (stopped reading)" in out


def test_only_http_and_https_urls(ws, capsys):
    use_url(ws, "file:///etc/passwd")
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1 and "image_url must be an http or https URL" in out
