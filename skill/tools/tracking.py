"""Tools for tracking: is the pixel firing, and server events through the Conversions API."""

from __future__ import annotations

from pydantic import BaseModel

from skill.registry import Args, ToolContext, arg, tool


class PixelCheckArgs(Args):
    pixel: str | None = arg(None, "Pixel id (default: the ad account's only pixel)")


@tool("pixel_check", PixelCheckArgs, command=("pixel", "check"), safety="read", examples=(
    "meta-ads pixel check --sandbox",
    "meta-ads pixel check --pixel 1234567890123456 --json",
))
def pixel_check(args: PixelCheckArgs, ctx: ToolContext) -> BaseModel:
    """Is the pixel firing? Its events of the last 7 days, and whether the ad sets' events fire.

    Shows the last fired time, each event's count, and a plain verdict for every ad set's
    optimisation event ("Purchase hasn't fired in 3 days: sales are not being counted").
    Exit code 1 when something is not counted."""
    from skill.tracking.pixel import check_pixel

    return check_pixel(ctx.client(), ctx.settings.require_ad_account(), args.pixel)


class CapiSendArgs(Args):
    file: str = arg(description="JSONL file inside the workspace: one server event a line, each with event_id",
                    positional=True)
    pixel: str | None = arg(None, "Pixel id (default: the ad account's only pixel)")
    test_event_code: str | None = arg(None, "Send as test events (Events Manager › Test events) with this code",
                                      metavar="CODE")
    dry_run: bool = arg(False, "Check and hash the events and show the first; send nothing")
    allow_folder: list[str] | None = arg(None, "Also accept the file from this folder outside the workspace",
                                         metavar="DIR")


@tool("capi_send", CapiSendArgs, command=("capi", "send"), safety="write", examples=(
    "meta-ads capi send events/purchases.jsonl --test-event-code TEST12345 --sandbox",
    "meta-ads capi send events/purchases.jsonl --dry-run",
))
def capi_send(args: CapiSendArgs, ctx: ToolContext) -> BaseModel:
    """Send server events (Conversions API) with event_id for deduplication and hashed user data.

    Every line is checked first (a bad line sends nothing); user data is normalised and
    hashed on this machine; batches of 1,000; reports what Meta accepted. Re-sending is safe.
    """
    from skill.tools.upload import with_allowed
    from skill.tracking.capi import send_file

    client = None if args.dry_run else ctx.client()
    return send_file(with_allowed(ctx.settings, args.allow_folder), client, args.file, pixel=args.pixel, test_event_code=args.test_event_code,
                     dry_run=args.dry_run, report=ctx.report)
