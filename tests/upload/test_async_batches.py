"""Very large batches through Meta's async request sets, end to end against the sandbox over HTTP.

Sets are small here (``async_batches.set_ads``) so a few dozen ads make several sets, and the
sandbox processes a few requests per poll, so every set is seen in progress. Kills and Ctrl-C are
driven by progress: the Nth poll of a set the sandbox answers, never a delay.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from factories import CAMPAIGN, GOOD_SPEC, ads_dir, copy_workspace, make_batch, write_json
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, ctrl_c_reaches_child, run_cli

N_ADS = 25
N_IMAGES = 7


def configure(ws: Path, **options: float) -> None:
    """``async_batches: {…}`` in the workspace's stack.md (small sets, no wait between polls)."""
    options = {"set_ads": 10, "poll_s": 0, **options}
    stack = ws / "brand" / "stack.md"
    text = stack.read_text()
    end = text.rindex("```")
    inline = ", ".join(f"{k}: {v}" for k, v in options.items())
    stack.write_text(text[:end] + f"async_batches: {{{inline}}}\n" + text[end:])


def expected_names(n: int = N_ADS) -> dict[str, int]:
    return {f"{CAMPAIGN} - hero-ad-{i:03d}": 1 for i in range(n)}


def assert_each_ad_once(ws: Path, sandbox: Sandbox, n: int = N_ADS) -> None:
    dump = sandbox.state_dump()
    ads = collections.Counter(a["name"] for a in dump["ads"].values())
    creatives = collections.Counter(c["name"] for c in dump["creatives"].values())
    assert ads == expected_names(n) and creatives == expected_names(n)
    assert {a["status"] for a in dump["ads"].values()} == {"PAUSED"}
    for i in range(n):
        rec = json.loads((ads_dir(ws) / f"ad-{i:03d}.upload.json").read_text())
        assert dump["ads"][rec["ad_id"]]["creative"]["id"] == rec["creative_id"]
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if "hero-ad-" in r]
    assert len(rows) == n


def test_upload_through_async_sets_records_every_ad(sandbox_ws: Path, sandbox: Sandbox, capsys) -> None:
    make_batch(sandbox_ws, N_ADS, N_IMAGES)
    configure(sandbox_ws)
    sandbox.configure(async_ops_per_poll=7)
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async")
    assert code == 0, out + err
    assert "Batch complete: 25 ads created, all PAUSED" in out
    assert "  Async set 1/3: 7/20 requests done, 0 errors" in out
    assert "  Async set 3/3: 10/10 requests done, 0 errors" in out
    assert_each_ad_once(sandbox_ws, sandbox)
    dump = sandbox.state_dump()
    assert len(dump["async_sets"]) == 3 and len(dump["images"]) == N_IMAGES
    assert sum(len(s["requests"]) for s in dump["async_sets"].values()) == 2 * N_ADS  # a creative and an ad each
    assert not list((ads_dir(sandbox_ws) / ".ledger").glob("async-set-*.json")), "each set's marker went once recorded"

    code, out, _ = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async")
    assert code == 0 and "25 ads total, 0 newly uploaded" in out
    assert len(sandbox.state_dump()["async_sets"]) == 3, "a re-run sends no set"


def test_the_threshold_chooses_the_path_and_the_flag_forces_it(sandbox_ws: Path, sandbox: Sandbox, capsys) -> None:
    make_batch(sandbox_ws, 12, 3)
    configure(sandbox_ws, threshold=12)
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN)
    assert code == 0, out + err
    assert len(sandbox.state_dump()["async_sets"]) == 2 and "Async set 2/2" in out

    make_batch(sandbox_ws, 14, 3)  # two more ads, forced through Graph batches
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "sync")
    assert code == 0, out + err
    assert len(sandbox.state_dump()["async_sets"]) == 2 and "Async set" not in out
    assert len(sandbox.state_dump()["ads"]) == 14


def test_a_bad_setting_is_one_clean_line(sandbox_ws: Path, capsys) -> None:
    make_batch(sandbox_ws, 3, 1)
    configure(sandbox_ws, set_ads=900)
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async")
    assert code != 0 and "async_batches.set_ads must be at least 1 and at most 500" in err


def test_a_refused_request_is_reported_with_metas_message(sandbox_ws: Path, sandbox: Sandbox, capsys) -> None:
    make_batch(sandbox_ws, 12, 3)
    configure(sandbox_ws)
    bad = {**GOOD_SPEC, "bodies": [{"text": "Guaranteed income from every receipt you snap, every day."}]}
    write_json(ads_dir(sandbox_ws) / "ad-004.json", bad)
    sandbox.configure(policy_words=["guaranteed income"])
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async", "--keep-going")
    assert code != 0
    assert "doesn't follow our Advertising Policies" in out + err
    names = {a["name"] for a in sandbox.state_dump()["ads"].values()}
    assert len(names) == 11 and f"{CAMPAIGN} - hero-ad-004" not in names
    assert not (ads_dir(sandbox_ws) / "ad-004.upload.json").exists()

    sandbox.configure(policy_words=[])  # fixed at Meta's end: the re-run creates it, and only it
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async")
    assert code == 0, out + err
    assert_each_ad_once(sandbox_ws, sandbox, 12)


def test_transient_failures_go_into_a_later_set_after_a_look_up(sandbox_ws: Path, sandbox: Sandbox,
                                                                capsys) -> None:
    make_batch(sandbox_ws, N_ADS, N_IMAGES)
    configure(sandbox_ws)
    sandbox.configure(fail_rate=0.1, seed=4)
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async")
    assert code == 0, out + err
    assert "requests failed for now" in out and "before retry (attempt 1/2)" in out
    assert sandbox.request_counts["transient"] > 0
    assert_each_ad_once(sandbox_ws, sandbox)


