"""What a batch entry may say about its format: the checks ``models.AdEntry`` runs on parse."""

from __future__ import annotations

from typing import Any

IMAGE_SOURCES = ("image_path", "image_paths", "image_url", "placement_images")


def entry_problem(entry: Any) -> str | None:
    """Why an ad entry's images and format do not fit together, or None."""
    given = [k for k in IMAGE_SOURCES if getattr(entry, k)]
    if getattr(entry, "video_path", None):
        if given:
            return "has both video_path and images; a video ad names its thumbnail as thumbnail_path"
        if entry.format not in (None, "dynamic"):
            return f"a video ad (video_path) is dynamic, not {entry.format}"
        return None
    if getattr(entry, "thumbnail_path", None):
        return "thumbnail_path is for video ads (add video_path)"
    if not given:
        return "needs image_path, image_paths, image_url, placement_images or video_path"
    if len(given) > 1:
        return f"has both {given[0]} and {given[1]}; use one"
    if entry.format == "placements" and not entry.placement_images:
        return "format placements needs placement_images: {feed, stories}"
    if entry.placement_images and entry.format not in (None, "placements"):
        return f"placement_images makes a placements ad, not {entry.format}"
    if entry.format == "single_image" and entry.image_paths and len(entry.image_paths) > 1:
        return "format single_image takes one image (image_path)"
    return None
