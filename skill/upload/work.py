"""One ad during a run, and what every batch of a run shares: the types steps and reconcile both use."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.errors import GraphError
from skill.events import Reporter
from skill.settings import Settings
from skill.upload.images import ImageBook
from skill.upload.ledger import AdLedger, Ledger
from skill.validate import AdCheck, BatchCheck


@dataclass
class AdWork:
    """One ad during a run: its validated check, its ledger and how it ended."""

    check: AdCheck
    full_name: str
    md5s: list[str]
    entry: AdLedger
    state: str = "pending"  # pending | created | failed | not_run
    error: GraphError | None = None
    adopted: set[str] = field(default_factory=set)
    video: Any = None  # a video ad: its skill.video.phase.VideoRef once the video is ready
    image_retried: bool = False  # uploaded again once after Meta refused a missing or expired hash
    hashes: list[str] = field(default_factory=list)  # Meta's hashes of its images, once created

    @property
    def index(self) -> int:
        return self.check.index

    @property
    def paths(self) -> list[Path]:
        return self.check.image_paths


@dataclass
class RunContext:
    """What every batch of one run shares."""

    settings: Settings
    batch: BatchCheck
    client: Any
    account: str
    ledger: Ledger
    images: ImageBook
    finalize: Callable[[AdWork], None]
    fail: Callable[[AdWork, GraphError], None]
    report: Reporter
    sleep: Callable[[float], None]
    keep_going: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    fatal: GraphError | None = None
    paused_at: int | None = None  # index of the first failed ad, when the batch pauses
    commit: Callable[..., None] = lambda then=None: then and then()  # write the finished ads' files, then `then`

    def halt(self, error: GraphError) -> None:
        if self.fatal is None:
            self.fatal = error
        self.stop.set()

    def pause(self, index: int) -> None:
        if not self.keep_going:
            self.paused_at = index if self.paused_at is None else min(self.paused_at, index)

    def may_run(self, index: int) -> bool:
        return self.fatal is None and (self.paused_at is None or index < self.paused_at)
