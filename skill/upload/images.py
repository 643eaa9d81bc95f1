"""Image hashes for one upload run: each distinct file goes to Meta at most once per account.

Meta names an image by the md5 of its bytes, so before uploading anything the run asks the
account which of its files are already there (``GET act_…/adimages?hashes=[…]``); those are
never sent again. For the rest, the first batch (in batch order) that needs a file *owns* its
upload; later batches that need the same file wait for the owner's answer and reuse the hash
(the API's returned hash is the truth, not our md5). If the owner could not upload it,
ownership passes to the earliest unfinished batch that needs it, so a batch only ever waits for
an earlier one and parallel batches cannot deadlock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skill.images import md5_hex

HASHES_PER_LOOKUP = 50


def file_md5s(paths: Iterable[Path]) -> dict[Path, str]:
    """md5 of every distinct file (each file read once)."""
    return {p: md5_hex(p) for p in dict.fromkeys(paths)}


def hashes_lookup_params(md5s: list[str]) -> dict[str, str]:
    """At most ``HASHES_PER_LOOKUP`` hashes: the answer is one page."""
    return {"hashes": json.dumps(md5s), "fields": "hash,name", "limit": str(HASHES_PER_LOOKUP)}


def hashes_in(rows: Iterable[Any]) -> set[str]:
    """The hashes named by an ``adimages`` listing (rows of ``{"hash": …}``)."""
    return {str(r["hash"]) for r in rows if isinstance(r, dict) and r.get("hash")}


class ImageBook:
    """md5 → Meta hash for this run, and which batch uploads which file. Thread-safe."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}
        self.uploaded: set[str] = set()  # md5s this run sent to Meta
        self._users: dict[str, list[int]] = {}  # md5 → batches that need it, in order
        self._owner: dict[str, int] = {}
        self._finished: set[int] = set()
        self._cond = threading.Condition()

    def plan(self, md5: str, batch_no: int) -> None:
        """Note that batch ``batch_no`` needs ``md5`` (call in batch order, before running)."""
        users = self._users.setdefault(md5, [])
        if batch_no not in users:
            users.append(batch_no)
        self._owner.setdefault(md5, batch_no)

    def learn(self, md5: str, image_hash: str, *, uploaded: bool = False) -> None:
        with self._cond:
            self.known[md5] = image_hash
            if uploaded:
                self.uploaded.add(md5)
            self._cond.notify_all()

    def forget(self, md5: str) -> None:
        """Meta no longer has this image (an expired hash): the next batch that needs it uploads it."""
        with self._cond:
            self.known.pop(md5, None)
            self.uploaded.discard(md5)

    def claim(self, md5: str, batch_no: int, stopped: threading.Event | None = None) -> str | None:
        """The hash if known (waiting for an earlier batch's upload if needed); ``None`` means
        this batch owns the upload and must send the file."""
        with self._cond:
            while True:
                if md5 in self.known:
                    return self.known[md5]
                owner = self._owner.get(md5, batch_no)
                if owner == batch_no or owner in self._finished or (stopped and stopped.is_set()):
                    self._owner[md5] = batch_no
                    return None
                self._cond.wait(timeout=0.5)

    def finish(self, batch_no: int) -> None:
        """A batch is done (or will never run): hand its unfinished uploads to the next batch."""
        with self._cond:
            self._finished.add(batch_no)
            for md5, owner in self._owner.items():
                if owner == batch_no and md5 not in self.known:
                    waiting = [b for b in self._users.get(md5, []) if b not in self._finished]
                    if waiting:
                        self._owner[md5] = waiting[0]
            self._cond.notify_all()
