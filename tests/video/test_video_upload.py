"""Video ads end to end over real HTTP against the sandbox: upload, processing, creative, PAUSED
ad; a run killed mid-transfer resumes in the same session; an expired session starts over once;
a processing error names Meta's message; the same file goes to an account once."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from factories import CAMPAIGN, write_json
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

CHUNK = 16 * 1024


@pytest.fixture
def ws(ws: Path, live: Sandbox) -> Path:
    live.configure(video_chunk_bytes=CHUNK)
    return ws


def video_dir(ws: Path) -> Path:
    return ws / "campaigns" / CAMPAIGN / "ads"


def clip_path(ws: Path) -> Path:
    return ws / "campaigns" / CAMPAIGN / "videos" / "summer-clip.mp4"


def config(ws: Path) -> str:
    return str(video_dir(ws) / "video-upload.json")


def run(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["upload", CAMPAIGN, "--config", config(ws), "--workspace", str(ws), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_a_video_ad_goes_up_end_to_end_paused_with_its_video_and_thumbnail(ws, sandbox, capsys):
    size = clip_path(ws).stat().st_size
    code, out = run(ws, capsys)
    assert code == 0, out
    assert re.search(r"↑ Uploading summer-clip\.mp4 \(212,\d{3} bytes, video \d+\)", out)
    assert f"{size:,} / {size:,} bytes (100%)" in out and "(50%)" not in out.split("Meta is processing")[0][-40:]
    assert "Meta is processing the video (50%)" in out
    for line in ("✓ Video uploaded (ID: ", "✓ Thumbnail uploaded (hash: ", "✓ Creative created (ID: ",
                 ") - PAUSED", "Batch complete: 1 ads created, all PAUSED"):
        assert line in out
    dump = sandbox.state_dump()
    (video,) = dump["videos"].values()
    assert video["title"].startswith("summer-clip.mp4 · kit:") and video["phase"] == "ready"
    (creative,) = dump["creatives"].values()
    data = creative["object_story_spec"]["video_data"]
    assert data["video_id"] == video["id"] and any(i["hash"] == data["image_hash"] for i in dump["images"].values())
    assert data["call_to_action"] == {"type": "LEARN_MORE", "value": {"link": "https://yoursite.com/summer-sale"}}
    (ad,) = dump["ads"].values()
    assert ad["status"] == "PAUSED" and ad["creative"]["id"] == creative["id"]
    record = json.loads((video_dir(ws) / "summer-clip.upload.json").read_text())
    assert record["video_id"] == video["id"] and record["ad_id"] == ad["id"]
    assert dump["requests"]["video_bytes"] == size and dump["requests"]["video_sessions"] == 1
    assert dump["requests"]["video_chunks"] == -(-size // CHUNK)
    code, again = run(ws, capsys)
    assert code == 0 and "⊙ Skipped (already uploaded)" in again
    assert sandbox.state_dump()["requests"]["video_sessions"] == 1


def test_identical_files_go_up_once_per_account_even_without_local_records(ws, sandbox, capsys):
    clip = clip_path(ws)
    shutil.copy(clip, video_dir(ws) / "same-bytes-other-name.mp4")
    write_json(video_dir(ws) / "second.json", json.loads((video_dir(ws) / "summer-clip.json").read_text()))
    cfg = json.loads(Path(config(ws)).read_text())
    cfg["ads"].append({"name": "hero-second", "video_path": "same-bytes-other-name.mp4",
                       "asset_feed_spec_path": "second.json"})
    write_json(Path(config(ws)), cfg)
    code, out = run(ws, capsys)
    assert code == 0, out
    assert out.count("↑ Uploading") == 1 and "Batch complete: 2 ads created" in out
    # a second checkout: no records, no ledger, no store; a new ad naming the same bytes
    shutil.rmtree(video_dir(ws) / ".ledger")
    for rec in video_dir(ws).glob("*.upload.json"):
        rec.unlink()
    cfg["ads"] = [{"name": "hero-third", "video_path": str(clip), "asset_feed_spec_path": "second.json"}]
    write_json(Path(config(ws)), cfg)
    code, out = run(ws, capsys)
    assert code == 0, out
    assert "Already in the ad account" in out and "↑ Uploading" not in out
    assert "✓ Video uploaded (ID: " in out and "- already in the ad account" in out
    dump = sandbox.state_dump()
    assert len(dump["videos"]) == 1 and dump["requests"]["video_sessions"] == 1
    assert dump["requests"]["video_bytes"] == clip.stat().st_size
    assert len(dump["ads"]) == 3 and len({c["object_story_spec"]["video_data"]["image_hash"]
                                          for c in dump["creatives"].values()}) == 1


def test_a_processing_error_fails_the_ad_with_metas_message_then_a_fixed_run_succeeds(ws, sandbox, capsys):
    sandbox.configure(video_processing_error="The video could not be processed: unsupported pixel format.")
    code, out = run(ws, capsys)
    assert code == 1
    assert "✗ Failed" in out and "unsupported pixel format" in out
    assert "re-encode the file" in out
    dump = sandbox.state_dump()
    assert not dump["creatives"] and not dump["ads"]
    sandbox.configure(video_processing_error=None)
    code, out = run(ws, capsys)
    assert code == 0, out
    assert len(sandbox.state_dump()["ads"]) == 1


def cli(ws: Path, sandbox: Sandbox, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
           "META_RETRY_BASE_S": "0.01", "HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    env.pop("META_AD_ACCOUNT", None)
    return subprocess.Popen([sys.executable, "-m", "skill", "upload", CAMPAIGN, "--config", config(ws),
                             "--workspace", str(ws)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def kill_after_chunks(ws: Path, sandbox: Sandbox, tmp_path: Path, chunks: int) -> None:
    """Run the CLI and SIGKILL it once it has printed ``chunks`` acknowledged chunks."""
    sandbox.configure(latency_ms=40)  # so the kill lands while chunks are still in flight
    proc = cli(ws, sandbox, tmp_path)
    seen = 0
    for line in proc.stdout:
        if re.search(r" bytes \(\d+%\)$", line.rstrip()):
            seen += 1
            if seen == chunks:
                proc.send_signal(signal.SIGKILL)
                break
    proc.communicate(timeout=60)
    sandbox.configure(latency_ms=0)
    assert seen == chunks
    (session,) = sandbox.state_dump()["video_sessions"].values()
    assert chunks * CHUNK <= session["next_offset"] < session["file_size"], "killed mid-transfer"


def test_a_transfer_killed_mid_way_resumes_in_the_same_session_no_chunk_sent_twice_but_one(
        ws, sandbox, capsys, tmp_path):
    size = clip_path(ws).stat().st_size
    kill_after_chunks(ws, sandbox, tmp_path, chunks=3)
    code, out = run(ws, capsys)
    assert code == 0, out
    assert re.search(r"↻ Resuming the upload at byte [\d,]+ of " + f"{size:,}", out)
    dump = sandbox.state_dump()
    assert dump["requests"]["video_sessions"] == 1 and len(dump["videos"]) == 1
    assert size <= dump["requests"]["video_bytes"] <= size + CHUNK
    assert len(dump["ads"]) == 1


def test_an_expired_session_starts_over_once(ws, sandbox, capsys, tmp_path):
    size = clip_path(ws).stat().st_size
    kill_after_chunks(ws, sandbox, tmp_path, chunks=2)
    (session,) = sandbox.state_dump()["video_sessions"].values()
    sandbox.configure(video_sessions_expired_before=session["opened_at"] + 0.001)
    code, out = run(ws, capsys)
    assert code == 0, out
    assert "↻ the upload session expired or is gone: starting the upload again" in out
    dump = sandbox.state_dump()
    assert dump["requests"]["video_sessions"] == 2
    ready = [v for v in dump["videos"].values() if v["phase"] == "ready"]
    assert len(ready) == 1 and len(dump["ads"]) == 1
    (creative,) = dump["creatives"].values()
    assert creative["object_story_spec"]["video_data"]["video_id"] == ready[0]["id"]
    assert dump["requests"]["video_bytes"] <= 2 * size


def test_copy_variants_go_as_asset_feed_videos_and_a_given_thumbnail_is_used_beside_image_ads(ws, sandbox, capsys):
    ads = video_dir(ws)
    thumb = ws / "campaigns" / CAMPAIGN / "images" / "receipt.png"
    cfg = json.loads((ads / "batch-upload.json").read_text())
    cfg["ads"] = cfg["ads"][:1] + [{"name": "hero-clip-variants", "video_path": str(clip_path(ws)),
                                    "thumbnail_path": str(thumb), "asset_feed_spec_path": "receipt.json"}]
    write_json(Path(config(ws)), cfg)
    code, out = run(ws, capsys)
    assert code == 0, out
    assert "Batch complete: 2 ads created, all PAUSED" in out
    dump = sandbox.state_dump()
    by_name = {c["name"]: c for c in dump["creatives"].values()}
    feed = by_name["summer-sale-2026 - hero-clip-variants"]["asset_feed_spec"]
    (video,) = dump["videos"].values()
    from skill.images import md5_hex

    assert feed["videos"] == [{"video_id": video["id"], "thumbnail_hash": md5_hex(thumb)}]
    assert feed["ad_formats"] == ["SINGLE_VIDEO"] and "images" not in feed and len(feed["bodies"]) == 3
    assert "images" in by_name["summer-sale-2026 - hero-notes-app"]["asset_feed_spec"]
    assert {a["status"] for a in dump["ads"].values()} == {"PAUSED"}


def test_the_dry_run_shows_every_video_payload_and_calls_nothing(ws, sandbox, capsys, monkeypatch):
    monkeypatch.delenv("FACEBOOK_ACCESS_TOKEN")
    before = sandbox.request_count
    code, out = run(ws, capsys, "--dry-run", "--json")
    assert code == 0, out
    (ad,) = json.loads(out)["ads"]
    calls = [(c["path"].rsplit("/", 1)[-1], c["body"].get("upload_phase")) for c in ad["calls"]]
    assert calls == [("advideos", "start"), ("advideos", "transfer"), ("advideos", "finish"), ("adimages", None),
                     ("adcreatives", None), ("ads", None)]
    start, _, finish, _, creative, new_ad = (c["body"] for c in ad["calls"])
    assert start["file_size"] == clip_path(ws).stat().st_size
    assert finish["title"].startswith("summer-clip.mp4 · kit:")
    assert creative["object_story_spec"]["video_data"]["title"] == "Receipts, Filed in a Snap"
    assert new_ad["status"] == "PAUSED"
    assert sandbox.request_count == before


def test_a_failed_video_pauses_the_ads_after_it_or_with_keep_going_only_fails_itself(ws, sandbox, capsys):
    sandbox.configure(video_processing_error="Audio stream is corrupt.")
    cfg = json.loads((video_dir(ws) / "batch-upload.json").read_text())
    video_ad = json.loads(Path(config(ws)).read_text())["ads"][0]
    cfg["ads"] = [cfg["ads"][0], video_ad, cfg["ads"][1]]
    write_json(Path(config(ws)), cfg)
    code, out = run(ws, capsys)
    assert code == 1 and "Audio stream is corrupt." in out
    assert [a["name"] for a in sandbox.state_dump()["ads"].values()] == ["summer-sale-2026 - hero-notes-app"]
    code, out = run(ws, capsys, "--keep-going")
    assert code == 1
    names = sorted(a["name"] for a in sandbox.state_dump()["ads"].values())
    assert names == ["summer-sale-2026 - hero-notes-app", "summer-sale-2026 - hero-receipt"]


def test_a_fresh_account_behind_an_old_video_store_gets_the_video_again(ws, sandbox, capsys, monkeypatch):
    code, _ = run(ws, capsys)
    assert code == 0
    (video_dir(ws) / "summer-clip.upload.json").unlink()
    (video_dir(ws) / ".ledger" / "summer-clip.json").unlink(missing_ok=True)  # the ad's ledger, if any; the video store stays
    assert (video_dir(ws) / ".ledger" / "videos" / "videos.json").exists()
    with Sandbox(token=SANDBOX_TOKEN) as fresh:  # the sandbox state deleted: same ids, nothing in them
        fresh.configure(video_chunk_bytes=CHUNK)
        monkeypatch.setenv("META_GRAPH_URL", fresh.url)
        code, out = run(ws, capsys)
        assert code == 0, out
        assert "↑ Uploading summer-clip.mp4" in out
        assert fresh.request_counts["video_sessions"] == 1 and len(fresh.state_dump()["ads"]) == 1
