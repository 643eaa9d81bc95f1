"""Report data: what was fetched, judged into the numbers a report gives (pure, no I/O).

``ReportResult`` is what ``--json`` prints (Decimals as JSON numbers, see ``skill/jsonout.py``); the markdown
templates get the same numbers formatted by :func:`fmt`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from skill.insights import analysis
from skill.insights.aggregate import Aggregate
from skill.insights.analysis import AdLine, AdVerdict, Thresholds
from skill.insights.fetch import HOURLY
from skill.insights.metrics import Numbers, changes, fmt, numbers, result_kind
from skill.insights.targets import Target
from skill.models import StackSettings

PROBLEM_STATUSES = {"DISAPPROVED": "rejected by review: edit the copy or image and re-upload",
                    "WITH_ISSUES": "has delivery issues: open it in Ads Manager",
                    "PENDING_BILLING_INFO": "waiting for billing information on the ad account",
                    "ADSET_PAUSED": "its ad set is paused", "CAMPAIGN_PAUSED": "its campaign is paused"}
OVERSPEND_PCT, UNDERSPEND_PCT = 175, 50  # a day's spend against the daily budget


class AdResult(Numbers, AdVerdict):
    """One ad (or ad set / campaign at those levels) over the period, judged, with its numbers."""


class SliceResult(Numbers):
    """One breakdown value (e.g. ``{"age": "25-34", "gender": "female"}``) summed over the ads and days."""

    key: dict[str, str]


class DayResult(Numbers):
    day: str


class Fetched(BaseModel):
    """Everything read from Meta for one report, folded into the sums the report needs (rows
    already in hand may be given as lists of Row: they are folded the same way)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    rows: Aggregate  # the period, one row per ad (ad set, campaign)
    daily: Aggregate = Field(default_factory=lambda: Aggregate(series=True))  # per object and day
    split: Aggregate = Field(default_factory=Aggregate)  # per breakdown value (and day, with --daily)
    mode: str = "sync"
    currency: str = "USD"
    budgets: dict[str, dict[str, Any]] = {}  # ad set id → name, status, daily (Decimal or None)
    statuses: dict[str, str] = {}  # ad (ad set, campaign) id → effective_status
    previous: Aggregate | None = None  # the period before, for --compare previous
    previous_period: str | None = None

    @field_validator("rows", "daily", "split", "previous", mode="before")
    @classmethod
    def _fold(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, list):
            return Aggregate.of(value, series=info.field_name == "daily")
        return value


class ReportResult(BaseModel):
    """What a report found (money as decimal strings in JSON) and where it was written."""

    kind: str
    campaign: str | None
    period: str
    mode: str
    rows: int
    currency: str
    result_kind: str
    empty: bool
    totals: Numbers
    ads: list[AdResult]  # one per ad, ad set or campaign (see level)
    level: str = "ad"
    breakdowns: list[str] = []
    breakdown: list[SliceResult] = []
    daily: list[DayResult] = []
    statuses: dict[str, str] = {}  # ad (ad set, campaign) id → effective_status, read live
    pace: Decimal | None = None  # the last day's spend, % of the daily budget (daily check)
    previous_period: str | None = None
    previous: Numbers | None = None  # totals of the period before (--compare previous)
    changes: dict[str, Decimal | None] = {}  # metric → % change against the previous period
    findings: list[str]
    flagged: list[str] = []  # ids of the ads a bleeders / winners / fatigue check names, in its order
    thresholds: dict[str, dict[str, Decimal | int | str | None]]  # name → {value (a number), source}
    report_path: str | None = None
    chart_path: str | None = None

    @property
    def exit_code(self) -> int:
        return 0

    def render_text(self) -> str:
        from skill.insights.terminal import render_text

        return render_text(self)


# ---------------------------------------------------------------- formatting for templates


def ad_view(a: AdResult) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "headline": a.headline, "image": a.image, "verdict": a.verdict, **fmt(a)}


# ---------------------------------------------------------------- judging


def ad_result(a: AdLine) -> AdResult:
    return AdResult(id=a.id, name=a.name, headline=a.headline, image=a.image, verdict=a.verdict, status=a.status,
                    **numbers(a.metrics, a.kind).model_dump())


def breakdown_results(split: Aggregate, kind: str) -> list[SliceResult]:
    """Breakdown rows summed over ads and days, most spend first."""
    grouped = split.per_slice() if split.count else {}
    by_hour = any(k == HOURLY for key in grouped for k, _ in key)  # hours read best in clock order
    ordered = sorted(grouped.items(), key=lambda kv: kv[0] if by_hour else (-kv[1].spend, kv[0]))
    return [SliceResult(key=dict(key), **numbers(m, kind).model_dump()) for key, m in ordered]


def daily_results(daily: Aggregate, kind: str) -> list[DayResult]:
    by_day = daily.per_day()
    return [DayResult(day=day, **numbers(m, kind).model_dump()) for day, m in sorted(by_day.items())]


