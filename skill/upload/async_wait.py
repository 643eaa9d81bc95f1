"""Waiting for async request sets: one set's progress, and the sets an interrupted run left.

A set goes on running at Meta's end after the process that sent it is killed. Before any run
looks the batch's ads up by name (the synchronous path as much as the async one), such sets must
be complete, or they would create ads after the look-up said they did not exist.

So before it sends a set, the async path writes a small marker, ``.ledger/async-set-{pid}-{n}.json``
(fsync'd: the set's name), and removes it once the set's results are recorded. A run that finds
markers waits for the campaign's sets still running (the async path always asks the account,
markers or not; the synchronous path asks only when a marker says there may be some, so an
ordinary upload pays no extra request), then removes the markers.
"""

from __future__ import annotations

import os
from itertools import count
from pathlib import Path
from typing import Any

from skill.events import Event
from skill.fileio import write_json_atomic
from skill.records import now_iso
from skill.upload import async_sets as sets
from skill.upload.work import RunContext

MARKER = "async-set-"
MAX_POLL_S = 30.0
_numbers = count(1)


def poll_until_done(ctx: RunContext, client: Any, set_id: str, label: str, poll_s: float) -> None:
    """Until the set is complete, one progress line whenever its counts move (``poll_s`` between
    reads, doubling while nothing moves)."""
    wait, seen = poll_s, (-1, -1)
    while True:
        status = sets.poll(client, set_id)
        if (status.done, status.error) != seen:
            ctx.report(Event("async_progress", f"  Async {label}: {status.done}/{status.total} requests "
                                               f"done, {status.error} errors",
                             {"set_id": set_id, "done": status.done, "total": status.total,
                              "errors": status.error, "canceled": status.canceled}))
            wait = poll_s if status.done != seen[0] else wait
            seen = (status.done, status.error)
        else:
            wait = min(max(wait * 2, 0.05), MAX_POLL_S)
        if status.completed:
            return
        ctx.sleep(wait)


def mark(ledger_dir: Path, name: str) -> Path:
    """Before a set is sent: the marker that says it may be running (fsync'd)."""
    path = ledger_dir / f"{MARKER}{os.getpid()}-{next(_numbers)}.json"
    write_json_atomic(path, {"name": name, "at": now_iso()})
    return path


def markers(ledger_dir: Path) -> list[Path]:
    return sorted(ledger_dir.glob(f"{MARKER}*.json")) if ledger_dir.is_dir() else []


def wait_for_left_sets(ctx: RunContext, prefix: str, poll_s: float) -> bool:
    """Wait for the sets named from ``prefix`` that an interrupted run left running; whether there
    were any, or markers (a set may have completed since an earlier look-up: read the account
    again). The markers found before asking are removed once the sets are complete."""
    left = markers(ctx.ledger.dir)
    running = sets.open_sets(ctx.client, ctx.account, prefix)
    for open_set in running:
        ctx.report(Event("async_wait", f"  An async set from an earlier run is still running "
                                       f"({open_set.name}): waiting for it before looking the ads up",
                         {"set_id": open_set.id}))
        poll_until_done(ctx, ctx.client, open_set.id, "earlier set", poll_s)
    for path in left:
        path.unlink(missing_ok=True)
    return bool(running or left)
