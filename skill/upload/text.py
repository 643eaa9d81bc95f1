"""The upload's progress lines, word for word as the product documents them, and ``Progress``, which
emits each ad's block in batch order."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from skill.errors import AccountBlocked, GraphError, KitError, TokenInvalid
from skill.events import Event, Reporter
from skill.validate import AdCheck, Finding

if TYPE_CHECKING:
    from skill.upload.summary import UploadSummary
    from skill.upload.work import AdWork

FOUND_NOTE = " (completed from an interrupted attempt)"
ACCOUNT_ADVICE = ("Meta has restricted this ad account (error 368). Stop all uploads and review the account "
                  "in Business Suite > Account Quality before trying again.")
TOKEN_ADVICE = ("The access token is invalid or expired (error 190). Get a new one (social auth login, or a new "
                "FACEBOOK_ACCESS_TOKEN), check it with `meta-ads auth check`, then re-run to resume.")


def short_hash(image_hash: str) -> str:
    return f"{image_hash[:8]}..."


def header(check: AdCheck, total: int) -> str:
    return f"[{check.index + 1}/{total}] {check.entry.stem}"


def ad_lines(ad: AdWork, total: int, hashes: list[str], uploaded: set[str]) -> list[Event]:
    """The block of a created ad."""
    data: dict[str, Any] = {"ad": ad.check.name, "stem": ad.check.entry.stem}
    events = [Event("ad_start", header(ad.check, total), data), Event("validated", "✓ Validation passed", data)]
    events += [Event("warning", f"  Warning: {f}", f.to_dict()) for f in ad.check.warnings]
    if ad.image_retried:
        events.append(Event("image_retry", "↻ Meta no longer had the image (missing or expired hash): "
                                           "uploaded it again and retried the ad", data))
    for md5, image_hash in zip(ad.md5s, hashes, strict=True):
        note = "" if md5 in uploaded else " - already in the ad account"
        events.append(Event("image", f"✓ Image uploaded (hash: {short_hash(image_hash)}){note}",
                            {**data, "hash": image_hash}))
    if ad.video is not None:
        events += ad.video.lines(data)
    creative, ad_id = ad.entry.creative.id, ad.entry.ad.id
    note = FOUND_NOTE if "creative" in ad.adopted else ""
    events.append(Event("creative", f"✓ Creative created (ID: {creative}){note}", {**data, "creative_id": creative}))
    note = FOUND_NOTE if "ad" in ad.adopted else ""
    events.append(Event("ad", f"✓ Ad created (ID: {ad_id}) - PAUSED{note}", {**data, "ad_id": ad_id}))
    return events


def complete_line(check: AdCheck, total: int) -> Event:
    """A resumed run's line for an ad done now: ``[2/3] receipt - ✓ Complete``."""
    return Event("complete", f"{header(check, total)} - ✓ Complete", {"ad": check.name, "stem": check.entry.stem})


def found_lines(ad: AdWork, total: int, record_name: str) -> list[Event]:
    """An ad the account already had (made by another checkout, or before the records were lost)."""
    data = {"ad": ad.check.name, "ad_id": ad.entry.ad.id, "creative_id": ad.entry.creative.id}
    return [Event("found", f"{header(ad.check, total)} - ⊙ Found in the account (created earlier)", data),
            Event("found_ids", f"  ad ID {ad.entry.ad.id}, creative ID {ad.entry.creative.id or '?'}; "
                               f"recorded in {record_name}", data)]


def skipped_line(check: AdCheck, total: int) -> Event:
    return Event("skipped", f"{header(check, total)} - ⊙ Skipped (already uploaded)", {"ad": check.name})


