"""Budget and bid *updates* on an existing ad set or campaign (``POST /{id}``), with Meta's checks.

Create-time budget rules live apart (``budget_rules.py``); these are the rules for changing
a budget or a bid on something that already exists:

- budgets are positive integers in the currency's minor unit (cents for USD);
- a daily budget is at least the account's ``min_daily_budget`` (100/1885272 "Budget Is Too Low");
  a lifetime budget at least that much per day of the schedule;
- a lifetime budget needs an ``end_time`` in the future, after ``start_time``;
- an ad set of a campaign with a campaign budget (CBO) takes no budget of its own, and a campaign
  whose ad sets hold the budgets takes none either (100/1885621);
- bid strategies: ``LOWEST_COST_WITH_BID_CAP`` and ``COST_CAP`` need a ``bid_amount``
  (100/1815857); ``LOWEST_COST_WITHOUT_CAP`` and ``LOWEST_COST_WITH_MIN_ROAS`` take none (100/2446149).

Setting one kind of budget clears the other (daily ↔ lifetime), as a switch in Ads Manager does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import invalid_param

if TYPE_CHECKING:
    from skill.sandbox.api import Api

SUB_BUDGET_TOO_LOW = 1885272      # Meta: "Budget Is Too Low" (third-party copies agree)
SUB_BUDGET_CONFLICT = 1885621     # probable Meta subcode: campaign budget vs ad set budget
SUB_BID_REQUIRED = 1815857        # probable Meta subcode: bid amount required for the strategy
SUB_BID_COMBINATION = 2446149     # probable Meta subcode: bid_strategy / bid_amount combination
SUB_END_TIME = 1885650            # sandbox: lifetime budget without a usable end_time (as at creation)
SUB_TWO_BUDGETS = 1885656         # sandbox: daily and lifetime budget together (as at creation)
SUB_BAD_AMOUNT = 1885657          # sandbox: a budget or bid that is not a whole number (as at creation)

UPDATE_KEYS = frozenset({"daily_budget", "lifetime_budget", "end_time", "bid_amount", "bid_strategy"})
BID_STRATEGIES = ("LOWEST_COST_WITHOUT_CAP", "LOWEST_COST_WITH_BID_CAP", "COST_CAP", "LOWEST_COST_WITH_MIN_ROAS")
NEEDS_BID = frozenset({"LOWEST_COST_WITH_BID_CAP", "COST_CAP"})
DEFAULT_MIN_DAILY = 100  # minor units, when the account does not say


def check_update(api: Api, collection: str, obj: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """The budget and bid fields of ``params``, checked against ``obj``: the changes to apply."""
    changes: dict[str, Any] = {}
    for key in ("daily_budget", "lifetime_budget", "bid_amount"):
        if key in params:
            changes[key] = str(_amount(key, params[key]))
    if "end_time" in params:
        changes["end_time"] = _end_time(params["end_time"], obj)
    if "bid_strategy" in params:
        changes["bid_strategy"] = _strategy(params["bid_strategy"])
    _check_budgets(api, collection, obj, changes)
    _check_bid(obj, changes)
    return changes


# ---------------------------------------------------------------- budgets


def _amount(key: str, raw: Any) -> int:
    text = str(raw).strip()
    if not text.isdigit():
        raise invalid_param("Invalid Budget" if "budget" in key else "Invalid Bid Amount",
                            f"{key} must be a whole number in the currency's smallest unit (cents for USD), "
                            f"got {raw!r}.", SUB_BAD_AMOUNT)
    return int(text)


def _check_budgets(api: Api, collection: str, obj: dict[str, Any], changes: dict[str, Any]) -> None:
    daily, lifetime = int(changes.get("daily_budget", 0)), int(changes.get("lifetime_budget", 0))
    if not (daily or lifetime):
        if "end_time" in changes and _has(obj, "lifetime_budget"):
            _check_lifetime(api, obj, int(obj["lifetime_budget"]), changes["end_time"])
        return
    if daily and lifetime:
        raise invalid_param("Choose One Budget", "Set either daily_budget or lifetime_budget, not both.",
                            SUB_TWO_BUDGETS)
    _check_level(api, collection, obj)
    minimum = _min_daily(api, obj)
    if daily and daily < minimum:
        raise invalid_param("Budget Is Too Low", f"The budget for this {_kind(collection)} must be at least "
                            f"{minimum} (the account's min_daily_budget, in minor units) per day; got {daily}.",
                            SUB_BUDGET_TOO_LOW)
    if lifetime:
        end = changes.get("end_time") or (obj.get("end_time") if str(obj.get("end_time") or "0") != "0" else None)
        if not end:
            raise invalid_param("End Time Required", "A lifetime budget needs an end_time: send end_time with "
                                "lifetime_budget.", SUB_END_TIME)
        _check_lifetime(api, obj, lifetime, end)
        changes["daily_budget"] = "0"
    else:
        changes["lifetime_budget"] = "0"


def _check_lifetime(api: Api, obj: dict[str, Any], lifetime: int, end: str) -> None:
    start = max(_parse_time(obj.get("start_time")) or datetime.now(UTC), datetime.now(UTC))  # what is left
    days = max(1, -(-int((_parse_time(end) or start).timestamp() - start.timestamp()) // 86400))
    minimum = _min_daily(api, obj) * days
    if lifetime < minimum:
        raise invalid_param("Budget Is Too Low", f"A lifetime budget over {days} days left must be at least {minimum} "
                            f"(min_daily_budget × days, in minor units); got {lifetime}.", SUB_BUDGET_TOO_LOW)


def _check_level(api: Api, collection: str, obj: dict[str, Any]) -> None:
    """CBO: the campaign holds the budget, its ad sets none; without CBO, the other way round."""
    if collection == "adsets":
        campaign = api.state["campaigns"].get(obj.get("campaign_id", ""), {})
        if _has(campaign, "daily_budget") or _has(campaign, "lifetime_budget"):
            raise invalid_param("Campaign Budget In Use", f"Campaign {campaign['id']} uses a campaign budget "
                                "(Advantage campaign budget): change the budget on the campaign, not on its ad set.",
                                SUB_BUDGET_CONFLICT)
        return
    if collection == "campaigns" and not (_has(obj, "daily_budget") or _has(obj, "lifetime_budget")):
        held = [a["id"] for a in api.state["adsets"].values()
                if a.get("campaign_id") == obj["id"] and (_has(a, "daily_budget") or _has(a, "lifetime_budget"))]
        if held:
            raise invalid_param("Ad Set Budgets In Use", f"The ad sets of campaign {obj['id']} hold the budgets "
                                f"({', '.join(held)}): change an ad set's budget instead.", SUB_BUDGET_CONFLICT)


def _min_daily(api: Api, obj: dict[str, Any]) -> int:
    account = api.state.account(str(obj.get("account_id", ""))) or {}
    return int(account.get("min_daily_budget") or DEFAULT_MIN_DAILY)


def _has(obj: dict[str, Any], key: str) -> bool:
    return str(obj.get(key) or "0") not in ("0", "")


def _kind(collection: str) -> str:
    return "ad set" if collection == "adsets" else "campaign"


# ---------------------------------------------------------------- times


def _parse_time(raw: Any) -> datetime | None:
    if raw in (None, "", "0", 0):
        return None
    text = str(raw).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("+0000", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _end_time(raw: Any, obj: dict[str, Any]) -> str:
    if str(raw).strip() == "0":
        return "0"
    end = _parse_time(raw)
    if end is None:
        raise invalid_param("Invalid End Time", f"end_time {raw!r} is not a time: use ISO 8601 "
                            "(2026-12-31T23:59:59+0000) or a Unix timestamp.", SUB_END_TIME)
    start = _parse_time(obj.get("start_time"))
    if end <= datetime.now(UTC) or (start and end <= start):
        raise invalid_param("Incorrect End Date", "Please choose an end date that is in the future and after "
                            "the start date.", SUB_END_TIME)
    return end.strftime("%Y-%m-%dT%H:%M:%S+0000")


# ---------------------------------------------------------------- bids


def _strategy(raw: Any) -> str:
    value = str(raw).strip()
    if value not in BID_STRATEGIES:
        raise invalid_param("Invalid Bid Strategy", f"bid_strategy must be one of {', '.join(BID_STRATEGIES)}; "
                            f"got {value!r}.", SUB_BID_COMBINATION)
    return value


def _check_bid(obj: dict[str, Any], changes: dict[str, Any]) -> None:
    if "bid_strategy" not in changes and "bid_amount" not in changes:
        return
    strategy = changes.get("bid_strategy") or obj.get("bid_strategy") or "LOWEST_COST_WITHOUT_CAP"
    amount = int(changes.get("bid_amount", obj.get("bid_amount") or 0))
    if strategy in NEEDS_BID and not amount:
        raise invalid_param("Bid Amount Required", f"bid_strategy {strategy} needs a bid_amount (in minor units).",
                            SUB_BID_REQUIRED)
    if strategy not in NEEDS_BID and "bid_amount" in changes and amount:
        raise invalid_param("Unsupported Bid Strategy Combination", f"bid_amount cannot be used with bid_strategy "
                            f"{strategy}: use LOWEST_COST_WITH_BID_CAP or COST_CAP.", SUB_BID_COMBINATION)
    if strategy not in NEEDS_BID and "bid_strategy" in changes:
        changes["bid_amount"] = "0"
