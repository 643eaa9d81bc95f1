"""The preview tool: Meta's ad previews for the main placements, as HTML files to open."""

from __future__ import annotations

from pydantic import BaseModel

from skill.registry import Args, ToolContext, arg, tool


class PreviewArgs(Args):
    ad: str = arg(description="Ad name from the workspace (e.g. hero-receipt) or a Meta ad id", positional=True,
                  metavar="AD")
    formats: list[str] | None = arg(None, "Placements to preview (Meta ad_format values), default the main six",
                                    comma_list=True, metavar="FORMAT")


@tool("preview", PreviewArgs, safety="read", examples=(
    "meta-ads preview hero-receipt --sandbox",
    "meta-ads preview hero-receipt --formats INSTAGRAM_STORY,MOBILE_FEED_STANDARD",
))
def preview(args: PreviewArgs, ctx: ToolContext) -> BaseModel:
    """Previews of an ad per placement, as HTML.

    Meta's previews for Facebook and Instagram feed, Stories and Reels. Fetches /{creative}/previews for each placement and writes campaigns/CAMPAIGN/previews/STEM/
    FORMAT.html plus an index.html that shows them side by side. Reads only; changes nothing.
    """
    from skill.creative.preview import preview_ad

    return preview_ad(ctx.settings, ctx.client(), args.ad, args.formats, ctx.report)
