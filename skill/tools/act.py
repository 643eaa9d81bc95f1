"""Tools that act on what the reports found: budgets and bids, the change log, creative refresh."""

from __future__ import annotations

import shlex
from typing import Literal

from pydantic import BaseModel

from skill.registry import Args, ToolContext, arg, tool


class BudgetArgs(Args):
    target: str = arg(description="An ad set, or a campaign with a campaign budget (CBO): id or name",
                      positional=True, metavar="TARGET")
    daily: str | None = arg(None, "New daily budget in the account's currency (e.g. 60)", metavar="AMOUNT")
    lifetime: str | None = arg(None, "New lifetime budget in the account's currency (needs end)", metavar="AMOUNT")
    end: str | None = arg(None, "End date of a lifetime budget, YYYY-MM-DD", metavar="DATE")
    by: str | None = arg(None, "Change the current budget by a percentage: +20% or -30%", metavar="PCT")
    bid_cap: str | None = arg(None, "Bid cap (LOWEST_COST_WITH_BID_CAP) in the account's currency", metavar="AMOUNT")
    cost_cap: str | None = arg(None, "Cost per result cap (COST_CAP) in the account's currency", metavar="AMOUNT")
    yes: bool = arg(False, "Really apply an increase or a bid change. Without it: a preview, nothing changes "
                           "(a decrease is applied without it)")


class HistoryArgs(Args):
    campaign: str | None = arg(None, "Campaign name (or id); every change when left out", positional=True)


def budget_command(args: BudgetArgs) -> str:
    """The command line that repeats this request (for "re-run with --yes")."""
    parts = ["meta-ads", "budget", args.target]
    for name in ("daily", "lifetime", "end", "by", "bid_cap", "cost_cap"):
        value = getattr(args, name)
        if value is not None:
            parts += [f"--{name.replace('_', '-')}", value]
    return " ".join(shlex.quote(p) if p != "meta-ads" else p for p in parts)


@tool("budget", BudgetArgs, destructive=True, safety="spend", examples=(
    "meta-ads budget \"summer-sale-2026 - broad\" --daily 60          (preview: nothing changes)",
    "meta-ads budget \"summer-sale-2026 - broad\" --daily 60 --yes    (after the user said yes)",
    "meta-ads budget 23847000000001 --by -30%                        (a decrease: applied at once)",
    "meta-ads budget 23847000000001 --lifetime 900 --end 2026-12-31",
    "meta-ads budget 23847000000001 --bid-cap 2.50",
))
def budget(args: BudgetArgs, ctx: ToolContext) -> BaseModel:
    """Change the budget or bid of an ad set or a CBO campaign. Increases wait for the user's yes; decreases don't.

    Without yes it shows the object, its current and new budget in the account's currency, the
    change in daily spend, and Meta's learning-phase warning for changes over ~20%. Changes past
    max_daily_budget or max_budget_increase_pct (brand/stack.md) are refused. Only run with
    yes=true after the user explicitly agreed to the preview.
    """
    from skill.account.budget_plan import BudgetAsk
    from skill.account.budgets import budget as run_budget

    ask = BudgetAsk(**args.model_dump(exclude={"target", "yes"}))
    return run_budget(ctx.settings, ctx.client(), args.target, ask, args.yes, command=budget_command(args),
                      report=ctx.report, via=ctx.via)


@tool("history", HistoryArgs, safety="read", examples=("meta-ads history summer-sale-2026", "meta-ads history --json"))
def history(args: HistoryArgs, ctx: ToolContext) -> BaseModel:
    """The change log: every budget, status and refresh action the kit took, who asked and when.

    Read from workspace/brand/changes.jsonl; no call to Meta.
    """
    from skill.account.history import history as read_history

    return read_history(ctx.settings, args.campaign)


class RefreshArgs(Args):
    ad: str = arg(description="The ad to refresh: its name from the workspace, or its id", positional=True)
    spec: str = arg(description="The new copy: an asset_feed_spec JSON in the workspace (e.g. from "
                                "the copy tool with fresh_angle)", metavar="FILE")
    image: str | None = arg(None, "A new image (default: the ad's current images)", metavar="IMAGE")
    mode: Literal["swap", "new-ad"] | None = arg(None, "swap: point the ad at the new creative; new-ad: a v2 ad "
                                                       "(PAUSED) in the same ad set, the old one paused "
                                                       "(default: refresh_mode in stack.md, else swap)")


@tool("refresh", RefreshArgs, safety="write", examples=(
    "meta-ads refresh hero-receipt --spec receipt-fresh.json",
    "meta-ads refresh hero-receipt --spec receipt-fresh.json --image images/receipt-2.png --mode new-ad",
))
def refresh(args: RefreshArgs, ctx: ToolContext) -> BaseModel:
    """Refresh a tired ad: a new creative from a new spec, then swap it in or make a v2 ad (PAUSED).

    Exactly once: the creative and v2 ad have deterministic names and are looked up before they
    are created; the same spec twice does nothing. The history goes into the ad's upload.json and
    the change log. Does not raise spend: a new ad is PAUSED, a swap keeps the ad's status.
    """
    from skill.account.refresh import refresh as run_refresh

    return run_refresh(ctx.settings, ctx.client(), args.ad, args.spec, image=args.image, mode=args.mode,
                       report=ctx.report, via=ctx.via)
