"""Batch upload: validate every ad, then images → creatives → PAUSED ads, exactly once.

``upload_batch`` is the whole job. It validates the batch (an invalid ad sends nothing), takes
the campaign lock, skips ads that already have a ``{stem}.upload.json``, asks Meta which images
the account already holds (in the pre-flight's call), and sends the rest (``phases.send_ads``):
the missing images in calls of 50, then Graph batches of up to 25 ads (one HTTP call carries
creative and ad for each; see ``steps.py``), one call at a time or several at once
(``parallel``). Each created ad gets its ``{stem}.upload.json``, its row in
``brand/assets.md`` and, if missing, its ``{stem}.md`` copy document.

Progress lines follow the product's format, one block per ad, in batch order::

    [2/3] receipt
    ✓ Validation passed
    ✓ Image uploaded (hash: d4e5f6g7...)
    ✓ Creative created (ID: 23847293848)
    ✓ Ad created (ID: 23847111112) - PAUSED
"""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from skill.creative.outcomes import is_policy_rejection, policy_hint
from skill.errors import ConfigError, GraphError, WaitTooLong
from skill.events import Event, Reporter, silent
from skill.fileio import clean_stale_temps
from skill.models import UploadRecord
from skill.records import now_iso, read_record, record_path
from skill.settings import Settings
from skill.upload.adopt import AccountView, Survey, duplicate_warning, stale_line, survey
from skill.upload.early import EarlySurvey, read_config
from skill.upload.graph_ops import learn_known_images
from skill.upload.images import ImageBook, file_md5s
from skill.upload.ledger import CampaignLock, Ledger
from skill.upload.outputs import Outputs
from skill.upload.payloads import ad_name
from skill.upload.phases import send_ads
from skill.upload.preflight import target_for
from skill.upload.summary import Results, UploadSummary
from skill.upload.text import (
    Progress,
    ad_lines,
    closing_lines,
    complete_line,
    error_text,
    failed_lines,
    finding_text,
    found_lines,
    header,
    skipped_line,
)
from skill.upload.work import AdWork, RunContext
from skill.upload.writer import Writer
from skill.validate import AdCheck, BatchCheck, validate_batch
from skill.video.phase import resolve_videos


