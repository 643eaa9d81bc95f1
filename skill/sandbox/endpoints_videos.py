"""``/act_{id}/advideos``: Meta's chunked (resumable) video upload, processing and thumbnails.

The protocol the official SDK speaks (``video_uploader.py``), all ``POST act_{id}/advideos``:

- ``upload_phase=start, file_size=N`` → ``{upload_session_id, video_id, start_offset, end_offset}``
  (offsets as strings, as Meta sends them). The server picks the chunk size: ``end_offset -
  start_offset`` (``video_chunk_bytes``, default 4 MiB).
- ``upload_phase=transfer, upload_session_id, start_offset`` + a ``video_file_chunk`` file part
  → the next ``{start_offset, end_offset}``. A chunk at another offset or of another length is
  error 6001 / subcode 1363037 with the expected offsets in ``error_data``, as Meta answers.
- ``upload_phase=finish, upload_session_id, title`` → ``{"success": true}``; processing starts.

Processing takes a while, counted in reads, not seconds: each ``GET /{video_id}?fields=status`` moves
``status.processing_progress`` on, and after ``video_processing_polls`` reads the video is
``ready`` (or ``error`` with Meta's message, when ``video_processing_error`` is set or the bytes
do not start like an MP4/MOV container). ``GET /{video_id}/thumbnails`` lists thumbnails once
ready. Sessions opened before ``video_sessions_expired_before`` (a Unix time) are expired.
The sandbox keeps the counts, not the bytes: ``video_chunks`` and ``video_bytes`` in the
request counters say what arrived, duplicates included.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import ApiError, invalid_param, missing_param
from skill.sandbox.objects import listing
from skill.sandbox.request import Request, int_param, require, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

CODE_UPLOAD = 6001               # Meta: "There was a problem uploading your video" family
SUB_BAD_CHUNK = 1363037          # Meta: wrong offset / chunk; error_data carries the expected offsets
SUB_SESSION_EXPIRED = 1363040    # sandbox: upload session expired (Meta's number not confirmed)
SUB_SESSION_UNKNOWN = 1363041    # sandbox: no such upload session (Meta's number not confirmed)
SUB_VIDEO_NOT_READY = 1885252    # sandbox: creative names a video that is not ready
SUB_MISSING_THUMB = 1885253      # sandbox: video_data without image_hash / image_url
PROCESSING_ERROR_CODE = 1363008  # sandbox: code inside status.processing_phase.errors
UNSUPPORTED_FORMAT = ("The video file you selected is in a format that we don't support. "
                      "Please try again with a MP4 or MOV file.")
CONTAINER_TAGS = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
MAX_FILE_SIZE = 10 * 1024 ** 3
THUMB_CDN = "https://scontent.sandbox.fbcdn.example/v/t15.5256-10"


# ---------------------------------------------------------------- POST act_/advideos


def upload(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    phase = str_param(req.params, "upload_phase")
    if phase == "start":
        return _start(api, req, account)
    if phase == "transfer":
        return _transfer(api, req, account)
    if phase == "finish":
        return _finish(api, req, account)
    if phase is None:
        raise invalid_param("Unsupported Upload", "The sandbox takes videos in chunks only: upload_phase=start, "
                            "transfer, finish (a single-request `source` upload is not covered).")
    raise invalid_param("Invalid upload_phase", f"upload_phase {phase!r} must be one of start, transfer, finish.")


def _start(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    size = int_param(req.params, "file_size", 0)
    if size <= 0:
        raise missing_param("file_size")
    if size > MAX_FILE_SIZE:
        raise invalid_param("File Too Large", f"file_size {size} is over the {MAX_FILE_SIZE} byte limit.")
    video_id = api.state.new_id("video")
    session_id = api.state.new_id("video_session")
    now = time.time()
    api.state.add("videos", {"id": video_id, "account_id": account["account_id"], "title": None,
                             "file_size": size, "session_id": session_id, "phase": "uploading", "polls": 0,
                             "created_time": now_iso(now), "updated_time": now_iso(now)})
    chunk = max(1, int(api.config.video_chunk_bytes))
    api.state.add("video_sessions", {"id": session_id, "video_id": video_id, "account_id": account["account_id"],
                                     "file_size": size, "next_offset": 0, "chunk": chunk, "head": "",
                                     "opened_at": now, "state": "open"})
    api.counts["video_sessions"] += 1
    return {"upload_session_id": session_id, "video_id": video_id, "start_offset": "0",
            "end_offset": str(min(chunk, size))}


def _session(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    session_id = str(require(req.params, "upload_session_id"))
    session = api.state["video_sessions"].get(session_id)
    if session is None or session["account_id"] != account["account_id"]:
        raise ApiError("Invalid upload session", CODE_UPLOAD, SUB_SESSION_UNKNOWN, "Error Uploading Video",
                       f"Upload session {session_id} does not exist for this ad account. Start a new upload.")
    if is_expired(api, session):
        raise ApiError("The upload session has expired", CODE_UPLOAD, SUB_SESSION_EXPIRED, "Upload Session Expired",
                       "This upload session has expired. Start the upload again with upload_phase=start.")
    return session


def is_expired(api: Api, session: dict[str, Any]) -> bool:
    cutoff = api.config.video_sessions_expired_before
    return session["state"] == "open" and cutoff is not None and session["opened_at"] < float(cutoff)


def _expected(session: dict[str, Any]) -> tuple[int, int]:
    start = session["next_offset"]
    return start, min(start + session["chunk"], session["file_size"])


def bad_chunk(session: dict[str, Any]) -> ApiError:
    start, end = _expected(session)
    return ApiError("There was a problem uploading your video. Please try again.", CODE_UPLOAD, SUB_BAD_CHUNK,
                    "Error Uploading Video", "There was a problem uploading your video. Please try again.",
                    error_data={"start_offset": str(start), "end_offset": str(end)})


def _transfer(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    session = _session(api, req, account)
    part = next((f for f in req.files if f.field == "video_file_chunk"), None)
    if part is None:
        raise missing_param("video_file_chunk")
    api.counts["video_chunks"] += 1
    api.counts["video_bytes"] += len(part.data)
    offset = int_param(req.params, "start_offset", -1)
    start, end = _expected(session)
    if offset != start or len(part.data) != end - start or start >= session["file_size"]:
        raise bad_chunk(session)
    if start == 0:
        session["head"] = part.data[:16].hex()
    session["next_offset"] = end
    api.state.dirty = True
    start, end = _expected(session)
    return {"start_offset": str(start), "end_offset": str(end)}


def _finish(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    session = _session(api, req, account)
    if session["state"] == "finished":  # a finish whose answer was lost, sent again
        return {"success": True}
    if session["next_offset"] != session["file_size"]:
        raise bad_chunk(session)
    video = api.state["videos"][session["video_id"]]
    session["state"] = "finished"
    video.update(title=str_param(req.params, "title") or video["title"], phase="processing",
                 updated_time=now_iso(time.time()))
    head = bytes.fromhex(session["head"])
    failure = api.config.video_processing_error
    if failure is None and head[4:8] not in CONTAINER_TAGS:
        failure = UNSUPPORTED_FORMAT
    video["failure"] = failure
    api.state.dirty = True
    return {"success": True}


# ---------------------------------------------------------------- reads


def video_view(api: Api, video: dict[str, Any], *, advance: bool) -> dict[str, Any]:
    """The video as Meta shows it; a read during processing moves processing on by one step."""
    if advance and video["phase"] == "processing":
        video["polls"] += 1
        if video["polls"] >= max(1, int(api.config.video_processing_polls)):
            video["phase"] = "error" if video.get("failure") else "ready"
        api.state.dirty = True
    session = api.state["video_sessions"].get(video["session_id"], {})
    out = {k: v for k, v in video.items() if k not in ("phase", "polls", "failure", "session_id", "file_size")}
    out["status"] = _status(api, video, session)
    if video["phase"] == "ready":
        out["picture"] = f"{THUMB_CDN}/{video['id']}_1.jpg"
        out["length"] = None
    return out


def _status(api: Api, video: dict[str, Any], session: dict[str, Any]) -> dict[str, Any]:
    phase, size = video["phase"], video["file_size"]
    sent = session.get("next_offset", size)
    uploading = {"status": "complete" if phase != "uploading" else "in_progress",
                 "bytes_transferred": sent, "source_file_size": size}
    processing: dict[str, Any] = {"status": {"uploading": "not_started", "processing": "in_progress",
                                             "ready": "complete", "error": "error"}[phase]}
    steps = max(1, int(api.config.video_processing_polls))
    progress = {"uploading": 0, "processing": min(99, video["polls"] * 100 // steps), "ready": 100,
                "error": 0}[phase]
    video_status = {"uploading": "processing", "processing": "processing", "ready": "ready",
                    "error": "error"}[phase]
    if phase == "uploading" and session and is_expired(api, session):
        video_status, uploading["status"] = "expired", "error"
    if phase == "error":
        processing["errors"] = [{"code": PROCESSING_ERROR_CODE, "message": video.get("failure")}]
    return {"video_status": video_status, "processing_progress": progress, "uploading_phase": uploading,
            "processing_phase": processing}


def list_videos(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    """``GET act_/advideos``: the account's videos (title, status …), paged; uploads never finished
    have no title yet."""
    rows = [video_view(api, v, advance=False) for v in api.state["videos"].values()
            if v["account_id"] == account["account_id"]]
    return listing(api, req, "videos", rows)


def thumbnails(api: Api, req: Request, collection: str, video: dict[str, Any]) -> dict[str, Any]:
    """``GET /{video_id}/thumbnails``: Meta's picks once the video is ready, none before."""
    if video["phase"] != "ready":
        return {"data": []}
    rows = [{"id": f"{video['id']}{i}", "height": 720, "width": 720, "is_preferred": i == 0, "name": f"thumb{i}",
             "scale": 1, "uri": f"{THUMB_CDN}/{video['id']}_{i}.jpg"} for i in range(3)]
    return {"data": rows}


