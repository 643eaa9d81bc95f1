"""The exact bodies the kit POSTs to create a campaign and its ad sets, in Meta's shape.

Shared by the checks (``rules.py`` reads these bodies, as Meta would), the dry run and the
launch, so what a dry run shows is what a launch sends. Everything is created PAUSED.
Money goes through ``skill.money``: ``"50.00"`` USD → ``5000``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from skill.launch import enums
from skill.launch.models import AdSetSpec, CampaignSpec, TargetingSpec
from skill.models import StackSettings
from skill.money import to_minor

DEFAULT_GOAL = {
    "OUTCOME_SALES": "OFFSITE_CONVERSIONS", "OUTCOME_LEADS": "OFFSITE_CONVERSIONS", "OUTCOME_TRAFFIC": "LINK_CLICKS",
    "OUTCOME_AWARENESS": "REACH", "OUTCOME_ENGAGEMENT": "POST_ENGAGEMENT", "OUTCOME_APP_PROMOTION": "APP_INSTALLS",
}
DEFAULT_CURRENCY = "USD"


@dataclass
class Context:
    """What payloads need beyond the config: the account's currency and the audiences' ids."""

    stack: StackSettings
    currency: str = DEFAULT_CURRENCY
    audiences: dict[str, str] = field(default_factory=dict)  # custom audience name → id (when looked up)

    def audience(self, name: str) -> str:
        return self.audiences.get(name) or f"<id of custom audience {name!r}>"


def money_fields(spec: Any, names: tuple[str, ...], currency: str) -> dict[str, int]:
    """The amounts a spec sets, in minor units; a bad amount raises ConfigError naming the field."""
    out = {}
    for name in names:
        value = getattr(spec, name)
        if value not in (None, ""):
            out[name] = to_minor(value, currency, what=name)
    return out


def campaign_payload(spec: CampaignSpec, ctx: Context) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": spec.name, "objective": spec.objective, "status": "PAUSED",
        "special_ad_categories": list(spec.special_ad_categories), "buying_type": spec.buying_type,
    }
    budgets = money_fields(spec, ("daily_budget", "lifetime_budget"), ctx.currency)
    body.update(budgets)
    if budgets:
        body["bid_strategy"] = spec.bid_strategy or "LOWEST_COST_WITHOUT_CAP"
    else:
        body["is_adset_budget_sharing_enabled"] = False  # Meta asks for it when ad sets hold the budgets
    for name in ("start_time", "stop_time"):
        if getattr(spec, name):
            body[name] = getattr(spec, name)
    return body


def adset_name(campaign: str, adset: str) -> str:
    """The ad set's name on Meta: ``black-friday-2026 - broad-us``, as the example account names them."""
    return f"{campaign} - {adset}"


def goal_for(spec: AdSetSpec, objective: str, stack: StackSettings) -> str:
    if spec.optimization_goal:
        return spec.optimization_goal
    allowed = enums.GOALS_BY_OBJECTIVE.get(objective, frozenset())
    if stack.optimization_goal and stack.optimization_goal in allowed:
        return stack.optimization_goal
    return DEFAULT_GOAL.get(objective, "LINK_CLICKS")


def adset_payload(spec: AdSetSpec, campaign: CampaignSpec, campaign_id: str, ctx: Context) -> dict[str, Any]:
    goal = goal_for(spec, campaign.objective, ctx.stack)
    body: dict[str, Any] = {
        "name": adset_name(campaign.name, spec.name), "campaign_id": campaign_id, "status": "PAUSED",
        "optimization_goal": goal, "billing_event": spec.billing_event,
        "targeting": targeting_payload(spec.targeting, ctx),
    }
    body.update(money_fields(spec, ("daily_budget", "lifetime_budget"), ctx.currency))
    bid = money_fields(spec, ("bid_amount", "cost_cap"), ctx.currency)
    cbo = bool(campaign.daily_budget or campaign.lifetime_budget)  # with a campaign budget, the campaign bids
    strategy = spec.bid_strategy or ("COST_CAP" if "cost_cap" in bid else None) or (
        None if cbo else campaign.bid_strategy)
    if strategy:
        body["bid_strategy"] = strategy
    if bid:
        body["bid_amount"] = bid.get("bid_amount", bid.get("cost_cap"))
    if spec.roas_floor:
        body["bid_constraints"] = {"roas_average_floor": int(float(spec.roas_floor) * 10000)}
    for name in ("start_time", "end_time"):
        if getattr(spec, name):
            body[name] = getattr(spec, name)
    if goal in enums.PIXEL_GOALS:
        event = spec.conversion_event or ctx.stack.conversion_event or (
            "LEAD" if campaign.objective == "OUTCOME_LEADS" else "PURCHASE")
        body["promoted_object"] = {k: v for k, v in (("pixel_id", spec.pixel_id or ctx.stack.pixel_id),
                                                      ("custom_event_type", event)) if v}
    if spec.is_dynamic_creative:
        body["is_dynamic_creative"] = True
    if eu_countries(body["targeting"]):
        for name in ("dsa_beneficiary", "dsa_payor"):
            value = getattr(spec, name) or getattr(ctx.stack, name)
            if value:
                body[name] = value
    return body


def targeting_payload(spec: TargetingSpec, ctx: Context) -> dict[str, Any]:
    geo: dict[str, Any] = {}
    countries = spec.countries if spec.countries is not None else (ctx.stack.countries or [])
    if countries:
        geo["countries"] = [c.upper() for c in countries]
    if spec.regions:
        geo["regions"] = spec.regions
    if spec.cities:
        geo["cities"] = spec.cities
    out: dict[str, Any] = {"geo_locations": geo}
    if spec.excluded_countries:
        out["excluded_geo_locations"] = {"countries": [c.upper() for c in spec.excluded_countries]}
    for name in ("age_min", "age_max"):
        if getattr(spec, name) is not None:
            out[name] = getattr(spec, name)
    if spec.genders:
        out["genders"] = [enums.GENDERS.get(str(g).lower(), g) for g in spec.genders]
    if spec.placements:
        out.update(spec.placements.model_dump(exclude_none=True))
    if spec.interests:
        out["flexible_spec"] = [{"interests": [i.model_dump(exclude_none=True) for i in spec.interests]}]
    if spec.custom_audiences:
        out["custom_audiences"] = [{"id": ctx.audience(n)} for n in spec.custom_audiences]
    if spec.excluded_custom_audiences:
        out["excluded_custom_audiences"] = [{"id": ctx.audience(n)} for n in spec.excluded_custom_audiences]
    if spec.advantage_audience is not None:
        out["targeting_automation"] = {"advantage_audience": int(spec.advantage_audience)}
    return out


def eu_countries(targeting: dict[str, Any]) -> list[str]:
    """EU countries the targeting reaches: named countries and the country of any region or city."""
    geo = targeting.get("geo_locations") or {}
    codes = [str(c).upper() for c in geo.get("countries") or []]
    codes += [str(p.get("country", "")).upper() for k in ("regions", "cities") for p in geo.get(k) or []
              if isinstance(p, dict)]
    return sorted({c for c in codes if c in enums.EU_COUNTRIES})
