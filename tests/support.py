"""Helpers every test package shares: the sandbox's seeded ids, ``Graph`` (requests against a sandbox),
image bytes and creative parameters made the way the kit makes them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import requests
from PIL import Image

from skill.sandbox import Sandbox

SANDBOX_TOKEN = "sandbox-token"
COPY_KEY = "test-key-123456"  # the fake Messages API's key in copy tests
SANDBOX_ACCOUNT = "act_123456789"
SANDBOX_ADSET = "23847000000001"
SANDBOX_PAGE = "123456789"


class Graph:
    """Thin helper for sandbox tests: versioned URLs, the token, JSON bodies for dicts and lists."""

    def __init__(self, sandbox: Sandbox, version: str = "v26.0") -> None:
        self.sandbox = sandbox
        self.base = f"{sandbox.url}/{version}"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {SANDBOX_TOKEN}"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(f"{self.base}/{path}", params=_form(params), timeout=10)

    def post(self, path: str, files: Any = None, **params: Any) -> requests.Response:
        return self.session.post(f"{self.base}/{path}", data=_form(params), files=files, timeout=10)

    def delete(self, path: str, **params: Any) -> requests.Response:
        return self.session.delete(f"{self.base}/{path}", params=_form(params), timeout=10)

    def batch(self, ops: list[dict[str, Any]], files: Any = None, **params: Any) -> requests.Response:
        return self.session.post(self.sandbox.url, data={"batch": json.dumps(ops), **_form(params)},
                                 files=files, timeout=10)

    # -- the usual objects, created the way the kit creates them

    def upload_image(self, data: bytes, name: str = "hero.png") -> str:
        r = self.post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": (name, data)})
        assert r.status_code == 200, r.text
        return r.json()["images"][name]["hash"]

    def create_creative(self, image_hash: str, **overrides: Any) -> str:
        r = self.post(f"{SANDBOX_ACCOUNT}/adcreatives", **creative_params(image_hash, **overrides))
        assert r.status_code == 200, r.text
        return r.json()["id"]

    def create_ad(self, creative_id: str, name: str = "summer-sale-2026 - hero", status: str = "PAUSED") -> str:
        r = self.post(f"{SANDBOX_ACCOUNT}/ads", name=name, adset_id=SANDBOX_ADSET,
                      creative={"creative_id": creative_id}, status=status)
        assert r.status_code == 200, r.text
        return r.json()["id"]

    def make_ad(self, name: str = "summer-sale-2026 - hero", seed: int = 1) -> str:
        return self.create_ad(self.create_creative(self.upload_image(png_bytes(seed=seed))), name)


def _form(params: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in params.items()}


def png_bytes(size: tuple[int, int] = (1080, 1080), seed: int = 1, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (seed * 37 % 256, 120, 40)).save(buf, format=fmt)
    return buf.getvalue()


def feed_spec(image_hash: str, **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "images": [{"hash": image_hash}],
        "bodies": [{"text": "Snap a receipt and the app files it for you, every time, all summer."}],
        "titles": [{"text": "Never Lose a Receipt Again"}],
        "descriptions": [{"text": "50% off until August 31."}],
        "link_urls": [{"website_url": "https://yoursite.com/summer-sale", "display_url": "yoursite.com"}],
        "call_to_action_types": ["SHOP_NOW"],
        "ad_formats": ["SINGLE_IMAGE"],
    }
    spec.update(overrides)
    return spec


def creative_params(image_hash: str, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "name": "summer-sale-2026 - hero",
        "object_story_spec": {"page_id": SANDBOX_PAGE},
        "asset_feed_spec": feed_spec(image_hash),
    }
    params.update(overrides)
    return params


def run_cli(ws: Path, capsys: Any, *args: str) -> tuple[int, str, str]:
    """``meta-ads ARGS --workspace WS`` in-process: exit code, stdout, stderr; never a traceback."""
    from skill.cli import main

    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def ctrl_c_reaches_child() -> None:
    """``preexec_fn`` for a child a test interrupts with SIGINT: Ctrl-C's default disposition.

    A command started in the background by a non-interactive shell (``pytest … &``, some CI
    runners) inherits SIGINT *ignored*, and so would its children: Python then installs no
    KeyboardInterrupt handler and the test's Ctrl-C does nothing. A user's Ctrl-C reaches a
    foreground command, which is what these tests mean to show."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