class Upload:
    """One run of ``upload_batch``: the state every batch shares and the records it writes."""

    def __init__(self, settings: Settings, batch: BatchCheck, client: Any, keep_going: bool, report: Reporter,
                 recreate_deleted: bool = False):
        self.settings, self.batch, self.client = settings, batch, client
        self.keep_going = keep_going
        self.recreate_deleted = recreate_deleted
        self.view = AccountView()
        self.report = report
        self.account = settings.require_ad_account()
        self.ads_dir = batch.config_path.parent
        self.ledger = Ledger(self.ads_dir)
        self.images = ImageBook()
        self.total = len(batch.ads)
        self.md5_of: dict[Path, str] = {}  # every candidate's image files, read once
        self.names: dict[int, str] = {}  # ad index → its full name (the account is searched by it), made once
        self.early: EarlySurvey | None = None  # the survey's call, sent while the batch was validated
        self.work: list[AdWork] = []
        self.results = Results()  # compact: one tuple an ad
        self.progress = Progress(report, [a.index for a in batch.ads])
        self.write_lock = threading.Lock()  # ``finished``
        self.finished: dict[int, AdWork] = {}  # created, its files not yet written
        self.outputs = Outputs(settings.assets_md, batch)
        self.resumed = False  # a re-run: each ad done now prints one line, as the product shows it
        self.writer = Writer()  # copy documents and records go to disk while calls are in flight
        self.ctx = RunContext(settings, batch, client, self.account, self.ledger, self.images,
                              self.finalize, self.fail, report, time.sleep, keep_going=keep_going,
                              commit=self.commit_soon)

    # ------------------------------------------------------------ outcomes

    def _result(self, check: AdCheck, status: str, **kw: Any) -> None:
        self.results.put(check, status, **kw)

    def finalize(self, ad: AdWork) -> None:
        """The ad exists on Meta: queue its record, its assets.md row and its copy document
        (written, and its progress block emitted, by ``commit``)."""
        entry, check = ad.entry, ad.check
        hashes = [entry.images.get(m) or self.images.known.get(m) or m for m in ad.md5s]  # md5 is Meta's hash
        ad.hashes = hashes
        record = UploadRecord(
            uploaded_at=now_iso(), campaign=self.batch.config.campaign, ad_name=check.name,
            image_hash=hashes[0] if len(hashes) == 1 else None,
            image_hashes=hashes if len(hashes) > 1 else None,
            creative_id=entry.creative.id or "", ad_id=entry.ad.id or "", adset_id=self.batch.adset_id or "",
            status="PAUSED", review_url=self.settings.review_url(),
            **({"video_id": ad.video.video_id, "thumbnail_hash": ad.video.thumbnail_hash} if ad.video else {}),
        )
        ad.state = "created"
        with self.write_lock:
            self.finished[check.index] = ad
        self.outputs.add(check, record)

    def commit(self) -> None:
        """Write the queued ads' files (one fsync per file) and emit their progress blocks; returns
        once every file queued so far (here or by ``commit_soon``) is written."""
        self.commit_soon()
        self.writer.drain()

    def commit_soon(self, then: Any = None) -> None:
        """Queue the writing of the finished ads' files, and ``then`` once they are written (e.g.
        removing the in-flight file those files settle); the calls go on meanwhile."""
        self.writer.later(self._commit_now)
        if then is not None:
            self.writer.after(then)

    def _commit_now(self) -> None:
        for check, record, path in self.outputs.flush():
            with self.write_lock:
                ad = self.finished.pop(check.index)
            found = "found" in ad.adopted
            self._result(check, "adopted" if found else "created", image_hashes=ad.hashes,
                         creative_id=record.creative_id, ad_id=record.ad_id, record=str(path),
                         video_id=ad.video.video_id if ad.video else None)
            if found:
                lines = found_lines(ad, self.total, path.name)
            elif self.resumed:
                lines = [complete_line(check, self.total)]
            else:
                lines = ad_lines(ad, self.total, ad.hashes, self.images.uploaded)
            self.progress.done(check.index, lines)

    def fail(self, ad: AdWork, error: GraphError) -> None:
        if is_policy_rejection(error):
            error.hint = policy_hint(self.settings.review_url())
        ad.state, ad.error = "failed", error
        self._result(ad.check, "failed", errors=[error_text(error)])
        self.progress.done(ad.index, failed_lines(ad.check, self.total, [error_text(error)], error.hint,
                                                  ad.check.warnings))
        self.ctx.pause(ad.index)

    # ------------------------------------------------------------ planning

    def candidates(self) -> list[AdCheck]:
        """Valid ads to look up and send, in order; invalid ones fail here (and pause the batch)."""
        out: list[AdCheck] = []
        self.resumed = self.ledger.has_inflight() or any(
            record_path(c.spec_path).exists() or self.ledger.path(c.entry.stem).exists() for c in self.batch.ads)
        for check in self.batch.ads:
            if not check.ok:
                if self._recorded(check) is not None:
                    self._skip(check, self._recorded(check))
                    continue
                self._invalid(check)
                if self.keep_going:
                    continue
                break  # paused: nothing after the first invalid ad is sent
            out.append(check)
        return out

    def survey(self, candidates: list[AdCheck]) -> Survey:
        """The pre-flight, the ad set's ads and which images the account holds, in one call
        (see ``adopt.survey``)."""
        self.names = {c.index: ad_name(self.settings, self.batch, c) for c in candidates}
        names = list(self.names.values())
        token = self.settings.token.get_secret_value() if self.settings.token else None
        if self.early is not None:
            self.early.join()
            self.md5_of = dict(self.early.md5_of)
        paths = [p for c in candidates for p in c.image_paths]
        self.md5_of.update(file_md5s(p for p in paths if p not in self.md5_of))
        target, md5s = target_for(self.settings, self.batch), {self.md5_of[p] for p in paths}
        sent = self.early.take(target, md5s) if self.early is not None else None  # answered during validation
        found = survey(self.client, token, target, names, sent[1] if sent else md5s, results=sent[0] if sent else None)
        self.view = found.view
        return found

    def plan(self, candidates: list[AdCheck], found: Survey) -> list[AdWork]:
        """Adopt what the account holds, and return the ads to send, in order."""
        names = {c.index: self.names.get(c.index) or ad_name(self.settings, self.batch, c) for c in candidates}
        todo: list[AdWork] = []
        for check in candidates:
            full_name = names[check.index]
            entry = self.ledger.load(check.entry.stem, full_name, self.account, self.batch.adset_id or "")
            ad = AdWork(check, full_name, [self.md5_of[p] for p in check.image_paths], entry)
            if self._settled(ad):
                continue
            todo.append(ad)
        self.commit()  # the adopted ads' records
        self._adopt_creatives(todo, found)
        self.ledger.settled_inflight()  # what killed runs' calls may have made is now settled
        return todo

    def _settled(self, ad: AdWork) -> bool:
        """Decide an ad from what the account holds: done (skipped / adopted) or stale; False: send it."""
        check, entry, record = ad.check, ad.entry, self._recorded(ad.check)
        live = self.view.live_ad(ad.full_name)
        if live is not None:
            others = self.view.ads.duplicates.get(ad.full_name, [])
            if others:
                self.report(Event("warning", duplicate_warning(ad.full_name, live, others), {"ad": check.name}))
            if record is not None:
                self._skip(check, record)
            else:
                if entry.ad.id is None and entry.ad.intent_at is None:  # nothing here knew of it
                    ad.adopted.add("found")
                elif entry.ad.id is None:
                    ad.adopted.add("ad")  # sent by an interrupted run, its answer lost
                entry.ad.id = str(live["id"])
                entry.creative.id = self.view.creative_id_of(live) or entry.creative.id or ""
                self.finalize(ad)
            return True
        gone = self.view.gone_ad(ad.full_name)
        claimed = (record.ad_id if record else None) or entry.ad.id or (str(gone["id"]) if gone else None)
        if claimed is None:
            self.ledger.clear_intents(entry, ad=True)  # an unclear create: the account says it never happened
            return False
        line = stale_line(header(check, self.total), claimed, self.recreate_deleted)
        if not self.recreate_deleted:
            self._result(check, "stale", ad_id=claimed, errors=[line.split(" - ", 1)[1]])
            self.progress.done(check.index, [Event("stale", line, {"ad": check.name, "ad_id": claimed})])
            return True
        self.report(Event("stale", line, {"ad": check.name, "ad_id": claimed}))
        ad.entry = self.ledger.fresh(entry)
        return False

    def _adopt_creatives(self, todo: list[AdWork], found: Survey) -> None:
        """Creatives of ads still to create, found by name in the account: reused, never remade."""
        need = {a.full_name for a in todo if a.entry.creative.id is None}
        if not need:
            return
        found.creatives(self.client, self.account, need)
        for ad in todo:
            if self.adopt_creative(ad):
                self.ledger.save(ad.entry)

    def adopt_creative(self, ad: AdWork) -> bool:
        """After the creative look-up: reuse the one found by name, or clear the intent. True: entry changed."""
        creative = self.view.creatives.id_of(ad.full_name) if ad.entry.creative.id is None else None
        if creative:
            ad.entry.creative.id = creative
            ad.adopted.add("creative")
            return True
        if ad.entry.creative.intent_at is not None:
            self.ledger.clear_intents(ad.entry, creative=True)
            return True
        return False

    def _recorded(self, check: AdCheck) -> UploadRecord | None:
        path = record_path(check.spec_path)
        if not path.exists():
            return None
        try:
            rec = read_record(path)
        except ConfigError:
            return None
        if rec.ad_name != check.name or (rec.adset_id and rec.adset_id != self.batch.adset_id):
            return None  # another ad, or the batch now goes to another ad set: says nothing here
        return rec

    def _skip(self, check: AdCheck, rec: UploadRecord | None) -> None:
        assert rec is not None
        self._result(check, "skipped", image_hashes=rec.image_hashes or [rec.image_hash or ""],
                     creative_id=rec.creative_id, ad_id=rec.ad_id, record=str(record_path(check.spec_path)))
        self.progress.done(check.index, [skipped_line(check, self.total)])

    def _invalid(self, check: AdCheck) -> None:
        messages = [finding_text(f) for f in check.errors]
        self._result(check, "failed", errors=messages)
        self.progress.done(check.index, failed_lines(check, self.total, messages))

    # ------------------------------------------------------------ running

    def run(self, workers: int) -> None:
        self.writer.threads = workers
        candidates = self.candidates()
        todo: list[AdWork] = []
        found: Survey | None = None
        if candidates:
            try:
                found = self.survey(candidates)  # a pre-flight refusal raises: nothing was written
            except WaitTooLong as exc:  # Meta asks for a longer wait than max_wait: stop, resumable
                self.ctx.halt(exc)
                found = None
            try:
                todo = self.plan(candidates, found) if found is not None else []
            except GraphError as exc:  # a read failed for good (after the client's retries): stop
                self.ctx.halt(exc)
        if todo and not self.ctx.fatal:
            todo = resolve_videos(self.ctx, todo, self.ledger.dir / "videos")
        if todo and not self.ctx.fatal:
            self._known_images(todo, found)
            checks = [ad.check for ad in todo]  # one thread: the calls' threads need the CPU more
            self.writer.later(lambda: self.outputs.prewrite(checks))
        try:
            send_ads(self.ctx, todo, workers)  # the seam: images, then the ads' batch calls
        finally:
            self.commit()
        for ad in todo:
            if ad.index not in self.results:
                ad.state = "not_run"
                self._result(ad.check, "not_run")
        self.progress.close()

    def _known_images(self, todo: list[AdWork], found: Survey | None) -> None:
        learn_known_images(self.ctx, todo, found)  # async_run.py calls it too

    def summary(self) -> UploadSummary:
        ads = self.results.all(self.batch.ads)
        count = {s: sum(1 for a in ads if a.status == s)
                 for s in ("created", "skipped", "failed", "not_run", "adopted", "stale")}
        stopped = error_text(self.ctx.fatal) if self.ctx.fatal else None
        return UploadSummary(
            campaign=self.batch.config.campaign, config=str(self.batch.config_path), total=self.total,
            **count, ok=not count["failed"] and not count["not_run"] and not count["stale"] and not stopped,
            stopped=stopped,
            review_url=self.settings.review_url(), ads=ads,
        )


