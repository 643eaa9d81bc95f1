"""Very large batches: creatives and PAUSED ads through Meta's async request sets, exactly once.

From ``async_batches.threshold`` ads in a batch (stack.md, default 300; ``--batches async|sync`` forces
either way) the upload runs as the synchronous one does up to the sending: validate, look the
account up, adopt what it holds. Then:

1. **Sets left by an interrupted run** (named ``meta-ads {campaign} {ad set} …``, still running)
   are waited for first, so that the look-up by name sees everything they created.
2. **Images** (bytes) go up in ordinary Graph batches, 10 files a call, each file once.
3. **Creatives and ads** go in sets of ``async_batches.set_ads`` ads (default 500: 1,000 requests,
   Meta's maximum). One set carries both, each ad referring to its creative with
   ``{result=cN:$.id}`` (Meta runs dependent requests of a set in order), so a set is one round
   of polling instead of two. The set's name is the intent: no ledger write per ad before it
   is sent (a re-run finds the set, waits for it, and looks the ads up by name).
4. Each set is **polled** (``async_batches.poll_s`` seconds, default 2, doubling while nothing moves) with a progress line;
   when it completes its results are read page by page and recorded as they arrive: the ledger,
   ``{stem}.upload.json``, brand/assets.md, the same as the synchronous path. A request that
   failed is reported with Meta's message; a transient failure goes into a later set.
5. **Ctrl-C** cancels the running set (``DELETE /{set}``), says so, records what it had done,
   and stops; a re-run resumes. After a kill -9 the re-run waits for the set (step 1) and adopts.

Memory stays flat in the batch's size: the plan keeps each ad's check and little else
(``async_plan.py``), only one set's ``AdWork``s and requests are in memory at a time, results
are written as each set's arrive, and each ad's outcome is a tuple until the summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from skill.account.existing import find_by_name
from skill.errors import (
    AccountBlocked,
    ConfigError,
    GraphError,
    RateLimited,
    TokenInvalid,
    WaitTooLong,
)
from skill.events import Event
from skill.graph.retry import describe, retry_delay, should_retry, wait_too_long, waiting_line
from skill.settings import Settings
from skill.upload import async_sets as sets
from skill.upload.adopt import AD_FIELDS, CREATIVE_FIELDS
from skill.upload.async_images import upload_images
from skill.upload.async_plan import Pending, plan
from skill.upload.async_wait import mark, markers, poll_until_done, wait_for_left_sets
from skill.upload.payloads import ad_payload, creative_payload
from skill.upload.work import AdWork
from skill.validate import BatchCheck
from skill.video.phase import resolve_videos

DEFAULT_THRESHOLD = 300
DEFAULT_SET_ADS = 500
MAX_SET_ADS = 500  # a creative and an ad each: Meta's 1,000 requests a set
DEFAULT_POLL_S = 2.0
ROUNDS = 3  # sets for the transient failures of the round before
FATAL = (TokenInvalid, AccountBlocked, WaitTooLong)


LIMITS = {"threshold": (1, None), "set_ads": (1, MAX_SET_ADS), "poll_s": (0, None)}


def options(settings: Settings) -> dict[str, float]:
    """``async_batches:`` in stack.md (``{threshold: 300, set_ads: 500, poll_s: 2}``), checked."""
    given = settings.stack.async_batches or {}
    out = {"threshold": DEFAULT_THRESHOLD, "set_ads": DEFAULT_SET_ADS, "poll_s": DEFAULT_POLL_S}
    for key, value in given.items():
        if key not in LIMITS:
            raise ConfigError(f"async_batches: unknown setting {key!r} (known: {', '.join(LIMITS)})",
                              file="brand/stack.md", field=f"async_batches.{key}")
        low, high = LIMITS[key]
        if value < low or (high is not None and value > high):
            raise ConfigError(f"async_batches.{key} must be at least {low}" + (f" and at most {high}" if high else ""),
                              file="brand/stack.md", field=f"async_batches.{key}")
        out[key] = value
    return out


def chosen(settings: Settings, batch: BatchCheck, mode: str = "auto") -> bool:
    """Whether this batch goes through async request sets: forced, or from the threshold on."""
    if mode in ("async", "sync"):
        return mode == "async"
    return len(batch.ads) >= options(settings)["threshold"]


def run_async(job: Any) -> None:
    """``Upload.run`` with the sending done by async request sets (``job``: a ``run.Upload``)."""
    AsyncSender(job).run()


def settle_sets(job: Any) -> None:
    """Before a synchronous run: when a marker says an async run was interrupted, wait for the sets
    it left before the look-up by name (one still running would create its ads after it)."""
    if markers(job.ledger.dir):
        wait_for_left_sets(job.ctx, sets.set_prefix(job.batch.config.campaign, job.batch.adset_id or ""),
                           float(options(job.settings)["poll_s"]))
        job.early = None  # its look-up went out before the wait: the survey reads the account again


class AsyncSender:
    """One upload's async phase: images, then one set after another, recorded as they finish."""

    def __init__(self, job: Any) -> None:
        self.job, self.ctx = job, job.ctx
        self.client, self.account = job.client, job.account
        opts = options(job.settings)
        self.per_set, self.poll_s = int(opts["set_ads"]), float(opts["poll_s"])
        self.prefix = sets.set_prefix(job.batch.config.campaign, job.batch.adset_id or "")
        self.image_errors: dict[str, GraphError] = {}

    def run(self) -> None:
        job, ctx = self.job, self.ctx
        candidates = job.candidates()
        pending = Pending(job)
        found = None
        if candidates:
            try:
                found = job.survey(candidates)  # a refusal of the pre-flight raises: nothing was written
                if wait_for_left_sets(ctx, self.prefix, self.poll_s):
                    found = job.survey(candidates)  # again: the earlier sets have created ads since
            except WaitTooLong as exc:
                ctx.halt(exc)
            try:
                pending = plan(job, candidates, found) if found is not None else pending
            except GraphError as exc:
                ctx.halt(exc)
        del candidates
        job.commit()  # the ads adopted from the account: their records now
        if pending and not ctx.fatal:
            self._resolve_videos(pending)
        if pending and not ctx.fatal:
            job._known_images(pending.works(), found)
        if pending and not ctx.fatal:
            self._upload_images(pending)
        self._send_rounds(pending)
        job.commit()
        for check in pending.checks:
            if check.index not in job.results:
                job._result(check, "not_run")
        job.progress.close()

    def _resolve_videos(self, pending: Pending) -> None:
        videos = [pending.work(c) for c in pending.checks if c.video_path is not None]
        for ad in resolve_videos(self.ctx, videos, self.job.ledger.dir / "videos") if videos else ():
            pending.remember(ad)

    # ------------------------------------------------------------ images

    def _upload_images(self, pending: Pending) -> None:
        try:
            self.image_errors = upload_images(self.client, self.account, pending.works(), self.job.images)
        except FATAL as exc:
            self.ctx.halt(exc)

    # ------------------------------------------------------------ sets of creatives and ads

    def _send_rounds(self, pending: Pending) -> None:
        job, ctx = self.job, self.ctx
        last: dict[int, GraphError] = {}
        for round_no in range(ROUNDS):
            runnable = [c for c in pending.checks if c.index not in job.results and ctx.may_run(c.index)]
            if not runnable:
                return
            if round_no:
                if not self._wait_before(round_no - 1, [last[c.index] for c in runnable if c.index in last]):
                    return
                pending = self._adopt_before_retry([pending.work(c) for c in runnable])
                runnable = pending.checks
            groups = list(_groups(runnable, self.per_set))
            retry = Pending(job)
            for number, group in enumerate(groups, 1):
                group = [c for c in group if ctx.may_run(c.index)]
                if not group or ctx.fatal:
                    break
                works = [pending.work(c) for c in group]
                works = [a for a in works if a.check.video_path is None or a.video is not None]
                for ad in self._run_set(works, f"{number}/{len(groups)}", last):
                    retry.add(ad)
            pending = retry
        for check in pending.checks:
            if check.index not in job.results and ctx.may_run(check.index):
                error = last.get(check.index) or GraphError("Meta kept failing this request")
                error.hint = error.hint or "re-run to resume"
                job.fail(pending.work(check), error)

    def _wait_before(self, attempt: int, errors: list[GraphError]) -> bool:
        """Before a round of sets for what failed transiently: as Meta asks after a rate limit,
        else exponential backoff. False when Meta asks for longer than ``max_wait`` (stopped)."""
        limited = [e for e in errors if isinstance(e, RateLimited)]
        error = max(limited, key=lambda e: e.retry_after_s or 0) if limited else (errors[0] if errors else None)
        max_wait = getattr(self.client, "max_wait_s", None)
        stop = wait_too_long(error, max_wait)
        if stop is not None:
            self.ctx.halt(stop)
            return False
        pacer = getattr(self.client, "pacer", None)
        delay = retry_delay(attempt, error, base_s=max(self.job.settings.retry_base_s, 0.0),
                            fit_s=pacer.fit_s() if pacer else None,
                            **({"cap_s": max_wait} if max_wait is not None else {}))
        self.ctx.report(Event("retry", f"  {len(errors)} requests failed for now ({describe(error)}); "
                                       + waiting_line(delay, attempt, ROUNDS - 1, error).strip(),
                              {"delay_s": delay, "count": len(errors)}))
        self.ctx.sleep(delay)
        return True

    def _adopt_before_retry(self, ads: list[AdWork]) -> Pending:
        """A transient failure says little: look the ads and creatives up by name before sending
        them again; what exists is recorded, never created twice. The ads still to send."""
        job, rest = self.job, Pending(self.job)
        try:
            found = find_by_name(self.client, f"{job.batch.adset_id}/ads", {a.full_name for a in ads}, AD_FIELDS,
                                 include_gone=False)
            creatives = find_by_name(self.client, f"{self.account}/adcreatives",
                                     {a.full_name for a in ads if a.entry.creative.id is None}, CREATIVE_FIELDS,
                                     include_gone=False)
        except GraphError as exc:  # cannot tell what exists: send nothing more (a re-run resumes)
            self.ctx.halt(exc)
            return rest
        for ad in ads:
            row = found.live.get(ad.full_name)
            ad.entry.creative.id = ad.entry.creative.id or creatives.id_of(ad.full_name)
            if row is None:
                rest.add(ad)
                continue
            ad.entry.ad.id = str(row["id"])
            ad.entry.creative.id = job.view.creative_id_of(row) or ad.entry.creative.id
            job.ledger.save(ad.entry)
            job.finalize(ad)
        job.commit()
        return rest

    def _run_set(self, group: list[AdWork], label: str, last: dict[int, GraphError]) -> list[AdWork]:
        """Send one set, wait for it, record it. The ads to try again in a later set."""
        items, ready = self._items(group)
        if not items:
            return []
        name = f"{self.prefix} {label} #{ready[0].index + 1}"
        set_id: str | None = None
        marker = mark(self.job.ledger.dir, name)  # a later run, either path, waits for this set
        try:
            set_id = sets.create_set(self.client, self.account, name, items)
            del items
            self._poll(set_id, f"set {label}")
        except KeyboardInterrupt:
            set_id = self._cancel(set_id, name, label)
            self._record(set_id, ready, last)
            _unmark(marker, True)  # cancelled and complete, or never created
            raise
        except GraphError as exc:
            self.ctx.halt(exc)
            if set_id is None:  # refused by Meta: no set; no answer at all: a later run asks
                _unmark(marker, exc.code is not None)
                return []
            return self._record(set_id, ready, last)  # what it did so far; it may still be running
        retry = self._record(set_id, ready, last)
        _unmark(marker, True)
        return retry

    def _items(self, group: list[AdWork]) -> tuple[list[dict[str, str]], list[AdWork]]:
        """The set's requests: each ad's creative (unless it exists), then the ad referring to it."""
        job, items, ready = self.job, [], []
        for ad in group:
            hashes = [ad.entry.images.get(m) or job.images.known.get(m) for m in ad.md5s]
            if not all(hashes):
                missing = next(m for m, h in zip(ad.md5s, hashes, strict=True) if not h)
                job.fail(ad, self.image_errors.get(missing) or GraphError("the image could not be uploaded"))
                continue
            for md5, found in zip(ad.md5s, hashes, strict=True):
                ad.entry.images[md5] = found
            creative_id = ad.entry.creative.id
            if creative_id is None:
                video = (ad.video.video_id, ad.video.thumbnail_hash) if ad.video else None
                body = creative_payload(job.settings, job.batch, ad.check, hashes, video)
                items.append(sets.item(f"c{ad.index}", f"{self.account}/adcreatives", body))
                creative_id = f"{{result=c{ad.index}:$.id}}"
            body = ad_payload(job.settings, job.batch, ad.check, creative_id)
            items.append(sets.item(f"a{ad.index}", f"{self.account}/ads", body))
            ready.append(ad)
        return items, ready

    def _poll(self, set_id: str, label: str) -> None:
        poll_until_done(self.ctx, self.client, set_id, label, self.poll_s)

    def _cancel(self, set_id: str | None, name: str, label: str) -> str | None:
        """Cancel the set (found by name when its id never came back) and wait until it is
        complete; its id, if there is a set."""
        if set_id is None:  # interrupted while sending: the set may exist all the same
            found = [s for s in sets.open_sets(self.client, self.account, name) if s.name == name]
            set_id = found[0].id if found else None
        if set_id is None:
            return None
        sets.cancel(self.client, set_id)
        status = sets.poll(self.client, set_id)
        self.ctx.report(Event("async_cancel", f"  Interrupted: cancelled async set {label} ({set_id}); "
                                              f"{status.canceled} requests not run, {status.success} done are "
                                              "recorded", {"set_id": set_id, "canceled": status.canceled}))
        if not status.completed:
            self._poll(set_id, f"set {label}")
        return set_id

    def _record(self, set_id: str | None, ready: list[AdWork], last: dict[int, GraphError]) -> list[AdWork]:
        """Read the set's results page by page into the ledger, then finish each ad."""
        if set_id is None:
            return []
        by_index = {a.index: a for a in ready}
        errors: dict[int, GraphError] = {}
        answered: set[int] = set()
        for row in sets.results(self.client, set_id):
            name = str((row.get("input") or {}).get("name") or "")
            ad = by_index.get(int(name[1:])) if name[1:].isdigit() else None
            if ad is None:
                continue
            status, kind = str(row.get("status") or "").upper(), name[0]
            if kind == "a" and status in ("SUCCESS", "ERROR", "CANCELED"):
                answered.add(ad.index)
            if status == "SUCCESS" and (new := sets.result_id(row.get("result"))):
                (ad.entry.creative if kind == "c" else ad.entry.ad).id = new
            elif status == "ERROR" and (kind == "c" or ad.index not in errors):
                errors[ad.index] = sets.item_error(row.get("result"))
        retry = [ad for ad in ready if self._finish(ad, ad.index in answered, errors.get(ad.index), last)]
        self.job.commit()  # the set's records, copy documents and assets.md rows: one fsync per file
        return retry

    def _finish(self, ad: AdWork, answered: bool, error: GraphError | None, last: dict[int, GraphError]) -> bool:
        """Record one ad; True when it should go into a later set."""
        job, entry = self.job, ad.entry
        if answered and entry.ad.id is None:  # failed or cancelled: certainly not created
            job.ledger.clear_intents(entry, creative=True, ad=True)
        job.ledger.save(entry)
        if entry.done:
            job.finalize(ad)
            return False
        if error is None:
            return False  # cancelled, or no answer read: a re-run looks it up
        last[ad.index] = error
        if isinstance(error, FATAL):
            self.ctx.halt(error)
            return False
        if should_retry(error):
            return True
        job.fail(ad, error)
        return False


def _groups(ads: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(ads), size):
        yield ads[start:start + size]


def _unmark(marker: Path, settled: bool) -> None:
    """The set is complete, or certainly never existed: its marker goes."""
    if settled:
        marker.unlink(missing_ok=True)
