"""Meta's resumable video upload on ``/act_{id}/advideos``: start → transfer → finish.

- **start** (``file_size``) opens an upload session: ``upload_session_id``, ``video_id`` and the
  first chunk's ``start_offset`` / ``end_offset``. Meta picks the chunk size.
- **transfer** sends ``video_file_chunk`` = the bytes from ``start_offset`` to ``end_offset``;
  the answer names the next chunk. After every answer the session and offsets are written to the
  :class:`~skill.video.store.VideoStore` (atomically), so a killed or failed run resumes from the
  last chunk Meta acknowledged, in the same session. A chunk Meta did not expect (error 1363037)
  carries the offsets it wants in ``error_data``: the upload moves there, as the official SDK
  does, within a budget of one retry per 10 MB (at least 2) between two acknowledged chunks. A
  lost answer re-sends that chunk (Meta then says 1363037 with the right offsets if it had
  arrived): one chunk twice per lost answer, never more.
- An **expired** session (``status.video_status`` = ``expired``) starts over, once.
- **finish** (``upload_session_id``, ``title``) hands the video to processing. The title ends
  with ``kit:<sha256 prefix>`` so the same file is found on the account and never sent twice.

On Meta the three phases go to ``graph-video.facebook.com``; any other Graph URL (the sandbox)
takes them itself.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from skill.errors import GraphConnectionError, GraphError, InvalidParameter
from skill.events import Event, Reporter, silent
from skill.video.store import VideoStore, title_tag

SUB_BAD_CHUNK = 1363037
BYTES_PER_RETRY = 10 * 1024 * 1024
META_GRAPH_HOST = "graph.facebook.com"
META_VIDEO_URL = "https://graph-video.facebook.com"
UNUSABLE = {"error", "expired"}
FINISH_ATTEMPTS = 3
UPLOAD_TIMEOUT_S = 300.0  # per chunk: Meta picks the chunk size, the user's uplink may be slow


def video_client(client: Any) -> Any:
    """The client for upload phases: the same session, on Meta's video host when talking to Meta,
    with a timeout a chunk on a slow uplink can live with. Never closed (it shares the session)."""
    other = copy.copy(client)
    if urlsplit(getattr(client, "base_url", "")).netloc == META_GRAPH_HOST:
        other.base_url = META_VIDEO_URL
    if isinstance(getattr(client, "timeout", None), int | float):
        other.timeout = max(client.timeout, UPLOAD_TIMEOUT_S)
    return other


def find_uploaded(client: Any, account: str, sha256: str) -> dict[str, Any] | None:
    """A video of this account whose title carries the file's tag (ready ones first), or None."""
    tag = title_tag(sha256)
    found = [row for row in client.paginate(f"{account}/advideos", {"fields": "id,title,status", "limit": 500})
             if str(row.get("title") or "").endswith(tag)
             and (row.get("status") or {}).get("video_status") not in UNUSABLE]
    found.sort(key=lambda r: (r.get("status") or {}).get("video_status") != "ready")
    return found[0] if found else None


def video_status(client: Any, video_id: str) -> dict[str, Any]:
    node = client.get(video_id, {"fields": "status"})
    return (node or {}).get("status") or {}


