"""What an upload returns: one result per ad and how the batch ended."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from skill.records import record_path

if TYPE_CHECKING:
    from skill.validate import AdCheck


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


_KEPT = ("status", "image_hashes", "creative_id", "ad_id", "record", "errors", "video_id")


class Results:
    """Each ad's outcome during a run, by ad index, as a plain tuple: a pydantic ``AdResult`` held
    for every ad of a 5,000-ad run cost ~1 KB an ad. The ``AdResult``s are built for the summary."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[Any, ...]] = {}

    def put(self, check: AdCheck, status: str, **kw: Any) -> None:
        unknown = set(kw) - set(_KEPT)
        if unknown:
            raise TypeError(f"unknown AdResult fields: {sorted(unknown)}")
        kw["status"] = status
        for key in ("image_hashes", "errors"):
            kw[key] = tuple(kw.get(key) or ())
        if kw.get("record") is not None and kw["record"] == str(record_path(check.spec_path)):
            kw["record"] = True  # the usual place, named again for the summary
        self._rows[check.index] = tuple(kw.get(k) for k in _KEPT)

    def __contains__(self, index: object) -> bool:
        return index in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def status(self, index: int) -> str | None:
        row = self._rows.get(index)
        return row[0] if row is not None else None

    def result(self, check: AdCheck) -> AdResult:
        """The ad's ``AdResult`` (``not_run`` when nothing was recorded for it)."""
        row = self._rows.get(check.index)
        values = dict(zip(_KEPT, row, strict=True)) if row is not None else {"status": "not_run"}
        values["image_hashes"] = list(values.get("image_hashes") or ())
        values["errors"] = list(values.get("errors") or ())
        if values.get("record") is True:
            values["record"] = str(record_path(check.spec_path))
        return AdResult(index=check.index, name=check.name, stem=check.entry.stem, **values)

    def all(self, checks: Iterable[AdCheck]) -> list[AdResult]:
        return [self.result(c) for c in checks]
