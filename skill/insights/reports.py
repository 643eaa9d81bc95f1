"""Reports: fetch, judge, chart, and render to markdown in the campaign's ``reports/`` folder.

``insights`` is the full report; ``daily_check``, ``bleeders``, ``winners`` and ``fatigue``
answer the daily questions. Every report recommends; none acts.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from skill.errors import GraphError, UsageError
from skill.events import Event, Reporter, silent
from skill.fileio import write_text_atomic
from skill.graph import BatchOp
from skill.insights.aggregate import Aggregate
from skill.insights.analysis import AdLine, Thresholds
from skill.insights.chart import bar_chart, trend_chart
from skill.insights.fetch import HOURLY, Mode, check_breakdowns, check_period, fold_many, read_many
from skill.insights.metrics import FUNNEL, RESULT_FIELDS, Metrics, money, numbers
from skill.insights.periods import previous
from skill.insights.report_data import (
    Fetched,
    ReportResult,
    ad_result,
    ad_view,
    best_and_worst,
    build_result,
    fmt,
    pace,
    thresholds_view,
)
from skill.insights.targets import Target, build_query, resolve_target
from skill.insights.terminal import FUNNEL_WORDS, LEVEL_WORDS, signed
from skill.settings import Settings
from skill.templating import render

Kind = Literal["insights", "daily_check", "bleeders", "winners", "fatigue"]
TEMPLATES = {"insights": "insights.md.j2", "daily_check": "daily_check.md.j2"}  # the others: ad_check.md.j2
CHECK_TITLES = {"bleeders": "Bleeders: ads to pause", "winners": "Winners: ads to scale",
                "fatigue": "Creative fatigue: ads to refresh"}
DAILY_KINDS = ("daily_check", "fatigue")  # need day-by-day rows whatever was asked


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
    campaign_ids: list[str] = []  # Meta campaign ids (--campaign-id)
    adsets: list[str] = []  # Meta ad set ids (--adset)
    result: str | None = None  # the action counted as a result (default: result_action in stack.md)
    compare: Literal["previous"] | None = None


def check_result(action: str | None) -> str | None:
    if action is not None and action not in RESULT_FIELDS:
        raise UsageError(f"unknown result {action!r}; use one of: {', '.join(RESULT_FIELDS)}",
                         hint="--result, or result_action in brand/stack.md")
    return action


def run_report(settings: Settings, client: Any, kind: Kind, req: ReportRequest, report: Reporter = silent,
               today: datetime | None = None) -> ReportResult:
    """Fetch what ``kind`` needs, judge it, draw the chart and write the markdown report."""
    check_period(req.date_preset, req.since, req.until)
    req = req.model_copy(update={"breakdowns": check_breakdowns(req.breakdowns)})
    wanted = check_result(req.result or settings.stack.result_action)
    target = resolve_target(settings, req.campaign, req.ads, req.campaign_ids, req.adsets)
    th = Thresholds.from_stack(settings.stack)
    if target.empty:
        return write_report(settings, _no_ads(kind, target, req, th, settings), [], report, today=today)
    what = f"{len(target.ad_ids)} ad(s)" if target.ad_ids else (target.label or "the objects asked for")
    report(Event("fetch", f"Fetching insights for {what}, "
                          f"{f'{req.since} to {req.until}' if req.since else req.date_preset}..."))
    got = fetch_all(settings, client, kind, target, req, report, today=today)
    period = build_query(target, date_preset=req.date_preset, since=req.since, until=req.until).period_label
    result, lines = build_result(kind, target, period, got, th, settings.stack, level=req.level, wanted=wanted,
                                 breakdowns=req.breakdowns)
    return write_report(settings, result, lines, report, budgets=got.budgets, breakdowns=req.breakdowns, today=today,
                        req=req)


def fetch_all(settings: Settings, client: Any, kind: str, target: Target, req: ReportRequest,
              report: Reporter = silent, today: datetime | None = None) -> Fetched:
    """The period's rows, plus day-by-day, breakdown and previous-period rows, budgets and live statuses."""
    period = dict(level=req.level, date_preset=req.date_preset, since=req.since, until=req.until)
    queries = {"rows": build_query(target, **period)}
    before = None
    if req.compare == "previous":
        day = (today or datetime.now(UTC)).date()
        before = previous(req.since, req.until, req.date_preset, day)
        queries["previous"] = build_query(target, level=req.level, date_preset=None, since=before[0],
                                          until=before[1])
    if req.daily or kind in DAILY_KINDS:
        queries["daily"] = build_query(target, daily=True, **period)
    if req.breakdowns:  # with --daily, asked per day too (the report sums the days)
        queries["split"] = build_query(target, breakdowns=req.breakdowns, daily=req.daily, **period)
    folded = {name: Aggregate(series=name == "daily") for name in queries}  # rows summed as they arrive
    modes = set(fold_many(client, list(queries.values()), list(folded.values()), mode=req.mode, report=report))
    rows = folded["rows"]
    statuses = (_statuses(client, target) if req.level == "ad" and target.adsets and not target.adset_ids
                and not target.campaign_ids else _object_statuses(client, sorted(rows.objects)))
    adsets = target.adset_ids or target.adsets
    return Fetched(rows=rows, daily=folded.get("daily", Aggregate(series=True)), split=folded.get("split", Aggregate()),
                   mode="async" if "async" in modes else "sync", currency=_currency(client, settings),
                   budgets=_budgets(client, adsets) if kind == "daily_check" else {}, statuses=statuses,
                   previous=folded.get("previous"),
                   previous_period=f"{before[0]} to {before[1]}" if before else None)


