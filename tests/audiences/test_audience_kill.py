"""kill -9 of a real ``meta-ads audience create`` while a batch is in flight, then a re-run: the
upload resumes, nobody is counted twice, one audience. The kill is driven by the sandbox seeing
the batch (no timing): before it processes it, or after it did but before the kit heard back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from audience_helpers import write_customers

from factories import copy_workspace
from skill.audiences.upload import session_path
from skill.sandbox import Sandbox
from skill.sandbox.api import Result
from support import SANDBOX_TOKEN

N = 10_001  # batches of 10,000 and 1


def cli(ws: Path, sandbox: Sandbox, tmp_path: Path, csv_path: str) -> subprocess.Popen:
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
           "META_RETRY_BASE_S": "0.01", "HOME": str(tmp_path / "home"), "META_ADS_DEBUG": ""}
    env.pop("META_AD_ACCOUNT", None)
    return subprocess.Popen([sys.executable, "-m", "skill", "audience", "create", "VIP buyers", "--customers",
                             csv_path, "--workspace", str(ws)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_at_batch(sandbox: Sandbox, seq: int, after_processing: bool) -> dict[str, Any]:
    """When the sandbox receives batch ``seq`` from the CLI in ``holder["proc"]``, SIGKILL it:
    before the batch is processed, or just after (the kit then never hears the answer)."""
    holder: dict[str, Any] = {"proc": None, "seen": []}
    inner = sandbox.api.handle

    def handle(req: Any, token: str | None) -> Any:
        if req.path[-1:] != ["users"]:
            return inner(req, token)
        batch = json.loads(req.params["session"])["batch_seq"]
        holder["seen"].append(batch)
        proc = holder["proc"]
        if batch != seq or proc is None or proc.poll() is not None:
            return inner(req, token)
        result = inner(req, token) if after_processing else Result(500, {"error": {"message": "killed", "code": 2}})
        proc.kill()
        proc.wait()
        return result

    sandbox.api.handle = handle  # type: ignore[method-assign]
    return holder


@pytest.mark.parametrize("after_processing", [False, True], ids=["before-meta-got-it", "after-meta-got-it"])
def test_kill_9_during_a_batch_then_rerun_resumes_and_counts_once(tmp_path, sandbox, after_processing):
    ws = copy_workspace(tmp_path)
    csv_path = write_customers(ws, N)
    holder = kill_at_batch(sandbox, 2, after_processing)
    holder["proc"] = cli(ws, sandbox, tmp_path, csv_path)
    out, err = holder["proc"].communicate(timeout=300)
    assert holder["proc"].returncode == -signal.SIGKILL, out + err
    assert "Batch 1/2: 10,000 of 10,001 rows sent" in out and "Batch 2/2" not in out
    state = json.loads(session_path(ws, "VIP buyers").read_text())
    assert state["batches_done"] == 1 and not state["finished"]

    holder["proc"] = None
    proc = cli(ws, sandbox, tmp_path, csv_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert f"Resuming VIP buyers at batch 2/2 (session {state['session_id']})" in out
    assert "Using existing audience 'VIP buyers'" in out and f"Meta received {N:,}, invalid 0" in out
    assert holder["seen"] == [1, 2, 2]
    dump = sandbox.state_dump()
    [audience] = [a for a in dump["audiences"].values() if a["name"] == "VIP buyers"]
    [session] = audience["sessions"].values()
    assert session["num_received"] == N and session["stage"] == "finished"
    assert session["session_id"] == state["session_id"]
