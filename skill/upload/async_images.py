"""Images for an upload through async request sets: the bytes go up first, in ordinary batches.

Async request sets carry form bodies, not files, so every image the account does not hold yet
is uploaded before the first set: ten files a Graph batch call, each distinct file once. What
Meta answers (its hash) goes into the run's :class:`ImageBook`; a refusal is kept per file so the
ads that need it fail with Meta's message.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skill.errors import AccountBlocked, GraphError, TokenInvalid, WaitTooLong
from skill.upload.graph_ops import make_op, send_batch
from skill.upload.images import ImageBook
from skill.upload.work import AdWork

IMAGES_PER_CALL = 10
FATAL = (TokenInvalid, AccountBlocked, WaitTooLong)


def upload_images(client: Any, account: str, ads: Iterable[AdWork], book: ImageBook) -> dict[str, GraphError]:
    """Upload every file these ads need that neither their ledger nor the book knows; the
    errors by md5. A bad token or a blocked account raises (nothing more can succeed)."""
    need: dict[str, Path] = {}
    for ad in ads:
        for md5, path in zip(ad.md5s, ad.paths, strict=True):
            if md5 not in ad.entry.images and md5 not in book.known:
                need.setdefault(md5, path)
    pending = list(need.items())
    errors: dict[str, GraphError] = {}
    for start in range(0, len(pending), IMAGES_PER_CALL):
        chunk = pending[start:start + IMAGES_PER_CALL]
        files = {f"img{i}": (path.name, path.read_bytes()) for i, (_, path) in enumerate(chunk)}
        ops = [make_op("POST", f"{account}/adimages", name=f"img{i}", attached_files=f"img{i}")
               for i in range(len(chunk))]
        try:
            answers = send_batch(client, ops, files)
        except FATAL:
            raise
        except GraphError as exc:
            errors.update({md5: exc for md5, _ in chunk})
            continue
        for (md5, _), answer in zip(chunk, answers, strict=True):
            found = image_hash(answer.data if answer is not None and answer.ok else None)
            if found:
                book.learn(md5, found, uploaded=True)
            elif answer is not None and answer.error is not None:
                errors[md5] = answer.error
    return errors


def image_hash(data: Any) -> str | None:
    """The hash in an ``adimages`` answer: ``{"images": {"file.jpg": {"hash": …}}}``."""
    if not isinstance(data, dict):
        return None
    for found in (data.get("images") or {}).values():
        if isinstance(found, dict) and found.get("hash"):
            return str(found["hash"])
    return None
