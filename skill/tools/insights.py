"""Insights and the daily questions: reports, daily check, bleeders, winners, fatigue."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from skill.insights.fetch import BREAKDOWNS, DATE_PRESETS
from skill.registry import ToolContext, arg, tool

PRESET_HELP = "Meta date preset: today, yesterday, last_7d, last_14d, last_30d, this_month, last_month, maximum, ..."
DatePreset = Literal[DATE_PRESETS]  # type: ignore[valid-type]
Breakdown = Literal[BREAKDOWNS]  # type: ignore[valid-type]


class InsightsArgs(BaseModel):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    ads: list[str] | None = arg(None, "Ad ids, or ad names from the workspace", flags=["--ad"], metavar="AD")
    level: Literal["ad", "adset", "campaign"] = arg("ad", "Rows per ad, ad set or campaign")
    date_preset: DatePreset = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")
    since: str | None = arg(None, "Start date YYYY-MM-DD (with until, instead of date_preset)")
    until: str | None = arg(None, "End date YYYY-MM-DD")
    breakdowns: list[Breakdown] | None = arg(
        None, "Split the numbers by age, gender, publisher_platform, platform_position, device_platform, country, ...",
        flags=["--breakdown"], metavar="NAMES", comma_list=True)
    daily: bool = arg(False, "Add a day-by-day table (time_increment=1)")
    mode: Literal["auto", "sync", "async"] = arg("auto", "Sync paging or an async report job (auto: by size)")


class CheckArgs(BaseModel):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    date_preset: DatePreset = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")


def _report(kind: str, args: BaseModel, ctx: ToolContext) -> BaseModel:
    from skill.insights.reports import ReportRequest, run_report

    data = {k: v for k, v in args.model_dump().items() if v is not None}
    return run_report(ctx.settings, ctx.client(), kind, ReportRequest(**data), ctx.report)  # type: ignore[arg-type]


@tool("insights", InsightsArgs, safety="read", examples=(
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


@tool("daily_check", CheckArgs, command=("daily-check",), safety="read", examples=("meta-ads daily-check summer-sale-2026",))
def daily_check(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """The morning check: spend pace against budget, results and CPA against target, anything broken."""
    return _report("daily_check", args, ctx)


@tool("bleeders", CheckArgs, safety="read", examples=("meta-ads bleeders summer-sale-2026 --preset last_14d",))
def bleeders(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Ads losing money: CPA over target_cpa with enough impressions to judge, or CTR under min_ctr."""
    return _report("bleeders", args, ctx)


@tool("winners", CheckArgs, safety="read", examples=("meta-ads winners summer-sale-2026",))
def winners(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Ads to scale: the best cost per result, beating target_cpa (or the campaign average)."""
    return _report("winners", args, ctx)


@tool("fatigue", CheckArgs, safety="read", examples=("meta-ads fatigue summer-sale-2026 --preset last_14d",))
def fatigue(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """Creative fatigue: frequency above max_frequency, or CTR falling over the period."""
    return _report("fatigue", args, ctx)
