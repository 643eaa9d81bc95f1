"""``image_url`` in a batch config: fetch the image once into the campaign's ``images/`` folder.

The fetch is careful: only ``http`` and ``https``; redirects followed by hand (at most 3) and
only to ``http``/``https``; a connect and a read timeout; ``Content-Type`` and
``Content-Length`` checked before the body is read; the body read in chunks and stopped past
30 MB; the bytes must be a JPG or PNG. The file is named from the URL and a short digest of it,
so the next run (and the dry run) finds it and fetches nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from skill.fileio import write_bytes_atomic
from skill.images import MAX_BYTES

ALLOWED_SCHEMES = ("http", "https")
ALLOWED_TYPES = {"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/png": ".png"}
MAX_REDIRECTS = 3
TIMEOUT_S = (5.0, 30.0)  # connect, read
CHUNK = 64 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FetchError(Exception):
    """The image at the URL could not be used; the message says why."""


def cached_name(url: str) -> str:
    """``https://cdn.example/a/hero shot.jpg?x=1`` → ``hero-shot-1a2b3c4d`` (no extension)."""
    stem = Path(urlsplit(url).path).stem or "image"
    stem = _SAFE.sub("-", stem).strip("-.")[:60] or "image"
    return f"{stem}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def find_cached(url: str, folder: Path) -> Path | None:
    name = cached_name(url)
    return next((folder / f"{name}{ext}" for ext in (".jpg", ".png") if (folder / f"{name}{ext}").exists()), None)


def fetch_image(url: str, folder: Path, *, session: requests.Session | None = None) -> Path:
    """The image at ``url`` as a file in ``folder`` (fetched once). Raises FetchError."""
    _check_scheme(url)
    cached = find_cached(url, folder)
    if cached:
        return cached
    http = session or requests.Session()
    try:
        data, ext = _download(http, url)
    finally:
        if session is None:
            http.close()
    path = folder / f"{cached_name(url)}{ext}"
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, data)
    return path


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES or not urlsplit(url).netloc:
        raise FetchError(f"image_url must be an http or https URL, got {url!r}")


def _download(http: requests.Session, url: str) -> tuple[bytes, str]:
    for _ in range(MAX_REDIRECTS + 1):
        try:
            resp = http.get(url, stream=True, timeout=TIMEOUT_S, allow_redirects=False)
        except requests.Timeout:
            raise FetchError(f"no answer from {urlsplit(url).netloc} in time") from None
        except requests.RequestException as exc:
            raise FetchError(f"cannot reach {urlsplit(url).netloc} ({type(exc).__name__})") from None
        with resp:
            if resp.is_redirect:
                url = urljoin(url, resp.headers.get("Location", ""))
                _check_scheme(url)
                continue
            if resp.status_code != 200:
                raise FetchError(f"the server answered HTTP {resp.status_code}")
            _check_headers(resp)
            data = _read(resp)
            return data, (".png" if data.startswith(b"\x89PNG") else ".jpg")
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _check_headers(resp: requests.Response) -> None:
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype not in ALLOWED_TYPES:
        raise FetchError(f"Format not supported: the server says {ctype or 'no type'} (use JPG or PNG)")
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) >= MAX_BYTES:
        raise FetchError(f"Image too large: {int(length) / 1024 / 1024:.1f} MB (max 30 MB)")


def _read(resp: requests.Response) -> bytes:
    chunks, total = [], 0
    for chunk in resp.iter_content(CHUNK):
        total += len(chunk)
        if total >= MAX_BYTES:
            raise FetchError("Image too large: over 30 MB (stopped reading)")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"):
        raise FetchError("Format not supported: the bytes are not a JPG or PNG")
    return data
