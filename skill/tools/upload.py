"""Tools for a campaign's batch: validate, and upload (with its dry run)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from skill.errors import UsageError
from skill.registry import Args, ToolContext, arg, tool

if TYPE_CHECKING:  # the checks (images, yaml, video probes) load when a command runs, not for --help
    from skill.settings import Settings
    from skill.upload.dryrun import BatchSummary


class ValidateArgs(Args):
    campaign: str = arg(description="Campaign folder under workspace/campaigns/", positional=True)
    config: str | None = arg(None, "Another batch config file instead of the campaign's batch-upload.json")
    allow_folder: list[str] | None = arg(None, "Also accept images and specs from this folder outside the workspace",
                                               metavar="DIR")


def with_allowed(settings: Settings, folders: list[str] | None) -> Settings:
    """Settings that also accept files from these folders (which must exist)."""
    if not folders:
        return settings
    paths = []
    for raw in folders:
        path = Path(raw).expanduser()
        if not path.is_dir():
            raise UsageError(f"--allow-folder {raw}: not a folder")
        paths.append(path.resolve())
    return settings.model_copy(update={"allowed_folders": [*settings.allowed_folders, *paths]})


@tool("validate", ValidateArgs, safety="read", examples=("meta-ads validate summer-sale-2026",))
def validate(args: ValidateArgs, ctx: ToolContext) -> BatchSummary:
    """Check a campaign's batch (copy lengths, CTAs, images) without calling Meta.

    Reads workspace/campaigns/CAMPAIGN/ads/batch-upload.json, every asset_feed_spec and image
    it names, and reports errors (which stop an upload) and warnings.
    """
    from skill.launch.detect import is_launch_config
    from skill.upload.dryrun import check_batch

    settings = with_allowed(ctx.settings, args.allow_folder)
    if is_launch_config(settings, args.campaign, args.config):  # a campaign to create: its rules too
        from skill.launch.plan import validate_launch

        return validate_launch(settings, args.campaign, args.config, report=ctx.report)
    return check_batch(settings, args.campaign, args.config, dry_run=False, report=ctx.report)


class UploadArgs(Args):
    campaign: str = arg(description="Campaign folder under workspace/campaigns/", positional=True)
    dry_run: bool = arg(False, "Validate and print every payload that would be sent; call nothing")
    config: str | None = arg(None, "Another batch config file instead of the campaign's batch-upload.json")
    parallel: int | None = arg(None, "Upload up to N batches at once, 1 to 20 (overrides the config's "
                                     "max_concurrent)", metavar="N", ge=1, le=20)
    keep_going: bool = arg(False, "On a failed ad, go on with the rest instead of pausing the batch")
    remote: bool = arg(False, "Launch configs, with dry_run: Meta checks each create (validate_only); "
                       "nothing is created")
    recreate_deleted: bool = arg(False, "Create again the ads that were deleted in Ads Manager (by default they are "
                                        "reported, not recreated)")
    allow_folder: list[str] | None = arg(None, "Also accept images and specs from this folder outside the workspace",
                                               metavar="DIR")
    batches: Literal["auto", "sync", "async"] = arg("auto", "Graph batches (sync) or Meta's async request sets "
                                                    "(async); auto: async from async_batches.threshold ads in stack.md (default 300)")


@tool(
    "upload",
    UploadArgs,
    safety="create_paused",
    examples=(
        "meta-ads upload summer-sale-2026 --dry-run",
        "meta-ads upload summer-sale-2026 --sandbox",
        "meta-ads upload summer-sale-2026 --json",
        "meta-ads upload summer-sale-2026 --config workspace/campaigns/summer-sale-2026/ads/video-upload.json --sandbox",
    ),
)
def upload(args: UploadArgs, ctx: ToolContext) -> BaseModel:
    """Upload a campaign's batch: images, then creatives, then ads, always PAUSED.

    Validates first (an invalid ad sends nothing). Re-running skips ads already uploaded and
    never creates a duplicate. Writes {stem}.upload.json beside each spec and a row per ad to
    brand/assets.md. With dry_run, prints the exact payloads and calls nothing. An ad may name a
    video (video_path, MP4/MOV): it goes up resumably in chunks, once per account, and the kit
    waits for Meta to process it before the creative (reference/video.md).
    """
    from skill.launch.detect import is_launch_config

    settings = with_allowed(ctx.settings, args.allow_folder)
    if is_launch_config(settings, args.campaign, args.config):  # describes a campaign: launch it
        from skill.tools.launch import run_launch

        return run_launch(args, ctx, settings)
    if args.remote:
        from skill.errors import UsageError

        raise UsageError("--remote checks a launch config (a campaign and ad sets to create) with Meta",
                         hint=f"for an upload into an existing ad set use `meta-ads upload {args.campaign} --dry-run`")
    if args.dry_run:
        from skill.upload.dryrun import check_batch

        return check_batch(settings, args.campaign, args.config, dry_run=True, report=ctx.report)
    from skill.upload.run import upload_batch

    return upload_batch(
        settings,
        args.campaign,
        config=args.config,
        client=ctx.client(),
        parallel=args.parallel,
        keep_going=args.keep_going,
        recreate_deleted=args.recreate_deleted,
        report=ctx.report,
        batches=args.batches,
    )
