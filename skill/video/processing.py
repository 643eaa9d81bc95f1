"""After the upload: wait until Meta has processed the video (``status.video_status`` = ``ready``).

``GET /{video_id}?fields=status`` until ``ready``; ``processing_progress`` is reported as it
moves; ``error`` raises :class:`VideoProcessingFailed` with Meta's own message
(``processing_phase.errors[].message``); past the timeout it raises too, and a re-run picks the
same video up again (it is found by title, never uploaded twice).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from skill.errors import GraphError
from skill.events import Event, Reporter, silent
from skill.video.upload import video_status

POLL_INTERVAL_S = 3.0  # the official SDK's interval when it waits after an upload
FIRST_WAIT_S = 0.5  # then doubling up to the interval: short videos are often ready at once
TIMEOUT_S = 600.0  # the SDK's AdVideo.waitUntilEncodingReady default


class VideoProcessingFailed(GraphError):
    """Meta could not process the video (``unusable``: that video will never be ready), or did
    not finish in time."""

    unusable = True


def processing_error(status: dict[str, Any]) -> str:
    """Meta's message for a failed video, from whichever phase reports it."""
    for phase in ("processing_phase", "uploading_phase", "publishing_phase"):
        for err in (status.get(phase) or {}).get("errors") or []:
            if isinstance(err, dict) and err.get("message"):
                return str(err["message"])
    return "no reason given"


def wait_ready(client: Any, video_id: str, *, interval_s: float = POLL_INTERVAL_S, timeout_s: float = TIMEOUT_S,
               sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
               report: Reporter = silent) -> dict[str, Any]:
    """Poll until ready (waits of 0.5 s, 1 s, 2 s … up to ``interval_s``); returns the last
    ``status``. Raises VideoProcessingFailed."""
    deadline = clock() + timeout_s
    last, polls = None, 0
    while True:
        status = video_status(client, video_id)
        state = status.get("video_status")
        if state == "ready":
            return status
        if state == "error":
            raise VideoProcessingFailed(f"Meta could not process video {video_id}: {processing_error(status)}",
                                        hint="fix or re-encode the file (H.264 + AAC in MP4), then re-run")
        if state not in ("processing", "uploading", None):
            raise VideoProcessingFailed(f"video {video_id} is {state}", hint="re-run to upload it again")
        progress = status.get("processing_progress")
        if progress != last:
            last = progress
            report(Event("video_processing", f"  … Meta is processing the video ({progress or 0}%)",
                         {"video_id": video_id, "progress": progress}))
        if clock() >= deadline:
            late = VideoProcessingFailed(f"video {video_id} still processing after {timeout_s:.0f} s",
                                         hint="re-run later: the video is on the account and is not sent again")
            late.unusable = False
            raise late
        sleep(min(interval_s, FIRST_WAIT_S * 2 ** polls))
        polls += 1
