"""Every job the kit does, as one typed function each. Tool names are the command names
(``auth check`` → ``auth_check``); argument names are the long options (``dry_run``).

The CLI, ``meta-ads tools`` and the router's Anthropic tool schemas are all derived from
the input models below (see ``registry.py``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from skill.registry import REGISTRY, Tool, ToolContext, arg, tool
from skill.upload.dryrun import BatchSummary, check_batch

# ---------------------------------------------------------------- validate / upload


class ValidateArgs(BaseModel):
    campaign: str = arg(description="Campaign folder under workspace/campaigns/", positional=True)
    config: str | None = arg(None, "Another batch config file instead of the campaign's batch-upload.json")


@tool("validate", ValidateArgs, examples=("meta-ads validate summer-sale-2026",))
def validate(args: ValidateArgs, ctx: ToolContext) -> BatchSummary:
    """Check a campaign's batch (copy lengths, CTAs, images) without calling Meta.

    Reads workspace/campaigns/CAMPAIGN/ads/batch-upload.json, every asset_feed_spec and image
    it names, and reports errors (which stop an upload) and warnings.
    """
    return check_batch(ctx.settings, args.campaign, args.config, dry_run=False, report=ctx.report)


class UploadArgs(BaseModel):
    campaign: str = arg(description="Campaign folder under workspace/campaigns/", positional=True)
    dry_run: bool = arg(False, "Validate and print every payload that would be sent; call nothing")
    config: str | None = arg(None, "Another batch config file instead of the campaign's batch-upload.json")
    parallel: int | None = arg(None, "Upload up to N batches at once (overrides the config's max_concurrent)",
                               metavar="N")
    keep_going: bool = arg(False, "On a failed ad, go on with the rest instead of pausing the batch")


@tool(
    "upload",
    UploadArgs,
    examples=(
        "meta-ads upload summer-sale-2026 --dry-run",
        "meta-ads upload summer-sale-2026 --sandbox",
        "meta-ads upload summer-sale-2026 --json",
    ),
)
def upload(args: UploadArgs, ctx: ToolContext) -> BaseModel:
    """Upload a campaign's batch: images, then creatives, then ads, always PAUSED.

    Validates first (an invalid ad sends nothing). Re-running skips ads already uploaded and
    never creates a duplicate. Writes {stem}.upload.json beside each spec and a row per ad to
    brand/assets.md. With dry_run, prints the exact payloads and calls nothing.
    """
    if args.dry_run:
        return check_batch(ctx.settings, args.campaign, args.config, dry_run=True, report=ctx.report)
    from skill.upload.run import upload_batch

    return upload_batch(
        ctx.settings,
        args.campaign,
        config=args.config,
        client=ctx.client(),
        parallel=args.parallel,
        keep_going=args.keep_going,
        report=ctx.report,
    )


# ---------------------------------------------------------------- copy


class CopyArgs(BaseModel):
    images: list[str] = arg(description="Ad images (JPG or PNG), one ad each", positional=True, metavar="IMAGE")
    campaign: str = arg(description="Campaign folder under workspace/campaigns/ to write the copy into")
    product: str | None = arg(None, "A product brief for this run (offer, audience, angle); brand notes come "
                                    "from workspace/brand/")
    variants: int = arg(3, "Headlines and primary texts per image, 1 to 5", metavar="N")
    cta: str | None = arg(None, "Call to action for every ad (e.g. SHOP_NOW); default: the model picks",
                          metavar="TYPE")
    model: str | None = arg(None, "Claude model (default: copy_model in brand/stack.md, else claude-haiku-5-5; "
                                  "claude-sonnet-5-5 for quality)")
    force: bool = arg(False, "Overwrite existing {stem}.json / {stem}.md")
    write_batch: bool = arg(False, "Create or extend the campaign's batch-upload.json with one ad per image")


@tool(
    "copy",
    CopyArgs,
    examples=(
        "meta-ads copy img1.jpg img2.png --campaign summer-sale-2026 --write-batch",
        'meta-ads copy hero.jpg --campaign summer-sale-2026 --product "50% off until Aug 31" --cta SHOP_NOW',
        "meta-ads copy hero.jpg --campaign summer-sale-2026 --model claude-sonnet-5-5 --force",
    ),
)
def copy_ads(args: CopyArgs, ctx: ToolContext) -> BaseModel:
    """Write ad copy for images with Claude: a valid asset_feed_spec and a copy document per image.

    For each image, writes workspace/campaigns/CAMPAIGN/ads/{stem}.json (headlines, primary texts,
    descriptions, call to action linking to destination_url) and {stem}.md for review. Reads the
    brand context from brand/stack.md and the other brand/*.md notes. Copy is checked against the
    copy rules and fixed by the model before it is written. Needs ANTHROPIC_API_KEY. With
    write_batch, adds one ad per image to batch-upload.json, ready for upload --dry-run.
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
        report=ctx.report,
    )


# ---------------------------------------------------------------- insights and the daily questions

PRESET_HELP = "Meta date preset: today, yesterday, last_7d, last_14d, last_30d, this_month, last_month, maximum, ..."


class InsightsArgs(BaseModel):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    ads: list[str] | None = arg(None, "Ad ids or ad names (repeatable)", flags=["--ad"], metavar="AD")
    level: Literal["ad", "adset", "campaign"] = arg("ad", "Rows per ad, ad set or campaign")
    date_preset: str = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")
    since: str | None = arg(None, "Start date YYYY-MM-DD (with --until, instead of --preset)")
    until: str | None = arg(None, "End date YYYY-MM-DD")
    breakdowns: list[str] | None = arg(
        None, "age, gender, publisher_platform, platform_position, device_platform, country (comma-separated)",
        flags=["--breakdown"], metavar="NAMES", comma_list=True)
    daily: bool = arg(False, "Add a day-by-day table (time_increment=1)")
    mode: Literal["auto", "sync", "async"] = arg("auto", "Sync paging or an async report job (auto: by size)")


class CheckArgs(BaseModel):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    date_preset: str = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")


def _report(kind: str, args: BaseModel, ctx: ToolContext) -> BaseModel:
    from skill.insights.reports import ReportRequest, run_report

    data = {k: v for k, v in args.model_dump().items() if v is not None}
    return run_report(ctx.settings, ctx.client(), kind, ReportRequest(**data), ctx.report)  # type: ignore[arg-type]


@tool("insights", InsightsArgs, examples=(
    "meta-ads insights summer-sale-2026 --preset last_7d",
    "meta-ads insights summer-sale-2026 --breakdown age,gender",
    "meta-ads insights --ad 23847111000000001 --since 2026-11-01 --until 2026-11-15 --daily --json",
))
def insights(args: InsightsArgs, ctx: ToolContext) -> BaseModel:
    """Report how ads did: totals, ads ranked by cost per result against target_cpa, breakdowns, a chart.

    Writes workspace/campaigns/CAMPAIGN/reports/insights-<preset>-<date>.md (+ .png) and recommends
    what to pause or scale; it never changes anything.
    """
    return _report("insights", args, ctx)


@tool("daily_check", CheckArgs, command=("daily-check",), examples=("meta-ads daily-check summer-sale-2026",))
def daily_check(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """The morning check: spend pace against budget, results and CPA against target, anything broken."""
    return _report("daily_check", args, ctx)


@tool("bleeders", CheckArgs, examples=("meta-ads bleeders summer-sale-2026 --preset last_14d",))
def bleeders(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Ads losing money: CPA over target_cpa with enough impressions to judge, or CTR under min_ctr."""
    return _report("bleeders", args, ctx)


@tool("winners", CheckArgs, examples=("meta-ads winners summer-sale-2026",))
def winners(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Ads to scale: the best cost per result, beating target_cpa (or the campaign average)."""
    return _report("winners", args, ctx)


@tool("fatigue", CheckArgs, examples=("meta-ads fatigue summer-sale-2026 --preset last_14d",))
def fatigue(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Creative fatigue: frequency above max_frequency, or CTR falling over the period."""
    return _report("fatigue", args, ctx)


# ---------------------------------------------------------------- ad status and account health


class PauseArgs(BaseModel):
    ads: list[str] = arg(description="Ad ids, or ad names from the workspace", positional=True, metavar="AD")


class ActivateArgs(BaseModel):
    ads: list[str] = arg(description="Ad ids, or ad names from the workspace", positional=True, metavar="AD")
    yes: bool = arg(False, "Really activate (starts spending). Without it, only shows what would happen")


class NoArgs(BaseModel):
    pass


@tool("pause", PauseArgs, examples=("meta-ads pause hero-receipt", "meta-ads pause 23847111000000001 hero-split-test"))
def pause(args: PauseArgs, ctx: ToolContext) -> BaseModel:
    """Pause ads (stops spend; no confirmation needed). Updates their upload.json and assets.md row."""
    from skill.account import status

    return status.pause(ctx.settings, ctx.client(), args.ads, ctx.report)


@tool("activate", ActivateArgs, destructive=True, examples=(
    "meta-ads activate hero-receipt            (shows what would start spending; changes nothing)",
    "meta-ads activate hero-receipt --yes      (activates: only after the user said yes)",
))
def activate(args: ActivateArgs, ctx: ToolContext) -> BaseModel:
    """Activate ads: they start spending. Without --yes it only shows the ads and their ad sets' budgets.

    Only run with yes=true after the user explicitly agreed to start spending.
    """
    from skill.account import status

    return status.activate(ctx.settings, ctx.client(), args.ads, args.yes, ctx.report)


@tool("auth_check", NoArgs, command=("auth", "check"), examples=("meta-ads auth check", "meta-ads auth check --json"))
def auth_check(args: NoArgs, ctx: ToolContext) -> BaseModel:
    """Check the token: valid?, expiry (warns within 7 days), scopes, and the ad accounts it reaches.

    Says what to do about each problem. The token itself is never printed.
    """
    from skill.account.health import check_auth

    return check_auth(ctx.settings, ctx.client())


def all_tools() -> list[Tool]:
    return list(REGISTRY.values())


def get_tool(name: str) -> Tool | None:
    return REGISTRY.get(name)
