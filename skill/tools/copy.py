"""The copy tool: ad copy for images, written with Claude."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator

from skill.creative.cta import ACCEPTED_CTA_TYPES
from skill.registry import Args, ToolContext, arg, tool

# a fixed list (an enum in the schema); "shop_now" is taken as SHOP_NOW
CtaType = Annotated[Literal[tuple(sorted(ACCEPTED_CTA_TYPES))], BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]  # type: ignore[valid-type]


class CopyArgs(Args):
    images: list[str] = arg(description="Ad images (JPG or PNG), one ad each", positional=True, metavar="IMAGE")
    campaign: str = arg(description="Campaign folder under workspace/campaigns/ to write the copy into")
    product: str | None = arg(None, "A product brief for this run (offer, audience, angle); brand notes come "
                                    "from workspace/brand/")
    variants: int | None = arg(None, "Headlines, primary texts and descriptions per image, 1 to 5 (default: "
                                     "copy_variants in brand/stack.md, else 3)", metavar="N")
    cta: CtaType | None = arg(None, "Call to action for every ad (e.g. SHOP_NOW); default: the model picks",
                          metavar="TYPE")
    model: str | None = arg(None, "Claude model (default: copy_model in brand/stack.md, else claude-haiku-5-5; "
                                  "claude-sonnet-5-5 for quality)")
    force: bool = arg(False, "Overwrite existing {stem}.json / {stem}.md")
    write_batch: bool = arg(False, "Create or extend the campaign's batch-upload.json with one ad per image")
    fresh_angle: str | None = arg(None, "New copy for a tiring ad, from this angle (e.g. 'lead with the time "
                                        "saved'): writes {stem}-fresh.json, unlike the current {stem}.json, for "
                                        "`meta-ads refresh`", metavar="ANGLE")


@tool(
    "copy",
    CopyArgs,
    safety="create_paused",
    examples=(
        "meta-ads copy img1.jpg img2.png --campaign summer-sale-2026 --write-batch",
        'meta-ads copy hero.jpg --campaign summer-sale-2026 --product "50% off until Aug 31" --cta SHOP_NOW',
        "meta-ads copy hero.jpg --campaign summer-sale-2026 --model claude-sonnet-5-5 --force",
        "meta-ads copy workspace/campaigns/summer-sale-2026/videos/summer-clip.mp4 --campaign summer-sale-2026",
        'meta-ads copy images/receipt.png --campaign summer-sale-2026 --fresh-angle "lead with the time saved"',
    ),
)
def copy_ads(args: CopyArgs, ctx: ToolContext) -> BaseModel:
    """Write ad copy for images with Claude: a valid asset_feed_spec and a copy document per image.

    For each image, writes workspace/campaigns/CAMPAIGN/ads/{stem}.json (headlines, primary texts,
    descriptions, call to action linking to destination_url) and {stem}.md for review. Reads the
    brand context from brand/stack.md and the other brand/*.md notes. Copy is checked against the
    copy rules and fixed by the model before it is written. Needs ANTHROPIC_API_KEY. With
    write_batch, adds one ad per image to batch-upload.json, ready for a dry run of the upload.
    An MP4/MOV video works like an image: four frames and its length go to the model, and the
    batch entry names it as video_path (see reference/video.md).
    """
    from skill.copy.writer import generate_copy

    return generate_copy(
        ctx.settings,
        args.images,
        args.campaign,
        product=args.product,
        variants=args.variants,
        cta=args.cta,
        model=args.model,
        force=args.force,
        write_batch=args.write_batch,
        fresh_angle=args.fresh_angle,
        report=ctx.report,
    )
