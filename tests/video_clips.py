"""Helpers for the video tests: tiny clips made with PyAV, cached per test session."""

from __future__ import annotations

from pathlib import Path

from skill.video.make import make_clip, make_long_clip


class Clips:
    """Each clip is written once per session, on first use, under one temp folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, Path] = {}

    def get(self, name: str, **kw) -> Path:
        if name not in self.made:
            long_minutes = kw.pop("minutes", None)
            path = self.root / name
            if long_minutes is not None:
                make_long_clip(path, long_minutes, **kw)
            else:
                make_clip(path, **kw)
            self.made[name] = path
        return self.made[name]

    def good(self) -> Path:
        """1.5 s, 720x720, H.264 + AAC: passes every rule."""
        return self.get("good.mp4", seconds=1.5, size=(720, 720))
