"""Format checks the copy and image rules do not cover: crops per placement, placement image
shapes, copy a single-image ad leaves out, and the Advantage+ setting."""

from __future__ import annotations

from skill.creative.advantage import features
from skill.creative.formats import name_fields, placement_copy_problem, unused_copy
from skill.creative.naming import DEFAULT_TEMPLATE, template_fields
from skill.creative.placements import crop_note, ratio_problem
from skill.errors import ConfigError
from skill.images import ImageInfo
from skill.models import AdEntry, AssetFeedSpec, BatchConfig, StackSettings

Found = tuple[str, str, str]  # severity, message, field (relative to the ad)


def format_findings(entry: AdEntry, spec: AssetFeedSpec | None, images: list[ImageInfo],
                    stack: StackSettings | None = None, config: BatchConfig | None = None) -> list[Found]:
    found: list[Found] = []
    kind = entry.kind
    if stack is not None and config is not None:
        found += _name_fields(entry, stack, config)
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
        problem = placement_copy_problem(kind, spec)
        if problem:
            found.append(("error", problem, "asset_feed_spec_path"))
    return found


def _name_fields(entry: AdEntry, stack: StackSettings, config: BatchConfig) -> list[Found]:
    try:
        used = template_fields(stack.ad_name_template or DEFAULT_TEMPLATE)
    except ConfigError:
        return []  # reported once for the batch by stack_findings
    values = name_fields(config, entry)
    return [("error", f"ad_name_template uses {{{f}}} but this ad has no {f}; set \"{f}\" on the ad"
                      + (" or in the batch config" if f == "audience" else ""), f)
            for f in used if f in values and not values[f]]


def stack_findings(stack: StackSettings, config: BatchConfig) -> list[Found]:
    """brand/stack.md settings the creatives depend on: the name template and Advantage+ features."""
    found: list[Found] = []
    try:
        used = template_fields(stack.ad_name_template or DEFAULT_TEMPLATE)
        if "date" in used and not config.date:
            found.append(("warning", "ad_name_template uses {date} and the batch config sets no date: names use "
                                     "today's date, so a re-run on another day would not find these ads; "
                                     "set \"date\" in batch-upload.json", "ad_name_template"))
        features(stack.advantage_creative)
    except ConfigError as exc:
        found.append(("error", exc.message, exc.field or "ad_name_template"))
    return found