def _currency(client: Any, settings: Settings) -> str:
    if not settings.ad_account:
        return "USD"
    try:
        return str(client.get(settings.ad_account, {"fields": "currency"}).get("currency") or "USD")
    except GraphError:  # the report does not depend on it
        return "USD"


def _budgets(client: Any, adsets: list[str]) -> dict[str, dict[str, Any]]:
    """Ad set id → name, status and daily budget (Meta gives it in cents, as a string)."""
    budgets = {}
    for adset in adsets:
        data = client.get(adset, {"fields": "name,daily_budget,status"})
        cents = data.get("daily_budget")
        budgets[adset] = {"name": data.get("name", adset), "status": data.get("status"),
                          "daily": Decimal(str(cents)) / 100 if cents else None}
    return budgets


def _statuses(client: Any, target: Target) -> dict[str, str]:
    """Ad id → effective_status: the listings of the ad sets the workspace knows (several in one batch
    call), else one read per ad."""
    wanted = set(target.ad_ids)
    out: dict[str, str] = {}
    params = {"fields": "id,effective_status", "limit": 500}
    for source in read_many(client, [f"{adset}/ads" for adset in target.adsets], params) if target.adsets else []:
        for ad in source:
            if str(ad.get("id")) in wanted and ad.get("effective_status"):
                out[str(ad["id"])] = str(ad["effective_status"])
    for ad_id in [a for a in target.ad_ids if a not in out]:
        try:
            status = client.get(ad_id, {"fields": "effective_status"}).get("effective_status")
        except GraphError:  # deleted or not ours: the insights say the rest
            continue
        if status:
            out[ad_id] = str(status)
    return out


def _object_statuses(client: Any, ids: list[str]) -> dict[str, str]:
    """Id → effective_status of ads, ad sets or campaigns: their reads in batch calls."""
    if not ids:
        return {}
    results = client.batch([BatchOp("GET", f"{i}?fields=effective_status") for i in ids])
    out = {}
    for obj, res in zip(ids, results, strict=True):
        if res.ok and isinstance(res.data, dict) and res.data.get("effective_status"):
            out[obj] = str(res.data["effective_status"])
    return out


def _no_ads(kind: str, target: Target, req: ReportRequest, th: Thresholds, settings: Settings) -> ReportResult:
    period = f"{req.since}_{req.until}" if req.since else (req.date_preset or "last_7d")
    return ReportResult(kind=kind, campaign=target.label, period=period, mode="none", rows=0, currency="USD",
                        result_kind="purchase", empty=True, totals=numbers(Metrics(), "purchase"), ads=[],
                        findings=[f"no ads uploaded for this campaign yet: run `meta-ads upload {target.campaign}`"],
                        thresholds=thresholds_view(th, settings.stack))


# ---------------------------------------------------------------- writing


def report_dir(settings: Settings, campaign: str | None) -> Path:
    return settings.campaign_dir(campaign) / "reports" if campaign else settings.workspace / "reports"


def report_stem(result: ReportResult, stamp: str, req: ReportRequest | None = None) -> str:
    """``insights-summer-sale-2026-last_7d-by-age-gender-2026-11-30``: one file per question a day."""
    parts = [result.kind.replace("_", "-"), result.campaign or "ads", result.period]
    if req is not None:
        if req.ads:
            more = f"-and-{len(req.ads) - 3}-more" if len(req.ads) > 3 else ""
            parts.append("ads-" + "-".join(a.replace(" ", "") for a in req.ads[:3]) + more)
        if req.level != "ad":
            parts.append(f"per-{req.level}")
        if req.breakdowns:
            parts.append("by-" + "-".join("hour" if b.startswith("hourly") else b for b in req.breakdowns))
        if req.daily:
            parts.append("daily")
        if req.result:
            parts.append(req.result)
        if req.compare:
            parts.append("vs-previous")
    return "-".join([*parts, stamp]).replace("/", "-")


