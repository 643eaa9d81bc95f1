"""Write small H.264 (+ AAC) MP4 clips with PyAV: the shipped example video, test fixtures and
the benchmark's file. Frames are Pillow images and audio a sine wave, so numpy is not needed.

    make_clip(Path("clip.mp4"), seconds=3, size=(720, 720))
"""

from __future__ import annotations

import fractions
import math
import struct
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

SAMPLE_RATE = 44100
AAC_FRAME = 1024


def make_clip(path: Path, *, seconds: float = 3.0, size: tuple[int, int] = (720, 720), fps: int = 24,
              audio: bool = True, codec: str = "libx264", fmt: str | None = None, crf: int = 32) -> Path:
    """A clip of coloured frames with a moving bar (and a 440 Hz tone). ``fmt`` forces the
    container (e.g. ``"matroska"``) whatever the file's extension says."""
    import av  # lazy: see skill/video/probe.py

    width, height = size
    with av.open(str(path), mode="w", format=fmt) as out:
        video = out.add_stream(codec, rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if codec == "libx264":
            video.options = {"preset": "ultrafast", "crf": str(crf)}
        sound = out.add_stream("aac", rate=SAMPLE_RATE) if audio else None
        if sound is not None:
            sound.layout = "mono"
        for i in range(max(1, round(seconds * fps))):
            frame = av.VideoFrame.from_image(_picture(i, width, height))
            frame.pts, frame.time_base = i, fractions.Fraction(1, fps)
            out.mux(video.encode(frame))
        out.mux(video.encode())
        if sound is not None:
            _tone(av, out, sound, seconds)
    return path


def _picture(i: int, width: int, height: int) -> Image.Image:
    img = Image.new("RGB", (width, height), ((40 + i * 6) % 256, 110, 160))
    bar = (i * 7) % max(1, height - height // 8)
    ImageDraw.Draw(img).rectangle((0, bar, width, bar + height // 8), fill=(250, 200, 60))
    return img


def _tone(av: Any, out: Any, sound: Any, seconds: float) -> None:
    total = int(seconds * SAMPLE_RATE)
    for start in range(0, total, AAC_FRAME):
        frame = av.AudioFrame(format="fltp", layout="mono", samples=AAC_FRAME)
        samples = [0.2 * math.sin(2 * math.pi * 440 * (start + k) / SAMPLE_RATE) for k in range(AAC_FRAME)]
        frame.planes[0].update(struct.pack(f"<{AAC_FRAME}f", *samples))
        frame.sample_rate, frame.pts = SAMPLE_RATE, start
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        out.mux(sound.encode(frame))
    out.mux(sound.encode())


def make_long_clip(path: Path, minutes: float, size: tuple[int, int] = (128, 128)) -> Path:
    """A clip that *lasts* ``minutes`` with three frames only (tiny file): for the length rules."""
    import av

    with av.open(str(path), mode="w") as out:
        video = out.add_stream("libx264", rate=1)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        video.codec_context.time_base = fractions.Fraction(1, 1)
        for i, pts in enumerate([0, 1, int(minutes * 60)]):
            frame = av.VideoFrame.from_image(_picture(i, *size))
            frame.pts, frame.time_base = pts, fractions.Fraction(1, 1)
            out.mux(video.encode(frame))
        out.mux(video.encode())
    return path
