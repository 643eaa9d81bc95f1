"""The local memory of video uploads: per ad account and file, the upload session and the last
offset Meta acknowledged, written atomically after every chunk, so a killed run resumes from
there. A cache only: the account is the truth (``find_uploaded`` looks videos up by title).

File: ``ads/.ledger/videos/videos.json`` (beside the ad ledgers) = ``{"act_1:<sha256>": {"video_id", "session_id", "start", "end",
"size", "state": "uploading" | "finished", "title"}}``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from skill.fileio import write_json_atomic

STORE_NAME = "videos.json"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def title_tag(sha256: str) -> str:
    """What every title the kit gives a video ends with: the same file is found again by it."""
    return f"kit:{sha256[:16]}"


def video_title(path: Path, sha256: str) -> str:
    return f"{path.name} · {title_tag(sha256)}"


class VideoStore:
    """``videos.json``: read once, rewritten whole (atomically) on every change. Thread-safe."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / STORE_NAME
        self._lock = threading.Lock()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self._data: dict[str, dict[str, Any]] = data if isinstance(data, dict) else {}

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            rec = self._data.get(key)
            return dict(rec) if isinstance(rec, dict) else None

    def put(self, key: str, rec: dict[str, Any]) -> None:
        with self._lock:
            self._data[key] = dict(rec)
            write_json_atomic(self.path, self._data)

    def drop(self, key: str) -> None:
        with self._lock:
            if self._data.pop(key, None) is not None:
                write_json_atomic(self.path, self._data)
