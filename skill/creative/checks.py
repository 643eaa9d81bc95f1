"""Format checks the copy and image rules do not cover: crops per placement, placement image
shapes, copy a single-image ad leaves out, and the Advantage+ setting."""

from __future__ import annotations

from skill.creative.formats import unused_copy
from skill.creative.placements import crop_note, ratio_problem
from skill.images import ImageInfo
from skill.models import AdEntry, AssetFeedSpec

Found = tuple[str, str, str]  # severity, message, field (relative to the ad)


def format_findings(entry: AdEntry, spec: AssetFeedSpec | None, images: list[ImageInfo]) -> list[Found]:
    found: list[Found] = []
    kind = entry.kind
    if kind == "placements":
        for slot, info in zip(("feed", "stories"), images, strict=False):
            if info.format and info.width:
                problem = ratio_problem(slot, info.aspect, f"{info.width}x{info.height}")
                if problem:
                    found.append(("error", problem, f"placement_images.{slot}"))
    else:
        for info in images:
            note = crop_note(info.aspect)
            if note:
                found.append(("warning", f"{info.path.name} ({info.width}x{info.height}): {note}", "image_path"))
    if spec is not None:
        left = unused_copy(kind, spec)
        if left:
            found.append(("warning", left, "format"))
    return found
