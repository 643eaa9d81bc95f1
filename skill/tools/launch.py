"""The launch tool: a campaign and its ad sets from the workspace, then its ads, all PAUSED."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from skill.registry import Args, ToolContext, arg, tool

if TYPE_CHECKING:  # settings load when the tool runs
    from skill.settings import Settings


class LaunchArgs(Args):
    campaign: str = arg(description="Campaign folder under workspace/campaigns/ (its batch-upload.json describes "
                        "the campaign and ad sets)", positional=True)
    dry_run: bool = arg(False, "Check the config and show every object that would be created; create nothing")
    remote: bool = arg(False, "With dry_run: send each create to Meta with validate_only (Meta checks it, "
                       "nothing is created)")
    config: str | None = arg(None, "Another launch config file instead of the campaign's batch-upload.json")
    parallel: int | None = arg(None, "Upload up to N batches of ads at once", metavar="N")
    keep_going: bool = arg(False, "On a failed ad, go on with the rest instead of pausing")


def run_launch(args: BaseModel, ctx: ToolContext, settings: Settings | None = None) -> BaseModel:
    """Shared by ``launch`` and by ``upload`` when the config describes a campaign to create."""
    settings = settings or ctx.settings
    if getattr(args, "remote", False) and not getattr(args, "dry_run", False):
        from skill.errors import UsageError

        raise UsageError("--remote goes with --dry-run: Meta checks each create and nothing is created",
                         hint=f"meta-ads launch {args.campaign} --dry-run --remote")
    if getattr(args, "dry_run", False):
        from skill.launch.plan import dry_run

        remote = bool(getattr(args, "remote", False))
        return dry_run(settings, args.campaign, args.config, remote=remote,
                       client=ctx.client() if remote else None, report=ctx.report)
    from skill.launch.run import launch as run

    return run(settings, args.campaign, config=args.config, client=ctx.client(), parallel=args.parallel,
               keep_going=args.keep_going, report=ctx.report)


@tool("launch", LaunchArgs, safety="create_paused", examples=(
    "meta-ads launch black-friday-2026 --dry-run",
    "meta-ads launch black-friday-2026 --dry-run --remote --sandbox",
    "meta-ads launch black-friday-2026 --sandbox",
))
def launch(args: LaunchArgs, ctx: ToolContext) -> BaseModel:
    """Launch a campaign from the workspace: campaign → ad sets → images → creatives → ads, all PAUSED.

    batch-upload.json describes the campaign (objective, budget) and its ad sets (budget, schedule,
    goal, targeting); each ad names its ad set. Checks Meta's rules before any call; each object is
    created exactly once (found by name in the account and adopted on a re-run); ids go to
    batch-upload.launch.json and brand/assets.md. Nothing spends until you activate it.
    """
    from skill.launch.detect import is_launch_config
    from skill.settings import check_name
    from skill.validate import resolve_config_path

    resolve_config_path(ctx.settings, check_name(args.campaign, "campaign"), args.config)  # missing: says which exist
    if not is_launch_config(ctx.settings, args.campaign, args.config):
        from skill.errors import ConfigError

        raise ConfigError(f"{args.campaign}'s batch config does not describe a campaign to launch",
                          hint="add \"campaign\": {\"name\": ..., \"objective\": ...} and \"adsets\": [...] "
                          "(reference/launch.md), or use `meta-ads upload` for an existing ad set")
    return run_launch(args, ctx)
