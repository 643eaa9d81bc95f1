"""The uploader alone against the sandbox: a stale offset moves to the one Meta asks for (1363037),
progress in bytes and percent, and the processing wait's progress, error and timeout."""

from __future__ import annotations

from pathlib import Path

import pytest
from video_clips import Clips, shared_clips

from skill.events import Collector, Event
from skill.graph import GraphClient
from skill.sandbox import Sandbox
from skill.video.processing import VideoProcessingFailed, wait_ready
from skill.video.store import VideoStore
from skill.video.upload import ChunkedUpload
from support import SANDBOX_ACCOUNT, SANDBOX_TOKEN

CHUNK = 8 * 1024


class Stop(Exception):
    """Ends a run from its own progress: the in-process stand-in for a kill."""


@pytest.fixture
def clips() -> Clips:
    return shared_clips()


def client(sandbox: Sandbox) -> GraphClient:
    return GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.01, ad_account=SANDBOX_ACCOUNT)


def uploader(sandbox: Sandbox, path: Path, store: VideoStore, report=None) -> ChunkedUpload:
    return ChunkedUpload(client(sandbox), SANDBOX_ACCOUNT, path, key="k", title="t · kit:1", store=store,
                         report=report or Collector())


def test_progress_in_bytes_and_percent_and_a_lost_acknowledgement_resent_once(sandbox, clips: Clips, tmp_path):
    sandbox.configure(video_chunk_bytes=CHUNK)
    clip = clips.good()
    size = clip.stat().st_size
    store = VideoStore(tmp_path)

    def stop_after_three(event: Event) -> None:
        if event.kind == "video_progress" and event.data["bytes"] >= 3 * CHUNK:
            raise Stop

    with pytest.raises(Stop):
        uploader(sandbox, clip, store, stop_after_three).run()
    rec = store.get("k")
    assert (rec["start"], rec["end"]) == (3 * CHUNK, 4 * CHUNK)
    store.put("k", {**rec, "start": 2 * CHUNK, "end": 3 * CHUNK})  # as if the third answer never got saved
    events = Collector()
    video_id = uploader(sandbox, clip, VideoStore(tmp_path), events).run()
    progress = [e.data for e in events.events if e.kind == "video_progress"]
    assert progress[-1] == {"bytes": size, "total": size, "percent": 100.0}
    assert all(0 < p["percent"] <= 100 for p in progress) and progress[0]["bytes"] == 4 * CHUNK
    counts = sandbox.request_counts
    assert counts["video_sessions"] == 1 and counts["video_bytes"] == size + CHUNK  # one chunk twice
    assert VideoStore(tmp_path).get("k")["state"] == "finished"
    assert uploader(sandbox, clip, VideoStore(tmp_path)).run() == video_id  # finished: nothing sent
    assert sandbox.request_counts["video_bytes"] == size + CHUNK


def test_the_processing_wait_reports_progress_then_ready(sandbox, clips: Clips, tmp_path):
    sandbox.configure(video_chunk_bytes=1 << 20, video_processing_polls=4)
    video_id = uploader(sandbox, clips.good(), VideoStore(tmp_path)).run()
    events, waits = Collector(), []
    status = wait_ready(client(sandbox), video_id, interval_s=3.0, sleep=waits.append, report=events)
    assert status["video_status"] == "ready"
    assert [e.message for e in events.events] == [f"  … Meta is processing the video ({p}%)" for p in (25, 50, 75)]
    assert waits == [0.5, 1.0, 2.0]


def test_the_processing_wait_gives_up_after_its_timeout_without_sleeping_for_real(sandbox, clips: Clips, tmp_path):
    sandbox.configure(video_chunk_bytes=1 << 20, video_processing_polls=1000)
    video_id = uploader(sandbox, clips.good(), VideoStore(tmp_path)).run()
    now = [0.0]
    with pytest.raises(VideoProcessingFailed, match="still processing after 10 s") as info:
        wait_ready(client(sandbox), video_id, interval_s=3.0, timeout_s=10.0,
                   sleep=lambda s: now.__setitem__(0, now[0] + s), clock=lambda: now[0])
    assert info.value.unusable is False and "not sent again" in (info.value.hint or "")


def test_lost_answers_mid_transfer_resend_that_chunk_only(sandbox, clips: Clips, tmp_path):
    sandbox.configure(video_chunk_bytes=CHUNK, drop_rate=0.3, seed=11)
    clip = clips.good()
    size = clip.stat().st_size
    video_id = uploader(sandbox, clip, VideoStore(tmp_path)).run()
    counts = sandbox.request_counts
    assert counts["dropped"] >= 2, "the seed must drop a few answers"
    resent = counts["video_bytes"] - size
    assert 0 < resent <= counts["dropped"] * CHUNK
    sandbox.configure(drop_rate=0.0)
    assert client(sandbox).get(video_id, {"fields": "status"})["status"]["uploading_phase"]["bytes_transferred"] == size


def test_a_session_the_account_no_longer_has_starts_over(sandbox, clips: Clips, tmp_path):
    sandbox.configure(video_chunk_bytes=CHUNK)
    store = VideoStore(tmp_path)
    store.put("k", {"video_id": "12000000999999999", "session_id": "15000000999999999", "start": CHUNK,
                    "end": 2 * CHUNK, "size": clips.good().stat().st_size, "state": "uploading", "title": "t"})
    events = Collector()
    uploader(sandbox, clips.good(), store, events).run()
    assert "  ↻ the upload session expired or is gone: starting the upload again" in events.lines
    assert sandbox.request_counts["video_sessions"] == 1


def test_a_run_killed_after_finish_was_answered_does_not_finish_again(sandbox, clips: Clips, tmp_path):
    sandbox.configure(video_chunk_bytes=1 << 20)
    store = VideoStore(tmp_path)
    video_id = uploader(sandbox, clips.good(), store).run()
    rec = store.get("k")
    store.put("k", {**rec, "state": "uploading"})  # as if killed before the finish was saved
    posts = sandbox.request_counts["POST"]
    assert uploader(sandbox, clips.good(), store).run() == video_id
    assert sandbox.request_counts["POST"] == posts and store.get("k")["state"] == "finished"


def test_uploads_go_to_metas_video_host_with_a_longer_timeout_and_stay_put_elsewhere(sandbox):
    from skill.video.upload import video_client

    meta = GraphClient("https://graph.facebook.com", "t", timeout=60)
    assert (video_client(meta).base_url, video_client(meta).timeout) == ("https://graph-video.facebook.com", 300.0)
    assert meta.base_url == "https://graph.facebook.com" and meta.timeout == 60
    local = client(sandbox)
    assert video_client(local).base_url == sandbox.url and video_client(local).session is local.session
