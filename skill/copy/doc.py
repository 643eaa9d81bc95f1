"""The human-readable copy document, ``{stem}.md``, written beside each asset_feed_spec."""

from __future__ import annotations

from pathlib import Path

from skill.models import AssetFeedSpec
from skill.templating import render


def render_copy_doc(
    spec: AssetFeedSpec,
    *,
    title: str,
    campaign: str | None = None,
    image: str | None = None,
    images: int = 1,
    destination: str | None = None,
    notes: str | None = None,
) -> str:
    combinations = images * len(spec.titles) * len(spec.bodies)
    return render(
        "copy_doc.md.j2",
        spec=spec,
        title=title,
        campaign=campaign,
        image=image,
        images=images,
        destination=destination or _first_link(spec),
        ctas=spec.cta_types(),
        combinations=combinations,
        notes=notes,
    )


def _first_link(spec: AssetFeedSpec) -> str | None:
    for cta in spec.call_to_actions:
        if cta.value and cta.value.link:
            return cta.value.link
    return spec.link_urls[0].website_url if spec.link_urls else None


def copy_doc_path(spec_path: Path) -> Path:
    return spec_path.with_suffix(".md")
