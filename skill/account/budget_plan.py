"""Planning a budget or bid change: what the object has now, what it would have, and whether it may.

Pure arithmetic on what was read, in minor units, with every conversion through ``money.py``.
A plan says whether it can raise spend (then it waits for a yes), warns about Meta's learning
phase over ~20 %, and is refused when it passes a guardrail of ``brand/stack.md``
(``max_daily_budget``, ``max_budget_increase_pct``), naming the setting.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, Field, computed_field

from skill import amounts
from skill.amounts import Budget
from skill.errors import ConfigError, UsageError
from skill.money import from_minor, show, show_minor, to_minor
from skill.settings import Settings

LEARNING_PCT = Decimal(20)
LEARNING_WARNING = ("a change over ~20% can send it back into Meta's learning phase (results and costs wobble "
                    "for a few days): steps of 20% or less are safer")
PERCENT = re.compile(r"^\s*([+-]?)\s*(\d+(?:\.\d+)?)\s*%?\s*$")
BID_STRATEGY = {"bid_cap": "LOWEST_COST_WITH_BID_CAP", "cost_cap": "COST_CAP"}


class BudgetAsk(BaseModel):
    """What the user asked for (major units, as typed)."""

    daily: str | None = None
    lifetime: str | None = None
    end: str | None = None
    by: str | None = None
    bid_cap: str | None = None
    cost_cap: str | None = None


class BudgetChange(BaseModel):
    """One object's budget or bid, before and after; ``params`` is exactly what would be posted.

    In JSON: budgets as amounts (``budget_before``/``budget_after``, ``daily_spend_*``, bids) with the
    currency; the text forms (``before``, ``after``, ``pct``, ``bid_*``) and Meta's minor units stay
    out of it (``exclude``), for the text output and the change log.
    """

    kind: str
    id: str
    name: str
    currency: str
    status: str | None = None
    campaign: str | None = None  # the campaign it sits in (name), and its id
    campaign_id: str | None = None
    budget_type: str | None = None  # daily | lifetime
    type_changed: bool = False
    budget_before: Budget | None = None
    budget_after: Budget | None = None
    change_pct: Decimal | None = None  # +20 for a rise of 20 %
    bid_strategy_before: str | None = None
    bid_amount_before: Decimal | None = None  # major units
    bid_strategy_after: str | None = None
    bid_amount_after: Decimal | None = None
    before: str | None = Field(None, exclude=True)  # text: "$50.00"
    after: str | None = Field(None, exclude=True)
    pct: str | None = Field(None, exclude=True)  # "+20%"
    daily_before: int = Field(0, exclude=True)  # minor units per day (a lifetime budget over the days left)
    daily_after: int = Field(0, exclude=True)
    bid_before: str | None = Field(None, exclude=True)
    bid_after: str | None = Field(None, exclude=True)
    params: dict[str, str] = Field({}, exclude=True)
    ads: int | None = None  # how many active ads spend from it
    for_ads: list[str] = []  # the winners that spend from it (winners --scale)
    raises_spend: bool = False
    warnings: list[str] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def daily_spend_before(self) -> Decimal:
        """What it may spend a day before the change, in major units (a lifetime budget over the days left)."""
        return from_minor(self.daily_before, self.currency) or Decimal(0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def daily_spend_after(self) -> Decimal:
        return from_minor(self.daily_after, self.currency) or Decimal(0)

    def lines(self) -> list[str]:
        word = "ad set" if self.kind == "adset" else self.kind
        out = [f"{word} {self.name} ({self.id}):"]
        if self.budget_type and self.type_changed:  # daily ↔ lifetime, or a first budget
            out.append(f"  budget {self.before or 'none'} → {self.after} {self.budget_type}")
        elif self.budget_type:
            out.append(f"  {self.budget_type} budget {self.before} → {self.after}"
                       + (f" ({self.pct})" if self.pct else ""))
        if self.bid_after:
            out.append(f"  bid {self.bid_before or 'none (lowest cost)'} → {self.bid_after}")
        if self.for_ads:
            out.append(f"  spent by the winner{'s' if len(self.for_ads) > 1 else ''} {', '.join(self.for_ads)}")
        out += [f"  ⚠ {w}" for w in self.warnings]
        return out


def parse_pct(text: str) -> Decimal:
    m = PERCENT.match(text)
    if not m:
        raise UsageError(f"--by {text!r} is not a percentage", hint="e.g. --by +20% or --by -30%")
    value = Decimal(m.group(2))
    return -value if m.group(1) == "-" else value


def end_time(text: str) -> str:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--end {text!r} is not a date", hint="write it as YYYY-MM-DD, e.g. --end 2026-12-31") from None
    if day <= datetime.now(UTC).date():
        raise UsageError(f"--end {text} is not in the future", hint="a lifetime budget ends on a later day")
    return f"{day.isoformat()}T23:59:59+0000"


def days_left(obj: dict[str, Any], end: str | None) -> int:
    """Whole days from now (or the start, if later) to ``end``: at least 1."""
    if not end or end == "0":
        return 1
    stop = datetime.fromisoformat(end.replace("+0000", "+00:00"))
    start = max(datetime.now(UTC), _when(obj.get("start_time")) or datetime.now(UTC))
    return max(1, -(-int((stop - start).total_seconds()) // 86400))


def _when(raw: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw).replace("+0000", "+00:00")) if raw else None
    except ValueError:
        return None


def _minor(obj: dict[str, Any], key: str) -> int:
    return int(str(obj.get(key) or 0) or 0)


def plan(kind: str, obj: dict[str, Any], ask: BudgetAsk, currency: str) -> BudgetChange:
    """The change ``ask`` makes to ``obj`` (an ad set or campaign as read, budgets in minor units)."""
    change = BudgetChange(kind=kind, id=str(obj["id"]), name=str(obj.get("name") or obj["id"]), currency=currency,
                          status=obj.get("status"), campaign_id=obj.get("campaign_id"))
    now_type = "lifetime" if _minor(obj, "lifetime_budget") else ("daily" if _minor(obj, "daily_budget") else None)
    before = _minor(obj, f"{now_type}_budget") if now_type else 0
    end = obj.get("end_time")
    new_type, after = now_type, before
    if ask.daily is not None:
        new_type, after = "daily", to_minor(ask.daily, currency, what="--daily")
    elif ask.lifetime is not None:
        end = end_time(ask.end) if ask.end else (end if end and end != "0" else None)
        if not end:
            raise UsageError("a lifetime budget needs an end date", hint="add --end YYYY-MM-DD")
        new_type, after = "lifetime", to_minor(ask.lifetime, currency, what="--lifetime")
        change.params["end_time"] = end
    elif ask.by is not None:
        if not now_type:
            raise ConfigError(f"{change.name} has no budget of its own to change by a percentage", field="target")
        factor = 1 + parse_pct(ask.by) / 100
        after = int((Decimal(before) * factor).to_integral_value(ROUND_HALF_UP))
    if new_type and (after != before or new_type != now_type):
        change.budget_type, change.params[f"{new_type}_budget"] = new_type, str(after)
        change.type_changed = now_type != new_type
        change.before = _describe(now_type, before, currency) if change.type_changed else show_minor(before, currency)
        change.after = show_minor(after, currency)
        change.budget_before = amounts.from_meta(before, currency, now_type) if now_type else None
        change.budget_after = amounts.from_meta(after, currency, new_type)
        if now_type == new_type and before:
            change.change_pct = (Decimal(after - before) / before * 100).quantize(Decimal(1))
            change.pct = f"{change.change_pct:+}%"
    change.daily_before = _daily(now_type, before, obj, obj.get("end_time"))
    change.daily_after = _daily(new_type, after, obj, end)
    _plan_bid(change, obj, ask, currency)
    change.raises_spend = change.daily_after > change.daily_before or bool(change.bid_after)
    return change


def _describe(kind: str | None, minor: int, currency: str) -> str:
    if not kind:
        return "none"
    return f"{show_minor(minor, currency)}/day" if kind == "daily" else f"{show_minor(minor, currency)} lifetime"


def _daily(kind: str | None, minor: int, obj: dict[str, Any], end: str | None) -> int:
    if kind == "lifetime":
        return minor // days_left(obj, end)
    return minor if kind == "daily" else 0


def _plan_bid(change: BudgetChange, obj: dict[str, Any], ask: BudgetAsk, currency: str) -> None:
    for option, strategy in BID_STRATEGY.items():
        amount = getattr(ask, option)
        if amount is None:
            continue
        if change.kind == "campaign":
            raise ConfigError("bid caps and cost caps are set on ad sets", field=f"--{option.replace('_', '-')}",
                              hint="name the ad set: meta-ads budget AD_SET --bid-cap 2.50")
        minor = to_minor(amount, currency, what=f"--{option.replace('_', '-')}")
        old = _minor(obj, "bid_amount")
        change.bid_before = f"{obj.get('bid_strategy')} {show_minor(old, currency)}" if old else obj.get("bid_strategy")
        change.bid_after = f"{strategy} {show_minor(minor, currency)}"
        change.bid_strategy_before, change.bid_amount_before = obj.get("bid_strategy"), from_minor(old or None, currency)
        change.bid_strategy_after, change.bid_amount_after = strategy, from_minor(minor, currency)
        change.params.update(bid_strategy=strategy, bid_amount=str(minor))


# ---------------------------------------------------------------- guardrails and warnings


def check_guardrails(settings: Settings, change: BudgetChange) -> None:
    """Refuse a change past ``max_daily_budget`` or ``max_budget_increase_pct``, naming the setting."""
    stack, cur, where = settings.stack, change.currency, str(settings.brand_dir / "stack.md")
    if stack.max_daily_budget is not None and change.daily_after > change.daily_before:
        limit = to_minor(stack.max_daily_budget, cur, what="max_daily_budget")
        if change.daily_after > limit:
            raise ConfigError(f"refused: {change.name} would spend {show_minor(change.daily_after, cur)}/day, over "
                              f"max_daily_budget {show(from_minor(limit, cur), cur)}", file=where,
                              field="max_daily_budget", hint="raise max_daily_budget in brand/stack.md if you mean it")
    if stack.max_budget_increase_pct is not None and change.daily_before and change.daily_after > change.daily_before:
        pct = Decimal(change.daily_after - change.daily_before) / change.daily_before * 100
        if pct > stack.max_budget_increase_pct:
            raise ConfigError(f"refused: {change.name} would go up {pct.quantize(Decimal(1))}%, over "
                              f"max_budget_increase_pct {stack.max_budget_increase_pct}%", file=where,
                              field="max_budget_increase_pct",
                              hint="change it in smaller steps, or raise max_budget_increase_pct in brand/stack.md")


def add_warnings(change: BudgetChange) -> None:
    if change.daily_before and change.daily_after != change.daily_before:
        pct = abs(Decimal(change.daily_after - change.daily_before) / change.daily_before * 100)
        if pct > LEARNING_PCT:
            change.warnings.append(f"{pct.quantize(Decimal(1))}% change: {LEARNING_WARNING}")
    if change.bid_after:
        change.warnings.append("a new bid or bid strategy can send it back into Meta's learning phase "
                               "(results and costs wobble for a few days)")
