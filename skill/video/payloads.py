"""The bodies the kit sends for a video ad, shared by the upload and the dry run.

- one headline and one body: ``object_story_spec.video_data`` (video id, thumbnail ``image_hash``,
  message, title, description, call to action with the landing page);
- several copy variants: ``asset_feed_spec`` with ``videos`` (``video_id``, ``thumbnail_hash``)
  and ``ad_formats: ["SINGLE_VIDEO"]``, so Meta mixes the variants as it does for images.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skill.models import AssetFeedSpec

VIDEO_FORMATS = ["SINGLE_VIDEO"]
PLACEHOLDER_VIDEO = "<video id from the upload above>"
PLACEHOLDER_THUMB = "<thumbnail hash>"


def video_creative_spec(spec: AssetFeedSpec, page_id: str | None, destination_url: str, video_id: str,
                        thumbnail_hash: str, feed: dict[str, Any]) -> dict[str, Any]:
    """``object_story_spec`` (and ``asset_feed_spec`` when the copy has variants) for a video.
    ``feed`` is the image ad's asset_feed_spec payload, reused for the variants."""
    if len(spec.bodies) <= 1 and len(spec.titles) <= 1:
        data: dict[str, Any] = {"video_id": video_id, "image_hash": thumbnail_hash}
        if spec.bodies:
            data["message"] = spec.bodies[0].text
        if spec.titles:
            data["title"] = spec.titles[0].text
        if spec.descriptions:
            data["link_description"] = spec.descriptions[0].text
        ctas = spec.cta_types()
        if ctas:
            data["call_to_action"] = {"type": ctas[0], "value": {"link": destination_url}}
        return {"object_story_spec": {"page_id": page_id, "video_data": data}}
    variants = {k: v for k, v in feed.items() if k != "images"}
    variants["videos"] = [{"video_id": video_id, "thumbnail_hash": thumbnail_hash}]
    variants["ad_formats"] = list(VIDEO_FORMATS)
    return {"object_story_spec": {"page_id": page_id}, "asset_feed_spec": variants}


def upload_calls(account: str, path: Path, size: int, title: str) -> list[tuple[str, dict[str, Any]]]:
    """The three phases as the dry run shows them (the chunk count depends on Meta's answers)."""
    edge = f"/{account}/advideos"
    return [
        (edge, {"upload_phase": "start", "file_size": size}),
        (edge, {"upload_phase": "transfer", "upload_session_id": "<from start>", "start_offset": 0,
                "video_file_chunk": f"<bytes of {path.name} from start_offset to end_offset, repeated "
                                    "at each offset Meta returns>"}),
        (edge, {"upload_phase": "finish", "upload_session_id": "<from start>", "title": title}),
    ]