def build_result(kind: str, target: Target, period: str, got: Fetched, th: Thresholds, stack: StackSettings,
                 *, level: str = "ad", wanted: str | None = None, breakdowns: list[str] | None = None,
                 ) -> tuple[ReportResult, list[AdLine]]:
    """Judge what was fetched: the result, and the judged lines the chart and template need."""
    period_total = got.rows.total
    rk = result_kind(period_total, wanted or stack.result_action)
    lines = analysis.ad_lines(got.rows.per_object(), {} if level != "ad" else target.known | target.names,
                              target.headlines, target.images, th, rk)
    before = got.previous.object_totals() if got.previous is not None else {}
    for line in lines:
        line.daily = got.daily.days_of(line.id)
        line.status = got.statuses.get(line.id)
        line.level = level
        line.before = before.get(line.id) if got.previous is not None else None
    names = {a.id: a.name for a in lines} | target.names
    daily = daily_results(got.daily, rk)
    result = ReportResult(
        kind=kind, campaign=target.label, period=period, mode=got.mode, level=level,
        rows=got.rows.count + got.daily.count + got.split.count, currency=got.currency, result_kind=rk,
        empty=period_total.impressions == 0, totals=numbers(period_total, rk),
        ads=[ad_result(a) for a in lines], breakdowns=list(breakdowns or []),
        breakdown=breakdown_results(got.split, rk), daily=daily, statuses=dict(got.statuses),
        pace=pace(daily, got.budgets), findings=findings(kind, lines, th, got, names),
        thresholds=thresholds_view(th, stack), previous_period=got.previous_period,
        flagged=flagged(kind, lines, th),
    )
    if got.previous is not None:
        result.previous = numbers(got.previous.total, rk)
        result.changes = changes(result.totals, result.previous)
    return result, lines


def best_and_worst(lines: list[AdLine]) -> tuple[AdLine | None, AdLine | None]:
    """Best: lowest cost per result. Worst: the most spent with no result, else the highest cost."""
    judged = [a for a in lines if a.cpa is not None]
    best = judged[0] if judged else None
    wasted = [a for a in lines if a.cpa is None and a.metrics.spend > 0]
    worst = max(wasted, key=lambda a: a.metrics.spend) if wasted else (judged[-1] if len(judged) > 1 else None)
    return best, (worst if worst is not best else None)


def not_delivering(lines: list[AdLine]) -> list[str]:
    """Ads with no impressions on the last day of data: paused, rejected or out of budget."""
    days = sorted({r.date_start for a in lines for r in a.daily})
    if not days:
        return []
    last = days[-1]
    return [f"check {a.name}: no impressions on {last} (paused, in review, rejected or out of budget?)"
            for a in lines if sum(r.metrics.impressions for r in a.daily if r.date_start == last) == 0]


def status_problems(statuses: dict[str, str], names: dict[str, str]) -> list[str]:
    return [f"check {names.get(ad, ad)}: {status}, {PROBLEM_STATUSES[status]}"
            for ad, status in statuses.items() if status in PROBLEM_STATUSES]


def pace(daily: list[DayResult], budgets: dict[str, dict[str, Any]]) -> Decimal | None:
    """The last day's spend as a percentage of the ad sets' combined daily budget."""
    budget = sum((b["daily"] for b in budgets.values() if b.get("daily")), Decimal(0))
    if not daily or not budget:
        return None
    return (daily[-1].spend / budget * 100).quantize(Decimal(1))


def pace_problems(daily: list[DayResult], budgets: dict[str, dict[str, Any]]) -> list[str]:
    """A last day far above what Meta's pacing allows, or far under budget."""
    pct = pace(daily, budgets)
    if pct is None:
        return []
    if pct > OVERSPEND_PCT:
        return [f"check spend: {daily[-1].day} spent {pct}% of the daily budget, above the 175% Meta allows "
                "on one day (budget changed, or several ad sets share it?)"]
    if pct < UNDERSPEND_PCT:
        return [f"check delivery: {daily[-1].day} spent only {pct}% of the daily budget (audience too narrow, "
                "bid or cost cap too low, or ads paused?)"]
    return []


def findings(kind: str, lines: list[AdLine], th: Thresholds, got: Fetched, names: dict[str, str]) -> list[str]:
    if kind == "daily_check":
        daily = daily_results(got.daily, lines[0].kind if lines else "purchase")
        return (status_problems(got.statuses, names) + not_delivering(lines) + pace_problems(daily, got.budgets)
                + analysis.recommendations(lines, th))
    if kind == "bleeders":
        return analysis.trended(analysis.bleeders(lines, th))
    if kind == "winners":
        return analysis.trended(analysis.winners(lines, th))
    if kind == "fatigue":
        return analysis.trended(analysis.fatigue(lines, th))
    return analysis.recommendations(lines, th)


def flagged(kind: str, lines: list[AdLine], th: Thresholds) -> list[str]:
    """The ads a check names (what ``--pause``, ``--scale`` and ``--refresh`` act on)."""
    check = {"bleeders": analysis.bleeders, "winners": analysis.winners, "fatigue": analysis.fatigue}.get(kind)
    return [line.id for line, _ in check(lines, th)] if check else []


def thresholds_view(th: Thresholds, stack: StackSettings) -> dict[str, dict[str, Decimal | int | str | None]]:
    sources = th.sources(stack)
    values = th.model_dump()
    return {k: {"value": values[k], "source": sources.get(k, "default")}
            for k in values}