class ChunkedUpload:
    """One file to one ad account, resumable. ``run()`` returns the video id once finished."""

    def __init__(self, client: Any, account: str, path: Path, *, key: str, title: str, store: VideoStore,
                 report: Reporter = silent) -> None:
        self.client, self.upload_client = client, video_client(client)
        self.account, self.path, self.key, self.title = account, path, key, title
        self.store, self.report = store, report
        self.size = path.stat().st_size
        self.sent = 0  # bytes this run put on the wire (duplicates included)

    def run(self) -> str:
        rec = self.store.get(self.key)
        if rec and rec.get("state") == "finished":
            return str(rec["video_id"])
        restarted = False
        if rec and rec.get("size") == self.size and self._expired(rec):
            rec, restarted = self._restart("the upload session expired or is gone"), True
        elif rec and rec.get("size") == self.size:
            self.report(Event("video_resume", f"  ↻ Resuming the upload at byte {rec['start']:,} of {self.size:,}",
                              {"video_id": rec["video_id"], "offset": rec["start"]}))
        else:
            rec = self._start()
        while True:
            try:
                self._transfer(rec)
                break
            except GraphError:
                if restarted or not self._expired(rec):
                    raise
                rec, restarted = self._restart("the upload session expired or is gone"), True
        if not self._finished_already(rec):
            self._finish(rec)
        return str(rec["video_id"])

    # ------------------------------------------------------------ phases

    def _post(self, data: dict[str, Any], files: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.upload_client.post(f"{self.account}/advideos", data, files)
        return answer if isinstance(answer, dict) else {}

    def _start(self) -> dict[str, Any]:
        answer = self._post({"upload_phase": "start", "file_size": self.size})
        if not answer.get("video_id") or not answer.get("upload_session_id"):
            raise GraphError(f"unexpected answer to upload_phase=start: {sorted(answer)}",
                             hint="re-run; if it persists, upload the video in Ads Manager")
        start, end = _offsets(answer, "start")
        rec = {"video_id": str(answer["video_id"]), "session_id": str(answer["upload_session_id"]),
               "start": start, "end": end, "size": self.size, "state": "uploading", "title": self.title}
        self.store.put(self.key, rec)
        self.report(Event("video_start", f"  ↑ Uploading {self.path.name} ({self.size:,} bytes, video "
                                         f"{rec['video_id']})", {"video_id": rec["video_id"], "bytes": self.size}))
        return rec

    def _restart(self, why: str) -> dict[str, Any]:
        self.report(Event("video_restart", f"  ↻ {why}: starting the upload again", {}))
        self.store.drop(self.key)
        return self._start()

    def _expired(self, rec: dict[str, Any]) -> bool:
        """The session cannot go on: Meta says ``expired``, or the video no longer exists."""
        try:
            return video_status(self.client, rec["video_id"]).get("video_status") == "expired"
        except InvalidParameter:  # 100: no such object (another account, deleted)
            return True
        except GraphError:
            return False

    def _transfer(self, rec: dict[str, Any]) -> None:
        full = budget = max(self.size / BYTES_PER_RETRY, 2)  # the SDK's; here renewed by each acknowledged chunk
        with self.path.open("rb") as fh:
            while rec["start"] != rec["end"]:
                fh.seek(rec["start"])
                chunk = fh.read(rec["end"] - rec["start"])
                self.sent += len(chunk)
                try:
                    answer = self._post({"upload_phase": "transfer", "upload_session_id": rec["session_id"],
                                         "start_offset": rec["start"]},
                                        {"video_file_chunk": (self.path.name, chunk, "application/octet-stream")})
                except GraphError as exc:
                    wanted = _expected_offsets(exc)
                    if budget <= 0 or (wanted is None and not isinstance(exc, GraphConnectionError)):
                        raise
                    budget -= 1
                    if wanted is not None:
                        rec["start"], rec["end"] = wanted
                        self.store.put(self.key, rec)
                    continue
                rec["start"], rec["end"] = _offsets(answer, "transfer")
                self.store.put(self.key, rec)
                self._progress(rec["start"])
                budget = full

    def _progress(self, done: int) -> None:
        pct = 100.0 * done / self.size if self.size else 100.0
        self.report(Event("video_progress", f"    {done:,} / {self.size:,} bytes ({pct:.0f}%)",
                          {"bytes": done, "total": self.size, "percent": round(pct, 1)}))

    def _finished_already(self, rec: dict[str, Any]) -> bool:
        """A run killed after ``finish`` was answered but before it was saved: the video already
        carries its title (titles are set by finish), so finish is not sent twice."""
        if rec.get("state") == "finished" or self.sent != 0:
            return False
        node = self.client.get(rec["video_id"], {"fields": "title"}) or {}
        if node.get("title") != self.title:
            return False
        rec["state"] = "finished"
        self.store.put(self.key, rec)
        return True

    def _finish(self, rec: dict[str, Any]) -> None:
        """A finish whose answer was lost is sent again (the sandbox answers success for a finished
        session; what Meta answers to a second finish is not documented)."""
        body = {"upload_phase": "finish", "upload_session_id": rec["session_id"], "title": self.title}
        for attempt in range(FINISH_ATTEMPTS):
            try:
                self._post(body)
                break
            except GraphConnectionError:
                if attempt == FINISH_ATTEMPTS - 1:
                    raise
        rec["state"] = "finished"
        self.store.put(self.key, rec)


def _offsets(answer: dict[str, Any], phase: str) -> tuple[int, int]:
    """``start_offset`` / ``end_offset`` of an answer (Meta sends them as strings)."""
    try:
        start, end = int(answer["start_offset"]), int(answer["end_offset"])
    except (KeyError, TypeError, ValueError):
        raise GraphError(f"unexpected answer to upload_phase={phase}: {sorted(answer)}",
                         hint="re-run: the upload resumes from the last acknowledged chunk") from None
    if not 0 <= start <= end:
        raise GraphError(f"Meta asked for the bytes {start}-{end}, which makes no sense",
                         hint="re-run: the upload resumes from the last acknowledged chunk")
    return start, end


def _expected_offsets(exc: GraphError) -> tuple[int, int] | None:
    """Meta's 1363037 says which chunk it wants in ``error_data``."""
    data = exc.error_data if isinstance(exc.error_data, dict) else {}
    if exc.subcode != SUB_BAD_CHUNK or "start_offset" not in data:
        return None
    try:
        return int(data["start_offset"]), int(data.get("end_offset", data["start_offset"]))
    except (TypeError, ValueError):
        return None
