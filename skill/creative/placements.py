"""Where each image shape shows whole and where Meta crops it, and the per-placement rules.

Facts used (Meta's placement guidance): Feed takes 1.91:1 up to 4:5; Instagram Feed and
Explore show 1:1 or 4:5 best and crop wider images in the grid; Stories and Reels fill a 9:16
screen, so anything wider is shown small between bars or cropped; Marketplace crops to 1:1.
"""

from __future__ import annotations

from typing import Any

# What happens to an image of this ratio outside the placements it fits. Ratios not listed: none.
CROP_NOTES: dict[str, str] = {
    "1.91:1": ("1.91:1 fits Facebook Feed, right column and search as it is; Instagram Feed, Explore and "
               "Marketplace may crop it to 1:1 (about 48% of the width, the left and right edges); "
               "Stories and Reels show it small between bars (or crop it to 9:16, about 70% of the width lost). "
               "Add a 9:16 image with placement_images for Stories/Reels"),
}

FEED_RATIOS = ("1:1", "4:5")
STORIES_RATIOS = ("9:16",)
PLACEMENT_KEYS = {"feed": FEED_RATIOS, "stories": STORIES_RATIOS}

# Positions (Meta's targeting names) each rule covers.
FEED_SPEC: dict[str, Any] = {
    "publisher_platforms": ["facebook", "instagram"],
    "facebook_positions": ["feed", "marketplace", "search"],
    "instagram_positions": ["stream", "explore", "profile_feed"],
}
STORIES_SPEC: dict[str, Any] = {
    "publisher_platforms": ["facebook", "instagram"],
    "facebook_positions": ["story", "facebook_reels"],
    "instagram_positions": ["story", "reels"],
}
FEED_LABEL, STORIES_LABEL = "feed_image", "stories_image"


def crop_note(aspect: str | None) -> str | None:
    return CROP_NOTES.get(aspect or "")


def ratio_problem(slot: str, aspect: str | None, size: str) -> str | None:
    """An error when a placement image has the wrong shape for its slot."""
    wanted = PLACEMENT_KEYS[slot]
    if aspect in wanted:
        return None
    where = "Feed" if slot == "feed" else "Stories and Reels"
    return f"The {slot} image must be {' or '.join(wanted)} for {where}; this one is {size} ({aspect or 'other'})"


def customization_rules() -> list[dict[str, Any]]:
    """asset_customization_rules: the 9:16 image in Stories/Reels, the feed image everywhere in Feed."""
    return [
        {"customization_spec": STORIES_SPEC, "image_label": {"name": STORIES_LABEL}, "priority": 1},
        {"customization_spec": FEED_SPEC, "image_label": {"name": FEED_LABEL}, "priority": 2},
    ]
