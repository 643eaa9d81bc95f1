"""kill -9 mid-upload, then re-run: never a duplicate image, creative or ad, nothing lost, no temp file left.

The CLI runs as a real subprocess against the test's sandbox (which outlives it). Each kill is
driven by progress, never by a delay: the test waits until the sandbox has received the Nth
batch operation of that run (N random), then SIGKILLs the CLI while it waits for the answer.
So every killed run was really uploading, however loaded the machine is.
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from factories import CAMPAIGN, ads_dir, copy_workspace, make_batch
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

N_ADS = 80
N_IMAGES = 11
KILLS = 6


def cli(ws: Path, sandbox: Sandbox, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
           "META_RETRY_BASE_S": "0.01", "HOME": str(tmp_path / "home"), "META_ADS_DEBUG": ""}
    env.pop("META_AD_ACCOUNT", None)
    return subprocess.Popen([sys.executable, "-m", "skill", "upload", CAMPAIGN, "--workspace", str(ws)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_after_ops(proc: subprocess.Popen, sandbox: Sandbox, ops: int) -> bool:
    """SIGKILL once the sandbox has seen ``ops`` more batch operations; False if the run ended first."""
    target = sandbox.request_counts.get("batch_ops", 0) + ops
    while proc.poll() is None:
        if sandbox.wait_for(target, "batch_ops", timeout=0.5):
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            return True
    proc.communicate(timeout=60)
    return False


def test_kill_9_mid_upload_then_rerun_never_duplicates(tmp_path: Path, sandbox: Sandbox):
    ws = copy_workspace(tmp_path)
    make_batch(ws, N_ADS, N_IMAGES)
    sandbox.configure(drop_rate=0.05, seed=5)
    rng = random.Random(20261122)
    killed = 0
    # A batch call the sandbox has started runs to its end even when its client dies (the answer is
    # lost), so each kill after the pre-flight's reads and the images' call costs one call of 25 ads:
    # stop killing while the last call is still to do, so that every run started is really killed
    # mid-upload (in the pre-flight, the images' call, or any of the ads' calls).
    while killed < KILLS and len(sandbox.state_dump()["ads"]) < N_ADS - 25:
        assert kill_after_ops(cli(ws, sandbox, tmp_path), sandbox, rng.randint(1, 70)), \
            "the run was killed mid-upload: the kill waits for the run's own requests"
        killed += 1
    assert killed >= 2 and 0 < len(sandbox.state_dump()["ads"]) < N_ADS, "the killed runs did part of the work"

    proc = cli(ws, sandbox, tmp_path)
    out, err = proc.communicate(timeout=300)
    assert "Traceback" not in out + err
    assert proc.returncode == 0, out + err
    assert f"Batch complete: {N_ADS} ads total" in out

    dump = sandbox.state_dump()
    ads = collections.Counter(a["name"] for a in dump["ads"].values())
    creatives = collections.Counter(c["name"] for c in dump["creatives"].values())
    expected = {f"{CAMPAIGN} - hero-ad-{i:03d}": 1 for i in range(N_ADS)}
    assert ads == expected and creatives == expected
    assert len(dump["images"]) == N_IMAGES
    for i in range(N_ADS):
        rec = json.loads((ads_dir(ws) / f"ad-{i:03d}.upload.json").read_text())
        assert dump["ads"][rec["ad_id"]]["creative"]["id"] == rec["creative_id"]
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if "hero-ad-" in r]
    assert len(rows) == N_ADS
    assert not (ads_dir(ws) / ".upload.lock").exists()
    assert not [p for p in ws.rglob("*.tmp")], "no temp file left by a kill between write and rename"
    assert not list((ads_dir(ws) / ".ledger").glob("inflight-*")), "killed calls' in-flight files settled, removed"
