"""Judging ads against the marketer's thresholds: beating / near / over target, bleeders,
winners, fatigue, and recommendations in plain words. Never acts on anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from skill.insights.metrics import Metrics, money, total
from skill.models import StackSettings

NEAR_BAND = Decimal("0.10")  # within ±10 % of target is "near"
PAUSED_STATUSES = frozenset({"PAUSED", "ADSET_PAUSED", "CAMPAIGN_PAUSED"})


class Thresholds(BaseModel):
    """From stack.md, with defaults a marketer would pick; every report shows which were used."""

    target_cpa: Decimal | None = None
    target_roas: Decimal | None = None
    max_frequency: Decimal = Decimal("3.5")
    min_ctr: Decimal = Decimal("0.8")
    max_cpc: Decimal | None = None
    min_impressions: int = 1000  # enough to judge an ad

    @classmethod
    def from_stack(cls, stack: StackSettings) -> Thresholds:
        given = {k: getattr(stack, k) for k in ("target_cpa", "target_roas", "max_frequency", "min_ctr", "max_cpc")
                 if getattr(stack, k) is not None}
        return cls(**given)

    def sources(self, stack: StackSettings) -> dict[str, str]:
        return {k: ("stack.md" if getattr(stack, k, None) is not None else "default")
                for k in ("target_cpa", "target_roas", "max_frequency", "min_ctr", "max_cpc")}


class AdVerdict(BaseModel):
    """Which ad (or ad set / campaign at those levels) and how it was judged: shared by the
    analysis (:class:`AdLine`) and the report's output (``report_data.AdResult``)."""

    id: str
    name: str
    headline: str | None = None
    image: str | None = None
    verdict: str  # beating | near | over | no results | too early | no target
    status: str | None = None  # effective_status, when it was read


class AdLine(AdVerdict):
    """One ad over the period, judged, with its raw metrics and daily rows."""

    metrics: Metrics
    kind: str
    cpa: Decimal | None = None
    daily: list[Any] = []  # its day-by-day rows, by day: Row or aggregate.DayRow (date_start, metrics)
    level: str = "ad"  # ad, adset or campaign: what this line is
    before: Metrics | None = None  # the previous period, with --compare previous

    @property
    def paused(self) -> bool:
        return self.status in PAUSED_STATUSES

    @property
    def m(self) -> Metrics:
        return self.metrics


def judge(metrics: Metrics, kind: str, th: Thresholds) -> tuple[str, Decimal | None]:
    cpa = metrics.cost_per_result(kind)
    if metrics.impressions < th.min_impressions:
        return "too early", cpa
    if th.target_cpa is None:
        return "no target", cpa
    if cpa is None:
        return ("over" if metrics.spend >= th.target_cpa else "no results"), None
    if cpa <= th.target_cpa * (1 - NEAR_BAND):
        return "beating", cpa
    if cpa <= th.target_cpa * (1 + NEAR_BAND):
        return "near", cpa
    return "over", cpa


def ad_lines(objects: Iterable[tuple[str, str, Metrics]], names: dict[str, str], headlines: dict[str, str],
             images: dict[str, str], th: Thresholds, kind: str) -> list[AdLine]:
    """One judged line per ad (``objects``: id, name in its rows, totals), best cost per result
    first (ads without results last)."""
    lines = []
    for ad_id, row_name, m in objects:
        verdict, cpa = judge(m, kind, th)
        lines.append(AdLine(id=ad_id, name=names.get(ad_id) or row_name or ad_id, headline=headlines.get(ad_id),
                            image=images.get(ad_id), metrics=m, kind=kind, verdict=verdict, cpa=cpa))
    return sorted(lines, key=lambda a: (a.cpa is None, a.cpa or 0, -a.metrics.spend))


# ---------------------------------------------------------------- the daily questions


def bleeders(lines: list[AdLine], th: Thresholds) -> list[tuple[AdLine, str]]:
    """Spending above target with enough impressions to judge, or CTR under the minimum."""
    found = []
    for a in lines:
        if a.metrics.impressions < th.min_impressions:
            continue
        ctr = a.metrics.ctr
        if a.verdict == "over":
            found.append((a, pause_reason(a, th)))
        elif ctr is not None and ctr < th.min_ctr:
            act = f"refresh {a.name} before activating it" if a.paused else f"pause or refresh {a.name}"
            found.append((a, f"{act}: CTR {ctr:.2f}% under the {th.min_ctr}% minimum "
                             f"after {a.metrics.impressions:,} impressions"))
        elif (roas := low_roas(a, th)) is not None:
            found.append((a, f"review {a.name}: ROAS {roas:.2f} vs target {th.target_roas} "
                             f"after {a.metrics.impressions:,} impressions"))
        elif th.max_cpc is not None and a.metrics.cpc is not None and a.metrics.cpc > th.max_cpc:
            found.append((a, f"review {a.name}: CPC {money(a.metrics.cpc)} above the {money(th.max_cpc)} maximum"))
    return found


def low_roas(a: AdLine, th: Thresholds) -> Decimal | None:
    """The ad's ROAS when it is under ``target_roas`` by more than the near band (purchases only)."""
    roas = a.metrics.roas
    if th.target_roas is None or a.kind != "purchase" or roas is None or a.metrics.purchase_value == 0:
        return None
    return roas if roas < th.target_roas * (1 - NEAR_BAND) else None


