"""Meta's insights rows → exact numbers. Meta sends every number as a string; money stays a
Decimal from the string to the report, never a float.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, Field

ZERO = Decimal(0)
CENT = Decimal("0.01")
PURCHASE_TYPES = ("purchase", "offsite_conversion.fb_pixel_purchase", "omni_purchase")
LEAD_TYPES = ("lead", "offsite_conversion.fb_pixel_lead", "onsite_conversion.lead_grouped")
LINK_CLICK_TYPES = ("link_click",)
PAGE_VIEW_TYPES = ("landing_page_view", "omni_landing_page_view")
CART_TYPES = ("add_to_cart", "offsite_conversion.fb_pixel_add_to_cart", "omni_add_to_cart")
CHECKOUT_TYPES = ("initiate_checkout", "offsite_conversion.fb_pixel_initiate_checkout", "omni_initiated_checkout")
# What a report may count as its result (--result, or result_action in stack.md) → the Metrics field.
RESULT_FIELDS = {"purchase": "purchases", "lead": "leads", "initiate_checkout": "checkouts",
                 "add_to_cart": "add_to_carts", "landing_page_view": "landing_page_views", "link_click": "link_clicks"}
FUNNEL = ("landing_page_views", "add_to_carts", "checkouts", "purchases", "leads")
BREAKDOWN_KEYS = ("age", "gender", "publisher_platform", "platform_position", "device_platform",
                  "impression_device", "country", "region", "hourly_stats_aggregated_by_advertiser_time_zone",
                  "dma", "product_id")


def dec(value: Any) -> Decimal:
    """``"125.43"`` → ``Decimal("125.43")``; missing or malformed → 0."""
    if value is None or value == "":
        return ZERO
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ZERO


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(CENT, ROUND_HALF_UP):,.2f}"


def ratio(num: Decimal, den: Decimal, scale: int = 1) -> Decimal | None:
    return None if den == 0 else (num * scale) / den


def action_total(actions: Any, types: Iterable[str]) -> Decimal:
    """Sum of one kind of action from Meta's ``[{"action_type", "value"}]`` list.

    Meta may report a purchase under several aliases; the first alias present is used, so a
    purchase is never counted twice.
    """
    if not isinstance(actions, list):
        return ZERO
    by_type = {a.get("action_type"): dec(a.get("value")) for a in actions if isinstance(a, dict)}
    for t in types:
        if t in by_type:
            return by_type[t]
    return ZERO


class Metrics(BaseModel):
    """Additive counts of one row, one ad, or a total. Derived rates are computed, not summed."""

    impressions: int = 0
    reach: int = 0
    clicks: int = 0
    link_clicks: Decimal = ZERO
    spend: Decimal = ZERO
    purchases: Decimal = ZERO
    leads: Decimal = ZERO
    purchase_value: Decimal = ZERO
    landing_page_views: Decimal = ZERO
    add_to_carts: Decimal = ZERO
    checkouts: Decimal = ZERO
    cart_value: Decimal = ZERO

    def __add__(self, other: Metrics) -> Metrics:
        return Metrics(**{name: getattr(self, name) + getattr(other, name) for name in Metrics.model_fields})

    @property
    def ctr(self) -> Decimal | None:
        return ratio(Decimal(self.clicks), Decimal(self.impressions), 100)

    @property
    def cpc(self) -> Decimal | None:
        return ratio(self.spend, Decimal(self.clicks))

    @property
    def cpm(self) -> Decimal | None:
        return ratio(self.spend, Decimal(self.impressions), 1000)

    @property
    def frequency(self) -> Decimal | None:
        return ratio(Decimal(self.impressions), Decimal(self.reach))

    def results(self, kind: str) -> Decimal:
        name = RESULT_FIELDS.get(kind)
        return getattr(self, name) if name else ZERO

    def cost_per_result(self, kind: str) -> Decimal | None:
        return ratio(self.spend, self.results(kind))

    @property
    def roas(self) -> Decimal | None:
        return ratio(self.purchase_value, self.spend)


METRIC_NAMES = tuple(Metrics.model_fields)


class Row(BaseModel):
    """One insights row: who (ad / ad set / campaign), when, which breakdown, and its metrics."""

    id: str
    name: str = ""
    adset_id: str | None = None
    date_start: str = ""
    date_stop: str = ""
    breakdown: dict[str, str] = Field(default_factory=dict)
    metrics: Metrics = Field(default_factory=Metrics)


def metric_values(raw: dict[str, Any]) -> tuple[Any, ...]:
    """One row's additive counts, in :class:`Metrics`' field order (:data:`METRIC_NAMES`), as
    exact numbers: what :func:`parse_row` puts in a Metrics, without building one (each action
    list is read once, as :func:`action_total` reads it)."""
    actions, values = _by_type(raw.get("actions")), _by_type(raw.get("action_values"))
    return (int(dec(raw.get("impressions"))), int(dec(raw.get("reach"))), int(dec(raw.get("clicks"))),
            _first(actions, LINK_CLICK_TYPES) or dec(raw.get("inline_link_clicks")), dec(raw.get("spend")),
            _first(actions, PURCHASE_TYPES), _first(actions, LEAD_TYPES), _first(values, PURCHASE_TYPES),
            _first(actions, PAGE_VIEW_TYPES), _first(actions, CART_TYPES), _first(actions, CHECKOUT_TYPES),
            _first(values, CART_TYPES))


def _by_type(items: Any) -> dict[Any, Any]:
    if not isinstance(items, list):
        return {}
    return {a.get("action_type"): a.get("value") for a in items if isinstance(a, dict)}


def _first(by_type: dict[Any, Any], types: Iterable[str]) -> Decimal:
    for t in types:
        if t in by_type:
            return dec(by_type[t])
    return ZERO


def row_who(raw: dict[str, Any], level: str = "ad") -> tuple[str, str]:
    """The row's object id and name at ``level`` (ad, adset, campaign; else the account)."""
    key = {"ad": "ad", "adset": "adset", "campaign": "campaign"}.get(level, "account")
    return str(raw.get(f"{key}_id") or raw.get("id") or ""), str(raw.get(f"{key}_name") or "")


