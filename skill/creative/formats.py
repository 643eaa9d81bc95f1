"""The creative each kind of ad gets, and the ad's name fields.

- ``dynamic`` (default): ``asset_feed_spec`` with every copy variant; Meta mixes and tests them.
- ``single_image``: ``object_story_spec.link_data``: one image hash, the landing page, the first
  body (``message``), headline (``name``) and description, and the CTA.
- ``placements``: ``asset_feed_spec`` with two labelled images and ``asset_customization_rules``:
  the 9:16 image in Stories and Reels, the 1:1 or 4:5 image in Feed.

Advantage+ creative enhancements (``degrees_of_freedom_spec``) are added to any kind when
brand/stack.md turns them on. The dry run and the upload both call :func:`creative_fields`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from skill.creative.advantage import dof_spec
from skill.creative.placements import FEED_LABEL, STORIES_LABEL, customization_rules
from skill.models import AdEntry, AssetFeedSpec, BatchConfig

DEFAULT_AD_FORMATS = ["SINGLE_IMAGE"]


def name_fields(config: BatchConfig, entry: AdEntry) -> dict[str, str | None]:
    """Values for the name template's fields other than campaign and name."""
    return {
        "date": config.date or datetime.now(UTC).strftime("%Y-%m-%d"),
        "variant": entry.variant,
        "audience": entry.audience or config.audience,
        "format": entry.kind,
    }


def link_for(spec: AssetFeedSpec, destination_url: str) -> dict[str, Any]:
    display = next((c.value.link_caption for c in spec.call_to_actions if c.value and c.value.link_caption), None)
    if spec.link_urls:
        first = spec.link_urls[0]
        return first.model_dump(exclude_none=True, exclude=set(first.model_extra or {}))
    link: dict[str, Any] = {"website_url": destination_url}
    if display:
        link["display_url"] = display
    return link


def feed_spec_payload(spec: AssetFeedSpec, hashes: list[str], destination_url: str) -> dict[str, Any]:
    """The asset_feed_spec Meta gets: the copy, the uploaded images by hash, the landing page."""
    payload: dict[str, Any] = {
        "images": [{"hash": h} for h in hashes],
        "bodies": [{"text": b.text} for b in spec.bodies],
        "titles": [{"text": t.text} for t in spec.titles],
        "link_urls": [link_for(spec, destination_url)],
        "call_to_action_types": spec.cta_types(),
        "ad_formats": list(spec.ad_formats) or list(DEFAULT_AD_FORMATS),
    }
    if spec.descriptions:
        payload["descriptions"] = [{"text": d.text} for d in spec.descriptions]
    return payload


def placements_payload(spec: AssetFeedSpec, hashes: list[str], destination_url: str) -> dict[str, Any]:
    """Feed image + Stories/Reels image, labelled, with the rules that place them."""
    payload = feed_spec_payload(spec, [], destination_url)
    payload["images"] = [{"hash": hashes[0], "adlabels": [{"name": FEED_LABEL}]},
                         {"hash": hashes[1], "adlabels": [{"name": STORIES_LABEL}]}]
    payload["ad_formats"] = list(DEFAULT_AD_FORMATS)
    payload["asset_customization_rules"] = customization_rules()
    payload["optimization_type"] = "PLACEMENT"
    return payload


def link_data(spec: AssetFeedSpec, image_hash: str, destination_url: str) -> dict[str, Any]:
    """A single-image link ad: the first of each copy field."""
    link = link_for(spec, destination_url)["website_url"]
    data: dict[str, Any] = {"image_hash": image_hash, "link": link}
    if spec.bodies:
        data["message"] = spec.bodies[0].text
    if spec.titles:
        data["name"] = spec.titles[0].text
    if spec.descriptions:
        data["description"] = spec.descriptions[0].text
    ctas = spec.cta_types()
    if ctas:
        data["call_to_action"] = {"type": ctas[0], "value": {"link": link}}
    return data


def creative_fields(kind: str, spec: AssetFeedSpec, hashes: list[str], page_id: str | None,
                    destination_url: str, advantage: Any = None) -> dict[str, Any]:
    """``object_story_spec`` / ``asset_feed_spec`` / ``degrees_of_freedom_spec`` for one ad."""
    story: dict[str, Any] = {"page_id": page_id}
    fields: dict[str, Any] = {"object_story_spec": story}
    if kind == "single_image":
        story["link_data"] = link_data(spec, hashes[0], destination_url)
    elif kind == "placements":
        fields["asset_feed_spec"] = placements_payload(spec, hashes, destination_url)
    else:
        fields["asset_feed_spec"] = feed_spec_payload(spec, hashes, destination_url)
    dof = dof_spec(advantage)
    if dof:
        fields["degrees_of_freedom_spec"] = dof
    return fields


def placement_copy_problem(kind: str, spec: AssetFeedSpec) -> str | None:
    """Meta's placement customization takes one link description."""
    if kind == "placements" and len(spec.descriptions) > 1:
        return (f"a placements ad takes one description (Meta allows only one with asset customization rules); "
                f"the spec has {len(spec.descriptions)}")
    return None


def unused_copy(kind: str, spec: AssetFeedSpec) -> str | None:
    """What a single-image or placements ad leaves out of the spec, for a warning."""
    if kind != "single_image":
        return None
    extra = [(len(spec.titles) - 1, "headline"), (len(spec.bodies) - 1, "body"),
             (len(spec.descriptions) - 1, "description"), (len(spec.cta_types()) - 1, "CTA")]
    plural = {"headline": "headlines", "body": "bodies", "description": "descriptions", "CTA": "CTAs"}
    left = [f"{n} {what if n == 1 else plural[what]}" for n, what in extra if n > 0]
    if not left:
        return None
    return (f"format single_image uses the first headline, body and description only; "
            f"{', '.join(left)} more in the spec are not sent (use the default dynamic format to test them)")
