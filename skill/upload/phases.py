"""Sending the prepared ads: images first, then creative → ad chains, several calls at once.

``send_ads`` is the seam between preparing an upload (validated, looked up in the account,
adopted, ledgers loaded: ``run.py``) and sending it. Another way of sending (for instance
Meta's asynchronous batch sets for very large uploads) plugs in here, with the same
``RunContext`` (ledger, image book, finalize/fail/commit) and the same ads.

1. **Images**: every distinct file the account does not hold goes up in calls of at most 50
   operations, spread over up to ``workers`` calls at once. An image is content-addressed on Meta (its hash is the md5
   of its bytes; sending the same bytes again stores nothing new), so this phase writes no
   ledger intent: a run killed here finds the uploaded files by hash next time.
2. **Ads**: calls of up to 25 ads (creative, then the ad referring to it with
   ``{result=…}``: 50 operations), up to ``workers`` calls at once, each run to the end by a
   :class:`BatchRunner` (ledger intents, reconcile, retries). An image the first phase could not
   upload goes in the first call that needs it, as before (``ImageBook`` hands it on).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TypeVar

from skill.errors import GraphError
from skill.upload.graph_ops import MAX_BATCH_OPS, Entry, make_op, send_batch
from skill.upload.steps import FATAL, BatchRunner, image_hash, split_batches
from skill.upload.work import AdWork, RunContext

T = TypeVar("T")


def send_ads(ctx: RunContext, todo: list[AdWork], workers: int) -> None:
    """Send every prepared ad: missing images first, then the ads' batch calls."""
    if not todo or ctx.fatal:
        return
    upload_images(ctx, missing_images(ctx, todo), workers)
    groups = split_batches(todo, ctx.images.known)
    for number, group in enumerate(groups):
        for ad in group:
            for md5 in ad.md5s:
                ctx.images.plan(md5, number)
    run_batches(ctx, [BatchRunner(ctx, n, g) for n, g in enumerate(groups)], workers)


def run_batches(ctx: RunContext, runners: list[BatchRunner], workers: int) -> None:
    """Each batch call to its end, up to ``workers`` at once; a batch whose ads may no longer run
    (paused or stopped before it began) is skipped."""

    def one(runner: BatchRunner) -> None:
        if not any(ctx.may_run(ad.index) for ad in runner.ads):
            ctx.images.finish(runner.number)
            return
        runner.run()

    in_parallel(one, runners, workers)


def missing_images(ctx: RunContext, todo: list[AdWork]) -> list[tuple[str, Path, AdWork]]:
    """Each distinct file neither the ledger nor the account knows, with the first ad needing it."""
    out: dict[str, tuple[str, Path, AdWork]] = {}
    for ad in todo:
        for md5, path in zip(ad.md5s, ad.paths, strict=True):
            if md5 not in out and md5 not in ctx.images.known and md5 not in ad.entry.images:
                out[md5] = (md5, path, ad)
    return list(out.values())


def upload_images(ctx: RunContext, images: list[tuple[str, Path, AdWork]], workers: int) -> None:
    """Phase 1: the files in calls of up to 50, spread over ``workers`` calls at once (40 files
    and 5 workers: 5 calls of 8, not one of 40, so the bytes travel side by side). What does not
    go up here (no answer, a refusal) is left to the ad calls, which report it on the ad that needs it."""
    size = max(1, min(MAX_BATCH_OPS, math.ceil(len(images) / max(workers, 1))))
    chunks = [images[i:i + size] for i in range(0, len(images), size)]
    in_parallel(lambda chunk: _upload_chunk(ctx, chunk), chunks, workers)


def _upload_chunk(ctx: RunContext, chunk: list[tuple[str, Path, AdWork]]) -> None:
    if ctx.stop.is_set():
        return
    ops = [make_op("POST", f"{ctx.account}/adimages", name=f"img{i}", attached_files=f"img{i}")
           for i in range(len(chunk))]
    files = {f"img{i}": (path.name, path.read_bytes()) for i, (_, path, _) in enumerate(chunk)}
    try:
        with _label(ctx, chunk[0][2]):
            results: list[Entry | None] = send_batch(ctx.client, ops, files)
    except FATAL as exc:
        ctx.halt(exc)
        return
    except GraphError:
        return  # the ad calls send what is still missing, and say why if it fails again
    for (md5, _, _), result in zip(chunk, results, strict=True):
        found = image_hash(result)
        if found:
            ctx.images.learn(md5, found, uploaded=True)
        elif result is not None and isinstance(result.error, FATAL):
            ctx.halt(result.error)


def _label(ctx: RunContext, ad: AdWork) -> Any:
    """Retry lines of the images call name the first ad it holds up (``[1/100] hero``)."""
    labelled = getattr(ctx.client, "labelled", None)
    if labelled is None:
        return nullcontext()
    return labelled(f"[{ad.index + 1}/{len(ctx.batch.ads)}] {ad.check.entry.stem}")


def in_parallel(fn: Callable[[T], None], items: Iterable[T], workers: int) -> None:
    """``fn`` on every item, in order when ``workers`` is 1, else up to ``workers`` at once."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        for item in items:
            fn(item)
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix="upload") as pool:
        list(pool.map(fn, items))