# ---------------------------------------------------------------- creatives


def check_video_ids(api: Api, account: dict[str, Any], video_ids: list[Any], where: str) -> None:
    """A creative may only name a video of this account that finished processing."""
    for video_id in video_ids:
        video = api.state["videos"].get(str(video_id))
        if video is None or video["account_id"] != account["account_id"]:
            raise invalid_param("Video Not Found", f"{where}: video {video_id!r} was not found in ad account "
                                f"{account['id']}. Upload it first and use the id it returns.", SUB_VIDEO_NOT_READY)
        if video["phase"] != "ready":
            raise invalid_param("Video Not Ready", f"{where}: video {video_id} is not ready yet (status "
                                f"{_status(api, video, {})['video_status']}). Wait until "
                                "status.video_status is ready.", SUB_VIDEO_NOT_READY)


def check_video_data(api: Api, account: dict[str, Any], story: dict[str, Any]) -> None:
    from skill.sandbox.endpoints_creatives import check_cta, check_hashes

    data = story.get("video_data")
    if not isinstance(data, dict) or not data.get("video_id"):
        raise missing_param("object_story_spec.video_data.video_id")
    check_video_ids(api, account, [data["video_id"]], "object_story_spec.video_data.video_id")
    if data.get("image_hash"):
        check_hashes(api, account, [data["image_hash"]], "object_story_spec.video_data.image_hash")
    elif not data.get("image_url"):
        raise invalid_param("Missing Thumbnail", "object_story_spec.video_data needs a thumbnail: image_hash or "
                            "image_url.", SUB_MISSING_THUMB)
    cta = (data.get("call_to_action") or {}).get("type")
    if cta:
        check_cta(cta, "object_story_spec.video_data.call_to_action.type")


def check_feed_videos(api: Api, account: dict[str, Any], feed: dict[str, Any]) -> None:
    from skill.sandbox.endpoints_creatives import check_hashes

    for i, item in enumerate(feed.get("videos") or []):
        if not isinstance(item, dict) or not item.get("video_id"):
            raise missing_param(f"asset_feed_spec.videos[{i}].video_id")
        check_video_ids(api, account, [item["video_id"]], f"asset_feed_spec.videos[{i}].video_id")
        if item.get("thumbnail_hash"):
            check_hashes(api, account, [item["thumbnail_hash"]], f"asset_feed_spec.videos[{i}].thumbnail_hash")
