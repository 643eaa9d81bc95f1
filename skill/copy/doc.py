"""The human-readable copy document, ``{stem}.md``, written beside each asset_feed_spec.

Built in plain Python (an upload writes one per ad: the Jinja template took ~0.8 ms a document);
``skill/templates/copy_doc.md.j2`` stays as its reference, and a test checks both give the same text.
"""

from __future__ import annotations

import re
from pathlib import Path

from skill.models import AssetFeedSpec, TextAsset

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v")


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
    destination = destination or _first_link(spec)
    video = bool(image) and image.lower().endswith(VIDEO_SUFFIXES)
    head = (f"Campaign: **{campaign}**" if campaign else "") + (
        f" · {'Video' if video else 'Image'}: `{image}`" if image else "")
    parts = [f"# {title}\n\n", head, "\n\n"]
    if destination:
        parts.append(f"Landing page: {destination}\n")
    parts.append("\n")
    parts += _numbered("Headlines", spec.titles) + _numbered("Primary text", spec.bodies)
    parts += _numbered("Descriptions", spec.descriptions, "_None._\n")
    parts.append("## Call to action\n\n")
    parts += [f"- {cta}\n" for cta in spec.cta_types()]
    parts.append("\n")
    if combinations:
        what = "1 video" if video else f"{images} image{'s' if images != 1 else ''}"
        parts.append(f"\nMeta will test {combinations} combinations ({what} × {len(spec.titles)} headlines × "
                     f"{len(spec.bodies)} bodies).\n")
    parts.append("\n")
    if notes:
        parts.append(f"\n## Notes\n\n{notes}\n")
    return _tidy("".join(parts))


def _numbered(heading: str, items: list[TextAsset], empty: str = "") -> list[str]:
    lines = [f"{i}. {t.text} _({len(t.text)} chars)_\n" for i, t in enumerate(items, 1)] or [empty]
    return [f"## {heading} ({len(items)})\n\n", *lines, "\n"]


def _tidy(text: str) -> str:
    """As ``skill.templating.render`` leaves a document: no trailing spaces, at most one blank line."""
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def _first_link(spec: AssetFeedSpec) -> str | None:
    for cta in spec.call_to_actions:
        if cta.value and cta.value.link:
            return cta.value.link
    return spec.link_urls[0].website_url if spec.link_urls else None


def copy_doc_path(spec_path: Path) -> Path:
    return spec_path.with_suffix(".md")
