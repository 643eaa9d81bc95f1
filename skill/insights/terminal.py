"""A report in the terminal: what the markdown has, in short form.

Totals (with the funnel and the change against the previous period when read), one line per ad,
ad set or campaign with its live status, the breakdown table, the day-by-day series, the budget
pace, the recommendations and where the full report is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from skill.insights.metrics import FUNNEL, fmt

LEVEL_WORDS = {"ad": ("ad", "ads"), "adset": ("ad set", "ad sets"), "campaign": ("campaign", "campaigns")}
FUNNEL_WORDS = {"landing_page_views": "landing page views", "add_to_carts": "adds to cart",
                "checkouts": "checkouts", "purchases": "purchases", "leads": "leads"}
SHOWN = 10  # rows of each table shown; the report has them all


def render_text(r: Any) -> str:
    one, many = LEVEL_WORDS.get(r.level, ("ad", "ads"))
    count = f"{len(r.ads)} {one if len(r.ads) == 1 else many}"
    head = f"{r.kind.replace('_', ' ').title()} · {r.campaign or 'selected ads'} · {r.period} · {count}"
    if r.empty:
        return f"{head}\nNo delivery yet: no impressions or spend in this period.\nReport: {r.report_path}"
    t = fmt(r.totals)
    result = r.result_kind.replace("_", " ")
    lines = [head, f"Spend {t['spend']} {r.currency} · {t['impressions']} impressions · CTR {t['ctr']}% · "
                   f"{t['results']} {result}s · cost/result {t['cpa']}"
                   + (f" · ROAS {t['roas']}" if r.totals.purchase_value else "")]
    funnel = [f"{t[f]} {FUNNEL_WORDS[f]}" for f in FUNNEL if f != "leads" and getattr(r.totals, f)]
    if funnel or r.totals.leads:
        lines.append("Funnel: " + " → ".join(funnel) + (f" · {t['leads']} leads" if r.totals.leads else ""))
    if r.previous is not None:
        lines.append(_compared(r))
    for a in r.ads[:SHOWN]:
        v = fmt(a)
        status = f"  [{r.statuses[a.id]}]" if a.id in r.statuses else ""
        lines.append(f"  {a.name[:28]:<28} spend {v['spend']:>10}  results {v['results']:>6}  "
                     f"cost/result {v['cpa']:>8}  {a.verdict}{status}")
    if len(r.ads) > SHOWN:
        lines.append(f"  … and {len(r.ads) - SHOWN} more in the report")
    lines += _breakdown(r) + _daily(r)
    if r.pace is not None:
        lines.append(f"Budget pace: {r.daily[-1].day} spent {r.pace}% of the daily budget")
    lines += [f"→ {f}" for f in r.findings] or ["→ nothing to act on"]
    lines.append(f"Report: {r.report_path}" + (f" (chart: {r.chart_path})" if r.chart_path else ""))
    return "\n".join(lines)


def signed(pct: Decimal | None) -> str:
    return "n/a" if pct is None else f"{'+' if pct >= 0 else '−'}{abs(pct):.1f}%"


def _compared(r: Any) -> str:
    c = r.changes
    parts = [f"spend {signed(c.get('spend'))}", f"impressions {signed(c.get('impressions'))}",
             f"CTR {signed(c.get('ctr'))}", f"results {signed(c.get('results'))}",
             f"cost/result {signed(c.get('cost_per_result'))}"]
    if r.totals.purchase_value or (r.previous and r.previous.purchase_value):
        parts.append(f"ROAS {signed(c.get('roas'))}")
    return f"vs {r.previous_period}: " + " · ".join(parts)


def _breakdown(r: Any) -> list[str]:
    if not r.breakdown:
        return []
    names = r.breakdowns or list(r.breakdown[0].key)
    out = [f"By {' / '.join(n.replace('hourly_stats_aggregated_by_advertiser_time_zone', 'hour') for n in names)}:"]
    for s in r.breakdown[:SHOWN]:
        v = fmt(s)
        key = ", ".join(s.key.get(n, "") for n in names)
        out.append(f"  {key[:28]:<28} spend {v['spend']:>10}  results {v['results']:>6}  cost/result {v['cpa']:>8}")
    if len(r.breakdown) > SHOWN:
        out.append(f"  … and {len(r.breakdown) - SHOWN} more in the report")
    return out


def _daily(r: Any) -> list[str]:
    if not r.daily:
        return []
    out = ["Day by day:"]
    days = r.daily[-14:]
    if len(r.daily) > len(days):
        out.append(f"  ({len(r.daily) - len(days)} earlier days in the report)")
    for d in days:
        v = fmt(d)
        out.append(f"  {d.day}  spend {v['spend']:>10}  results {v['results']:>6}  cost/result {v['cpa']:>8}  "
                   f"CTR {v['ctr']}%")
    return out
