"""The exactly-once memory of an upload: one ledger file per ad, and a lock per campaign.

Before each write to Meta the upload records an *intent* here; when the answer comes back it
records the *result* (the image hash, the creative id, the ad id). Every write of a ledger
file is atomic (temp file + rename), so a run killed at any instant leaves either the old
state or the new one. On the next run an intent without a result means "maybe done":
the upload looks the object up by name (or hash) and adopts it before creating anything.

Durability: the ledger is the kit's memory of the account, not the truth. Every run reads the
ad set's ads (deleted ones too) and the creatives by name, and the images by hash, before it
creates anything, and adopts what it finds; so a ledger entry that is older than the account
(or missing) costs a look-up, never a duplicate. Its writes are therefore atomic but not
fsync'd: a killed process leaves them whole (the page cache outlives it); after a power loss an
entry may be an older one, which the next run's look-up corrects. Once an ad is created its
``{stem}.upload.json`` record says so (the ledger is not written again for it), and the batch's
rows in ``brand/assets.md`` are fsync'd together, once per batch (``skill/upload/outputs.py``).

Files, under the campaign's ``ads/`` folder (git-ignored):

- ``.ledger/{stem}.json``: one :class:`AdLedger` per ad
- ``.ledger/inflight-{pid}-{n}.json``: the intents of the ads a batch call is sending now, in one
  file per call (not one per ad), fsync'd before the call is sent; removed once the call's
  answers are recorded. A run killed
  mid-call leaves it: the next run merges its intents into those ads' ledgers, settles them by
  looking the ads up, then removes it.
- ``.upload.lock``: an OS lock on it says someone is uploading this campaign now; its text says who
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from skill.fileio import write_json_atomic
from skill.records import now_iso
from skill.upload.lock import LOCK_NAME, CampaignLock

__all__ = ["LEDGER_DIR", "LOCK_NAME", "AdLedger", "CampaignLock", "Ledger", "Step"]

LEDGER_DIR = ".ledger"
LEDGER_VERSION = 1
INFLIGHT = "inflight-"


class Step(BaseModel):
    """One write: ``intent_at`` is set before it is sent, ``id`` once its result is known."""

    intent_at: str | None = None
    id: str | None = None

    @property
    def unclear(self) -> bool:
        """Sent (maybe), answer never recorded: look it up before doing it again."""
        return self.intent_at is not None and self.id is None


class AdLedger(BaseModel):
    """Everything already done (or maybe done) for one ad on one ad account and ad set."""

    version: int = LEDGER_VERSION
    stem: str
    ad_name: str
    account: str
    adset_id: str
    images: dict[str, str] = {}  # md5 of the file → Meta's hash
    image_intents: dict[str, str] = {}  # md5 → when an upload was sent with no answer yet
    creative: Step = Step()
    ad: Step = Step()
    updated_at: str | None = None

    @property
    def done(self) -> bool:
        return self.ad.id is not None

    @property
    def unclear(self) -> bool:
        return bool(self.image_intents) or self.creative.unclear or self.ad.unclear

    def matches(self, ad_name: str, account: str, adset_id: str) -> bool:
        return (self.ad_name, self.account, self.adset_id) == (ad_name, account, adset_id)


class Ledger:
    """The ledger files of one campaign. Parallel batches share one instance (each ad's file is
    written by the one batch that holds the ad)."""

    def __init__(self, ads_dir: Path) -> None:
        self.dir = ads_dir / LEDGER_DIR
        self._inflight: dict[str, dict[str, Any]] | None = None  # stem → intents left by killed runs
        self._inflight_files: list[Path] = []

    def path(self, stem: str) -> Path:
        return self.dir / f"{stem}.json"

    def load(self, stem: str, ad_name: str, account: str, adset_id: str) -> AdLedger:
        """The ad's ledger; a fresh one if none exists, it is unreadable, or it is for another
        ad name / account / ad set (what was done there says nothing about this upload)."""
        fresh = AdLedger(stem=stem, ad_name=ad_name, account=account, adset_id=adset_id)
        try:
            entry = AdLedger.model_validate_json(self.path(stem).read_bytes())
        except (OSError, ValidationError, ValueError):  # none yet, or hand-edited (writes are atomic)
            entry = fresh
        entry = entry if entry.matches(ad_name, account, adset_id) else fresh
        self._merge_inflight(entry)
        return entry

    # -- in-flight calls: one file of intents per batch call

    def has_inflight(self) -> bool:
        self._read_inflight()
        return bool(self._inflight)

    def _read_inflight(self) -> None:
        if self._inflight is not None:
            return
        self._inflight = {}
        for path in sorted(self.dir.glob(f"{INFLIGHT}*.json")) if self.dir.is_dir() else []:
            try:
                data = json.loads(path.read_bytes())
            except (OSError, ValueError):
                continue
            self._inflight_files.append(path)
            for stem, intents in (data if isinstance(data, dict) else {}).items():
                if isinstance(intents, dict):
                    self._inflight.setdefault(stem, {}).update(intents)

    def _merge_inflight(self, entry: AdLedger) -> None:
        """A killed run's call may have made these: mark them unclear (a look-up settles them)."""
        self._read_inflight()
        found = (self._inflight or {}).get(entry.stem)
        if not found or (found.get("ad_name"), found.get("account"), found.get("adset_id")) != (
                entry.ad_name, entry.account, entry.adset_id):
            return
        for md5 in found.get("images") or []:
            if md5 not in entry.images:
                entry.image_intents.setdefault(str(md5), str(found.get("at")))
        if found.get("creative") and entry.creative.id is None:
            entry.creative.intent_at = entry.creative.intent_at or str(found.get("at"))
        if found.get("ad") and entry.ad.id is None:
            entry.ad.intent_at = entry.ad.intent_at or str(found.get("at"))

    def settled_inflight(self) -> None:
        """The intents read from killed runs' files are settled (or saved per ad): remove the files."""
        for path in self._inflight_files:
            path.unlink(missing_ok=True)
        self._inflight_files = []

    def intend_call(self, key: str, intents: list[tuple[AdLedger, list[str], bool, bool]]) -> Path:
        """Record that a call is about to send these writes (entry, image md5s, creative?, ad?):
        in memory, and in one in-flight file for the whole call. Returns the file."""
        stamp = now_iso()
        record: dict[str, Any] = {}
        for entry, images, creative, ad in intents:
            _mark(entry, stamp, images, creative, ad)
            record[entry.stem] = {"ad_name": entry.ad_name, "account": entry.account, "adset_id": entry.adset_id,
                                  "at": stamp, "images": sorted(entry.image_intents),
                                  "creative": entry.creative.unclear, "ad": entry.ad.unclear}
        path = self.dir / f"{INFLIGHT}{os.getpid()}-{key}.json"
        write_json_atomic(path, record)  # the one fsync before the call goes out
        return path

    def fresh(self, entry: AdLedger) -> AdLedger:
        """A new ledger for the same ad (its old one described an ad deleted in the account)."""
        new = AdLedger(stem=entry.stem, ad_name=entry.ad_name, account=entry.account, adset_id=entry.adset_id,
                       images=dict(entry.images))
        self.save(new)
        return new

    def save(self, entry: AdLedger) -> None:
        """Atomic, not fsync'd (see the module's note). One file per ad, each ad in one batch at a
        time: no lock needed."""
        entry.updated_at = now_iso()
        write_json_atomic(self.path(entry.stem), entry.model_dump(mode="json"), durable=False)

    # -- the transitions, each saved before the caller goes on

    def intend(self, entry: AdLedger, *, images: list[str] = (), creative: bool = False, ad: bool = False) -> None:
        """Record that these writes are about to be sent."""
        _mark(entry, now_iso(), images, creative, ad)
        self.save(entry)

    def record_image(self, entry: AdLedger, md5: str, image_hash: str) -> None:
        entry.images[md5] = image_hash
        entry.image_intents.pop(md5, None)

    def clear_intents(self, entry: AdLedger, *, images: list[str] = (), creative: bool = False,
                      ad: bool = False) -> None:
        """The write certainly did not happen (Meta refused it, or a look-up found nothing)."""
        for md5 in images:
            entry.image_intents.pop(md5, None)
        if creative and entry.creative.id is None:
            entry.creative.intent_at = None
        if ad and entry.ad.id is None:
            entry.ad.intent_at = None


def _mark(entry: AdLedger, stamp: str, images: Any, creative: bool, ad: bool) -> None:
    """Note in memory that these writes are about to be sent (the caller makes it durable)."""
    for md5 in images:
        entry.image_intents.setdefault(md5, stamp)
    if creative and entry.creative.id is None:
        entry.creative.intent_at = stamp
    if ad and entry.ad.id is None:
        entry.ad.intent_at = stamp