def failed_lines(check: AdCheck, total: int, messages: list[str], hint: str | None = None,
                 warnings: list[Finding] = ()) -> list[Event]:
    data = {"ad": check.name, "stem": check.entry.stem}
    events = [Event("failed", f"{header(check, total)} - ✗ Failed", data)]
    events += [Event("error", f"Error: {m}", data) for m in messages]
    events += [Event("warning", f"  Warning: {f}", f.to_dict()) for f in warnings]
    if hint:
        events.append(Event("hint", f"  → {hint}", data))
    return events


def finding_text(finding: Finding) -> str:
    """``Headline "…" exceeds 50 chars (61) (receipt.json › titles[0].text)``."""
    where = " › ".join(p for p in (finding.file, finding.field) if p)
    return f"{finding.message} ({where})" if where else finding.message


def error_text(error: KitError) -> str:
    """A Graph error as people need it: Meta's user title and message, the code, the fbtrace_id."""
    if not isinstance(error, GraphError):
        return str(error)
    user = ": ".join(p for p in (error.user_title, error.user_msg) if p)
    text = user or error.message
    ids = [f"error {error.code}" + (f"/{error.subcode}" if error.subcode else "")] if error.code is not None else []
    if error.fbtrace_id:
        ids.append(f"fbtrace_id: {error.fbtrace_id}")
    if user and error.message and error.message not in user:
        text += f" ({error.message})"
    return f"{text} [{', '.join(ids)}]" if ids else text


def names_line(summary: UploadSummary) -> list[str]:
    """The ads' names as pause, activate and insights take them, when they differ from the spec stems."""
    done = [a for a in summary.ads if a.status in ("created", "skipped", "adopted")]
    if not done or all(a.name == a.stem for a in done):
        return []
    return ["Ad names (for pause, activate, insights): " + ", ".join(a.name for a in done)]


def closing_lines(summary: UploadSummary, fatal: GraphError | None, keep_going: bool = False) -> list[str]:
    if fatal is not None:
        advice = ACCOUNT_ADVICE if isinstance(fatal, AccountBlocked) else (
            TOKEN_ADVICE if isinstance(fatal, TokenInvalid) else (fatal.hint or "Fix the error and retry."))
        done = f"{summary.created} ads created before stopping, all PAUSED. " if summary.created else ""
        return [f"Batch stopped: {error_text(fatal)}", f"{done}{advice}"]
    review = [f"Review at: {summary.review_url}"] if summary.created or summary.skipped or summary.adopted else []
    names = names_line(summary)
    if summary.stale:
        return names + review + [f"Batch incomplete: {summary.stale} ad(s) were deleted in the account and not "
                                 "recreated. Re-run with --recreate-deleted to create them again."]
    if summary.failed and not keep_going:
        return names + review + ["Batch paused. Fix the error and retry."]
    if summary.failed:
        return names + review + [f"Batch finished with errors: {summary.total} ads total, {summary.created} newly uploaded, "
                         f"{summary.failed} failed. Fix the errors and retry."]
    if summary.adopted:
        return names + [f"Batch complete: {summary.total} ads total, {summary.created} newly uploaded, "
                        f"{summary.adopted} found in the account"] + review
    if summary.skipped:
        return names + [f"Batch complete: {summary.total} ads total, {summary.created} newly uploaded"] + review
    return names + [f"Batch complete: {summary.created} ads created, all PAUSED"] + review


class Progress:
    """Emits each ad's block once, in batch order, however the batches finish."""

    def __init__(self, report: Reporter, order: list[int]) -> None:
        self.report = report
        self.order = order
        self.ready: dict[int, list[Event]] = {}
        self.pos = 0
        self.lock = threading.Lock()

    def done(self, index: int, events: list[Event]) -> None:
        with self.lock:
            self.ready[index] = events
            while self.pos < len(self.order) and self.order[self.pos] in self.ready:
                for event in self.ready.pop(self.order[self.pos]):
                    self.report(event)
                self.pos += 1

    def close(self) -> None:
        with self.lock:
            for index in self.order[self.pos:]:
                for event in self.ready.pop(index, []):
                    self.report(event)
            self.pos = len(self.order)
