"""Dry run: validate a batch and show every payload an upload would send. No network, no token,
nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.events import Event, Reporter, silent
from skill.images import md5_hex
from skill.settings import Settings
from skill.upload.payloads import ad_payload, creative_payload, image_payload
from skill.validate import AdCheck, BatchCheck, Finding, validate_batch
from skill.video.payloads import PLACEHOLDER_THUMB, PLACEHOLDER_VIDEO, upload_calls
from skill.video.store import file_sha256, video_title

PLACEHOLDER_ACCOUNT = "act_<ad_account>"
PLACEHOLDER_CREATIVE = "<creative id from the step above>"


class PlannedCall(BaseModel):
    method: str = "POST"
    path: str
    body: dict[str, Any]


class AdPlan(BaseModel):
    index: int
    name: str
    stem: str
    ok: bool
    combinations: int
    findings: list[dict[str, Any]]
    calls: list[PlannedCall]


class BatchSummary(BaseModel):
    """Validation or dry-run outcome: what ``validate`` and ``upload --dry-run`` return."""

    campaign: str
    config: str
    dry_run: bool
    ok: bool
    ads: list[AdPlan]
    findings: list[dict[str, Any]]
    validated: int
    uploaded: int = 0
    skipped: list[str] = []  # dry run: ads the local records say are uploaded already

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def error_line(self) -> str | None:
        """The first error, as ``file › field: message`` (and how many more), for stderr."""
        errors = [f for f in self.findings + [f for a in self.ads for f in a.findings] if f.get("severity") == "error"]
        if not errors:
            return None
        first = errors[0]
        where = " › ".join(str(p) for p in (first.get("file"), first.get("field")) if p)
        more = f" (and {len(errors) - 1} more above)" if len(errors) > 1 else ""
        return f"{where}: {first.get('message')}{more}" if where else f"{first.get('message')}{more}"


def plan_ad(settings: Settings, batch: BatchCheck, ad: AdCheck, account: str) -> list[PlannedCall]:
    """The three kinds of call one ad needs; image hashes are md5 of the files, as Meta computes."""
    if not ad.ok or ad.spec is None:
        return []
    if ad.video_path is not None:
        return _video_calls(settings, batch, ad, account)
    calls = [PlannedCall(path=f"/{account}/adimages", body=image_payload(p)) for p in ad.image_paths]
    hashes = [md5_hex(p) for p in ad.image_paths]
    calls.append(PlannedCall(path=f"/{account}/adcreatives", body=creative_payload(settings, batch, ad, hashes)))
    calls.append(PlannedCall(path=f"/{account}/ads", body=ad_payload(settings, batch, ad, PLACEHOLDER_CREATIVE)))
    return calls


def _video_calls(settings: Settings, batch: BatchCheck, ad: AdCheck, account: str) -> list[PlannedCall]:
    """A video ad: the three upload phases, the thumbnail image, the video creative, the ad."""
    path = ad.video_path
    assert path is not None
    calls = [PlannedCall(path=p, body=b) for p, b in
             upload_calls(account, path, path.stat().st_size, video_title(path, file_sha256(path)))]
    thumb = ad.thumbnail_path or path.with_name(f"{path.stem}-thumbnail.jpg")
    calls.append(PlannedCall(path=f"/{account}/adimages", body=image_payload(thumb)))
    video = (PLACEHOLDER_VIDEO, md5_hex(ad.thumbnail_path) if ad.thumbnail_path else PLACEHOLDER_THUMB)
    calls.append(PlannedCall(path=f"/{account}/adcreatives", body=creative_payload(settings, batch, ad, [], video)))
    calls.append(PlannedCall(path=f"/{account}/ads", body=ad_payload(settings, batch, ad, PLACEHOLDER_CREATIVE)))
    return calls


def check_batch(
    settings: Settings,
    campaign: str | None,
    config: str | Path | None = None,
    *,
    dry_run: bool = False,
    report: Reporter = silent,
) -> BatchSummary:
    """Validate a batch (and with ``dry_run`` plan its calls), reporting per-ad progress."""
    batch = validate_batch(settings, campaign, config)
    account = settings.ad_account or PLACEHOLDER_ACCOUNT
    total = len(batch.ads)
    for finding in batch.findings:
        report(_finding_event(finding))
    plans = []
    done = _uploaded(batch) if dry_run else {}
    for ad in batch.ads:
        prefix = "[DRY RUN] " if dry_run else ""
        report(Event("ad_start", f"{prefix}[{ad.index + 1}/{total}] {ad.entry.stem}", {"ad": ad.name}))
        if ad.name != ad.entry.stem:  # the name pause, activate and insights know it by
            report(Event("ad_name", f"  Ad name: {ad.name}", {"ad": ad.name, "stem": ad.entry.stem}))
        if ad.name in done:
            report(Event("would_skip", f"⊙ Would be skipped: already uploaded (ad {done[ad.name]})",
                         {"ad": ad.name, "ad_id": done[ad.name]}))
        calls = plan_ad(settings, batch, ad, account) if dry_run and ad.name not in done else []
        _report_ad(ad, calls, report)
        plans.append(AdPlan(index=ad.index, name=ad.name, stem=ad.entry.stem, ok=ad.ok,
                            combinations=ad.combinations, findings=[f.to_dict() for f in ad.findings],
                            calls=calls))
    valid = sum(1 for a in batch.ads if a.ok)
    summary = BatchSummary(campaign=batch.config.campaign, config=str(batch.config_path), dry_run=dry_run,
                           ok=batch.ok, ads=plans, findings=[f.to_dict() for f in batch.findings],
                           validated=valid, skipped=sorted(n for n in done if n in {a.name for a in batch.ads}))
    report(Event("done", _closing_line(summary, total), summary.model_dump(include={"ok", "validated"})))
    return summary


def _uploaded(batch: BatchCheck) -> dict[str, str]:
    """Ad name → ad id, from the ``*.upload.json`` records beside the batch (the upload itself
    checks the ad account; a dry run stays offline)."""
    from skill.errors import ConfigError
    from skill.records import campaign_records

    try:
        return {rec.ad_name: rec.ad_id for _, rec in campaign_records(Path(batch.config_path).parent)}
    except ConfigError:
        return {}


def _report_ad(ad: AdCheck, calls: list[PlannedCall], report: Reporter) -> None:
    if ad.ok:
        report(Event("validated", "✓ Validation passed"))
    else:
        report(Event("invalid", "✗ Validation failed"))
    for finding in ad.findings:
        report(_finding_event(finding))
    if ad.video is not None:
        report(Event("video", f"  Video: {ad.video.summary()}", {"file": str(ad.video.path)}))
    if ad.spec is not None and ad.ok and ad.entry.kind == "dynamic":  # only Dynamic Creative mixes variants
        media = "1 video" if ad.video_path is not None else f"{len(ad.image_paths)} image(s)"
        report(Event("combinations", f"  {media} × {len(ad.spec.titles)} headline(s) × "
                                     f"{len(ad.spec.bodies)} bod{'y' if len(ad.spec.bodies) == 1 else 'ies'} = "
                                     f"{ad.combinations} combinations Meta will test"))
    for call in calls:
        report(Event("payload", f"Would POST to {call.path}:\n{json.dumps(call.body, indent=2, ensure_ascii=False)}",
                     call.model_dump()))


def _finding_event(finding: Finding) -> Event:
    label = "Error" if finding.severity == "error" else "Warning"
    return Event(finding.severity, f"  {label}: {finding}", finding.to_dict())


def _closing_line(summary: BatchSummary, total: int) -> str:
    invalid = total - summary.validated
    problem = f"{invalid} of {total} ads have errors" if invalid else "the batch config has errors"
    if summary.dry_run:
        skipped = f", {len(summary.skipped)} would be skipped (already uploaded)" if summary.skipped else ""
        if summary.ok:
            return f"[DRY RUN] Complete - {summary.validated} ads validated, 0 uploaded{skipped}"
        return f"[DRY RUN] Failed - {problem}, 0 uploaded. Fix them and run again."
    if summary.ok:
        return f"Validation passed - {total} ads ready to upload"
    return f"Validation failed - {problem}"
