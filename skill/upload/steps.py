"""One Graph batch of up to 25 ads: image → creative → PAUSED ad, in as few HTTP calls as possible.

A :class:`BatchRunner` repeats rounds until every ad of its batch is created, has failed for
good, or the run stops. Each round:

1. **Reconcile** (``upload_reconcile.py``): any step whose outcome is unclear is looked up on
   Meta and adopted or cleared. Nothing is ever created while its state is unclear.
2. **Send** (``upload_plan.py``): intents go to the ledger (atomically), then one batch call
   carries every missing step of every ready ad, each referring to the one before.
3. **Record**: results go to the ledger; a definite refusal clears the intent; a ``null``
   entry, a transient error or a lost response keeps it (so the next round looks it up).

Retry rounds wait as Meta asks after a rate limit (else exponential backoff) and give up on an
ad only after several rounds in a row taught nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skill.creative.outcomes import is_image_hash_error
from skill.errors import AccountBlocked, GraphError, RateLimited, TokenInvalid, WaitTooLong
from skill.events import Event
from skill.graph.retry import describe, retry_delay, should_retry, wait_too_long, waiting_line
from skill.upload.graph_ops import Entry, send_batch
from skill.upload.payloads import ad_payload, creative_payload
from skill.upload.plan import Plan, Step, is_definite, ok, ref
from skill.upload.reconcile import reconcile
from skill.upload.work import AdWork, RunContext

MAX_ADS_PER_BATCH = 25  # creative + ad each: 50 operations, Meta's most per call
MAX_OPS_PER_BATCH = 50
MAX_ROUNDS = 40
MAX_STALLED = 8  # rounds in a row without any answer before an ad is given up
FATAL = (TokenInvalid, AccountBlocked, WaitTooLong)


def split_batches(ads: list[AdWork], known: dict[str, str]) -> list[list[AdWork]]:
    """Consecutive groups of ≤25 ads and ≤50 operations (each unknown image counted once)."""
    groups: list[list[AdWork]] = []
    current: list[AdWork] = []
    seen: set[str] = set()
    ops = 0
    for ad in ads:
        new = {m for m in ad.md5s if m not in known}
        need = len(new - seen) + 2
        if current and (len(current) >= MAX_ADS_PER_BATCH or ops + need > MAX_OPS_PER_BATCH):
            groups.append(current)
            current, seen, ops = [], set(), 0
            need = len(new) + 2
        current.append(ad)
        seen |= new
        ops += need
    if current:
        groups.append(current)
    return groups


def is_retryable(error: GraphError | None) -> bool:
    """The Graph layer's policy; a lost answer (no code at all) is worth another round too."""
    if error is None or (error.code is None and not isinstance(error, FATAL)):
        return True
    return should_retry(error)


