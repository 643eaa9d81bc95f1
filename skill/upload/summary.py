"""What an upload returns: one result per ad and how the batch ended."""

from __future__ import annotations

from pydantic import BaseModel


class AdResult(BaseModel):
    index: int
    name: str
    stem: str
    status: str  # created | skipped | adopted | stale | failed | not_run
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
    adopted: int = 0  # found in the account by name (created earlier, elsewhere) and recorded
    stale: int = 0  # recorded as uploaded but deleted in the account; recreated only when asked
    ok: bool
    stopped: str | None = None
    review_url: str
    ads: list[AdResult]

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def render_text(self) -> str:
        return ""  # every line went out as a progress event

    def error_line(self) -> str | None:
        """Why the run did not finish, in one line for stderr (the details went to stdout)."""
        if self.stopped:
            return f"{self.config}: batch stopped: {self.stopped}"
        failed = next((a for a in self.ads if a.status == "failed"), None)
        if failed is not None:
            more = f" (and {self.failed - 1} more failed ads above)" if self.failed > 1 else ""
            reason = failed.errors[0] if failed.errors else "failed"
            return f"{self.config} › ads[{failed.index}] {failed.name!r}: {reason}{more}"
        stale = [a for a in self.ads if a.status == "stale"]
        if stale:
            return (f"{self.config}: {len(stale)} ad(s) recorded as uploaded were deleted in the account; "
                    "re-run with --recreate-deleted to create them again")
        if self.not_run:
            return f"{self.config}: {self.not_run} ad(s) not run; re-run to resume"
        return None
