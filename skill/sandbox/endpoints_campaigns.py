"""Creating campaigns and ad sets: ``POST /act_{id}/campaigns`` and ``POST /act_{id}/adsets``.

Meta's field checks, each a code 100 error with a subcode and a user title and message:
enums (objective, special_ad_categories, buying_type, bid_strategy, optimization_goal,
billing_event, custom_event_type), budgets (``budget_rules``), schedule (end after start;
lifetime budget needs an end), targeting (a location, ages 18–65, genders 1/2, EU countries need
``dsa_beneficiary`` and ``dsa_payor``), an optimization goal the objective takes, a bid where the
strategy needs one, a pixel where the goal optimises for one. A Dynamic Creative ad set takes one
ad (:func:`check_dynamic_creative`, called by the ads endpoint).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skill.launch import enums
from skill.sandbox import budget_rules
from skill.sandbox.audience_refs import check_refs
from skill.sandbox.errors import ApiError, invalid_param, missing_param
from skill.sandbox.request import Request, json_param, require, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

SUB_GOAL_MISMATCH = 2490408     # Meta: the objective does not support the optimization goal
SUB_BID_REQUIRED = 1815857      # as clients report it: the bid strategy needs a bid amount
SUB_DYNAMIC_ONE_AD = 1885553    # as clients report it: one ad per Dynamic Creative ad set
SUB_INVALID_ENUM = 1885658      # sandbox: a value outside Meta's enum
SUB_END_BEFORE_START = 1885651  # sandbox: end_time / stop_time not after start_time
SUB_AGE = 1885652               # sandbox: age outside 18–65, or min above max
SUB_DSA = 1885654               # sandbox: EU targeting without dsa_beneficiary / dsa_payor
SUB_TARGETING = 1885659         # sandbox: targeting without a location, or a bad gender
SUB_PROMOTED_OBJECT = 1885660   # sandbox: a pixel goal without promoted_object pixel_id + event
SUB_CAMPAIGN = 1885661          # sandbox: campaign_id missing or not in the account


def _enum(params: dict[str, Any], name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
    value = str_param(params, name) or default
    if value is not None and value not in allowed:
        raise invalid_param(f"Invalid {name}", f"{name} {value!r} is not one of: {', '.join(allowed)}.",
                            SUB_INVALID_ENUM)
    return value


def parse_time(params: dict[str, Any], name: str) -> float | None:
    """ISO 8601 (``2026-11-27T00:00:00-0500``) or a unix timestamp; ``0`` or absent is None."""
    raw = params.get(name)
    if raw in (None, "", "0", 0):
        return None
    text = str(raw).strip()
    if text.isdigit():
        return float(text)
    for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%Y-%m-%dT%H:%M:%S%z")):
        try:
            stamp = parse(text)
        except ValueError:
            continue
        if stamp.tzinfo is not None:
            return stamp.timestamp()
    raise invalid_param(f"Invalid {name}", f"{name} {text!r} is not an ISO 8601 time with a UTC offset "
                        "(e.g. 2026-11-27T00:00:00-0500) or a unix timestamp.", SUB_INVALID_ENUM)


def schedule(params: dict[str, Any], start_name: str, end_name: str) -> tuple[float | None, float | None, float | None]:
    """(start, end, days); the end must come after the start (or after now, with no start)."""
    start, end = parse_time(params, start_name), parse_time(params, end_name)
    if end is not None and end <= (start if start is not None else time.time()):
        raise invalid_param("Incorrect End Date", f"Please choose an {end_name} that occurs after the "
                            f"{start_name if start is not None else 'current time'}.", SUB_END_BEFORE_START)
    days = (end - (start or time.time())) / 86400 if end is not None else None
    return start, end, days


# ---------------------------------------------------------------- campaigns


def create_campaign(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    params = req.params
    name = str(require(params, "name")).strip()
    objective = str(require(params, "objective"))
    if objective in enums.LEGACY_OBJECTIVES:
        raise invalid_param("Objective Not Available", f"Objective {objective} is no longer available for new "
                            "campaigns. Use one of: " + ", ".join(enums.OBJECTIVES) + ".", SUB_INVALID_ENUM)
    _enum(params, "objective", enums.OBJECTIVES)
    categories = json_param(params, "special_ad_categories")
    if categories is None:
        raise missing_param("special_ad_categories")
    if not isinstance(categories, list) or any(c not in enums.SPECIAL_AD_CATEGORIES for c in categories):
        raise invalid_param("Invalid special_ad_categories", "special_ad_categories must be a list of: "
                            + ", ".join(enums.SPECIAL_AD_CATEGORIES) + " (or an empty list).", SUB_INVALID_ENUM)
    status = _enum(params, "status", enums.CREATE_STATUSES, "ACTIVE")
    buying_type = _enum(params, "buying_type", enums.BUYING_TYPES, "AUCTION")
    bid_strategy = _enum(params, "bid_strategy", enums.BID_STRATEGIES)
    start, stop, days = schedule(params, "start_time", "stop_time")
    found = budget_rules.check_campaign(account, params, days, stop)
    stamp = now_iso(time.time())
    campaign_id = api.state.new_id("campaign")
    api.state.add("campaigns", {
        "id": campaign_id, "name": name, "objective": objective, "status": status,
        "account_id": account["account_id"], "buying_type": buying_type,
        "special_ad_categories": [c for c in categories if c != "NONE"],
        "daily_budget": str(found["daily_budget"]) if "daily_budget" in found else None,
        "lifetime_budget": str(found["lifetime_budget"]) if "lifetime_budget" in found else None,
        "bid_strategy": bid_strategy if found else None,
        "is_adset_budget_sharing_enabled": str(params.get("is_adset_budget_sharing_enabled", "")).lower()
        in ("true", "1") if not found else None,
        "start_time": now_iso(start) if start else stamp, "stop_time": now_iso(stop) if stop else None,
        "created_time": stamp, "updated_time": stamp,
    })
    return {"id": campaign_id}


# ---------------------------------------------------------------- ad sets


def create_adset(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    params = req.params
    name = str(require(params, "name")).strip()
    campaign = _campaign(api, str(require(params, "campaign_id")), account)
    status = _enum(params, "status", enums.CREATE_STATUSES, "ACTIVE")
    billing_event = _enum(params, "billing_event", enums.BILLING_EVENTS) or str(require(params, "billing_event"))
    goal = _enum(params, "optimization_goal", enums.OPTIMIZATION_GOALS) or str(require(params, "optimization_goal"))
    allowed = enums.GOALS_BY_OBJECTIVE.get(str(campaign.get("objective")))
    if allowed is not None and goal not in allowed:
        raise ApiError("Invalid parameter", 100, SUB_GOAL_MISMATCH, "Performance Goal Unavailable",
                       f"Your campaign objective {campaign['objective']} doesn't support the optimization goal "
                       f"{goal}. Choose one of: {', '.join(sorted(allowed))}.")
    start, end, days = schedule(params, "start_time", "end_time")
    found = budget_rules.check_adset(account, campaign, params, days, end)
    bid_strategy = _enum(params, "bid_strategy", enums.BID_STRATEGIES) or campaign.get("bid_strategy") \
        or "LOWEST_COST_WITHOUT_CAP"
    bid_amount = budget_rules.amount(params, "bid_amount")
    _check_bid(params, bid_strategy, bid_amount)
    targeting = _targeting(params)
    promoted = _promoted_object(params, goal)
    check_refs(api, account, targeting, promoted)  # audiences and pixel of this account
    _check_dsa(params, targeting)
    stamp = now_iso(time.time())
    adset_id = api.state.new_id("adset")
    api.state.add("adsets", {
        "id": adset_id, "name": name, "campaign_id": campaign["id"], "account_id": account["account_id"],
        "status": status, "billing_event": billing_event, "optimization_goal": goal,
        "daily_budget": str(found.get("daily_budget", 0)), "lifetime_budget": str(found.get("lifetime_budget", 0)),
        "bid_strategy": bid_strategy, "bid_amount": bid_amount, "targeting": targeting, "promoted_object": promoted,
        "is_dynamic_creative": str(params.get("is_dynamic_creative", "")).lower() in ("true", "1"),
        "dsa_beneficiary": str_param(params, "dsa_beneficiary"), "dsa_payor": str_param(params, "dsa_payor"),
        "start_time": now_iso(start) if start else stamp, "end_time": now_iso(end) if end else None,
        "created_time": stamp, "updated_time": stamp,
    })
    return {"id": adset_id}


def _campaign(api: Api, campaign_id: str, account: dict[str, Any]) -> dict[str, Any]:
    campaign = api.state["campaigns"].get(campaign_id)
    if campaign is None or campaign["account_id"] != account["account_id"] or campaign.get("status") == "DELETED":
        raise invalid_param("Campaign Does Not Exist", f"campaign_id {campaign_id} is not a campaign in ad account "
                            f"{account['id']}. Create the campaign first.", SUB_CAMPAIGN)
    return campaign


def _check_bid(params: dict[str, Any], strategy: str, bid_amount: int | None) -> None:
    if strategy in enums.NEEDS_BID_AMOUNT and not bid_amount:
        raise invalid_param("Bid Amount Required", f"The bid strategy {strategy} needs a bid_amount (in the "
                            "currency's minor unit).", SUB_BID_REQUIRED)
    if strategy == "LOWEST_COST_WITH_MIN_ROAS":
        constraints = json_param(params, "bid_constraints") or {}
        if not isinstance(constraints, dict) or not constraints.get("roas_average_floor"):
            raise invalid_param("ROAS Floor Required", "LOWEST_COST_WITH_MIN_ROAS needs bid_constraints "
                                "{\"roas_average_floor\": N}.", SUB_BID_REQUIRED)


def _targeting(params: dict[str, Any]) -> dict[str, Any]:
    targeting = json_param(params, "targeting")
    if not isinstance(targeting, dict):
        raise missing_param("targeting")
    geo = targeting.get("geo_locations")
    if not isinstance(geo, dict) or not any(geo.get(k) for k in ("countries", "regions", "cities", "zips",
                                                                   "custom_locations", "country_groups")):
        raise invalid_param("Location Required", "targeting.geo_locations needs at least one country, region, "
                            "city or other location.", SUB_TARGETING)
    lo, hi = targeting.get("age_min", enums.AGE_MIN), targeting.get("age_max", enums.AGE_MAX)
    try:
        lo, hi = int(lo), int(hi)
    except (TypeError, ValueError):
        raise invalid_param("Invalid Age", "age_min and age_max must be whole numbers.", SUB_AGE) from None
    if not enums.AGE_MIN <= lo <= hi <= enums.AGE_MAX:
        raise invalid_param("Invalid Age Range", f"Ages must be between {enums.AGE_MIN} and {enums.AGE_MAX} with "
                            f"age_min ≤ age_max (got {lo}–{hi}).", SUB_AGE)
    genders = targeting.get("genders") or []
    if not isinstance(genders, list) or any(g not in (1, 2, "1", "2") for g in genders):
        raise invalid_param("Invalid Genders", "genders must be a list of 1 (men) and/or 2 (women).", SUB_TARGETING)
    return targeting


def _promoted_object(params: dict[str, Any], goal: str) -> dict[str, Any] | None:
    promoted = json_param(params, "promoted_object")
    if goal in enums.PIXEL_GOALS:
        if not isinstance(promoted, dict) or not promoted.get("pixel_id") or not promoted.get("custom_event_type"):
            raise invalid_param("Promoted Object Required", f"Optimizing for {goal} needs promoted_object "
                                "{pixel_id, custom_event_type}.", SUB_PROMOTED_OBJECT)
    if isinstance(promoted, dict) and promoted.get("custom_event_type") is not None \
            and promoted["custom_event_type"] not in enums.CUSTOM_EVENT_TYPES:
        raise invalid_param("Invalid custom_event_type", f"custom_event_type {promoted['custom_event_type']!r} "
                            "is not one of Meta's events (PURCHASE, LEAD, ADD_TO_CART, ...).", SUB_INVALID_ENUM)
    return promoted if isinstance(promoted, dict) else None


def eu_countries(targeting: dict[str, Any]) -> list[str]:
    """EU countries the targeting reaches: named countries, and the country of any region or city."""
    geo = targeting.get("geo_locations") or {}
    codes = [str(c).upper() for c in geo.get("countries") or []]
    codes += [str(p.get("country", "")).upper() for k in ("regions", "cities") for p in geo.get(k) or []
              if isinstance(p, dict)]
    return sorted({c for c in codes if c in enums.EU_COUNTRIES})


def _check_dsa(params: dict[str, Any], targeting: dict[str, Any]) -> None:
    eu = eu_countries(targeting)
    missing = [f for f in ("dsa_beneficiary", "dsa_payor") if not str_param(params, f)]
    if eu and missing:
        raise invalid_param("Beneficiary and Payer Required", f"Ads that reach the EU ({', '.join(eu)}) must say "
                            "who benefits from them and who pays (dsa_beneficiary and dsa_payor); missing: "
                            f"{', '.join(missing)}.", SUB_DSA)


def check_dynamic_creative(api: Api, adset: dict[str, Any]) -> None:
    """A Dynamic Creative ad set holds at most one ad (deleted ones don't count)."""
    if not adset.get("is_dynamic_creative"):
        return
    if any(a.get("adset_id") == adset["id"] and a.get("status") != "DELETED" for a in api.state["ads"].values()):
        raise invalid_param("Too Many Ads in Dynamic Creative Ad Set", "Cannot have more than one ad in given "
                            "Dynamic Creative Ad Set. Dynamic Creative Ad Set allows at most one active ad.",
                            SUB_DYNAMIC_ONE_AD)
