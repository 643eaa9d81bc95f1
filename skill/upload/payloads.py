"""The exact bodies the kit POSTs to Meta for one ad. Shared by the dry run and the upload,
so what a dry run shows is what an upload sends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from skill.creative.advantage import dof_spec
from skill.creative.formats import (
    DEFAULT_AD_FORMATS,
    creative_fields,
    feed_spec_payload,
    name_fields,
)
from skill.settings import Settings
from skill.validate import AdCheck, BatchCheck
from skill.video.payloads import video_creative_spec

__all__ = ["DEFAULT_AD_FORMATS", "ad_name", "ad_payload", "creative_payload", "display_caption", "feed_spec_payload",
           "image_payload"]
BINARY_PLACEHOLDER = "<binary data>"


def image_payload(path: Path) -> dict[str, Any]:
    """What goes to ``/act_…/adimages`` (the bytes themselves go as a multipart part)."""
    return {"filename": path.name, "source": BINARY_PLACEHOLDER}


def ad_name(settings: Settings, batch: BatchCheck, ad: AdCheck) -> str:
    """The ad's (and its creative's) name from the template: what the account is searched by."""
    return settings.ad_name(batch.config.campaign, ad.name, **name_fields(batch.config, ad.entry))


def creative_payload(settings: Settings, batch: BatchCheck, ad: AdCheck, hashes: list[str],
                     video: tuple[str, str] | None = None, *, name: str | None = None) -> dict[str, Any]:
    """The creative for the ad's format (see ``skill/creative/formats.py``); ``video``: (video id,
    thumbnail hash) for a video ad (see skill/video/payloads.py). ``name``: ``ad_name``, when the
    caller has it already."""
    assert ad.spec is not None, "creative_payload needs a validated spec"
    name = name or ad_name(settings, batch, ad)
    if video is not None:
        feed = feed_spec_payload(ad.spec, hashes, batch.destination_url or "")
        dof = dof_spec(settings.stack.advantage_creative)
        return {"name": name,
                **video_creative_spec(ad.spec, batch.page_id, batch.destination_url or "", *video, feed),
                **({"degrees_of_freedom_spec": dof} if dof else {})}
    return {
        "name": name,
        **creative_fields(ad.entry.kind, ad.spec, hashes, batch.page_id, batch.destination_url or "",
                          settings.stack.advantage_creative),
    }


def ad_payload(settings: Settings, batch: BatchCheck, ad: AdCheck, creative_id: str, *,
               name: str | None = None) -> dict[str, Any]:
    """Every ad is created PAUSED: nothing here can make it ACTIVE."""
    return {
        "name": name or ad_name(settings, batch, ad),
        "adset_id": batch.adset_id,
        "creative": {"creative_id": creative_id},
        "status": "PAUSED",
    }


def display_caption(url: str) -> str:
    """``https://www.yoursite.com/lp`` → ``yoursite.com``, as Meta shows under a link."""
    host = urlparse(url).netloc
    return host.removeprefix("www.") if host else url
