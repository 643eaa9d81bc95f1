"""The upload's few words with the Graph client: batch operations in, per-entry results out.

Kept apart so the pipeline reads as steps, not as HTTP. Each batch entry comes back as an
:class:`Entry` (``None`` for a ``null`` entry: not run, or no answer) whose error is a typed
``GraphError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from skill.errors import GraphError
from skill.graph import BatchOp
from skill.upload.images import HASHES_PER_LOOKUP, hashes_in, hashes_lookup_params


@dataclass
class Entry:
    ok: bool
    data: Any = None
    error: GraphError | None = None


def make_op(method: str, relative_url: str, *, body: dict[str, Any] | None = None, name: str | None = None,
            attached_files: str | None = None, depends_on: str | None = None) -> BatchOp:
    """A batch operation; a named one always returns its answer (we need the hash or id)."""
    kwargs: dict[str, Any] = {"method": method, "relative_url": relative_url}
    if body is not None:
        kwargs["body"] = body
    if name:
        kwargs["name"] = name
        kwargs["omit_response_on_success"] = False
    if attached_files:
        kwargs["attached_files"] = attached_files
    if depends_on:
        kwargs["depends_on"] = depends_on
    return BatchOp(**kwargs)


def send_batch(client: Any, ops: list[BatchOp], files: dict[str, Any] | None = None) -> list[Entry | None]:
    """One batch call. Raises GraphError when the call as a whole failed or got no answer."""
    results = client.batch(ops, files=files) if files else client.batch(ops)
    if len(results) != len(ops):  # an answer we cannot pair with what we sent: treat it as none
        raise GraphError(f"the batch answer has {len(results)} entries for {len(ops)} operations")
    return [_entry(r) for r in results]


def _entry(result: Any) -> Entry | None:
    if result is None:
        return None
    error = getattr(result, "error", None)
    if getattr(result, "ok", False) and error is None:
        return Entry(True, getattr(result, "data", None))
    if error is None and getattr(result, "status", None) is None:
        return None
    if not isinstance(error, GraphError):
        error = GraphError(f"batch entry failed (HTTP {getattr(result, 'status', '?')})",
                           http_status=getattr(result, "status", None))
    return Entry(False, getattr(result, "data", None), error)


MAX_BATCH_OPS = 50


def image_lookup_op(account: str, md5s: list[str]) -> BatchOp:
    """``GET act_…/adimages?hashes=[…]`` for up to 50 hashes, one page (``limit`` = 50)."""
    return make_op("GET", f"{account}/adimages?{urlencode(hashes_lookup_params(md5s))}")


def lookup_known_images(client: Any, account: str, md5s: list[str]) -> Iterator[str]:
    """Which of these hashes the ad account already holds (``GET act_…/adimages?hashes=[…]``)."""
    for start in range(0, len(md5s), HASHES_PER_LOOKUP):
        chunk = md5s[start:start + HASHES_PER_LOOKUP]
        yield from sorted(hashes_in(client.paginate(f"{account}/adimages", hashes_lookup_params(chunk))))


def learn_known_images(ctx: Any, todo: list[Any], found: Any) -> None:
    """What the ledgers and the account (read in the survey's call, ``found``) hold goes in the
    run's image book (``ctx``: a ``RunContext``); the hashes the survey could not ask about are read now."""
    for ad in todo:
        for md5, image_hash in ad.entry.images.items():
            ctx.images.learn(md5, image_hash)
    for md5 in found.images_known if found else ():
        ctx.images.learn(md5, md5)
    wanted = {m for a in todo for m in a.md5s if m not in a.entry.images}
    unread = sorted(wanted & set(found.images_unread)) if found else sorted(wanted)
    try:
        for md5 in lookup_known_images(ctx.client, ctx.account, unread):
            ctx.images.learn(md5, md5)
    except GraphError as exc:
        ctx.halt(exc)
