"""Insights and the daily questions: reports, daily check, bleeders, winners, fatigue."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from skill.insights.fetch import BREAKDOWN_WORDS, BREAKDOWNS, DATE_PRESETS
from skill.insights.metrics import RESULT_FIELDS
from skill.registry import Args, ToolContext, arg, tool

PRESET_HELP = "Meta date preset: today, yesterday, last_7d, last_14d, last_30d, this_month, last_month, maximum, ..."
DatePreset = Literal[DATE_PRESETS]  # type: ignore[valid-type]
Breakdown = Literal[BREAKDOWNS + tuple(BREAKDOWN_WORDS)]  # type: ignore[valid-type]
ResultAction = Literal[tuple(RESULT_FIELDS)]  # type: ignore[valid-type]


class InsightsArgs(Args):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    ads: list[str] | None = arg(None, "Ad ids or ad names; with a campaign, only those of its ads",
                                flags=["--ad"], metavar="AD")
    campaign_ids: list[str] | None = arg(None, "Meta campaign ids to report on",
                                         flags=["--campaign-id"], metavar="ID")
    adsets: list[str] | None = arg(None, "Meta ad set ids to report on", flags=["--adset"],
                                   metavar="ID")
    level: Literal["ad", "adset", "campaign"] = arg("ad", "Rows per ad, ad set or campaign (only the ads asked for)")
    date_preset: DatePreset = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")
    since: str | None = arg(None, "Start date YYYY-MM-DD (with until, instead of date_preset)")
    until: str | None = arg(None, "End date YYYY-MM-DD")
    breakdowns: list[Breakdown] | None = arg(
        None, "age, gender, publisher_platform, platform_position, device_platform, country, region, dma, "
              "product_id, hourly (dma, product_id and hourly on their own)",
        flags=["--breakdown"], metavar="NAMES", comma_list=True)
    daily: bool = arg(False, "Add a day-by-day table (time_increment=1)")
    result: ResultAction | None = arg(None, "What counts as a result (default: result_action in stack.md, else "
                                            "purchases, leads or link clicks, whichever there are)", metavar="ACTION")
    compare: Literal["previous"] | None = arg(None, "previous: every total and ratio against the period just "
                                                   "before, and recommendations that use the trend")
    mode: Literal["auto", "sync", "async"] = arg("auto", "Sync paging or an async report job (auto: by size)")


class CheckArgs(Args):
    campaign: str | None = arg(None, "Campaign folder under workspace/campaigns/ (its uploaded ads)", positional=True)
    ads: list[str] | None = arg(None, "Only these ads (ids or names; with a campaign, its ads among them)",
                                flags=["--ad"], metavar="AD")
    campaign_ids: list[str] | None = arg(None, "Meta campaign ids", flags=["--campaign-id"], metavar="ID")
    adsets: list[str] | None = arg(None, "Meta ad set ids", flags=["--adset"], metavar="ID")
    date_preset: DatePreset = arg("last_7d", PRESET_HELP, flags=["--preset", "--date-preset"], metavar="PRESET")
    result: ResultAction | None = arg(None, "What counts as a result (default: result_action in stack.md)",
                                      metavar="ACTION")
    compare: Literal["previous"] | None = arg(None, "previous: weigh each finding by its trend against the "
                                                   "period just before")


class BleedersArgs(CheckArgs):
    pause: bool = arg(False, "Turn the list into a preview of the pauses (confirmed: pause them)")
    yes: bool = arg(False, "With pause: really pause the ads the preview lists")


class WinnersArgs(CheckArgs):
    scale: str | None = arg(None, "Preview raising the winners' ad set (or CBO campaign) budgets by PCT, e.g. 20%; "
                                  "confirmed: do it", metavar="PCT")
    yes: bool = arg(False, "With scale: really raise the budgets the preview lists")


class FatigueArgs(CheckArgs):
    refresh: bool = arg(False, "Preview refreshing the fatigued ads' creatives from their {stem}-v2.json specs "
                               "(confirmed: do it)")
    mode: Literal["swap", "new-ad"] | None = arg(None, "swap: point the ad at the new creative; new-ad: a v2 ad, "
                                                       "old one paused (default: refresh_mode in stack.md, else swap)")
    yes: bool = arg(False, "With refresh: really refresh the ads the preview lists")


def _command(name: str, args: BaseModel, flag: str, value: str | None = None) -> str:
    parts = ["meta-ads", name] + ([args.campaign] if getattr(args, "campaign", None) else [])  # type: ignore[list-item]
    parts += [f"--preset {args.date_preset}", flag] + ([value] if value else [])  # type: ignore[attr-defined]
    return " ".join(parts)


def _report(kind: str, args: BaseModel, ctx: ToolContext) -> BaseModel:
    from skill.insights.reports import ReportRequest, run_report

    fields = ReportRequest.model_fields
    data = {k: v for k, v in args.model_dump().items() if v is not None and k in fields}
    if data.get("mode") not in (None, "auto", "sync", "async"):  # fatigue's --mode is the refresh's, not the read's
        data.pop("mode")
    data["ads"] = data.get("ads") or []
    return run_report(ctx.settings, ctx.client(), kind, ReportRequest(**data), ctx.report)  # type: ignore[arg-type]


@tool("insights", InsightsArgs, safety="read", examples=(
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


@tool("daily_check", CheckArgs, command=("daily-check",), safety="read", examples=("meta-ads daily-check summer-sale-2026",))
def daily_check(args: CheckArgs, ctx: ToolContext) -> BaseModel:
    """The morning check: spend pace against budget, results and CPA against target, anything broken."""
    return _report("daily_check", args, ctx)


@tool("bleeders", BleedersArgs, safety="write", examples=(
    "meta-ads bleeders summer-sale-2026 --preset last_14d",
    "meta-ads bleeders summer-sale-2026 --pause          (preview: which ads would be paused)",
    "meta-ads bleeders summer-sale-2026 --pause --yes    (pauses them, after the user said yes)",
))
def bleeders(args: BleedersArgs, ctx: ToolContext) -> BaseModel:
    """Ads losing money: CPA over target_cpa with enough impressions to judge, or CTR under min_ctr.

    With pause: the list becomes a preview of the exact pauses; nothing happens without yes.
    """
    result = _report("bleeders", args, ctx)
    if not args.pause:
        return result
    from skill.account.actions import pause_bleeders

    return pause_bleeders(ctx.settings, ctx.client(), result, args.yes,  # type: ignore[arg-type]
                          command=_command("bleeders", args, "--pause"), report=ctx.report, via=ctx.via)


@tool("winners", WinnersArgs, safety="spend", examples=(
    "meta-ads winners summer-sale-2026",
    "meta-ads winners summer-sale-2026 --compare previous",
    "meta-ads winners summer-sale-2026 --scale 20%        (preview: budgets before and after)",
    "meta-ads winners summer-sale-2026 --scale 20% --yes  (raises them, after the user said yes)",
))
def winners(args: WinnersArgs, ctx: ToolContext) -> BaseModel:
    """Ads to scale: the best cost per result, beating target_cpa (or the campaign average).

    With scale: a preview of raising each winner's ad set (or CBO campaign) budget by that much,
    within the stack.md guardrails; nothing happens without yes.
    """
    result = _report("winners", args, ctx)
    if not args.scale:
        return result
    from skill.account.actions import scale_winners

    return scale_winners(ctx.settings, ctx.client(), result, args.scale, args.yes,  # type: ignore[arg-type]
                         command=_command("winners", args, "--scale", args.scale), report=ctx.report, via=ctx.via)


@tool("fatigue", FatigueArgs, safety="write", examples=(
    "meta-ads fatigue summer-sale-2026 --preset last_14d",
    "meta-ads fatigue summer-sale-2026 --refresh          (preview: which creatives would be replaced)",
    "meta-ads fatigue summer-sale-2026 --refresh --yes",
))
def fatigue(args: FatigueArgs, ctx: ToolContext) -> BaseModel:
    """Creative fatigue: frequency above max_frequency, or CTR falling over the period.

    With refresh: a preview of refreshing each fatigued ad from its {stem}-v2.json spec (write one
    with the copy tool's fresh_angle); nothing happens without yes.
    """
    result = _report("fatigue", args, ctx)
    if not args.refresh:
        return result
    from skill.account.actions import refresh_fatigued

    return refresh_fatigued(ctx.settings, ctx.client(), result, args.mode, args.yes,  # type: ignore[arg-type]
                            command=_command("fatigue", args, "--refresh"), report=ctx.report, via=ctx.via)
