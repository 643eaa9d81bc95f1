"""Report data: what was fetched, judged into the numbers a report gives (pure, no I/O).

``ReportResult`` is what ``--json`` prints (Decimals as strings, never floats); the markdown
templates get the same numbers formatted by :func:`fmt`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from skill.insights import analysis
from skill.insights.analysis import AdLine, AdVerdict, Thresholds
from skill.insights.fetch import Target
from skill.insights.metrics import Metrics, Numbers, Row, money, numbers, result_kind, total
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
    """Everything read from Meta for one report."""

    rows: list[Row]
    daily: list[Row] = []
    split: list[Row] = []
    mode: str = "sync"
    currency: str = "USD"
    budgets: dict[str, dict[str, Any]] = {}  # ad set id → name, status, daily (Decimal or None)
    statuses: dict[str, str] = {}  # ad id → effective_status


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
    ads: list[AdResult]
    breakdown: list[SliceResult] = []
    daily: list[DayResult] = []
    statuses: dict[str, str] = {}  # ad id → effective_status (daily check, bleeders, winners)
    findings: list[str]
    flagged: list[str] = []  # ids of the ads a bleeders / winners / fatigue check names, in its order
    thresholds: dict[str, dict[str, str | None]]
    report_path: str | None = None
    chart_path: str | None = None

    @property
    def exit_code(self) -> int:
        return 0

    def render_text(self) -> str:
        head = f"{self.kind.replace('_', ' ').title()} · {self.campaign or 'ads'} · {self.period}"
        if self.empty:
            return f"{head}\nNo delivery yet: no impressions or spend in this period.\nReport: {self.report_path}"
        t = fmt(self.totals)
        lines = [head, f"Spend {t['spend']} {self.currency} · {t['impressions']} impressions · CTR {t['ctr']}% · "
                       f"{t['results']} {self.result_kind.replace('_', ' ')}s · cost/result {t['cpa']}"]
        for a in self.ads[:10]:
            v = fmt(a)
            lines.append(f"  {a.name[:28]:<28} spend {v['spend']:>10}  results {v['results']:>6}  "
                         f"cost/result {v['cpa']:>8}  {a.verdict}")
        if len(self.ads) > 10:
            lines.append(f"  … and {len(self.ads) - 10} more in the report")
        lines += [f"→ {f}" for f in self.findings] or ["→ nothing to act on"]
        lines.append(f"Report: {self.report_path}" + (f" (chart: {self.chart_path})" if self.chart_path else ""))
        return "\n".join(lines)


# ---------------------------------------------------------------- formatting for templates


def _rate(v: Decimal | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def _count(v: Decimal | int) -> str:
    return f"{v:,.0f}"


def fmt(n: Numbers) -> dict[str, str]:
    """The numbers as a report shows them: ``1,234.50``, ``2.71``, ``—`` for no value."""
    return {"spend": money(n.spend), "impressions": _count(n.impressions), "reach": _count(n.reach),
            "clicks": _count(n.clicks), "ctr": _rate(n.ctr), "cpc": money(n.cpc), "cpm": money(n.cpm),
            "frequency": _rate(n.frequency), "results": _count(n.results), "cpa": money(n.cost_per_result),
            "roas": _rate(n.roas), "purchase_value": money(n.purchase_value)}


def ad_view(a: AdResult) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "headline": a.headline, "image": a.image, "verdict": a.verdict, **fmt(a)}


# ---------------------------------------------------------------- judging


def ad_result(a: AdLine) -> AdResult:
    return AdResult(id=a.id, name=a.name, headline=a.headline, image=a.image, verdict=a.verdict, status=a.status,
                    **numbers(a.metrics, a.kind).model_dump())


def breakdown_results(rows: list[Row], kind: str) -> list[SliceResult]:
    """Breakdown rows summed over ads and days, most spend first."""
    grouped: dict[tuple[tuple[str, str], ...], Metrics] = defaultdict(Metrics)
    for row in rows:
        key = tuple(row.breakdown.items())
        grouped[key] = grouped[key] + row.metrics
    ordered = sorted(grouped.items(), key=lambda kv: (-kv[1].spend, kv[0]))
    return [SliceResult(key=dict(key), **numbers(m, kind).model_dump()) for key, m in ordered]


def daily_results(rows: list[Row], kind: str) -> list[DayResult]:
    by_day: dict[str, Metrics] = defaultdict(Metrics)
    for row in rows:
        by_day[row.date_start] = by_day[row.date_start] + row.metrics
    return [DayResult(day=day, **numbers(m, kind).model_dump()) for day, m in sorted(by_day.items())]


def build_result(kind: str, target: Target, period: str, got: Fetched, th: Thresholds, stack: StackSettings,
                 ) -> tuple[ReportResult, list[AdLine]]:
    """Judge what was fetched: the result, and the judged lines the chart and template need."""
    rk = result_kind(total(got.rows))
    lines = analysis.ad_lines(got.rows, target.names, target.headlines, target.images, th, rk)
    by_ad_daily = analysis.per_ad(got.daily)
    for line in lines:
        line.daily = sorted(by_ad_daily.get(line.id, []), key=lambda r: r.date_start)
        line.status = got.statuses.get(line.id)
    names = {a.id: a.name for a in lines} | target.names
    result = ReportResult(
        kind=kind, campaign=target.campaign, period=period, mode=got.mode,
        rows=len(got.rows) + len(got.daily) + len(got.split), currency=got.currency, result_kind=rk,
        empty=total(got.rows).impressions == 0, totals=numbers(total(got.rows), rk),
        ads=[ad_result(a) for a in lines], breakdown=breakdown_results(got.split, rk),
        daily=daily_results(got.daily, rk), statuses=dict(got.statuses),
        findings=findings(kind, lines, th, got, names), thresholds=thresholds_view(th, stack),
        flagged=flagged(kind, lines, th),
    )
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
        daily = daily_results(got.daily, result_kind(total(got.rows)))
        return (status_problems(got.statuses, names) + not_delivering(lines) + pace_problems(daily, got.budgets)
                + analysis.recommendations(lines, th))
    if kind == "bleeders":
        return [t for _, t in analysis.bleeders(lines, th)]
    if kind == "winners":
        return [t for _, t in analysis.winners(lines, th)]
    if kind == "fatigue":
        return [t for _, t in analysis.fatigue(lines, th)]
    return analysis.recommendations(lines, th)


def flagged(kind: str, lines: list[AdLine], th: Thresholds) -> list[str]:
    """The ads a check names (what ``--pause``, ``--scale`` and ``--refresh`` act on)."""
    check = {"bleeders": analysis.bleeders, "winners": analysis.winners, "fatigue": analysis.fatigue}.get(kind)
    return [line.id for line, _ in check(lines, th)] if check else []


def thresholds_view(th: Thresholds, stack: StackSettings) -> dict[str, dict[str, str | None]]:
    sources = th.sources(stack)
    values = th.model_dump()
    return {k: {"value": None if values[k] is None else str(values[k]), "source": sources.get(k, "default")}
            for k in values}

