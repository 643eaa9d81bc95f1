"""Meta's rules for an ad video, checked before any call: errors stop the ad, warnings inform.

- container MP4 or MOV and a video stream, by content (the extension is not trusted);
  codec H.264 or H.265 recommended (others: a warning);
- file size ≤ 4 GB; duration 1 s to 241 min (over 60 s: a warning, Stories and Reels take ≤ 60 s);
- width ≥ 120 px (below 720 px on the short side: a warning);
- aspect ratio 1:1, 4:5, 9:16 or 16:9 (2 % tolerance, as for images);
- audio: reported; a video without an audio track gets a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from skill.video.probe import VideoInfo, VideoUnreadable, read_video

CONTAINERS = ("MP4", "MOV")
RECOMMENDED_CODECS = {"h264": "H.264", "hevc": "H.265"}
MAX_BYTES = 4 * 1024 ** 3
MIN_SECONDS, MAX_SECONDS = 1.0, 241 * 60.0
SHORT_PLACEMENT_SECONDS = 60.0
MIN_WIDTH, HD_SIDE = 120, 720
ASPECT_RATIOS = {"1:1": 1.0, "4:5": 0.8, "16:9": 16 / 9, "9:16": 9 / 16}
ASPECT_TOLERANCE = 0.02


@dataclass(frozen=True)
class Rule:
    """One outcome: ``severity`` ``error`` or ``warning``, and what to tell the user."""

    severity: Literal["error", "warning"]
    message: str


def aspect_of(width: int, height: int) -> str | None:
    if not width or not height:
        return None
    ratio = width / height
    return next((n for n, r in ASPECT_RATIOS.items() if abs(ratio - r) / r <= ASPECT_TOLERANCE), None)


def check_video(path: Path) -> tuple[list[Rule], VideoInfo | None]:
    """Read ``path`` and apply every rule; an unreadable file is one error and no info."""
    try:
        info = read_video(path)
    except FileNotFoundError:
        return [Rule("error", f"Video not found: {path}")], None
    except VideoUnreadable as exc:
        return [Rule("error", f"Format not supported: {exc} (use an MP4 or MOV file)")], None
    except OSError as exc:
        return [Rule("error", f"Video unreadable: {exc.strerror or exc}")], None
    return apply_rules(info), info


def apply_rules(info: VideoInfo) -> list[Rule]:
    if info.container not in CONTAINERS:
        return [Rule("error", f"Format not supported: the content is {info.container}, not MP4 or MOV "
                              "(the extension does not count)")]
    if info.video_codec is None:
        return [Rule("error", "No video stream in the file (audio only?)")]
    found = _size_and_length(info) + _picture(info)
    if info.video_codec not in RECOMMENDED_CODECS:
        found.append(Rule("warning", f"Codec {info.video_codec}: Meta recommends H.264 (or H.265); "
                                     "re-encode if Meta rejects it"))
    if not info.has_audio:
        found.append(Rule("warning", "No audio track: the ad plays silent (fine for Feed; Reels expect sound)"))
    return found


def _size_and_length(info: VideoInfo) -> list[Rule]:
    found = []
    if info.size_bytes > MAX_BYTES:
        found.append(Rule("error", f"Video too large: {info.size_bytes / 1024 ** 3:.2f} GB (max 4 GB)"))
    if info.duration_s < MIN_SECONDS:
        found.append(Rule("error", f"Video too short: {info.duration_s:.2f} s (min 1 s)"))
    elif info.duration_s > MAX_SECONDS:
        found.append(Rule("error", f"Video too long: {info.duration_s / 60:.1f} min (max 241 min)"))
    elif info.duration_s > SHORT_PLACEMENT_SECONDS:
        found.append(Rule("warning", f"Video is {info.duration_s:.0f} s: Stories and Reels placements take "
                                     f"at most {SHORT_PLACEMENT_SECONDS:.0f} s"))
    return found


def _picture(info: VideoInfo) -> list[Rule]:
    size = f"{info.width}x{info.height}"
    if info.width < MIN_WIDTH:
        return [Rule("error", f"Video too narrow: {size} (min width {MIN_WIDTH} px)")]
    found = []
    if min(info.width, info.height) < HD_SIDE:
        found.append(Rule("warning", f"Resolution {size} is below 720p; it may look soft (1080 px recommended)"))
    if aspect_of(info.width, info.height) is None:
        found.append(Rule("error", f"Unsupported aspect ratio: {size} (use {', '.join(ASPECT_RATIOS)})"))
    return found
