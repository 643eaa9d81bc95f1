"""Money in one place: amounts the user writes (``50.00``) ↔ Meta's minor units (``"5000"``) and text.

Meta sends and takes budgets, bids and caps as integers in the currency's minor unit, as strings;
currencies without cents (JPY, KRW, ...) are whole units. Users read and write major units with
the account's currency, so every conversion goes through here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from skill.errors import ConfigError

SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$"}
NO_CENTS = frozenset({"JPY", "KRW", "CLP", "COP", "CRC", "HUF", "ISK", "IDR", "PYG", "TWD", "VND"})


def offset(currency: str) -> int:
    """How many minor units make one major unit."""
    return 1 if currency.upper() in NO_CENTS else 100


def to_minor(amount: Any, currency: str, *, what: str = "amount") -> int:
    """``"50.00"`` USD → 5000. A negative, non-numeric or too-precise amount is a ConfigError naming ``what``."""
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ConfigError(f"{what}: {amount!r} is not an amount of money",
                          hint=f"write it in {currency} major units, e.g. 50.00") from None
    if not value.is_finite() or value < 0:
        raise ConfigError(f"{what}: {amount!r} must be a positive amount", hint="e.g. 50.00")
    minor = value * offset(currency)
    if minor != minor.to_integral_value():
        raise ConfigError(f"{what}: {amount!r} has more decimals than {currency} allows",
                          hint="two decimals at most" if offset(currency) == 100 else f"{currency} has no cents")
    return int(minor)


def from_minor(minor: Any, currency: str) -> Decimal | None:
    """Meta's ``"5000"`` USD → Decimal("50.00"); empty, zero-less junk → None."""
    if minor in (None, ""):
        return None
    try:
        value = Decimal(str(minor)) / offset(currency)
    except (InvalidOperation, ValueError):
        return None
    return value.quantize(Decimal(1) if offset(currency) == 1 else Decimal("0.01"), ROUND_HALF_UP)


def show(amount: Decimal | None, currency: str) -> str:
    """Decimal("50") USD → "$50.00"; 1000 JPY → "¥1,000"; unknown currencies as "50.00 XYZ"."""
    if amount is None:
        return "—"
    text = f"{amount:,.0f}" if offset(currency) == 1 else f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
    if currency.upper() in SYMBOLS:
        return f"{SYMBOLS[currency.upper()]}{text}"
    return f"{text} {currency}".strip()


def show_minor(minor: Any, currency: str) -> str:
    """Meta's minor units straight to text: "5000" USD → "$50.00"."""
    return show(from_minor(minor, currency), currency)
