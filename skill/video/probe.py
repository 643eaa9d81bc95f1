"""What a video file is, read from its content with PyAV: container, codecs, size, duration,
resolution, audio; and frames from it (a thumbnail, a few stills for the copywriter).

PyAV (``av``) ships FFmpeg inside its wheels, so nothing needs installing on the system, and it
decodes frames, which a pure MP4 box parser cannot. It is heavy (about 100 MB of libraries), so
it is imported inside these functions only: commands that never touch a video never load it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

ISO_BMFF = "mov,mp4,m4a,3gp,3g2,mj2"  # FFmpeg's demuxer for MP4 and QuickTime MOV
QUICKTIME_BRAND = b"qt  "


class VideoUnreadable(ValueError):
    """The file is not a video FFmpeg can read (wrong content, truncated, not a container)."""


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    container: str | None  # "MP4" or "MOV" (by content), else FFmpeg's name for what it found
    video_codec: str | None  # "h264", "hevc", "mpeg4" … (None: no video stream)
    audio_codec: str | None  # None: no audio track
    width: int
    height: int
    duration_s: float
    fps: float | None
    size_bytes: int

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    def summary(self) -> str:
        """``3.0 s, 720x720, MP4 h264, audio aac`` for progress lines."""
        audio = f"audio {self.audio_codec}" if self.audio_codec else "no audio"
        return (f"{self.duration_s:.1f} s, {self.width}x{self.height}, {self.container} "
                f"{self.video_codec or 'no video'}, {audio}")


def _open(source: Path | bytes) -> Any:
    import av  # lazy: see the module docstring

    try:
        return av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except av.error.FFmpegError as exc:
        raise VideoUnreadable(f"not a video file FFmpeg can read ({exc.__class__.__name__})") from None


def _container(format_name: str, head: bytes) -> str:
    if format_name != ISO_BMFF:
        return format_name
    return "MOV" if head[8:12] == QUICKTIME_BRAND else "MP4"


def read_video(path: Path) -> VideoInfo:
    """Facts of one video by its content. Raises FileNotFoundError, OSError or VideoUnreadable."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(16)
    with _open(path) as c:
        vs = c.streams.video[0] if c.streams.video else None
        audio = c.streams.audio[0].codec_context.name if c.streams.audio else None
        duration = c.duration / 1_000_000 if c.duration else 0.0
        if not duration and vs is not None and vs.duration and vs.time_base:
            duration = float(vs.duration * vs.time_base)
        return VideoInfo(
            path=path, container=_container(c.format.name, head),
            video_codec=vs.codec_context.name if vs else None, audio_codec=audio,
            width=vs.codec_context.width if vs else 0, height=vs.codec_context.height if vs else 0,
            duration_s=duration, fps=float(vs.average_rate) if vs is not None and vs.average_rate else None,
            size_bytes=size,
        )


def frames(path: Path, count: int) -> list[Image]:
    """``count`` stills spread evenly over the video (at 1/2n, 3/2n … of its length), decoded in
    one forward pass; fine for the short clips ads are."""
    with _open(path) as c:
        if not c.streams.video:
            raise VideoUnreadable("the file has no video stream")
        duration = c.duration / 1_000_000 if c.duration else 0.0
        targets = [duration * (i + 0.5) / count for i in range(count)]
        picked: list[Image] = []
        last = None
        for frame in c.decode(c.streams.video[0]):
            last = frame
            t = float(frame.time) if frame.time is not None else 0.0
            while len(picked) < count and t >= targets[len(picked)]:
                picked.append(frame.to_image())
            if len(picked) == count:
                return picked
        if last is None:
            raise VideoUnreadable("no frame could be decoded")
        return picked + [last.to_image()] * (count - len(picked))


def thumbnail_jpeg(path: Path, quality: int = 90) -> bytes:
    """A JPEG of the middle frame: the thumbnail Meta shows before playback."""
    buf = io.BytesIO()
    frames(path, 1)[0].convert("RGB").save(buf, format="JPEG", quality=quality)
    return buf.getvalue()
