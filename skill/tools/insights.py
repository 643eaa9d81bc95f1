"""Insights and the daily questions: reports, daily check, bleeders, winners, fatigue."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from skill.registry import ToolContext, arg, tool

PRESET_HELP = "Meta date preset: today, yesterday, last_7d, last_14d, last_30d, this_month, last_month, maximum, ..."


class InsightsArgs(BaseModel):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    ads: list[str] | None = arg(None, "Ad ids or ad names (repeatable); with a campaign, only those of its ads",
                                flags=["--ad"], metavar="AD")
    campaign_ids: list[str] | None = arg(None, "Meta campaign ids to report on (repeatable)",
                                         flags=["--campaign-id"], metavar="ID")
    adsets: list[str] | None = arg(None, "Meta ad set ids to report on (repeatable)", flags=["--adset"],
                                   metavar="ID")
    level: Literal["ad", "adset", "campaign"] = arg("ad", "Rows per ad, ad set or campaign (only the ads asked for)")
    date_preset: str = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")
    since: str | None = arg(None, "Start date YYYY-MM-DD (with --until, instead of --preset)")
    until: str | None = arg(None, "End date YYYY-MM-DD")
    breakdowns: list[str] | None = arg(
        None, "age, gender, publisher_platform, platform_position, device_platform, country, region, dma, "
              "product_id, hourly (comma-separated; dma, product_id and hourly on their own)",
        flags=["--breakdown"], metavar="NAMES", comma_list=True)
    daily: bool = arg(False, "Add a day-by-day table (time_increment=1)")
    result: str | None = arg(None, "What counts as a result: purchase, lead, initiate_checkout, add_to_cart, "
                                   "landing_page_view, link_click (default: result_action in stack.md, else "
                                   "purchases, leads or link clicks, whichever there are)", metavar="ACTION")
    compare: Literal["previous"] | None = arg(None, "previous: every total and ratio against the period just "
                                                   "before, and recommendations that use the trend")
    mode: Literal["auto", "sync", "async"] = arg("auto", "Sync paging or an async report job (auto: by size)")


class CheckArgs(BaseModel):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    ads: list[str] | None = arg(None, "Only these ads (ids or names; with a campaign, its ads among them)",
                                flags=["--ad"], metavar="AD")
    campaign_ids: list[str] | None = arg(None, "Meta campaign ids (repeatable)", flags=["--campaign-id"], metavar="ID")
    adsets: list[str] | None = arg(None, "Meta ad set ids (repeatable)", flags=["--adset"], metavar="ID")
    date_preset: str = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")
    result: str | None = arg(None, "What counts as a result (purchase, lead, initiate_checkout, add_to_cart, "
                                   "landing_page_view, link_click); default result_action in stack.md",
                             metavar="ACTION")
    compare: Literal["previous"] | None = arg(None, "previous: weigh each finding by its trend against the "
                                                   "period just before")


def _report(kind: str, args: BaseModel, ctx: ToolContext) -> BaseModel:
    from skill.insights.reports import ReportRequest, run_report

    data = {k: v for k, v in args.model_dump().items() if v is not None}
    data["ads"] = data.get("ads") or []
    return run_report(ctx.settings, ctx.client(), kind, ReportRequest(**data), ctx.report)  # type: ignore[arg-type]


@tool("insights", InsightsArgs, examples=(
    "meta-ads insights summer-sale-2026 --preset last_7d",
    "meta-ads insights summer-sale-2026 --breakdown age,gender",
    "meta-ads insights --ad 23847111000000001 --since 2026-11-01 --until 2026-11-15 --daily --json",
    "meta-ads insights summer-sale-2026 --ad hero-receipt --compare previous",
    "meta-ads insights --campaign-id 23846000000001 --level adset --result add_to_cart --breakdown hourly",
))
def insights(args: InsightsArgs, ctx: ToolContext) -> BaseModel:
    """Report how ads did: totals, ads ranked by cost per result against target_cpa, breakdowns, a chart.

    Writes workspace/campaigns/CAMPAIGN/reports/insights-CAMPAIGN-<period>[-by-<breakdown>]-<date>.md
    (+ .png): funnel (landing page views → add to cart → checkout → purchase, leads), conversion value
    and purchase ROAS, live statuses; recommends what to pause or scale; never changes anything.
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


@tool("winners", CheckArgs, examples=("meta-ads winners summer-sale-2026",
                                      "meta-ads winners summer-sale-2026 --compare previous"))
def winners(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Ads to scale: the best cost per result, beating target_cpa (or the campaign average)."""
    return _report("winners", args, ctx)


@tool("fatigue", CheckArgs, examples=("meta-ads fatigue summer-sale-2026 --preset last_14d",))
def fatigue(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Creative fatigue: frequency above max_frequency, or CTR falling over the period."""
    return _report("fatigue", args, ctx)
