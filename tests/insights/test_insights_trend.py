"""Period over period, pure: the previous period's dates, the changes, and recommendations that use the trend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from skill.errors import UsageError
from skill.insights.analysis import (
    AdLine,
    Thresholds,
    bleeders,
    judge,
    recommendations,
    trended,
    winners,
)
from skill.insights.metrics import Metrics, changes, numbers
from skill.insights.periods import previous

TH = Thresholds(target_cpa=Decimal("25.00"))
TODAY = date(2026, 3, 10)  # a Tuesday


def line(name: str, spend: str, purchases: int, before_spend: str, before_purchases: int,
         status: str | None = None) -> AdLine:
    m = Metrics(impressions=5000, reach=4000, clicks=100, spend=Decimal(spend), purchases=Decimal(purchases))
    verdict, cpa = judge(m, "purchase", TH)
    before = Metrics(impressions=5000, reach=4000, clicks=100, spend=Decimal(before_spend),
                     purchases=Decimal(before_purchases))
    return AdLine(id=name, name=name, metrics=m, kind="purchase", verdict=verdict, cpa=cpa, status=status,
                  before=before)


@pytest.mark.parametrize(("since", "until", "preset", "expected"), [
    (None, None, "last_7d", ("2026-02-24", "2026-03-02")),
    (None, None, "yesterday", ("2026-03-08", "2026-03-08")),
    (None, None, "this_week_mon_today", ("2026-03-07", "2026-03-08")),
    (None, None, "last_month", ("2026-01-04", "2026-01-31")),
    ("2026-03-01", "2026-03-05", None, ("2026-02-24", "2026-02-28")),
])
def test_the_previous_period_has_the_same_length_just_before(since, until, preset, expected):
    assert previous(since, until, preset, TODAY) == expected


def test_maximum_has_no_previous_period():
    with pytest.raises(UsageError, match="no period before it"):
        previous(None, None, "maximum", TODAY)


def test_every_total_and_ratio_gets_its_change():
    now = numbers(Metrics(impressions=2000, reach=1000, clicks=40, spend=Decimal("60"), purchases=Decimal(3)),
                  "purchase")
    before = numbers(Metrics(impressions=1000, reach=1000, clicks=10, spend=Decimal("40"), purchases=Decimal(4)),
                     "purchase")
    c = changes(now, before)
    assert c["spend"] == Decimal("50.0") and c["impressions"] == Decimal("100.0") and c["ctr"] == Decimal("100.0")
    assert c["cost_per_result"] == Decimal("100.0") and c["results"] == Decimal("-25.0") and c["roas"] is None


def test_a_bleeder_that_is_improving_is_watched_not_paused():
    a = line("a", "100", 2, "300", 2)  # CPA 50 now, 150 before: improving 67 %
    [text] = trended(bleeders([a], TH))
    assert text.startswith("pause a: CPA 50.00") and "improved 67% on the previous period" in text
    assert "watch it a few more days before pausing" in text


def test_a_winner_whose_cost_rises_is_scaled_carefully():
    w = line("w", "60", 4, "30", 4)  # CPA 15 now, 7.50 before: up 100 %
    [text] = trended(winners([w], TH))
    assert text.startswith("scale w:") and "rose 100% on the previous period: scale carefully" in text


def test_a_steady_ad_with_rising_cost_is_flagged_to_watch_unless_paused():
    steady = line("s", "46", 2, "36", 2)  # CPA 23 (near target) vs 18: +28 %
    assert recommendations([steady], TH) == ["watch s: CPA 23.00 is up 28% on the previous period"]
    paused = line("p", "46", 2, "36", 2, status="PAUSED")
    assert recommendations([paused], TH) == []
