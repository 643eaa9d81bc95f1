"""Helpers for the video tests: tiny clips made with PyAV, each made once per test run."""

from __future__ import annotations

import atexit
import shutil
import tempfile
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


_shared: Clips | None = None


def shared_clips() -> Clips:
    """One :class:`Clips` for the whole test run, in a temp folder removed at exit."""
    global _shared
    if _shared is None:
        root = Path(tempfile.mkdtemp(prefix="meta-ads-clips-"))
        atexit.register(shutil.rmtree, root, True)
        _shared = Clips(root)
    return _shared
