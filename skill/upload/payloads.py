"""The exact bodies the kit POSTs to Meta for one ad. Shared by the dry run and the upload,
so what a dry run shows is what an upload sends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from skill.models import AssetFeedSpec
from skill.settings import Settings
from skill.validate import AdCheck, BatchCheck
from skill.video.payloads import video_creative_spec

DEFAULT_AD_FORMATS = ["SINGLE_IMAGE"]
BINARY_PLACEHOLDER = "<binary data>"


def image_payload(path: Path) -> dict[str, Any]:
    """What goes to ``/act_…/adimages`` (the bytes themselves go as a multipart part)."""
    return {"filename": path.name, "source": BINARY_PLACEHOLDER}


def feed_spec_payload(spec: AssetFeedSpec, hashes: list[str], destination_url: str) -> dict[str, Any]:
    """The asset_feed_spec Meta gets: the copy, the uploaded images by hash, the landing page."""
    display = next((c.value.link_caption for c in spec.call_to_actions if c.value and c.value.link_caption), None)
    link: dict[str, Any] = {"website_url": destination_url}
    if spec.link_urls:
        link = spec.link_urls[0].model_dump(exclude_none=True, exclude=set(spec.link_urls[0].model_extra or {}))
    elif display:
        link["display_url"] = display
    payload: dict[str, Any] = {
        "images": [{"hash": h} for h in hashes],
        "bodies": [{"text": b.text} for b in spec.bodies],
        "titles": [{"text": t.text} for t in spec.titles],
        "link_urls": [link],
        "call_to_action_types": spec.cta_types(),
        "ad_formats": list(spec.ad_formats) or list(DEFAULT_AD_FORMATS),
    }
    if spec.descriptions:
        payload["descriptions"] = [{"text": d.text} for d in spec.descriptions]
    return payload


def creative_payload(settings: Settings, batch: BatchCheck, ad: AdCheck, hashes: list[str],
                     video: tuple[str, str] | None = None) -> dict[str, Any]:
    """``video``: (video id, thumbnail hash) for a video ad (see skill/video/payloads.py)."""
    assert ad.spec is not None, "creative_payload needs a validated spec"
    feed = feed_spec_payload(ad.spec, hashes, batch.destination_url or "")
    if video is not None:
        return {"name": settings.ad_name(batch.config.campaign, ad.name),
                **video_creative_spec(ad.spec, batch.page_id, batch.destination_url or "", *video, feed)}
    return {
        "name": settings.ad_name(batch.config.campaign, ad.name),
        "object_story_spec": {"page_id": batch.page_id},
        "asset_feed_spec": feed,
    }


def ad_payload(settings: Settings, batch: BatchCheck, ad: AdCheck, creative_id: str) -> dict[str, Any]:
    """Every ad is created PAUSED: nothing here can make it ACTIVE."""
    return {
        "name": settings.ad_name(batch.config.campaign, ad.name),
        "adset_id": batch.adset_id,
        "creative": {"creative_id": creative_id},
        "status": "PAUSED",
    }


def display_caption(url: str) -> str:
    """``https://www.yoursite.com/lp`` → ``yoursite.com``, as Meta shows under a link."""
    host = urlparse(url).netloc
    return host.removeprefix("www.") if host else url