def upload_batch(
    settings: Settings,
    campaign: str,
    *,
    config: str | Path | None = None,
    client: Any,
    parallel: int | None = None,
    keep_going: bool = False,
    recreate_deleted: bool = False,
    report: Reporter = silent,
    batch: BatchCheck | None = None,
    batches: str = "auto",
) -> UploadSummary:
    """Upload a campaign's batch, every ad PAUSED, each at most once; re-run to resume.

    What the ad account already holds is adopted, never created again; an ad deleted in Ads
    Manager is created again only with ``recreate_deleted``. ``batch``: an already validated batch
    (a launch passes each ad set's ads with its id). ``batches``: auto | sync | async (Meta's async
    request sets, for very large batches: see ``async_run.py``)."""
    parsed = read_config(settings, campaign, config) if batch is None else None  # one parse, shared
    early = EarlySurvey.start(settings, parsed, client) if parsed is not None else None
    try:
        if batch is None:
            batch = validate_batch(settings, campaign, config, parsed=parsed)
        del parsed  # the batch holds the config now
        return _upload(settings, client, parallel, keep_going, recreate_deleted, report, batch, batches, early)
    finally:
        if early is not None:
            early.close()


def _upload(settings: Settings, client: Any, parallel: int | None, keep_going: bool, recreate_deleted: bool,
            report: Reporter, batch: BatchCheck, batches: str, early: EarlySurvey | None) -> UploadSummary:
    for finding in batch.findings:
        label = "Error" if finding.severity == "error" else "Warning"
        report(Event(finding.severity, f"  {label}: {finding}", finding.to_dict()))
    errors = [f for f in batch.findings if f.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more above)" if len(errors) > 1 else ""
        raise ConfigError(f"{errors[0].message}{more}; nothing was sent", file=errors[0].file or str(batch.config_path),
                          field=errors[0].field,
                          hint="fix it and run again; `meta-ads validate CAMPAIGN` checks without uploading")
    if early is not None and all(check.ok for check in batch.ads):
        early.send()  # every ad is valid: the survey's call goes now, beside what follows
    cfg = batch.config
    workers = parallel if parallel is not None else (cfg.max_concurrent if cfg.parallel else 1)
    job = Upload(settings, batch, client, keep_going, report, recreate_deleted)
    job.early = early
    held = early.holds(job.ads_dir) if early is not None else None
    with nullcontext() if held is not None else CampaignLock(job.ads_dir, cfg.campaign):
        for folder in (job.ads_dir, job.ledger.dir, settings.brand_dir):
            clean_stale_temps(folder)
        from skill.upload.async_run import chosen, run_async, settle_sets

        try:
            if chosen(settings, batch, batches):
                run_async(job)
            else:
                settle_sets(job)  # async sets a killed run left: complete before the look-up
                job.run(max(1, workers))
        finally:
            job.writer.close()
    summary = job.summary()
    for line in closing_lines(summary, job.ctx.fatal, keep_going):
        report(Event("done", line, {"ok": summary.ok}))
    return summary
