"""Budgets as the JSON documents carry them: an amount in the account's major unit, its currency,
and whether it is per day or for the whole schedule. ``{"amount": 50.0, "currency": "USD",
"period": "daily"}`` is $50.00 a day; ``text()`` gives the same budget as people read it
("$50.00/day"). Conversions from Meta's minor units go through ``money.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from skill.money import from_minor, show

Period = Literal["daily", "lifetime"]


class Budget(BaseModel):
    amount: Decimal  # major units: 50.00 is $50.00
    currency: str
    period: Period

    def text(self) -> str:
        shown = show(self.amount, self.currency)
        return f"{shown}/day" if self.period == "daily" else f"{shown} lifetime"


def from_meta(minor: Any, currency: str, period: Period) -> Budget | None:
    """Meta's ``"5000"`` (minor units) → a Budget; None for no budget (empty or zero)."""
    amount = from_minor(minor, currency) if str(minor or "0") != "0" else None
    return Budget(amount=amount, currency=currency, period=period) if amount is not None else None


def of_object(node: dict[str, Any], currency: str) -> Budget | None:
    """An ad set's or campaign's own budget as read from Meta: the daily one, else the lifetime one."""
    return from_meta(node.get("daily_budget"), currency, "daily") or \
        from_meta(node.get("lifetime_budget"), currency, "lifetime")


def text(budget: Budget | None) -> str | None:
    return budget.text() if budget else None