def row_breakdown(raw: dict[str, Any]) -> dict[str, str]:
    return {k: str(raw[k]) for k in BREAKDOWN_KEYS if k in raw}


def parse_row(raw: dict[str, Any], level: str = "ad") -> Row:
    """One row of Meta's answer into a Row (unknown fields are ignored)."""
    who, name = row_who(raw, level)
    return Row(
        id=who,
        name=name,
        adset_id=raw.get("adset_id"),
        date_start=str(raw.get("date_start", "")),
        date_stop=str(raw.get("date_stop", "")),
        breakdown=row_breakdown(raw),
        metrics=Metrics(**dict(zip(METRIC_NAMES, metric_values(raw), strict=True))),
    )


def total(rows: Iterable[Row]) -> Metrics:
    out = Metrics()
    for row in rows:
        out = out + row.metrics
    return out


class Numbers(BaseModel):
    """A Metrics as the numbers a report gives: counts exact, derived rates rounded
    (money to the cent, percentages and ratios to 4 places). In JSON, Decimals are numbers."""

    spend: Decimal
    impressions: int
    reach: int
    clicks: int
    link_clicks: Decimal
    ctr: Decimal | None  # percent
    cpc: Decimal | None
    cpm: Decimal | None
    frequency: Decimal | None
    results: Decimal
    cost_per_result: Decimal | None
    purchase_value: Decimal
    roas: Decimal | None  # purchase ROAS: purchase conversion value / spend
    landing_page_views: Decimal = ZERO
    add_to_carts: Decimal = ZERO
    checkouts: Decimal = ZERO
    purchases: Decimal = ZERO
    leads: Decimal = ZERO


RATE = Decimal("0.0001")


def _round(value: Decimal | None, step: Decimal) -> Decimal | None:
    return None if value is None else value.quantize(step, ROUND_HALF_UP)


def numbers(m: Metrics, kind: str) -> Numbers:
    return Numbers(
        spend=m.spend, impressions=m.impressions, reach=m.reach, clicks=m.clicks, link_clicks=m.link_clicks,
        ctr=_round(m.ctr, RATE), cpc=_round(m.cpc, CENT), cpm=_round(m.cpm, CENT),
        frequency=_round(m.frequency, RATE), results=m.results(kind),
        cost_per_result=_round(m.cost_per_result(kind), CENT), purchase_value=m.purchase_value,
        roas=_round(m.roas, RATE), landing_page_views=m.landing_page_views, add_to_carts=m.add_to_carts,
        checkouts=m.checkouts, purchases=m.purchases, leads=m.leads,
    )


def result_kind(metrics: Metrics, wanted: str | None = None) -> str:
    """What counts as a result: ``wanted`` (--result or stack.md) when given, else purchases when
    there are any, else leads, else link clicks."""
    if wanted:
        return wanted
    if metrics.purchases > 0:
        return "purchase"
    if metrics.leads > 0:
        return "lead"
    return "link_click"


# ---------------------------------------------------------------- as reports show them


def _rate(v: Decimal | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def _count(v: Decimal | int) -> str:
    return f"{v:,.0f}"


def fmt(n: Numbers) -> dict[str, str]:
    """The numbers as a report shows them: ``1,234.50``, ``2.71``, ``—`` for no value."""
    return {"spend": money(n.spend), "impressions": _count(n.impressions), "reach": _count(n.reach),
            "clicks": _count(n.clicks), "ctr": _rate(n.ctr), "cpc": money(n.cpc), "cpm": money(n.cpm),
            "frequency": _rate(n.frequency), "results": _count(n.results), "cpa": money(n.cost_per_result),
            "roas": _rate(n.roas), "purchase_value": money(n.purchase_value),
            **{f: _count(getattr(n, f)) for f in FUNNEL}}


def change(now: Decimal | int | None, before: Decimal | int | None) -> Decimal | None:
    """Percent change from ``before`` to ``now`` (None when either is missing or before is 0)."""
    if now is None or before is None or before == 0:
        return None
    return ((Decimal(now) - Decimal(before)) / Decimal(before) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


COMPARED = ("spend", "impressions", "reach", "clicks", "ctr", "cpc", "cpm", "frequency", "results",
            "cost_per_result", "purchase_value", "roas", *FUNNEL)


def changes(now: Numbers, before: Numbers) -> dict[str, Decimal | None]:
    """Every total and ratio's percent change against the previous period."""
    return {k: change(getattr(now, k), getattr(before, k)) for k in COMPARED}