def pause_reason(a: AdLine, th: Thresholds) -> str:
    target = money(th.target_cpa)
    act = f"keep {a.name} paused" if a.paused else f"pause {a.name}"
    if a.cpa is None:
        return (f"{act}: spent {money(a.metrics.spend)} with no {a.kind.replace('_', ' ')}s "
                f"(target CPA {target}) after {a.metrics.impressions:,} impressions")
    return f"{act}: CPA {money(a.cpa)} vs target {target} after {a.metrics.impressions:,} impressions"


def winners(lines: list[AdLine], th: Thresholds) -> list[tuple[AdLine, str]]:
    """Best cost per result, beating target (or the campaign's average when no target is set)."""
    judged = [a for a in lines if a.cpa is not None and a.metrics.impressions >= th.min_impressions]
    if not judged:
        return []
    reference = th.target_cpa or _average_cpa(judged)
    found = []
    for a in judged:
        if a.cpa is not None and reference and a.cpa <= reference * (1 - NEAR_BAND):
            better = (1 - a.cpa / reference) * 100
            roas = f", ROAS {a.metrics.roas:.2f}" if a.metrics.roas and a.metrics.purchase_value else ""
            how = _scale_how(a)
            found.append((a, f"scale {a.name}: CPA {money(a.cpa)} vs {'target' if th.target_cpa else 'average'} "
                             f"{money(reference)} ({better:.0f}% better{roas}); {how}"))
    return found


def _scale_how(a: AdLine) -> str:
    """How to put more behind a winner; never "raise the budget" of something paused."""
    if a.paused and a.level == "ad":
        return f"it is {a.status}: `meta-ads activate {a.name} --yes` when you decide to spend"
    if a.paused:
        return f"it is {a.status}: turn it on in Ads Manager when you decide to spend"
    return "raise its budget by 20% at a time" if a.level != "ad" else "raise its ad set budget by 20% at a time"


def _average_cpa(lines: list[AdLine]) -> Decimal | None:
    m = Metrics()
    for a in lines:
        m = m + a.metrics
    return m.cost_per_result(lines[0].kind)


def ctr_trend(daily: list[Any]) -> Decimal | None:
    """CTR change (%) from the first half of the days to the second half; None without enough days."""
    if len(daily) < 4:
        return None
    half = len(daily) // 2
    first, last = total(daily[:half]).ctr, total(daily[-half:]).ctr
    if not first or last is None:
        return None
    return (last - first) / first * 100


def fatigue(lines: list[AdLine], th: Thresholds) -> list[tuple[AdLine, str]]:
    """Frequency above the maximum, or CTR falling by a fifth or more over the period."""
    found = []
    for a in lines:
        freq, trend = a.metrics.frequency, ctr_trend(a.daily)
        reasons = []
        if freq is not None and freq > th.max_frequency:
            reasons.append(f"frequency {freq:.1f} above {th.max_frequency}")
        if trend is not None and trend <= -20:
            reasons.append(f"CTR down {abs(trend):.0f}% over the period")
        if reasons:
            found.append((a, f"refresh the creative of {a.name}: {'; '.join(reasons)}"))
    return found


def recommendations(lines: list[AdLine], th: Thresholds) -> list[str]:
    return trended(bleeders(lines, th)) + trended(winners(lines, th)) + trended(fatigue(lines, th)) + \
        worsening(lines, th)


TREND_PCT = Decimal(20)  # a change in cost per result this large against the previous period is a trend


def cpa_change(a: AdLine) -> Decimal | None:
    """Cost per result now against the previous period, in percent (None without both)."""
    if a.before is None or a.cpa is None:
        return None
    before = a.before.cost_per_result(a.kind)
    return None if not before else (a.cpa - before) / before * 100


def trended(found: list[tuple[AdLine, str]]) -> list[str]:
    """Each recommendation with the ad's trend against the previous period, when it was read."""
    out = []
    for a, text in found:
        pct = cpa_change(a)
        if pct is None:
            out.append(text)
        elif pct <= -TREND_PCT and text.startswith(("pause", "review")):
            out.append(f"{text}; but its CPA improved {abs(pct):.0f}% on the previous period: "
                       "watch it a few more days before pausing")
        elif pct >= TREND_PCT and text.startswith("scale"):
            out.append(f"{text}; but its CPA rose {pct:.0f}% on the previous period: scale carefully")
        else:
            out.append(f"{text} (CPA {'+' if pct >= 0 else '−'}{abs(pct):.0f}% on the previous period)")
    return out


def worsening(lines: list[AdLine], th: Thresholds) -> list[str]:
    """Ads not flagged otherwise whose cost per result rose by a fifth or more on the previous period."""
    flagged = {a.id for a, _ in bleeders(lines, th) + winners(lines, th) + fatigue(lines, th)}
    out = []
    for a in lines:
        pct = cpa_change(a)
        if a.id not in flagged and pct is not None and pct >= TREND_PCT and not a.paused:
            out.append(f"watch {a.name}: CPA {money(a.cpa)} is up {pct:.0f}% on the previous period")
    return out
