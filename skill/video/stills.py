"""What the copywriter sees of a video: a few frames spread over it and its length, as Messages
API content blocks, in place of the single image an image ad sends."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from skill.video.probe import frames, read_video

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v")
STILLS = 4
MAX_SIDE = 768  # four stills at this size cost about what one full image does


def is_video(path: Path) -> bool:
    """By name, to pick the checks; the checks themselves read the content."""
    return path.suffix.lower() in VIDEO_SUFFIXES


def video_blocks(path: Path, count: int = STILLS) -> list[dict[str, Any]]:
    """``count`` JPEG stills as image blocks, then a text block giving the duration and times."""
    info = read_video(path)
    blocks: list[dict[str, Any]] = []
    for still in frames(path, count):
        still = still.convert("RGB")
        still.thumbnail((MAX_SIDE, MAX_SIDE))
        buf = io.BytesIO()
        still.save(buf, format="JPEG", quality=80)
        blocks.append({"type": "image", "source": {"type": "base64", "media_type": "image/jpeg",
                                                   "data": base64.b64encode(buf.getvalue()).decode("ascii")}})
    times = ", ".join(f"{info.duration_s * (i + 0.5) / count:.1f} s" for i in range(count))
    sound = "with sound" if info.has_audio else "silent"
    blocks.append({"type": "text", "text": f"These {count} images are frames of one {info.duration_s:.1f} s video "
                                           f"ad ({info.width}x{info.height}, {sound}), taken at {times}. Write "
                                           "the copy for the video as a whole."})
    return blocks
