"""What an upload returns: one result per ad and how the batch ended."""

from __future__ import annotations

from pydantic import BaseModel


class AdResult(BaseModel):
    index: int
    name: str
    stem: str
    status: str  # created | skipped | failed | not_run
    image_hashes: list[str] = []
    creative_id: str | None = None
    ad_id: str | None = None
    record: str | None = None
    errors: list[str] = []
    video_id: str | None = None  # a video ad's video


class UploadSummary(BaseModel):
    """What ``upload`` returns: per-ad outcomes and how the batch ended."""

    campaign: str
    config: str
    total: int
    created: int
    skipped: int
    failed: int
    not_run: int
    ok: bool
    stopped: str | None = None
    review_url: str
    ads: list[AdResult]

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def render_text(self) -> str:
        return ""  # every line went out as a progress event
