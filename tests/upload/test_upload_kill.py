"""kill -9 at random moments, then re-run: never a duplicate image, creative or ad, nothing lost.

The CLI runs as a real subprocess against the test's sandbox (which outlives it), is
SIGKILLed at a random instant several times, and a last run finishes the batch.
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from factories import CAMPAIGN, ads_dir, copy_workspace, make_batch
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

N_ADS = 30


def cli(ws: Path, sandbox: Sandbox, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
           "META_RETRY_BASE_S": "0.01", "HOME": str(tmp_path / "home"), "META_ADS_DEBUG": ""}
    env.pop("META_AD_ACCOUNT", None)
    return subprocess.Popen([sys.executable, "-m", "skill", "upload", CAMPAIGN, "--workspace", str(ws)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_9_at_random_points_then_rerun_never_duplicates(tmp_path: Path, sandbox: Sandbox):
    ws = copy_workspace(tmp_path)
    make_batch(ws, N_ADS, 11)
    sandbox.configure(latency_ms=30, drop_rate=0.05, seed=5)
    rng = random.Random(20261122)
    killed_mid_run = 0
    for _ in range(6):
        proc = cli(ws, sandbox, tmp_path)
        time.sleep(rng.uniform(0.3, 1.6))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        proc.communicate(timeout=60)
    assert killed_mid_run >= 3, "most runs must really be killed mid-upload"

    for _ in range(3):
        proc = cli(ws, sandbox, tmp_path)
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in out + err
        if proc.returncode == 0:
            break
    assert proc.returncode == 0, out + err
    assert f"Batch complete: {N_ADS} ads total" in out

    dump = sandbox.state_dump()
    ads = collections.Counter(a["name"] for a in dump["ads"].values())
    creatives = collections.Counter(c["name"] for c in dump["creatives"].values())
    expected = {f"{CAMPAIGN} - hero-ad-{i:03d}": 1 for i in range(N_ADS)}
    assert ads == expected and creatives == expected
    assert len(dump["images"]) == 11
    for i in range(N_ADS):
        rec = json.loads((ads_dir(ws) / f"ad-{i:03d}.upload.json").read_text())
        assert dump["ads"][rec["ad_id"]]["creative"]["id"] == rec["creative_id"]
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if "hero-ad-" in r]
    assert len(rows) == N_ADS
    assert not (ads_dir(ws) / ".upload.lock").exists()
