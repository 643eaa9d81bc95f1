"""Reports: fetch, judge, chart, and render to markdown in the campaign's ``reports/`` folder.

``insights`` is the full report; ``daily_check``, ``bleeders``, ``winners`` and ``fatigue``
answer the daily questions. Every report recommends; none acts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from skill import analysis
from skill.analysis import AdLine, Thresholds
from skill.chart import bar_chart, trend_chart
from skill.events import Event, Reporter, silent
from skill.fileio import write_text_atomic
from skill.insights import (
    Mode,
    Target,
    build_query,
    check_breakdowns,
    check_period,
    fetch_rows,
    resolve_target,
)
from skill.metrics import Metrics, Row, money, result_kind, total
from skill.settings import Settings
from skill.templating import render

Kind = Literal["insights", "daily_check", "bleeders", "winners", "fatigue"]
CHECK_TITLES = {"bleeders": "Bleeders: ads to pause", "winners": "Winners: ads to scale",
                "fatigue": "Creative fatigue: ads to refresh"}


class ReportResult(BaseModel):
    """What a report found, as numbers (Decimals as strings in JSON) and where it was written."""

    kind: str
    campaign: str | None
    period: str
    mode: str
    rows: int
    currency: str
    result_kind: str
    empty: bool
    totals: dict[str, Any]
    ads: list[dict[str, Any]]
    findings: list[str]
    thresholds: dict[str, Any]
    report_path: str | None = None
    chart_path: str | None = None

    @property
    def exit_code(self) -> int:
        return 0

    def render_text(self) -> str:
        head = f"{self.kind.replace('_', ' ').title()} · {self.campaign or 'ads'} · {self.period}"
        if self.empty:
            return f"{head}\nNo delivery yet: no impressions or spend in this period.\nReport: {self.report_path}"
        t = self.totals
        lines = [head, f"Spend {t['spend']} {self.currency} · {t['impressions']} impressions · CTR {t['ctr']}% · "
                       f"{t['results']} {self.result_kind.replace('_', ' ')}s · cost/result {t['cpa']}"]
        for a in self.ads[:10]:
            lines.append(f"  {a['name'][:28]:<28} spend {a['spend']:>10}  results {a['results']:>6}  "
                         f"cost/result {a['cpa']:>8}  {a['verdict']}")
        lines += [f"→ {f}" for f in self.findings] or ["→ nothing to act on"]
        lines.append(f"Report: {self.report_path}" + (f" (chart: {self.chart_path})" if self.chart_path else ""))
        return "\n".join(lines)


# ---------------------------------------------------------------- formatting for templates


def _pct(v: Decimal | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def _num(v: Decimal | int) -> str:
    return f"{v:,.0f}"


def metrics_view(m: Metrics, kind: str) -> dict[str, Any]:
    return {"spend": money(m.spend), "impressions": _num(m.impressions), "reach": _num(m.reach),
            "clicks": _num(m.clicks), "ctr": _pct(m.ctr), "cpc": money(m.cpc), "cpm": money(m.cpm),
            "frequency": _pct(m.frequency), "results": _num(m.results(kind)), "cpa": money(m.cost_per_result(kind)),
            "roas": _pct(m.roas), "purchase_value": money(m.purchase_value)}


def ad_view(a: AdLine) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "headline": a.headline, "image": a.image, "verdict": a.verdict,
            **metrics_view(a.metrics, a.kind)}


def breakdown_views(rows: list[Row], kind: str) -> list[dict[str, Any]]:
    grouped: dict[tuple[tuple[str, str], ...], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[tuple(sorted(row.breakdown.items()))].append(row)
    views = [{"key": ", ".join(v for _, v in key), **metrics_view(total(group), kind), "_spend": total(group).spend}
             for key, group in grouped.items()]
    return sorted(views, key=lambda v: -v["_spend"])


def daily_views(rows: list[Row], kind: str) -> list[dict[str, Any]]:
    by_day: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_day[row.date_start].append(row)
    return [{"day": day, **metrics_view(total(group), kind), "_m": total(group)} for day, group in sorted(by_day.items())]


# ---------------------------------------------------------------- running a report


class ReportRequest(BaseModel):
    campaign: str | None = None
    ads: list[str] = []
    level: Literal["ad", "adset", "campaign"] = "ad"
    date_preset: str | None = "last_7d"
    since: str | None = None
    until: str | None = None
    breakdowns: list[str] = []
    daily: bool = False
    mode: Mode = "auto"


def run_report(settings: Settings, client: Any, kind: Kind, req: ReportRequest, report: Reporter = silent,
               today: datetime | None = None) -> ReportResult:
    check_period(req.date_preset, req.since, req.until)
    check_breakdowns(req.breakdowns)
    target = resolve_target(settings, req.campaign, req.ads)
    th = Thresholds.from_stack(settings.stack)
    period = dict(date_preset=req.date_preset, since=req.since, until=req.until)
    if not target.ad_ids and target.campaign:
        return _write(settings, kind, _empty(kind, target.campaign, req, th, settings), report, today, [], {})
    report(Event("fetch", f"Fetching insights for {len(target.ad_ids)} ad(s), {req.since or req.date_preset}..."))
    base = build_query(target, level=req.level, **period)
    rows, mode = fetch_rows(client, base, mode=req.mode, report=report)
    modes = {mode}
    daily_rows: list[Row] = []
    split_rows: list[Row] = []
    if req.daily or kind in ("fatigue", "daily_check"):
        daily_rows, m = fetch_rows(client, build_query(target, level=req.level, daily=True, **period),
                                   mode=req.mode, report=report)
        modes.add(m)
    if req.breakdowns:
        split_rows, m = fetch_rows(client, build_query(target, level=req.level, breakdowns=req.breakdowns, **period),
                                   mode=req.mode, report=report)
        modes.add(m)
    mode = "async" if "async" in modes else "sync"
    fetched = Fetched(rows=rows, daily=daily_rows, split=split_rows, mode=mode, currency=_currency(client, settings),
                      budgets=_budgets(client, target.adsets) if kind == "daily_check" else {})
    result, extra = build_result(kind, target, base.period_label, fetched, th, settings, req.breakdowns)
    return _write(settings, kind, result, report, today, extra["lines"], extra)


class Fetched(BaseModel):
    """Everything read from Meta for one report."""

    rows: list[Row]
    daily: list[Row] = []
    split: list[Row] = []
    mode: str = "sync"
    currency: str = "USD"
    budgets: dict[str, dict[str, Any]] = {}


def build_result(kind: str, target: Target, period: str, got: Fetched, th: Thresholds, settings: Settings,
                 breakdowns: list[str]) -> tuple[ReportResult, dict[str, Any]]:
    """Judge what was fetched (pure: no I/O), giving the result and what the template needs."""
    rk = result_kind(total(got.rows))
    lines = analysis.ad_lines(got.rows, target.names, target.headlines, target.images, th, rk)
    by_ad_daily = analysis.per_ad(got.daily)
    for line in lines:
        line.daily = sorted(by_ad_daily.get(line.id, []), key=lambda r: r.date_start)
    result = ReportResult(
        kind=kind, campaign=target.campaign, period=period, mode=got.mode,
        rows=len(got.rows) + len(got.daily) + len(got.split), currency=got.currency,
        result_kind=rk, empty=total(got.rows).impressions == 0, totals=metrics_view(total(got.rows), rk),
        ads=[ad_view(a) for a in lines], findings=_findings(kind, lines, th), thresholds=_thresholds_view(th, settings),
    )
    daily = daily_views(got.daily, rk)
    budget_total = sum((b["_daily"] for b in got.budgets.values() if b.get("_daily")), Decimal(0))
    pace = (daily[-1]["_m"].spend / budget_total * 100) if daily and budget_total else None
    extra = {"lines": lines, "breakdown": breakdown_views(got.split, rk), "breakdowns": breakdowns,
             "daily": daily, "th": th, "budgets": got.budgets, "pace": None if pace is None else f"{pace:.0f}"}
    return result, extra


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


def _findings(kind: str, lines: list[AdLine], th: Thresholds) -> list[str]:
    if kind == "daily_check":
        return not_delivering(lines) + analysis.recommendations(lines, th)
    if kind == "bleeders":
        return [t for _, t in analysis.bleeders(lines, th)]
    if kind == "winners":
        return [t for _, t in analysis.winners(lines, th)]
    if kind == "fatigue":
        return [t for _, t in analysis.fatigue(lines, th)]
    return analysis.recommendations(lines, th)


def _thresholds_view(th: Thresholds, settings: Settings) -> dict[str, Any]:
    sources = th.sources(settings.stack)
    values = th.model_dump()
    return {k: {"value": None if values[k] is None else str(values[k]), "source": sources.get(k, "default")}
            for k in values}


def _currency(client: Any, settings: Settings) -> str:
    try:
        return str(client.get(settings.require_ad_account(), {"fields": "currency"}).get("currency") or "USD")
    except Exception:  # the report does not depend on it
        return "USD"


def _budgets(client: Any, adsets: list[str]) -> dict[str, dict[str, Any]]:
    budgets = {}
    for adset in adsets:
        data = client.get(adset, {"fields": "name,daily_budget,status"})
        cents = data.get("daily_budget")
        budgets[adset] = {"name": data.get("name", adset), "status": data.get("status"),
                          "daily": money(Decimal(str(cents)) / 100) if cents else None,
                          "_daily": Decimal(str(cents)) / 100 if cents else None}
    return budgets


def _empty(kind: str, campaign: str, req: ReportRequest, th: Thresholds, settings: Settings) -> ReportResult:
    return ReportResult(kind=kind, campaign=campaign, period=req.since and f"{req.since}_{req.until}" or
                        (req.date_preset or "last_7d"), mode="none", rows=0, currency="USD", result_kind="purchase",
                        empty=True, totals=metrics_view(Metrics(), "purchase"), ads=[],
                        findings=["no ads uploaded for this campaign yet: run `meta-ads upload " + campaign + "`"],
                        thresholds=_thresholds_view(th, settings))


# ---------------------------------------------------------------- writing


def report_dir(settings: Settings, campaign: str | None) -> Path:
    return settings.campaign_dir(campaign) / "reports" if campaign else settings.workspace / "reports"


def _write(settings: Settings, kind: str, result: ReportResult, report: Reporter, today: datetime | None,
           lines: list[AdLine], extra: dict[str, Any]) -> ReportResult:
    stamp = (today or datetime.now(UTC)).strftime("%Y-%m-%d")
    stem = f"{kind.replace('_', '-')}-{result.period}-{stamp}"
    folder = report_dir(settings, result.campaign)
    chart = None
    if lines and not result.empty:
        chart = _chart(folder / f"{stem}.png", result, lines, extra)
    result.chart_path = str(chart) if chart else None
    text = render_report(kind, result, extra, chart.name if chart else None, stamp)
    path = folder / f"{stem}.md"
    write_text_atomic(path, text)
    result.report_path = str(path)
    report(Event("written", f"✓ Report written: {path}"))
    return result


def _chart(path: Path, result: ReportResult, lines: list[AdLine], extra: dict[str, Any]) -> Path:
    th: Thresholds = extra["th"]
    if extra.get("daily") and result.kind in ("daily_check", "fatigue"):
        days = extra["daily"]
        return trend_chart(path, f"{result.campaign or 'ads'} · daily spend and cost per result",
                           [d["day"] for d in days], [d["_m"].spend for d in days],
                           [d["_m"].cost_per_result(result.result_kind) for d in days])
    return bar_chart(path, f"{result.campaign or 'ads'} · {result.period} · spend and cost per result",
                     [a.name for a in lines], [a.metrics.spend for a in lines], [a.cpa for a in lines],
                     th.target_cpa)


def render_report(kind: str, result: ReportResult, extra: dict[str, Any], chart: str | None, stamp: str) -> str:
    template = {"insights": "insights.md.j2", "daily_check": "daily_check.md.j2"}.get(kind, "ad_check.md.j2")
    lines: list[AdLine] = extra.get("lines", [])
    best, worst = best_and_worst(lines)
    return render(template, r=result, title=CHECK_TITLES.get(kind, kind), chart=chart, date=stamp,
                  best=ad_view(best) if best else None, worst=ad_view(worst) if worst else None,
                  breakdown=extra.get("breakdown", []), breakdowns=extra.get("breakdowns", []),
                  daily=extra.get("daily", []), budgets=extra.get("budgets", {}),
                  yesterday=extra["daily"][-1] if extra.get("daily") else None, pace=extra.get("pace"))
