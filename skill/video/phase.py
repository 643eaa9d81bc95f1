"""The batch upload's video phase: before any creative, every video ad gets a ready video id and a
thumbnail hash. Each distinct file goes to an ad account once:

1. the local store says it finished → that video id;
2. else the account is asked (``GET act_/advideos``, by the title tag ``kit:<sha256>``) → adopt it;
3. else a resumable chunked upload (``upload.py``), resumed if an earlier run was cut off.

Then the kit waits until Meta has processed it (``processing.py``). The thumbnail is the ad's
``thumbnail_path`` image, else the video's middle frame (PyAV); it goes to ``adimages`` only if
the account does not hold it yet (by md5, as images are). A video that fails stops its ads
(and, unless ``--keep-going``, the ads after them), as a failed image upload does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.errors import AccountBlocked, GraphError, InvalidParameter, TokenInvalid
from skill.events import Event
from skill.upload.graph_ops import lookup_known_images
from skill.upload.work import AdWork, RunContext
from skill.video.processing import POLL_INTERVAL_S, TIMEOUT_S, VideoProcessingFailed, wait_ready
from skill.video.store import VideoStore, file_sha256, title_tag, video_title
from skill.video.upload import ChunkedUpload, find_uploaded

FATAL = (TokenInvalid, AccountBlocked)


@dataclass
class VideoRef:
    """What a video ad's creative needs: the ready video and its thumbnail on the account."""

    video_id: str
    thumbnail_hash: str
    title: str
    reused: bool = False  # found on the account (or the store) instead of uploaded by this run

    def lines(self, data: dict[str, Any]) -> list[Event]:
        note = " - already in the ad account" if self.reused else ""
        return [Event("video", f"✓ Video uploaded (ID: {self.video_id}){note}", {**data, "video_id": self.video_id}),
                Event("thumbnail", f"✓ Thumbnail uploaded (hash: {self.thumbnail_hash[:8]}...)",
                      {**data, "hash": self.thumbnail_hash})]


def resolve_videos(ctx: RunContext, todo: list[AdWork], store_dir: Path) -> list[AdWork]:
    """Give each video ad of ``todo`` its :class:`VideoRef`; failed ads are failed on ``ctx``.
    Returns the ads still to send."""
    videos = [ad for ad in todo if ad.check.video_path is not None]
    if not videos:
        return todo
    phase = _Phase(ctx, VideoStore(store_dir))
    for ad in videos:
        if ctx.fatal is not None or not ctx.may_run(ad.index):
            continue
        try:
            ad.video = phase.resolve(ad)
        except GraphError as exc:
            if isinstance(exc, FATAL):
                ctx.halt(exc)
            else:
                ctx.fail(ad, exc)
    return [ad for ad in todo if ad.state == "pending" and (ad.check.video_path is None or ad.video)]


def _still_there(client: Any, video_id: str, sha: str) -> bool:
    """The stored video still exists on the account and is this file (its title carries the tag)."""
    try:
        node = client.get(video_id, {"fields": "id,title"}) or {}
    except InvalidParameter:
        return False
    return str(node.get("title") or "").endswith(title_tag(sha))


class _Phase:
    def __init__(self, ctx: RunContext, store: VideoStore) -> None:
        self.ctx, self.store = ctx, store
        self.ready: dict[str, tuple[str, bool]] = {}  # sha256 → (video id, reused)
        self.thumbs: dict[str, str] = {}  # md5 of the thumbnail → Meta's hash

    def resolve(self, ad: AdWork) -> VideoRef:
        path = ad.check.video_path
        assert path is not None
        sha = file_sha256(path)
        title = video_title(path, sha)
        if sha not in self.ready:
            self.ready[sha] = self._video(ad, path, sha, title)
        video_id, reused = self.ready[sha]
        return VideoRef(video_id, self._thumbnail(ad, path), title, reused)

    def _video(self, ad: AdWork, path: Path, sha: str, title: str) -> tuple[str, bool]:
        ctx = self.ctx
        key = f"{ctx.account}:{sha}"
        info = ad.check.video
        ctx.report(Event("video_file", f"▶ Video {path.name}" + (f" ({info.summary()})" if info else ""),
                         {"ad": ad.check.name, "file": str(path)}))
        rec = self.store.get(key)
        if rec and rec.get("state") == "finished" and not _still_there(ctx.client, str(rec["video_id"]), sha):
            self.store.drop(key)  # the store is a cache: the account no longer has that video
            rec = None
        found = None if rec else find_uploaded(ctx.client, ctx.account, sha)
        if found:
            video_id, reused = str(found["id"]), True
            self.store.put(key, {"video_id": video_id, "state": "finished", "title": title})
            ctx.report(Event("video_found", f"  ✓ Already in the ad account (video {video_id}): not uploaded again",
                             {"video_id": video_id}))
        else:
            reused = bool(rec and rec.get("state") == "finished")
            video_id = ChunkedUpload(ctx.client, ctx.account, path, key=key, title=title, store=self.store,
                                     report=ctx.report).run()
        interval = min(POLL_INTERVAL_S, max(ctx.settings.retry_base_s, 0.0))
        try:
            wait_ready(ctx.client, video_id, interval_s=interval, timeout_s=TIMEOUT_S, sleep=ctx.sleep,
                       report=ctx.report)
        except VideoProcessingFailed as exc:
            if exc.unusable:  # never usable: the next run uploads the (fixed) file again
                self.store.drop(key)
            raise
        ctx.report(Event("video_ready", f"  ✓ Video ready (ID: {video_id})", {"video_id": video_id}))
        return video_id, reused

    def _thumbnail(self, ad: AdWork, path: Path) -> str:
        check = ad.check
        if check.thumbnail_path is not None:
            data, name = check.thumbnail_path.read_bytes(), check.thumbnail_path.name
        else:
            from skill.video.probe import thumbnail_jpeg

            data, name = thumbnail_jpeg(path), f"{path.stem}-thumbnail.jpg"
        md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()  # Meta names an image by its md5
        if md5 not in self.thumbs:
            image_hash = md5
            if md5 not in set(lookup_known_images(self.ctx.client, self.ctx.account, [md5])):
                answer = self.ctx.client.post(f"{self.ctx.account}/adimages", files={"source": (name, data)})
                images = (answer or {}).get("images") or {}
                image_hash = next((str(v["hash"]) for v in images.values() if isinstance(v, dict) and v.get("hash")),
                                  md5)
            self.thumbs[md5] = image_hash
        return self.thumbs[md5]