def write_report(settings: Settings, result: ReportResult, lines: list[AdLine], report: Reporter = silent, *,
                 budgets: dict[str, dict[str, Any]] | None = None, breakdowns: list[str] | None = None,
                 today: datetime | None = None, req: ReportRequest | None = None) -> ReportResult:
    """Draw the chart (when there is delivery) and write the report (:func:`report_stem`) beside it."""
    stamp = (today or datetime.now(UTC)).strftime("%Y-%m-%d")
    stem = report_stem(result, stamp, req)
    folder = report_dir(settings, result.campaign if result.campaign in settings.campaigns() else None)
    chart = draw_chart(folder / f"{stem}.png", result, lines, settings) if lines and not result.empty else None
    result.chart_path = str(chart) if chart else None
    text = render_report(result, lines, folder, chart=chart.name if chart else None, date=stamp,
                         budgets=budgets or {}, breakdowns=breakdowns or [])
    path = folder / f"{stem}.md"
    write_text_atomic(path, text)
    result.report_path = str(path)
    report(Event("written", f"✓ Report written: {path}"))
    return result


def draw_chart(path: Path, result: ReportResult, lines: list[AdLine], settings: Settings) -> Path:
    """A daily trend for the daily check and fatigue (when there are days), else spend and CPA per ad."""
    target = Thresholds.from_stack(settings.stack).target_cpa
    label = result.campaign or "selected ads"
    if result.daily and result.kind in DAILY_KINDS:
        return trend_chart(path, f"{label} · {result.period} · spend and cost per result by day",
                           [d.day for d in result.daily], [d.spend for d in result.daily],
                           [d.cost_per_result for d in result.daily], target)
    return bar_chart(path, f"{label} · {result.period} · spend and cost per result by ad",
                     [a.name for a in lines], [a.metrics.spend for a in lines], [a.cpa for a in lines], target)


def render_report(result: ReportResult, lines: list[AdLine], folder: Path, *, chart: str | None, date: str,
                  budgets: dict[str, dict[str, Any]], breakdowns: list[str]) -> str:
    """The markdown for ``result`` (images linked relative to ``folder``, where the report is written)."""
    best, worst = best_and_worst(lines)
    names = {a.id: a.name for a in result.ads}
    pct = pace(result.daily, budgets)
    return render(
        TEMPLATES.get(result.kind, "ad_check.md.j2"), r=result, title=CHECK_TITLES.get(result.kind, result.kind),
        chart=chart, date=date, totals=fmt(result.totals), ads=[ad_view(a) for a in result.ads],
        best=_with_image(best, folder), worst=_with_image(worst, folder), breakdowns=breakdowns,
        breakdown=[{"key": ", ".join(s.key.get(b, "") for b in breakdowns) if breakdowns else ", ".join(s.key.values()),
                    **fmt(s)} for s in result.breakdown],
        daily=[{"day": d.day, **fmt(d)} for d in result.daily],
        yesterday={"day": result.daily[-1].day, **fmt(result.daily[-1])} if result.daily else None,
        budgets={k: {**b, "daily": money(b["daily"]) if b.get("daily") else None} for k, b in budgets.items()},
        pace=None if pct is None else f"{pct}", statuses={names.get(k, k): v for k, v in result.statuses.items()},
        has_value=result.totals.purchase_value > 0, level=LEVEL_WORDS.get(result.level, LEVEL_WORDS["ad"]),
        funnel=[(FUNNEL_WORDS[f], fmt(result.totals)[f]) for f in FUNNEL if getattr(result.totals, f)],
        compared=_compared_rows(result),
        breakdown_names=[b.replace(HOURLY, "hour") for b in breakdowns],
    )


COMPARE_LABELS = {"spend": "spend", "impressions": "impressions", "reach": "reach", "clicks": "clicks",
                  "ctr": "CTR %", "cpc": "CPC", "cpm": "CPM", "frequency": "frequency", "results": "results",
                  "cpa": "cost / result", "purchase_value": "conversion value", "roas": "purchase ROAS",
                  **FUNNEL_WORDS}
COMPARE_KEYS = {"cpa": "cost_per_result"}


def _compared_rows(result: ReportResult) -> list[dict[str, str]]:
    """Every total and ratio now, before and its change, for --compare previous."""
    if result.previous is None:
        return []
    now, before = fmt(result.totals), fmt(result.previous)
    return [{"label": label, "now": now[key], "before": before[key],
             "change": signed(result.changes.get(COMPARE_KEYS.get(key, key)))}
            for key, label in COMPARE_LABELS.items() if key in now]


def _with_image(line: AdLine | None, folder: Path) -> dict[str, Any] | None:
    if line is None:
        return None
    view = ad_view(ad_result(line))
    if line.image:
        view["image"] = Path(os.path.relpath(line.image, folder)).as_posix()
        view["image_name"] = Path(line.image).name
    return view
