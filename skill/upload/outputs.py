"""What an upload leaves for the user, written a batch of ads at a time.

Each created (or adopted) ad gets its ``{stem}.upload.json`` record, its row in
``brand/assets.md`` and, if missing, its ``{stem}.md`` copy document. They are queued as the
ads finish and written together when a batch's answers are in (``flush``):

- every row in one append and one fsync (``assets.md`` is read once per run, not per ad): the
  batch's durable receipt, naming each ad's creative and ad ids (flushes that wait for that
  fsync take every ad queued meanwhile: calls answered together share one);
- the copy documents (atomic; derived from the spec, written again when missing);
- the records, each atomic (temp file + rename), last: a record is what marks an ad as done.

So a batch of 25 ads costs one fsync, where writing ad by ad cost five or six per ad under one
process-wide lock. The copy documents, which depend on the spec alone, can be written ahead
(``prewrite``), while the calls are in flight; ``flush`` then skips them. Nothing is ever torn: a killed process leaves each file whole (the rename is
atomic and the page cache outlives the process). A run killed (or a machine that lost power)
between an ad's creation and its record loses nothing either: the next run finds the ad by name
in the account, adopts it and writes the record then; its assets.md row is not added twice.
"""

from __future__ import annotations

import threading
from pathlib import Path

from skill.copy.doc import copy_doc_path, render_copy_doc
from skill.fileio import write_text_atomic
from skill.models import UploadRecord
from skill.records import append_assets, asset_ad_ids, record_path, write_record
from skill.validate import AdCheck, BatchCheck


class Outputs:
    """Queued outputs of finished ads; ``flush`` writes them. Thread-safe."""

    def __init__(self, assets_md: Path, batch: BatchCheck) -> None:
        self.assets_md = assets_md
        self.batch = batch
        self.campaign_dir = batch.config_path.parent.parent
        self._queue: list[tuple[AdCheck, UploadRecord]] = []
        self._lock = threading.Lock()  # the queue
        self._assets_lock = threading.Lock()  # assets.md and the ids it holds
        self._known: set[str] | None = None
        self._prewritten: set[str] = set()  # stems whose copy document ``prewrite`` took on

    def add(self, check: AdCheck, record: UploadRecord) -> None:
        with self._lock:
            self._queue.append((check, record))

    def flush(self) -> list[tuple[AdCheck, UploadRecord, Path]]:
        """Write every queued ad's files; returns them (check, record, record path), in queue order."""
        with self._assets_lock:  # taken first: calls answered meanwhile share the next flush's fsync
            with self._lock:
                done, self._queue = self._queue, []
            if not done:
                return []
            if self._known is None:
                self._known = asset_ad_ids(self.assets_md)
            append_assets(self.assets_md, [record for _, record in done], self._known)
        for check, _ in done:
            with self._lock:
                ahead = check.entry.stem in self._prewritten
            if not ahead:
                self._write_copy_doc(check)
        out = []
        for check, record in done:
            path = record_path(check.spec_path)
            write_record(path, record, durable=False)
            out.append((check, record, path))
        return out

    def prewrite(self, checks: list[AdCheck]) -> None:
        """Write these ads' missing copy documents now, ahead of their creation (they depend on the
        spec alone); ``flush`` will not write them again. Thread-safe."""
        with self._lock:
            self._prewritten.update(c.entry.stem for c in checks)
        for check in checks:
            self._write_copy_doc(check)

    def _write_copy_doc(self, check: AdCheck) -> None:
        doc = copy_doc_path(check.spec_path)
        if check.spec is None or doc.exists():
            return
        names = [str(p.relative_to(self.campaign_dir)) if p.is_relative_to(self.campaign_dir) else p.name
                 for p in check.image_paths or [check.video_path or check.spec_path]]
        placed = check.entry.kind == "placements"
        image = f"{names[0]} (Feed), {names[1]} (Stories, Reels)" if placed else names[0]
        write_text_atomic(doc, render_copy_doc(
            check.spec, title=check.entry.stem, campaign=self.batch.config.campaign, image=image,
            images=1 if placed else len(check.image_paths) or 1, destination=self.batch.destination_url),
            durable=False)
