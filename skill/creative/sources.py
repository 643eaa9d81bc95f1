"""Which image files an ad uses: paths as written, placement images, or an ``image_url`` fetched once."""

from __future__ import annotations

from pathlib import Path

from skill.models import AdEntry
from skill.settings import Settings


def ad_image_paths(settings: Settings, entry: AdEntry, base: Path, campaign: str) -> tuple[list[Path], str | None]:
    """The ad's image files, and an error message when an ``image_url`` could not be fetched."""
    if entry.image_url:
        from skill.creative.remote import (  # requests only when a URL is named
            FetchError,
            fetch_image,
        )

        try:
            return [fetch_image(entry.image_url, settings.campaign_dir(campaign) / "images")], None
        except FetchError as exc:
            return [], f"image_url {entry.image_url}: {exc}"
    return [settings.resolve(p, base) for p in entry.images], None
