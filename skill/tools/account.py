"""Tools on the account's objects and health: pause, activate, auth check."""

from __future__ import annotations

from pydantic import BaseModel

from skill.registry import Args, ToolContext, arg, tool

TARGETS_HELP = ("Ads (ids, or names from the workspace), ad sets or campaigns (ids, or names as in Ads Manager)")


class PauseArgs(Args):
    ads: list[str] = arg(description=TARGETS_HELP, positional=True, metavar="TARGET")


class ActivateArgs(Args):
    ads: list[str] = arg(description=TARGETS_HELP, positional=True, metavar="TARGET")
    yes: bool = arg(False, "Really activate (starts spending). Without it, only shows what would happen")


class NoArgs(Args):
    pass


@tool("pause", PauseArgs, safety="write", examples=("meta-ads pause hero-receipt", "meta-ads pause 23847111000000001 hero-split-test",
                                   'meta-ads pause "summer-sale-2026 - broad"      (an ad set: all its ads stop)'))
def pause(args: PauseArgs, ctx: ToolContext) -> BaseModel:
    """Pause ads, ad sets or campaigns (stops spend; no confirmation needed). Says which kind each one is.

    Updates the ads' upload.json, brand/assets.md and the change log (brand/changes.jsonl).
    """
    from skill.account import status

    return status.pause(ctx.settings, ctx.client(), args.ads, ctx.report, via=ctx.via)


@tool("activate", ActivateArgs, destructive=True, safety="spend", examples=(
    "meta-ads activate hero-receipt            (shows what would start spending; changes nothing)",
    "meta-ads activate hero-receipt --yes      (activates: only after the user said yes)",
    "meta-ads activate black-friday-2026       (a launched campaign: every ad set and ad, total daily budget)",
    "meta-ads activate summer-sale-2026        (a campaign: lists every ad set and ad that would start)",
))
def activate(args: ActivateArgs, ctx: ToolContext) -> BaseModel:
    """Activate ads, ad sets or campaigns: they start spending. Unconfirmed, it only shows what would start.

    The preview lists the ads (or, for an ad set or campaign, everything under it that would start)
    and the daily budget behind them; an object already active is said to be. Confirm only
    after the user explicitly agreed to start spending.
    """
    from skill.account import spend_preview, status

    target = spend_preview.find_target(ctx.settings, args.ads[0]) if len(args.ads) == 1 else None
    if target is not None:  # a launched campaign or ad set: everything under it, with the total budget
        return spend_preview.activate(ctx.settings, ctx.client(), target, args.ads[0], args.yes, ctx.report,
                                      via=ctx.via)
    return status.activate(ctx.settings, ctx.client(), args.ads, args.yes, ctx.report, via=ctx.via)


@tool("auth_check", NoArgs, command=("auth", "check"), safety="read", examples=("meta-ads auth check", "meta-ads auth check --json"))
def auth_check(args: NoArgs, ctx: ToolContext) -> BaseModel:
    """Check the token: valid?, expiry (warns within 7 days), scopes, and the ad accounts it reaches.

    Says what to do about each problem. The token itself is never printed.
    """
    from skill.account.health import check_auth

    return check_auth(ctx.settings, ctx.client())