class BatchRunner:
    """Runs one batch of ads to the end: created, failed, or stopped."""

    def __init__(self, ctx: RunContext, number: int, ads: list[AdWork]) -> None:
        self.ctx = ctx
        self.number = number
        self.ads = ads
        self.last_error: dict[int, GraphError | None] = {}
        self.answers = 0
        self.waited_for_limit = False  # the last wait was for a rate limit: say so when the retry works
        self.inflight: Path | None = None  # the in-flight file of the last call sent

    def _commit(self, final: bool = False) -> None:
        """Queue the finished ads' records (written while the next call is in flight), then settle
        the in-flight file: once every answer is recorded (created ads have their records, the rest
        their ledger files) it has told all it can, and it goes after those records. While a step
        is unclear it stays (a look-up settles it), unless the batch is over (``final``): open
        intents then go to each ad's own ledger file."""
        path = self.inflight
        if path is None or (not final and any(a.entry.unclear for a in self.ads if a.state == "pending")):
            self.ctx.commit()
            return
        for ad in self.ads:
            if ad.state != "created" and ad.entry.unclear:
                self.ctx.ledger.save(ad.entry)
        self.ctx.commit(then=lambda: path.unlink(missing_ok=True))
        self.inflight = None

    def run(self) -> None:
        try:
            stalled = 0
            for _ in range(MAX_ROUNDS):
                pending = [a for a in self.ads if a.state == "pending" and self.ctx.may_run(a.index)]
                if not pending or stalled >= MAX_STALLED:
                    break
                self._wait(stalled, pending)
                before = self._progress()
                self.answers += reconcile(self.ctx, pending, self._call)
                for ad in pending:
                    if ad.entry.done:
                        self.ctx.finalize(ad)
                ready = [a for a in pending if a.state == "pending" and not a.entry.unclear]
                if ready:
                    self._send(ready)
                self._commit()
                helped = self._progress() > before
                if helped and self.waited_for_limit:
                    self.ctx.report(Event("retry_ok", "✓ Retry successful"))
                self.waited_for_limit = self.waited_for_limit and not helped
                stalled = 0 if helped else stalled + 1
            for ad in self.ads:
                if ad.state == "pending" and self.ctx.may_run(ad.index):
                    self.ctx.fail(ad, _gave_up(self.last_error.get(ad.index)))
        finally:
            self._commit(final=True)
            self.ctx.images.finish(self.number)

    def _progress(self) -> int:
        """Answers so far plus ads finished: grows whenever a round taught us something."""
        return self.answers + sum(a.state != "pending" for a in self.ads)

    def _wait(self, stalled: int, pending: list[AdWork]) -> None:
        """Before a retry: Meta's estimate after a rate limit, else exponential backoff while
        rounds teach nothing; no wait on the first round or after a round that helped."""
        limited = [e for e in (self.last_error.get(a.index) for a in pending) if isinstance(e, RateLimited)]
        if not limited and not stalled:
            return
        attempt = max(stalled, 1) - 1
        error = max(limited, key=lambda e: e.retry_after_s or 0) if limited else None
        max_wait = getattr(self.ctx.client, "max_wait_s", None)
        stop = wait_too_long(error, max_wait)
        if stop is not None:
            self.ctx.halt(stop)
            return
        cap = {"cap_s": max_wait} if max_wait is not None else {}
        pacer = getattr(self.ctx.client, "pacer", None)
        delay = retry_delay(attempt, error, base_s=max(self.ctx.settings.retry_base_s, 0.0),
                            fit_s=pacer.fit_s() if pacer else None, **cap)
        if error is not None:
            data = {"code": error.code, "delay_s": delay}
            self.ctx.report(Event("rate_limited", f"{self._label(pending)} - {describe(error)}", data))
            self.ctx.report(Event("retry", waiting_line(delay, attempt, MAX_STALLED, error), data))
            self.waited_for_limit = True
        self.ctx.sleep(delay)

    def _label(self, ads: list[AdWork]) -> str:
        """``[2/10] receipt``: the first ad a call holds up."""
        first = min(ads, key=lambda a: a.index)
        return f"[{first.index + 1}/{len(self.ctx.batch.ads)}] {first.check.entry.stem}"

    # ------------------------------------------------------------ send and record

    def _send(self, ads: list[AdWork]) -> None:
        ctx = self.ctx
        plan = Plan(ctx.account, chain=not ctx.keep_going)
        intents: list[tuple[Any, list[str], bool, bool]] = []
        for ad in ads:
            step, hashes, first = Step(), [], True
            for md5, path in zip(ad.md5s, ad.paths, strict=True):
                known = ad.entry.images.get(md5) or ctx.images.claim(md5, self.number, ctx.stop)
                if known:
                    ad.entry.images[md5] = known
                    hashes.append(known)
                    continue
                index, added = plan.image(md5, path, first)
                first = first and not added
                step.images.append((md5, index))
                hashes.append(ref(plan.ops[index].name, "$.images.*.hash"))
            creative_id = ad.entry.creative.id
            if creative_id is None:
                video = (ad.video.video_id, ad.video.thumbnail_hash) if ad.video else None
                body = creative_payload(ctx.settings, ctx.batch, ad.check, hashes, video, name=ad.full_name)
                step.creative = plan.creative(ad.index, body, [i for _, i in step.images], first)
                creative_id, first = ref(plan.ops[step.creative].name, "$.id"), False
            body = ad_payload(ctx.settings, ctx.batch, ad.check, creative_id, name=ad.full_name)
            step.ad = plan.ad(ad.index, body, step.creative, first)
            plan.steps[ad.index] = step
            intents.append((ad.entry, [m for m, _ in step.images], step.creative is not None, True))
        self.inflight = ctx.ledger.intend_call(str(self.number), intents)
        results = self._call(plan.ops, ads, plan.files)
        if results is None:
            return
        for md5, index in plan.image_op.items():
            found = image_hash(results[index])
            if found:
                ctx.images.learn(md5, found, uploaded=True)
        for ad in ads:
            self._record(ad, plan, results)

    def _record(self, ad: AdWork, plan: Plan, results: list[Entry | None]) -> None:
        ctx, entry, step = self.ctx, ad.entry, plan.steps[ad.index]
        for i in step.indexes():
            result = results[i]
            if ok(result) or (result is not None and is_definite(result.error)) or plan.not_run(i, results):
                self.answers += 1
        for md5, i in step.images:
            found = image_hash(results[i])
            if found:
                ctx.ledger.record_image(entry, md5, found)
            elif _refused(plan, i, results):
                ctx.ledger.clear_intents(entry, images=[md5])
        if step.creative is not None:
            if _new_id(results[step.creative]):
                entry.creative.id = _new_id(results[step.creative])
            elif _refused(plan, step.creative, results):
                ctx.ledger.clear_intents(entry, creative=True)
        if _new_id(results[step.ad]):
            entry.ad.id = _new_id(results[step.ad])
        elif _refused(plan, step.ad, results):
            ctx.ledger.clear_intents(entry, ad=True)
        if entry.done:
            ctx.finalize(ad)  # its record says so: the ledger keeps the intent (a look-up settles it)
            return
        ctx.ledger.save(entry)
        cause = next((c for c in (plan.cause(i, results) for i in step.indexes()) if c is not None), None)
        if cause is None or cause.chained:
            return  # an earlier ad of the call failed: retried next round, or not run if paused
        self.last_error[ad.index] = cause.error
        if isinstance(cause.error, FATAL):
            ctx.halt(cause.error)
        elif is_image_hash_error(cause.error) and not ad.image_retried:
            self._upload_again(ad)
        elif not is_retryable(cause.error):
            ctx.fail(ad, cause.error)

    def _upload_again(self, ad: AdWork) -> None:
        """Meta lost the image (missing or expired hash): upload it again next round, once per ad."""
        ad.image_retried = True
        for md5 in ad.md5s:
            ad.entry.images.pop(md5, None)
            self.ctx.images.forget(md5)
        self.ctx.ledger.save(ad.entry)

    def _call(self, ops: list[Any], ads: list[AdWork], files: dict[str, Any] | None = None) -> list[Entry | None] | None:
        """One batch call; ``None`` when it got no usable answer (every step stays as it was)."""
        labelled = getattr(self.ctx.client, "labelled", None)
        try:
            if labelled is not None and ads:
                with labelled(self._label(ads)):
                    return send_batch(self.ctx.client, ops, files)
            return send_batch(self.ctx.client, ops, files)
        except FATAL as exc:
            self.ctx.halt(exc)
        except GraphError as exc:
            for ad in ads:
                self.last_error[ad.index] = exc
            if not is_retryable(exc):
                for ad in ads:
                    self.ctx.ledger.clear_intents(ad.entry, images=list(ad.entry.image_intents),
                                                  creative=True, ad=True)
                    self.ctx.ledger.save(ad.entry)
                    self.ctx.fail(ad, exc)
        return None


def _refused(plan: Plan, i: int, results: list[Entry | None]) -> bool:
    """Certainly not done: Meta refused it, or it was not run because a dependency failed."""
    result = results[i]
    return plan.not_run(i, results) or (result is not None and not result.ok and is_definite(result.error))


def _new_id(result: Entry | None) -> str | None:
    if ok(result) and isinstance(result.data, dict) and result.data.get("id"):
        return str(result.data["id"])
    return None


def image_hash(result: Entry | None) -> str | None:
    """The hash in an ``adimages`` answer: ``{"images": {"file.jpg": {"hash": …}}}``."""
    if not ok(result) or not isinstance(result.data, dict):
        return None
    for item in (result.data.get("images") or {}).values():
        if isinstance(item, dict) and item.get("hash"):
            return str(item["hash"])
    return None


def _gave_up(error: GraphError | None) -> GraphError:
    error = error or GraphError("no answer from Meta")
    error.hint = error.hint or f"Meta kept failing after {MAX_STALLED} attempts; re-run to resume"
    return error
