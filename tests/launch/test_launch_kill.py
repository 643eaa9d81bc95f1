"""kill -9 during a launch, at points chosen by progress (the Nth request the sandbox serves), then a
re-run: the campaign, each ad set, image, creative and ad exist exactly once and nothing is lost.

The CLI runs as a real subprocess against the test's sandbox. The sandbox's request handler is
wrapped so that, right after it has served (and committed) request N, it SIGKILLs the launch:
the hardest moment, a write done on Meta whose answer the client never reads.
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

from factories import copy_workspace
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

BF = "black-friday-2026"


def launch_cli(ws: Path, sandbox: Sandbox, home: Path) -> subprocess.Popen:
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
           "META_RETRY_BASE_S": "0.01", "HOME": str(home), "META_ADS_DEBUG": ""}
    env.pop("META_AD_ACCOUNT", None)
    return subprocess.Popen([sys.executable, "-m", "skill", "launch", BF, "--workspace", str(ws)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class KillAt:
    """Wraps the sandbox's request handler: after serving request ``n`` of this run, SIGKILL ``pid``."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.original = sandbox.api.handle
        self.lock = threading.Lock()
        self.seen = 0
        self.n: int | None = None
        self.pid: int | None = None
        self.killed = False
        sandbox.api.handle = self.handle  # type: ignore[method-assign]

    def arm(self, n: int | None, pid: int) -> None:
        with self.lock:
            self.seen, self.n, self.pid, self.killed = 0, n, pid, False

    def handle(self, req, token):
        result = self.original(req, token)
        with self.lock:
            self.seen += 1
            if self.n is not None and self.seen == self.n and self.pid is not None:
                os.kill(self.pid, signal.SIGKILL)
                self.killed = True
        return result


def counts(sandbox: Sandbox) -> dict[str, collections.Counter]:
    dump = sandbox.state_dump()
    out = {k: collections.Counter(o["name"] for o in dump[k].values() if o["name"].startswith(BF))
           for k in ("campaigns", "adsets", "ads", "creatives")}
    out["images"] = collections.Counter(dump["images"])
    return out


def run_once(ws: Path, sandbox: Sandbox, killer: KillAt, home: Path, n: int | None) -> tuple[int, str, str]:
    proc = launch_cli(ws, sandbox, home)
    killer.arm(n, proc.pid)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def in_process(ws: Path, sandbox: Sandbox, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    monkeypatch.delenv("META_AD_ACCOUNT", raising=False)
    code = main(["launch", BF, "--workspace", str(ws)])
    return code, capsys.readouterr().out


def test_a_clean_launch_then_kill_9_at_every_stage_then_rerun_is_exactly_once(tmp_path: Path, sandbox: Sandbox,
                                                                            monkeypatch, capsys):
    killer = KillAt(sandbox)
    # how many requests a whole launch takes (in this process, on a scratch copy of the workspace)
    killer.arm(None, os.getpid())
    code, out = in_process(copy_workspace(tmp_path / "probe"), sandbox, monkeypatch, capsys)
    assert code == 0, out
    total = killer.seen
    assert total >= 6, f"a launch is several requests, saw {total}"
    # start over: a fresh sandbox state, the real workspace
    sandbox.api.state = type(sandbox.api.state)()
    ws = copy_workspace(tmp_path)
    rng = random.Random(20261127)
    points = sorted(rng.sample(range(1, total), k=min(4, total - 1)))
    killed = 0
    for n in points:
        code, out, err = run_once(ws, sandbox, killer, tmp_path / "home", n)
        assert "Traceback" not in out + err
        killed += killer.killed and code == -signal.SIGKILL
    assert killed >= 3, f"most runs must really be killed mid-launch (points {points}, total {total})"

    code, out, err = run_once(ws, sandbox, killer, tmp_path / "home", None)
    assert code == 0, out + err
    assert "Launch complete: campaign black-friday-2026, 2 ad set(s), 3 ad(s), all PAUSED" in out
    found = counts(sandbox)
    assert found["campaigns"] == {BF: 1}
    assert found["adsets"] == {f"{BF} - broad-us-ca": 1, f"{BF} - eu-organisers": 1}
    expected = {f"{BF} - doorbuster": 1, f"{BF} - gift-guide": 1, f"{BF} - annual-plan": 1}
    assert found["ads"] == expected and found["creatives"] == expected
    assert len(found["images"]) == 3
    dump = sandbox.state_dump()
    record = json.loads((ws / "campaigns" / BF / "ads" / "batch-upload.launch.json").read_text())
    assert dump["campaigns"][record["campaign_id"]]["name"] == BF
    for stem in ("doorbuster", "gift-guide", "annual-plan"):
        rec = json.loads((ws / "campaigns" / BF / "ads" / f"{stem}.upload.json").read_text())
        assert dump["ads"][rec["ad_id"]]["creative"]["id"] == rec["creative_id"]
        assert dump["adsets"][rec["adset_id"]]["campaign_id"] == record["campaign_id"]
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if r.startswith(f"| {BF}")]
    assert len(rows) == 6 and len(set(rows)) == 6

    again = counts(sandbox)
    killer.arm(None, os.getpid())
    code, out = in_process(ws, sandbox, monkeypatch, capsys)
    assert code == 0 and counts(sandbox) == again  # and one more run changes nothing
