"""Hashed rows → ``POST /{audience}/users`` in one session of batches of Meta's maximum size.

A session is ``{session_id, batch_seq, last_batch_flag, estimated_num_total}``; each batch
holds at most 10,000 rows. After every batch Meta acknowledged, the progress file
``WORKSPACE/.audiences/<name>.session.json`` is replaced atomically: audience id, session id,
the list's digest (a hash of the hashes), batches done. It holds no personal data. A re-run of
the same list resumes after the last acknowledged batch, in the same session while it is
open (Meta closes a session 90 minutes after its first batch; after that a new session
starts from the first batch: re-adding people already in the audience changes nothing).
A batch whose answer was lost is sent again with the same ``batch_seq``.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.audiences.customers import HashedList
from skill.errors import GraphError
from skill.events import Event, Reporter, silent
from skill.fileio import write_json_atomic

MAX_ROWS = 10_000
SESSION_OPEN_S = 85 * 60  # Meta closes a session 90 minutes after its first batch: keep a margin


class SessionState(BaseModel):
    audience_id: str
    audience_name: str
    session_id: int
    digest: str
    total_rows: int
    batch_size: int
    batches: int
    batches_done: int = 0
    started_at: float
    finished: bool = False
    num_received: int = 0
    num_invalid_entries: int = 0


class UploadOutcome(BaseModel):
    session_id: int
    batches: int
    sent_batches: int
    resumed_from: int | None = None
    already_done: bool = False
    num_received: int = 0
    num_invalid_entries: int = 0
    num_matched: int | None = None


def session_path(workspace: Path, name: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "audience"
    return workspace / ".audiences" / f"{slug}.session.json"


def load_state(path: Path) -> SessionState | None:
    try:
        return SessionState.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _start(audience_id: str, name: str, hashed: HashedList, batch_size: int, previous: SessionState | None,
           now: float) -> tuple[SessionState, int | None]:
    digest = hashed.digest()
    if previous and previous.audience_id == audience_id and previous.digest == digest:
        if previous.finished:
            return previous, None
        if now - previous.started_at < SESSION_OPEN_S:
            return previous, (previous.batches_done + 1 if previous.batches_done else None)
    batches = max(1, -(-hashed.count // batch_size))
    state = SessionState(audience_id=audience_id, audience_name=name, session_id=secrets.randbits(52) + 1,  # < 2**53: exact in any JSON reader
                         digest=digest, total_rows=hashed.count, batch_size=batch_size, batches=batches,
                         started_at=now)
    return state, None


def upload_rows(client: Any, audience_id: str, name: str, hashed: HashedList, state_file: Path,
                report: Reporter = silent, batch_size: int = MAX_ROWS) -> UploadOutcome:
    """Send every row in one session, resuming a previous run of the same list."""
    batch_size = max(1, min(batch_size, MAX_ROWS))
    state, resumed = _start(audience_id, name, hashed, batch_size, load_state(state_file), time.time())
    outcome = UploadOutcome(session_id=state.session_id, batches=state.batches, sent_batches=0,
                            resumed_from=resumed, already_done=state.finished)
    if state.finished:
        report(Event("audience.done", f"  {name}: this list was already uploaded (session {state.session_id}); "
                     "nothing to send"))
    elif resumed:
        report(Event("audience.resume", f"  Resuming {name} at batch {resumed}/{state.batches} "
                     f"(session {state.session_id})"))
    write_json_atomic(state_file, state.model_dump())
    for seq in range(state.batches_done + 1, state.batches + 1):
        _send_batch(client, state, hashed, seq)
        state.batches_done = seq
        state.finished = seq == state.batches
        write_json_atomic(state_file, state.model_dump())
        outcome.sent_batches += 1
        sent = min(seq * state.batch_size, state.total_rows)
        report(Event("audience.batch", f"  Batch {seq}/{state.batches}: {sent:,} of {state.total_rows:,} rows sent",
                     {"batch": seq, "batches": state.batches, "rows_sent": sent, "rows": state.total_rows}))
    outcome.num_received, outcome.num_invalid_entries = state.num_received, state.num_invalid_entries
    outcome.num_matched = _matched(client, audience_id, state.session_id)
    return outcome


def _send_batch(client: Any, state: SessionState, hashed: HashedList, seq: int) -> None:
    rows = hashed.rows((seq - 1) * state.batch_size, seq * state.batch_size)
    session = {"session_id": state.session_id, "batch_seq": seq, "last_batch_flag": seq == state.batches,
               "estimated_num_total": state.total_rows}
    payload = json.dumps({"schema": hashed.schema_keys, "data": rows}, separators=(",", ":"))
    # a multipart text part: 10,000 rows of hashes are megabytes, too slow to percent-encode as a form
    answer = client.post(f"{state.audience_id}/users", {"session": session},
                         files={"payload": (None, payload.encode(), "application/json")}, idempotent=True)
    state.num_received = int(answer.get("num_received", state.num_received))
    state.num_invalid_entries = int(answer.get("num_invalid_entries", state.num_invalid_entries))


def _matched(client: Any, audience_id: str, session_id: int) -> int | None:
    """Meta's ``num_matched`` for the session, when its sessions edge reports one."""
    try:
        for row in client.paginate(f"{audience_id}/sessions", {"limit": 50}):
            if int(row.get("session_id", 0)) == session_id:
                value = row.get("num_matched")
                return int(value) if value is not None else None
    except GraphError:
        return None
    return None
