"""Meta's budget rules for campaigns and ad sets, in one place, for creates and for updates.

Budgets are unsigned integers in the account currency's minor unit (cents for USD), sent as
strings. The account's ``min_daily_budget`` (minor units, a field of the ad account node) is
the floor for a daily budget; a lifetime budget must cover it for every day of the schedule.
A campaign with its own budget (Advantage+ campaign budget, "CBO") leaves its ad sets without one.

Subcodes: 1885272 "Budget Is Too Low" (Meta's), 1885621 campaign budget and ad-set budget
together (as third-party clients report it), 4834011 ``is_adset_budget_sharing_enabled`` missing
on a campaign without a budget (idem); the others are the sandbox's own, see ``docs/sandbox.md``.
"""

from __future__ import annotations

import math
from typing import Any

from skill.money import show_minor
from skill.sandbox.errors import ApiError, invalid_param

DEFAULT_MIN_DAILY_BUDGET = 100  # minor units: $1.00 a day, the sandbox account's floor
BUDGET_FIELDS = ("daily_budget", "lifetime_budget")

SUB_BUDGET_TOO_LOW = 1885272
SUB_CBO_CONFLICT = 1885621
SUB_SHARING_FLAG = 4834011
SUB_TWO_BUDGETS = 1885656       # sandbox: daily and lifetime budget together
SUB_BUDGET_REQUIRED = 1885655   # sandbox: neither the campaign nor the ad set has a budget
SUB_LIFETIME_NEEDS_END = 1885650  # sandbox: lifetime budget without an end time
SUB_INVALID_BUDGET = 1885657    # sandbox: not an unsigned integer


def min_daily_budget(account: dict[str, Any]) -> int:
    try:
        return int(account.get("min_daily_budget") or DEFAULT_MIN_DAILY_BUDGET)
    except (TypeError, ValueError):
        return DEFAULT_MIN_DAILY_BUDGET


def amount(params: dict[str, Any], name: str) -> int | None:
    """An unsigned integer budget parameter; absent, empty or "0" is None."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw))
    except ValueError:
        raise invalid_param("Invalid Budget", f"{name} must be a whole number in the currency's minor unit "
                            f"(cents), got {raw!r}.", SUB_INVALID_BUDGET) from None
    if value < 0:
        raise invalid_param("Invalid Budget", f"{name} must not be negative.", SUB_INVALID_BUDGET)
    return value or None


def budgets(params: dict[str, Any]) -> dict[str, int]:
    """The budgets a create or update names; daily and lifetime together is refused."""
    found = {name: value for name in BUDGET_FIELDS if (value := amount(params, name)) is not None}
    if len(found) > 1:
        raise invalid_param("Choose One Budget", "Set either daily_budget or lifetime_budget, not both.",
                            SUB_TWO_BUDGETS)
    return found


def too_low(account: dict[str, Any], name: str, minimum: int, what: str = "ad set") -> ApiError:
    shown = show_minor(minimum, str(account.get("currency") or "USD"))
    return invalid_param("Budget Is Too Low", f"The budget for this {what} must be at least {shown}"
                         f"{' a day' if name == 'daily_budget' else ' for its schedule'}.", SUB_BUDGET_TOO_LOW)


def check_minimum(account: dict[str, Any], found: dict[str, int], days: float | None, what: str) -> None:
    """Daily ≥ the account's minimum; lifetime ≥ the minimum times the days of the schedule."""
    floor = min_daily_budget(account)
    if "daily_budget" in found and found["daily_budget"] < floor:
        raise too_low(account, "daily_budget", floor, what)
    if "lifetime_budget" in found:
        minimum = floor * max(1, math.ceil(days or 1))
        if found["lifetime_budget"] < minimum:
            raise too_low(account, "lifetime_budget", minimum, what)


def lifetime_needs_end(found: dict[str, int], end: float | None, what: str, field: str = "end_time") -> None:
    if "lifetime_budget" in found and end is None:
        raise invalid_param("End Time Required", f"A {what} with a lifetime budget needs an {field}: Meta "
                            "spreads the budget over the schedule.", SUB_LIFETIME_NEEDS_END)


def check_campaign(account: dict[str, Any], params: dict[str, Any], days: float | None,
                   stop: float | None) -> dict[str, int]:
    """A new campaign's budget: with one, it is a campaign budget; without, ad sets carry theirs and
    Meta asks ``is_adset_budget_sharing_enabled`` to be said explicitly."""
    found = budgets(params)
    if found:
        lifetime_needs_end(found, stop, "campaign", "stop_time")
        check_minimum(account, found, days, "campaign")
    elif str(params.get("is_adset_budget_sharing_enabled", "")).lower() not in ("true", "false", "1", "0"):
        raise invalid_param("Budget Sharing Not Specified", "Must specify True or False in "
                            "is_adset_budget_sharing_enabled field when the campaign has no campaign budget.",
                            SUB_SHARING_FLAG)
    return found


def check_adset(account: dict[str, Any], campaign: dict[str, Any], params: dict[str, Any],
                days: float | None, end: float | None) -> dict[str, int]:
    """A new ad set's budget against its campaign's: exactly one of the two holds the money."""
    found = budgets(params)
    cbo = any(str(campaign.get(name) or "0") != "0" for name in BUDGET_FIELDS)
    if cbo and found:
        raise invalid_param("Campaign Budget Already Set", "This ad set's campaign has a campaign budget "
                            "(Advantage+ campaign budget); ad sets under it cannot have their own daily_budget "
                            "or lifetime_budget. Remove the ad set's budget, or the campaign's.", SUB_CBO_CONFLICT)
    if not cbo and not found:
        raise invalid_param("Budget Required", "This ad set needs a daily_budget or a lifetime_budget: its "
                            "campaign has no campaign budget.", SUB_BUDGET_REQUIRED)
    lifetime_needs_end(found, end, "ad set")
    check_minimum(account, found, days, "ad set")
    return found
