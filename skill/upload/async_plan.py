"""The async path's plan: which ads to send, held compactly from the look-up to the last set.

The synchronous ``Upload.plan`` keeps an ``AdWork`` and a pydantic ledger entry per ad for the
whole run (~2.4 KB an ad): at 5,000 ads that is much of what made the client's memory grow with
the batch. Here each ad is decided the same way (``Upload._settled``), a chunk at a time, and
only what a set needs later is kept: the ad's check (validation holds it anyway) and, for the
few ads whose ledger entry is not a fresh one (an interrupted run's ids or intents, an adopted
creative, a video), that entry as JSON. Each set builds its ``AdWork``s again and drops them once
its results are recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from skill.upload.adopt import Survey
from skill.upload.ledger import AdLedger
from skill.upload.payloads import ad_name
from skill.upload.work import AdWork
from skill.validate import AdCheck

CHUNK = 500  # ads decided, and their records written, at a time


class Pending:
    """The ads still to send, in batch order, with as little as it takes to build each one's
    ``AdWork`` again (``job``: a ``run.Upload``)."""

    def __init__(self, job: Any, checks: Iterable[AdCheck] = ()) -> None:
        self.job = job
        self.checks: list[AdCheck] = list(checks)
        self._kept: dict[int, tuple[str | None, frozenset[str], Any]] = {}  # index → (entry JSON, adopted, video)

    def __len__(self) -> int:
        return len(self.checks)

    def add(self, ad: AdWork) -> None:
        self.checks.append(ad.check)
        self.remember(ad)

    def remember(self, ad: AdWork) -> None:
        """Keep what differs from a fresh ``AdWork`` of this ad (nothing, most of the time)."""
        saved = None if ad.entry == self._fresh_entry(ad.check, ad.full_name) else ad.entry.model_dump_json()
        if saved is None and not ad.adopted and ad.video is None:
            self._kept.pop(ad.index, None)
        else:
            self._kept[ad.index] = (saved, frozenset(ad.adopted), ad.video)

    def work(self, check: AdCheck) -> AdWork:
        """The ad's ``AdWork``, as it was when last remembered."""
        job = self.job
        full_name = ad_name(job.settings, job.batch, check)
        saved, adopted, video = self._kept.get(check.index, (None, frozenset(), None))
        entry = AdLedger.model_validate_json(saved) if saved else self._fresh_entry(check, full_name)
        return AdWork(check, full_name, [job.md5_of[p] for p in check.image_paths], entry, adopted=set(adopted),
                      video=video)

    def works(self) -> Iterable[AdWork]:
        """Every ad's ``AdWork``, built as it is iterated (never all held at once)."""
        return _Works(self)

    def _fresh_entry(self, check: AdCheck, full_name: str) -> AdLedger:
        job = self.job
        return AdLedger(stem=check.entry.stem, ad_name=full_name, account=job.account,
                        adset_id=job.batch.adset_id or "")


class _Works:
    def __init__(self, pending: Pending) -> None:
        self.pending = pending

    def __iter__(self) -> Iterator[AdWork]:
        return (self.pending.work(c) for c in list(self.pending.checks))


def plan(job: Any, candidates: list[AdCheck], found: Survey) -> Pending:
    """``Upload.plan`` for the async path: adopt what the account holds (records written a chunk
    at a time), reuse creatives found by name, and return the ads to send."""
    pending = Pending(job)
    ledger = job.ledger
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start:start + CHUNK]
        for check in chunk:  # the survey's names are dropped as they are used: the plan keeps none
            full_name = job.names.pop(check.index, None) or ad_name(job.settings, job.batch, check)
            entry = ledger.load(check.entry.stem, full_name, job.account, job.batch.adset_id or "")
            ad = AdWork(check, full_name, [job.md5_of[p] for p in check.image_paths], entry)
            if not job._settled(ad):
                pending.add(ad)
        job.commit()  # this chunk's adopted ads: their records (and copy documents) now
    job.names = {}  # emptied by popping, its table was not (a dict never shrinks): let it go
    _adopt_creatives(job, pending, found)
    ledger.settled_inflight()  # what killed runs' calls may have made is now settled
    return pending


def _adopt_creatives(job: Any, pending: Pending, found: Survey) -> None:
    """Creatives of ads still to create, found by name in the account: reused, never remade
    (``Upload._adopt_creatives`` over the compact plan)."""
    need = {ad.full_name for ad in pending.works() if ad.entry.creative.id is None}
    if not need:
        return
    found.creatives(job.client, job.account, need)
    del need
    for ad in pending.works():
        if job.adopt_creative(ad):
            job.ledger.save(ad.entry)
            pending.remember(ad)