# ---------------------------------------------------------------- kill -9 and Ctrl-C, in a real process


def cli(ws: Path, sandbox: Sandbox, tmp_path: Path, batches: str = "async") -> subprocess.Popen:
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
           "META_RETRY_BASE_S": "0.01", "HOME": str(tmp_path / "home"), "META_ADS_DEBUG": ""}
    env.pop("META_AD_ACCOUNT", None)
    return subprocess.Popen([sys.executable, "-m", "skill", "upload", CAMPAIGN, "--batches", batches,
                             "--workspace", str(ws)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=ctrl_c_reaches_child)


def slow_sets_workspace(tmp_path: Path, sandbox: Sandbox) -> Path:
    """The batch through async sets the sandbox works through 3 requests a poll: runs to interrupt."""
    ws = copy_workspace(tmp_path)
    make_batch(ws, N_ADS, N_IMAGES)
    configure(ws)
    sandbox.configure(async_ops_per_poll=3)
    return ws


def signal_after_polls(proc: subprocess.Popen, sandbox: Sandbox, polls: int, sig: int) -> tuple[bool, str, str]:
    """Send ``sig`` once the sandbox has answered ``polls`` more reads of a set (its progress, not a delay)."""
    target = sandbox.request_counts.get("async_polls", 0) + polls
    while proc.poll() is None:
        if sandbox.wait_for(target, "async_polls", timeout=0.5):
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=120)
            return True, out, err
    out, err = proc.communicate(timeout=120)
    return False, out, err


@pytest.mark.parametrize("polls", [[2, 5, 3], [1, 8]])
def test_kill_9_mid_set_then_rerun_creates_each_ad_once(tmp_path: Path, sandbox: Sandbox, polls: list[int]) -> None:
    ws = slow_sets_workspace(tmp_path, sandbox)
    for n in polls:
        killed, out, err = signal_after_polls(cli(ws, sandbox, tmp_path), sandbox, n, signal.SIGKILL)
        assert killed, out + err
    dump = sandbox.state_dump()
    assert 0 < len(dump["ads"]) < N_ADS, "the killed runs did part of the work"
    assert any(s["done"] < len(s["requests"]) for s in dump["async_sets"].values()), "a set was left running"

    proc = cli(ws, sandbox, tmp_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert "Traceback" not in out + err
    assert "An async set from an earlier run is still running" in out
    assert f"Batch complete: {N_ADS} ads total" in out
    assert_each_ad_once(ws, sandbox)


def test_ctrl_c_cancels_the_set_and_a_rerun_finishes(tmp_path: Path, sandbox: Sandbox) -> None:
    ws = slow_sets_workspace(tmp_path, sandbox)
    interrupted, out, err = signal_after_polls(cli(ws, sandbox, tmp_path), sandbox, 2, signal.SIGINT)
    assert interrupted, out + err
    assert "Interrupted: cancelled async set 1/3" in out
    assert "Re-run the same command to resume" in err
    sets = list(sandbox.state_dump()["async_sets"].values())
    assert len(sets) == 1, "nothing was sent after the cancel"
    rows = sandbox.state_dump()["async_requests"]
    assert any(rows[r]["status"] == "CANCELED" for r in sets[0]["requests"])
    created = len(sandbox.state_dump()["ads"])
    assert 0 < created < 10
    recorded = sum(1 for i in range(N_ADS) if (ads_dir(ws) / f"ad-{i:03d}.upload.json").exists())
    assert recorded == created, "what the cancelled set had done is recorded"

    proc = cli(ws, sandbox, tmp_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert_each_ad_once(ws, sandbox)


def test_a_sync_rerun_waits_for_the_set_a_killed_async_run_left(tmp_path: Path, sandbox: Sandbox) -> None:
    ws = slow_sets_workspace(tmp_path, sandbox)
    killed, out, err = signal_after_polls(cli(ws, sandbox, tmp_path), sandbox, 2, signal.SIGKILL)
    assert killed, out + err
    left = [s for s in sandbox.state_dump()["async_sets"].values() if s["done"] < len(s["requests"])]
    assert len(left) == 1, "the killed run left its set running"
    assert list((ads_dir(ws) / ".ledger").glob("async-set-*.json")), "and its marker"

    proc = cli(ws, sandbox, tmp_path, "sync")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert "An async set from an earlier run is still running" in out
    assert "Async earlier set: 10/20 requests done" in out or "Async earlier set: 20/20 requests done" in out
    dump = sandbox.state_dump()
    assert len(dump["async_sets"]) == 1, "the sync run sends no set"
    assert all(s["done"] == len(s["requests"]) for s in dump["async_sets"].values()), \
        "no set is left to create ads after the sync run looked them up"
    assert_each_ad_once(ws, sandbox)
    assert not list((ads_dir(ws) / ".ledger").glob("async-set-*.json"))


def test_a_sync_upload_asks_nothing_about_sets_without_a_marker(sandbox_ws: Path, sandbox: Sandbox, capsys) -> None:
    make_batch(sandbox_ws, 3, 1)
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "sync")
    assert code == 0, out + err
    assert sandbox.request_counts.get("async_set_lists", 0) == 0, "no extra request on the ordinary path"
    code, out, err = run_cli(sandbox_ws, capsys, "upload", CAMPAIGN, "--batches", "async")
    assert code == 0 and sandbox.request_counts["async_set_lists"] == 1, "the async path always asks"
