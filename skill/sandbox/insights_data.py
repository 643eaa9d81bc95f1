"""Deterministic, plausible delivery numbers per ad per day, and their breakdown splits.

Everything derives from a hash of (ad id, date), so the same ad on the same day always
shows the same numbers, in every process. Each ad also gets a stable "profile" from its id
(reach, CTR, CPM, conversion rate, fatigue), so some ads win and some bleed against a
$25 target CPA.

Counts are integers (money in cents) and are split across breakdown values with a largest
remainder allocation, so the rows of any breakdown add up exactly to the unbroken totals.
"""

from __future__ import annotations

import hashlib
import itertools
import struct
from datetime import date
from typing import Any

COUNT_KEYS = ("impressions", "reach", "clicks", "link_click", "landing_page_view", "add_to_cart",
              "initiate_checkout", "purchase", "lead", "spend", "purchase_value", "add_to_cart_value")
HOURS = tuple(f"{h:02d}:00:00 - {h:02d}:59:59" for h in range(24))

BREAKDOWN_VALUES: dict[str, tuple[str, ...]] = {
    "age": ("18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    "gender": ("female", "male", "unknown"),
    "publisher_platform": ("facebook", "instagram", "audience_network", "messenger"),
    "platform_position": ("feed", "facebook_reels", "instagram_stories", "instagram_reels", "marketplace",
                          "right_hand_column"),
    "device_platform": ("mobile_app", "mobile_web", "desktop"),
    "impression_device": ("iphone", "android_smartphone", "ipad", "desktop"),
    "country": ("US", "CA", "GB", "AU"),
    "region": ("California", "Texas", "New York", "Florida", "Ontario"),
    "hourly_stats_aggregated_by_advertiser_time_zone": HOURS,
    "dma": ("New York", "Los Angeles", "Chicago", "Philadelphia", "Dallas-Ft. Worth", "San Francisco-Oak-San Jose"),
    "product_id": ("1000000000001, Snapbook Pro", "1000000000002, Snapbook Lite", "1000000000003, Receipt Scanner"),
}
# Meta serves these only on their own (any other breakdown with them is error 100), and hourly rows
# carry no reach or frequency.
ALONE = ("hourly_stats_aggregated_by_advertiser_time_zone", "dma", "product_id")


def _unit(*parts: Any) -> list[float]:
    """Eight stable uniform numbers in [0, 1) from the parts."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return [v / 2**32 for v in struct.unpack(">8I", digest)]


def profile(ad_id: str) -> dict[str, float]:
    """How this ad performs on average: stable for the ad's lifetime."""
    u = _unit("profile", ad_id)
    return {
        "daily_impressions": 1500 + 4500 * u[0],
        "ctr": 0.006 + 0.026 * u[1],          # 0.6 % – 3.2 %
        "cpm": 7.0 + 9.0 * u[2],              # dollars per 1,000 impressions
        "cvr": 0.008 + 0.06 * u[3],           # purchases per link click
        "lead_rate": 0.01 + 0.05 * u[4],
        "order_value": 30.0 + 60.0 * u[5],    # dollars
        "frequency": 1.1 + 0.5 * u[6],
        "fatigue": 0.02 * u[7] if u[7] > 0.6 else 0.0,  # some ads tire: CTR falls, frequency rises
    }


def day_counts(ad_id: str, day: date, age_days: int) -> dict[str, int]:
    """One ad's integer counts for one day (money in cents). ``age_days``: days since it started."""
    p = profile(ad_id)
    u = _unit("day", ad_id, day.isoformat())
    tired = p["fatigue"] * max(0, age_days)
    impressions = int(p["daily_impressions"] * (0.7 + 0.6 * u[0]))
    frequency = p["frequency"] * (1 + tired)
    ctr = p["ctr"] * (0.8 + 0.4 * u[1]) / (1 + tired)
    clicks = int(round(impressions * ctr))
    link_clicks = int(round(clicks * (0.7 + 0.2 * u[2])))
    purchases = int(link_clicks * p["cvr"] * (0.5 + u[3]))
    leads = int(link_clicks * p["lead_rate"] * (0.5 + u[4]))
    f = _unit("funnel", ad_id, day.isoformat())  # the funnel narrows: page views ≥ carts ≥ checkouts ≥ purchases
    checkouts = purchases + int(purchases * (0.3 + 0.6 * f[0])) + (1 if f[1] > 0.7 else 0)
    carts = checkouts + int(checkouts * (0.5 + 1.0 * f[2]))
    page_views = max(carts, int(link_clicks * (0.72 + 0.2 * f[3])))
    return {
        "impressions": impressions,
        "reach": max(1, int(round(impressions / frequency))) if impressions else 0,
        "clicks": clicks,
        "link_click": link_clicks,
        "landing_page_view": page_views,
        "add_to_cart": carts,
        "initiate_checkout": checkouts,
        "purchase": purchases,
        "lead": leads,
        "spend": int(round(impressions * p["cpm"] * (0.85 + 0.3 * u[5]) / 10)),
        "purchase_value": int(round(purchases * p["order_value"] * (0.8 + 0.4 * u[6]) * 100)),
        "add_to_cart_value": int(round(carts * p["order_value"] * (0.8 + 0.4 * u[6]) * 100)),
    }


def buckets(breakdowns: list[str]) -> list[tuple[str, ...]]:
    """Every combination of breakdown values, in a stable order."""
    return list(itertools.product(*(BREAKDOWN_VALUES[b] for b in breakdowns)))


def split(counts: dict[str, int], ad_id: str, day: date, breakdowns: list[str]) -> dict[tuple[str, ...], dict[str, int]]:
    """Share one day's counts among breakdown combinations; every count sums back exactly."""
    if not breakdowns:
        return {(): counts}
    combos = buckets(breakdowns)
    weights = []
    for combo in combos:
        w = 1.0
        for dim, value in zip(breakdowns, combo, strict=True):
            w *= 0.2 + _unit("split", ad_id, day.isoformat(), dim, value)[0]
        weights.append(w)
    total_w = sum(weights)
    shares = [w / total_w for w in weights]
    out: dict[tuple[str, ...], dict[str, int]] = {combo: {} for combo in combos}
    for key, value in counts.items():
        for combo, part in zip(combos, allocate(value, shares), strict=True):
            out[combo][key] = part
    return out


def allocate(total: int, shares: list[float]) -> list[int]:
    """Largest remainder: integer parts proportional to ``shares`` that sum to ``total``."""
    raw = [total * s for s in shares]
    parts = [int(r) for r in raw]
    short = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for i in order[:short]:
        parts[i] += 1
    return parts


def add(into: dict[str, int], counts: dict[str, int]) -> None:
    for key in COUNT_KEYS:
        into[key] = into.get(key, 0) + counts.get(key, 0)


# ---------------------------------------------------------------- formatting as Meta does


def num(value: float, places: int = 6) -> str:
    """Meta's decimal strings: ``2.727273``, ``0.36``, ``12``."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def money(cents: int) -> str:
    return f"{cents / 100:.2f}"


ACTION_TYPES = (("link_click", "link_click"), ("landing_page_view", "landing_page_view"),
                ("add_to_cart", "add_to_cart"), ("initiate_checkout", "initiate_checkout"),
                ("purchase", "purchase"), ("lead", "lead"))
VALUE_TYPES = (("add_to_cart", "add_to_cart_value"), ("purchase", "purchase_value"))


def metrics(c: dict[str, int]) -> dict[str, Any]:
    """Every metric field Meta reports, as strings (lists of action dicts for actions)."""
    spend = c["spend"] / 100
    out: dict[str, Any] = {
        "impressions": str(c["impressions"]), "reach": str(c["reach"]), "clicks": str(c["clicks"]),
        "spend": money(c["spend"]), "inline_link_clicks": str(c["link_click"]),
    }
    if c["reach"]:
        out["frequency"] = num(c["impressions"] / c["reach"])
    if c["impressions"]:
        out["ctr"] = num(100 * c["clicks"] / c["impressions"])
        out["cpm"] = num(1000 * spend / c["impressions"])
        out["inline_link_click_ctr"] = num(100 * c["link_click"] / c["impressions"])
    if c["clicks"]:
        out["cpc"] = num(spend / c["clicks"])
    if c["link_click"]:
        out["cost_per_inline_link_click"] = num(spend / c["link_click"])
    actions = [(name, c[key]) for name, key in ACTION_TYPES if c[key]]
    out["actions"] = [{"action_type": name, "value": str(n)} for name, n in actions]
    out["cost_per_action_type"] = [{"action_type": name, "value": num(spend / n)} for name, n in actions]
    out["conversions"] = [{"action_type": "purchase", "value": str(c["purchase"])}] if c["purchase"] else []
    values = [{"action_type": name, "value": money(c[key])} for name, key in VALUE_TYPES if c.get(key)]
    out["action_values"] = values
    out["conversion_values"] = [v for v in values if v["action_type"] == "purchase"]
    out["purchase_roas"] = ([{"action_type": "omni_purchase", "value": num(c["purchase_value"] / c["spend"])}]
                            if c["spend"] and c["purchase_value"] else [])
    return out


METRIC_FIELDS = frozenset({"impressions", "reach", "clicks", "spend", "inline_link_clicks", "frequency", "ctr",
                           "cpm", "inline_link_click_ctr", "cpc", "cost_per_inline_link_click", "actions",
                           "cost_per_action_type", "conversions", "action_values", "purchase_roas",
                           "conversion_values"})
