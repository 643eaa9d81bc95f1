"""Money conversion: major units the user writes ↔ Meta's minor units, and the text users read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skill.errors import ConfigError
from skill.money import from_minor, show, show_minor, to_minor


@pytest.mark.parametrize(("amount", "currency", "minor"), [
    ("50.00", "USD", 5000), (50, "EUR", 5000), ("0.5", "GBP", 50), ("1,000", "USD", 100000),
    ("1000", "JPY", 1000), (Decimal("12.34"), "usd", 1234),
])
def test_to_minor(amount, currency, minor) -> None:
    assert to_minor(amount, currency) == minor


@pytest.mark.parametrize("bad", ["abc", "-5", "nan", "inf", "1.234", ""])
def test_to_minor_refuses_what_is_not_money(bad) -> None:
    with pytest.raises(ConfigError) as err:
        to_minor(bad, "USD", what="adsets[0].daily_budget")
    assert "adsets[0].daily_budget" in str(err.value)


def test_yen_has_no_cents() -> None:
    with pytest.raises(ConfigError):
        to_minor("10.5", "JPY")
    assert from_minor("1000", "JPY") == Decimal(1000)


def test_round_trip_and_text() -> None:
    assert from_minor(to_minor("50", "USD"), "USD") == Decimal("50.00")
    assert show_minor("5000", "USD") == "$50.00" and show_minor("123456", "EUR") == "€1,234.56"
    assert show_minor("1500", "JPY") == "¥1,500" and show(Decimal("9"), "SEK") == "9.00 SEK"
    assert from_minor(None, "USD") is None and show(None, "USD") == "—"
