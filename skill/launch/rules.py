"""What Meta would refuse in a campaign or ad set, checked on the exact bodies before any call.

The same rules the sandbox enforces (``skill/sandbox/endpoints_campaigns.py``, ``budget_rules.py``):
enums from the official SDK, one budget holder (campaign or ad sets), lifetime budgets need an end,
ends after starts, ages 18–65, a bid where the strategy needs one, the account's minimum budget
(when the pre-flight read it), an optimization goal the objective takes, a pixel for conversion
goals, beneficiary and payer for EU targeting, one ad per Dynamic Creative ad set.
"""

from __future__ import annotations

import math
import time
from datetime import datetime
from typing import Any

from skill.launch import enums
from skill.launch.payloads import eu_countries
from skill.money import show_minor
from skill.validate import Finding

BUDGETS = ("daily_budget", "lifetime_budget")


class Rules:
    """Collects findings for one config file; ``where`` prefixes the field (``adsets[1]``)."""

    def __init__(self, file: str, currency: str, min_daily: int | None) -> None:
        self.file, self.currency, self.min_daily = file, currency, min_daily
        self.findings: list[Finding] = []

    def error(self, where: str, field: str, message: str) -> None:
        self.findings.append(Finding("error", message, file=self.file, field=f"{where}.{field}"))

    def warning(self, where: str, field: str, message: str) -> None:
        self.findings.append(Finding("warning", message, file=self.file, field=f"{where}.{field}"))

    def enum(self, where: str, field: str, value: Any, allowed: tuple[str, ...]) -> None:
        if value is not None and value not in allowed:
            self.error(where, field, f"{value!r} is not one of Meta's values: {', '.join(allowed)}")

    # ------------------------------------------------------------ shared

    def paused(self, where: str, status: str | None) -> None:
        if status not in (None, "PAUSED"):
            self.error(where, "status", f"status {status!r}: everything is created PAUSED; activate it later "
                       "with `meta-ads activate` (it shows the budget first)")

    def schedule(self, where: str, body: dict[str, Any], start: str, end: str) -> float | None:
        """Times parse, the end comes after the start; returns the schedule's days (None: open-ended)."""
        times = {}
        for name in (start, end):
            if body.get(name):
                times[name] = parse_time(body[name])
                if times[name] is None:
                    self.error(where, name, f"{body[name]!r} is not a time: use ISO 8601 with an offset, "
                               "e.g. 2026-11-27T00:00:00-0500")
        begin, finish = times.get(start), times.get(end)
        if finish is None:
            return None
        if finish <= (begin if begin is not None else time.time()):
            self.error(where, end, f"{end} {body[end]} is not after "
                       f"{start + ' ' + body[start] if begin is not None else 'now'}")
            return None
        return (finish - (begin or time.time())) / 86400

    def budget(self, where: str, body: dict[str, Any], days: float | None, end: str, what: str) -> None:
        if all(body.get(b) for b in BUDGETS):
            self.error(where, "lifetime_budget", "set daily_budget or lifetime_budget, not both")
        if body.get("lifetime_budget") and not body.get(end):
            self.error(where, end, f"a lifetime budget needs {end}: Meta spreads it over the schedule")
        if self.min_daily is None:
            return
        if body.get("daily_budget") and body["daily_budget"] < self.min_daily:
            self.error(where, "daily_budget", f"{self.money(body['daily_budget'])}/day is below this ad account's "
                       f"minimum of {self.money(self.min_daily)}/day for a {what}")
        if body.get("lifetime_budget"):
            floor = self.min_daily * max(1, math.ceil(days or 1))
            if body["lifetime_budget"] < floor:
                self.error(where, "lifetime_budget", f"{self.money(body['lifetime_budget'])} is below this ad "
                           f"account's minimum of {self.money(floor)} for the schedule ({self.money(self.min_daily)}/day)")

    def money(self, minor: int) -> str:
        return show_minor(minor, self.currency)

    # ------------------------------------------------------------ the campaign

    def campaign(self, body: dict[str, Any], status: str | None) -> None:
        where = "campaign"
        objective = body.get("objective")
        if objective in enums.LEGACY_OBJECTIVES:
            self.error(where, "objective", f"{objective} is a legacy objective Meta no longer takes for new "
                       f"campaigns; use one of {', '.join(enums.OBJECTIVES)}")
        else:
            self.enum(where, "objective", objective, enums.OBJECTIVES)
        for i, cat in enumerate(body.get("special_ad_categories") or []):
            self.enum(where, f"special_ad_categories[{i}]", cat, enums.SPECIAL_AD_CATEGORIES)
        self.enum(where, "buying_type", body.get("buying_type"), enums.BUYING_TYPES)
        self.enum(where, "bid_strategy", body.get("bid_strategy"), enums.BID_STRATEGIES)
        self.paused(where, status)
        days = self.schedule(where, body, "start_time", "stop_time")
        self.budget(where, body, days, "stop_time", "campaign")

    # ------------------------------------------------------------ ad sets

    def adset(self, where: str, body: dict[str, Any], campaign: dict[str, Any], status: str | None) -> None:
        goal, objective = body.get("optimization_goal"), campaign.get("objective")
        self.enum(where, "optimization_goal", goal, enums.OPTIMIZATION_GOALS)
        self.enum(where, "billing_event", body.get("billing_event"), enums.BILLING_EVENTS)
        allowed = enums.GOALS_BY_OBJECTIVE.get(str(objective))
        if allowed is not None and goal in enums.OPTIMIZATION_GOALS and goal not in allowed:
            self.error(where, "optimization_goal", f"the campaign's objective {objective} does not take the "
                       f"optimization goal {goal}; use one of {', '.join(sorted(allowed))}")
        self.paused(where, status)
        days = self.schedule(where, body, "start_time", "end_time")
        self._budget_holder(where, body, campaign)
        self.budget(where, body, days, "end_time", "ad set")
        self._bid(where, body, campaign)
        self._targeting(where, body.get("targeting") or {})
        self._pixel(where, body, goal)
        eu = eu_countries(body.get("targeting") or {})
        missing = [f for f in ("dsa_beneficiary", "dsa_payor") if not body.get(f)]
        if eu and missing:
            self.error(where, missing[0], f"ads reaching the EU ({', '.join(eu)}) must name who benefits and who "
                       "pays: set dsa_beneficiary and dsa_payor here or in brand/stack.md")

    def _budget_holder(self, where: str, body: dict[str, Any], campaign: dict[str, Any]) -> None:
        cbo = any(campaign.get(b) for b in BUDGETS)
        if cbo and any(body.get(b) for b in BUDGETS):
            self.error(where, "daily_budget" if body.get("daily_budget") else "lifetime_budget",
                       "the campaign has a campaign budget (CBO), so its ad sets cannot have their own; "
                       "remove this one, or the campaign's")
        elif not cbo and not any(body.get(b) for b in BUDGETS):
            self.error(where, "daily_budget", "needs daily_budget or lifetime_budget (the campaign has no "
                       "campaign budget)")

    def _bid(self, where: str, body: dict[str, Any], campaign: dict[str, Any]) -> None:
        strategy = body.get("bid_strategy") or campaign.get("bid_strategy")
        self.enum(where, "bid_strategy", body.get("bid_strategy"), enums.BID_STRATEGIES)
        if strategy in enums.NEEDS_BID_AMOUNT and not body.get("bid_amount"):
            self.error(where, "bid_amount", f"the bid strategy {strategy} needs a bid: set bid_amount "
                       "(or cost_cap), in the account's currency")
        if strategy == "LOWEST_COST_WITH_MIN_ROAS" and not (body.get("bid_constraints") or {}).get(
                "roas_average_floor"):
            self.error(where, "roas_floor", "LOWEST_COST_WITH_MIN_ROAS needs roas_floor (e.g. \"2.5\")")

    def _targeting(self, where: str, targeting: dict[str, Any]) -> None:
        if not any((targeting.get("geo_locations") or {}).values()):
            self.error(where, "targeting.countries", "no location: set countries (or regions, cities) here, or "
                       "countries in brand/stack.md")
        lo, hi = targeting.get("age_min", enums.AGE_MIN), targeting.get("age_max", enums.AGE_MAX)
        if not enums.AGE_MIN <= lo <= hi <= enums.AGE_MAX:
            self.error(where, "targeting.age_min" if not enums.AGE_MIN <= lo <= enums.AGE_MAX else "targeting.age_max",
                       f"ages {lo}–{hi}: Meta takes {enums.AGE_MIN} to {enums.AGE_MAX}, age_min ≤ age_max")
        for g in targeting.get("genders") or []:
            if g not in (1, 2):
                self.error(where, "targeting.genders", f"{g!r} is not a gender Meta targets: use male or female")
        for i, platform in enumerate(targeting.get("publisher_platforms") or []):
            self.enum(where, f"targeting.placements.publisher_platforms[{i}]", platform, enums.PUBLISHER_PLATFORMS)

    def _pixel(self, where: str, body: dict[str, Any], goal: str | None) -> None:
        promoted = body.get("promoted_object") or {}
        if goal in enums.PIXEL_GOALS and not promoted.get("pixel_id"):
            self.error(where, "pixel_id", f"optimizing for {goal} needs a pixel: set pixel_id here or in "
                       "brand/stack.md")
        self.enum(where, "conversion_event", promoted.get("custom_event_type"), enums.CUSTOM_EVENT_TYPES)


def parse_time(text: Any) -> float | None:
    """ISO 8601 with an offset (``2026-11-27T00:00:00-0500``, ``…Z``) or a unix timestamp."""
    raw = str(text).strip()
    if raw.isdigit():
        return float(raw)
    for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%Y-%m-%dT%H:%M:%S%z")):
        try:
            stamp = parse(raw)
        except ValueError:
            continue
        if stamp.tzinfo is not None:
            return stamp.timestamp()
    return None
