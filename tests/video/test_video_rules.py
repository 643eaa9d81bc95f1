"""Each rule a video must pass before any call, on tiny videos generated with PyAV, and how a
batch names a video."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from video_clips import Clips, shared_clips

from factories import GOOD_SPEC, copy_workspace, make_image, write_json
from skill.errors import ConfigError
from skill.settings import load_settings
from skill.validate import validate_batch
from skill.video.rules import check_video


@pytest.fixture
def clips() -> Clips:
    return shared_clips()


def messages(path: Path) -> list[tuple[str, str]]:
    rules, _ = check_video(path)
    return [(r.severity, r.message) for r in rules]


def only(path: Path, severity: str, text: str) -> None:
    found = messages(path)
    assert [m for s, m in found if s == severity and text in m], found


def test_a_good_clip_passes_and_its_facts_are_read_by_content(clips: Clips):
    rules, info = check_video(clips.good())
    assert rules == []
    assert (info.container, info.video_codec, info.audio_codec, info.width, info.height) == (
        "MP4", "h264", "aac", 720, 720)
    assert 1.4 < info.duration_s < 1.7 and info.has_audio


def test_the_container_is_read_from_the_content_not_the_extension(clips: Clips, tmp_path: Path):
    mkv = clips.get("really-matroska.mp4", seconds=1.2, size=(720, 720), fmt="matroska")
    assert messages(mkv) == [("error", "Format not supported: the content is matroska,webm, not MP4 or MOV "
                                       "(the extension does not count)")]
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    only(text, "error", "Format not supported: not a video file")
    mov = clips.get("clip.mov", seconds=1.2, size=(720, 720))
    renamed = tmp_path / "clip.mp4"
    shutil.copy(mov, renamed)
    assert check_video(renamed)[1].container == "MOV"
    only(tmp_path / "missing.mp4", "error", "Video not found")


def test_duration_one_second_to_241_minutes_and_a_warning_past_60_seconds(clips: Clips):
    only(clips.get("short.mp4", seconds=0.5, size=(720, 720)), "error", "Video too short: 0.5")
    only(clips.get("long.mp4", minutes=242, size=(720, 720)), "error", "Video too long: 242.0 min (max 241 min)")
    reels = clips.get("reels.mp4", minutes=1.5, size=(720, 720))
    only(reels, "warning", "Stories and Reels placements take at most 60 s")
    assert not [s for s, _ in messages(reels) if s == "error"]


def test_a_file_over_4_gb_is_refused(clips: Clips, tmp_path: Path):
    big = tmp_path / "big.mp4"
    shutil.copy(clips.good(), big)
    os.truncate(big, 4 * 1024 ** 3 + 1)  # sparse: no disk used
    only(big, "error", "Video too large: 4.00 GB (max 4 GB)")


def test_resolution_min_width_120_and_a_warning_below_720p(clips: Clips):
    only(clips.get("narrow.mp4", seconds=1.2, size=(100, 100)), "error", "Video too narrow: 100x100 (min width 120 px)")
    low = clips.get("low.mp4", seconds=1.2, size=(480, 480))
    assert messages(low) == [("warning", "Resolution 480x480 is below 720p; it may look soft (1080 px recommended)")]


@pytest.mark.parametrize("size,ok", [((720, 720), True), ((720, 900), True), ((720, 1280), True),
                                     ((1280, 720), True), ((960, 720), False)])
def test_aspect_ratio_1_1_4_5_9_16_16_9(clips: Clips, size: tuple[int, int], ok: bool):
    found = messages(clips.get(f"ratio-{size[0]}x{size[1]}.mp4", seconds=1.1, size=size))
    assert (found == []) is ok, found
    if not ok:
        assert found == [("error", "Unsupported aspect ratio: 960x720 (use 1:1, 4:5, 16:9, 9:16)")]


def test_audio_is_reported_and_a_silent_video_or_another_codec_warns(clips: Clips):
    silent = clips.get("silent.mp4", seconds=1.2, size=(720, 720), audio=False)
    rules, info = check_video(silent)
    assert not info.has_audio
    assert [(r.severity, r.message) for r in rules] == [
        ("warning", "No audio track: the ad plays silent (fine for Feed; Reels expect sound)")]
    only(clips.get("mpeg4.mp4", seconds=1.2, size=(720, 720), codec="mpeg4"), "warning", "Codec mpeg4")


def _batch(ws: Path, ads: list[dict]) -> Path:
    write_json(ws / "campaigns/c1/ads/spec.json", GOOD_SPEC)
    return write_json(ws / "campaigns/c1/ads/batch-upload.json", {
        "campaign": "c1", "adset_id": "1", "page_id": "2", "destination_url": "https://x.com", "ads": ads})


def test_a_batch_ad_names_a_video_and_its_findings_name_the_ad_and_field(clips: Clips, tmp_path: Path):
    ws = tmp_path / "ws"
    (ws / "brand").mkdir(parents=True)
    settings = load_settings(workspace=ws, env={})
    (ws / "campaigns/c1/ads").mkdir(parents=True)
    shutil.copy(clips.get("low.mp4", seconds=1.2, size=(480, 480)), ws / "campaigns/c1/ads/clip.mp4")
    make_image(ws / "campaigns/c1/ads/thumb.jpg")
    _batch(ws, [{"name": "v", "video_path": "clip.mp4", "thumbnail_path": "thumb.jpg",
                 "asset_feed_spec_path": "spec.json"}])
    batch = validate_batch(settings, "c1")
    ad = batch.ads[0]
    assert batch.ok and ad.video.width == 480 and ad.thumbnail_path.name == "thumb.jpg" and ad.image_paths == []
    assert [(f.severity, f.ad, f.field) for f in ad.findings if "720p" in f.message] == [
        ("warning", "v", "ads[0].video_path")]
    _batch(ws, [{"name": "v", "video_path": "clip.mp4", "image_path": "thumb.jpg", "asset_feed_spec_path": "spec.json"}])
    with pytest.raises(ConfigError, match="both video_path and images"):
        validate_batch(settings, "c1")


def _loads_av(*args: str) -> bool:
    """Whether ``meta-ads ARGS`` imports PyAV (read from ``-X importtime``)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "skill", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return any(re.search(r"\|\s+av(\.|$)", line) for line in proc.stderr.splitlines())


def test_pyav_is_loaded_only_by_commands_that_read_a_video(tmp_path: Path):
    ws = copy_workspace(tmp_path)
    assert not _loads_av("--help")
    assert not _loads_av("upload", "summer-sale-2026", "--dry-run", "--workspace", str(ws))
    assert _loads_av("upload", "summer-sale-2026", "--dry-run", "--workspace", str(ws), "--config",
                     str(ws / "campaigns/summer-sale-2026/ads/video-upload.json"))


def test_a_video_outside_the_workspace_is_refused_unread(clips: Clips, tmp_path: Path):
    ws = tmp_path / "ws"
    (ws / "brand").mkdir(parents=True)
    (ws / "campaigns/c1/ads").mkdir(parents=True)
    _batch(ws, [{"name": "v", "video_path": str(clips.good()), "asset_feed_spec_path": "spec.json"}])
    ad = validate_batch(load_settings(workspace=ws, env={}), "c1").ads[0]
    assert not ad.ok and ad.video is None
    assert [f.field for f in ad.errors] == ["ads[0].video_path"]
