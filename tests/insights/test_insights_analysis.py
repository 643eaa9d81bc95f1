"""The pure parts of insights: Meta's strings into exact numbers, judging, wording, charts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from PIL import Image

from skill.errors import UsageError
from skill.insights.analysis import AdLine, Thresholds, bleeders, fatigue, judge, winners
from skill.insights.chart import bar_chart, trend_chart
from skill.insights.fetch import ASYNC_ROW_THRESHOLD, Query, check_breakdowns, check_period
from skill.insights.metrics import Metrics, Row, action_total, dec, numbers, parse_row, result_kind

TH = Thresholds(target_cpa=Decimal("25.00"), target_roas=Decimal("3.0"), min_ctr=Decimal("0.8"))


def line(name: str, spend: str, impressions: int, clicks: int, purchases: int, value: str = "0",
         status: str | None = None, daily: list[Row] | None = None) -> AdLine:
    m = Metrics(impressions=impressions, reach=impressions // 2, clicks=clicks, spend=Decimal(spend),
                purchases=Decimal(purchases), purchase_value=Decimal(value))
    verdict, cpa = judge(m, "purchase", TH)
    return AdLine(id=name, name=name, metrics=m, kind="purchase", verdict=verdict, cpa=cpa, status=status,
                  daily=daily or [])


def test_meta_strings_become_exact_decimals():
    row = parse_row({"ad_id": "1", "impressions": "3100", "clicks": "40", "spend": "0.1",
                     "actions": [{"action_type": "link_click", "value": "31"},
                                 {"action_type": "purchase", "value": "2"},
                                 {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "2"}],
                     "action_values": [{"action_type": "purchase", "value": "79.90"}], "age": "25-34"})
    assert row.metrics.spend == Decimal("0.1") and isinstance(row.metrics.spend, Decimal)
    assert row.metrics.purchases == 2  # one purchase reported under two aliases counts once
    assert row.metrics.link_clicks == 31 and row.metrics.purchase_value == Decimal("79.90")
    assert row.breakdown == {"age": "25-34"}
    total = row.metrics + row.metrics + row.metrics
    assert total.spend == Decimal("0.3")  # 0.1 + 0.1 + 0.1 as floats would not be
    assert dec(None) == dec("") == dec("n/a") == 0 and action_total("garbage", ("purchase",)) == 0


def test_numbers_serialize_as_strings_and_round_only_derived_values():
    m = Metrics(impressions=3, reach=2, clicks=1, spend=Decimal("10"), purchases=Decimal(3))
    doc = json.loads(numbers(m, "purchase").model_dump_json())
    assert doc["spend"] == "10" and doc["impressions"] == 3
    assert doc["cost_per_result"] == "3.33" and doc["ctr"] == "33.3333" and doc["roas"] == "0.0000"
    assert json.loads(numbers(Metrics(), "purchase").model_dump_json())["cost_per_result"] is None


def test_result_kind_falls_back_from_purchases_to_leads_to_link_clicks():
    assert result_kind(Metrics(purchases=Decimal(1), leads=Decimal(5))) == "purchase"
    assert result_kind(Metrics(leads=Decimal(5))) == "lead"
    assert result_kind(Metrics()) == "link_click"


@pytest.mark.parametrize("spend,purchases,verdict", [
    ("40.00", 2, "beating"), ("52.00", 2, "near"), ("82.40", 2, "over"), ("30.00", 0, "over"), ("10.00", 0, "no results"),
])
def test_judge_against_target_cpa(spend, purchases, verdict):
    assert line("ad", spend, 3100, 60, purchases).verdict == verdict


def test_too_few_impressions_is_too_early():
    assert line("ad", "500.00", 900, 1, 0).verdict == "too early"
    assert bleeders([line("ad", "500.00", 900, 1, 0)], TH) == []


def test_bleeder_wording_names_ad_cpa_target_and_impressions():
    found = bleeders([line("hero-receipt", "82.40", 3100, 60, 2)], TH)
    assert [t for _, t in found] == ["pause hero-receipt: CPA 41.20 vs target 25.00 after 3,100 impressions"]
    paused = bleeders([line("hero-receipt", "82.40", 3100, 60, 2, status="PAUSED")], TH)
    assert paused[0][1].startswith("keep hero-receipt paused: CPA 41.20")


def test_low_ctr_and_low_roas_are_bleeders_too():
    low_ctr = bleeders([line("a", "20.00", 10000, 50, 2, value="200")], TH)
    assert "CTR 0.50% under the 0.8% minimum" in low_ctr[0][1]
    low_roas = bleeders([line("b", "40.00", 3000, 60, 2, value="60")], TH)
    assert low_roas[0][1] == "review b: ROAS 1.50 vs target 3.0 after 3,000 impressions"


def test_winners_say_how_to_scale_and_never_act():
    found = winners([line("w", "20.00", 5000, 100, 2, value="200"), line("l", "90.00", 5000, 100, 2)], TH)
    assert [a.name for a, _ in found] == ["w"]
    assert "CPA 10.00 vs target 25.00 (60% better, ROAS 10.00)" in found[0][1]
    paused = winners([line("w", "20.00", 5000, 100, 2, status="PAUSED")], TH)
    assert "`meta-ads activate w --yes`" in paused[0][1]


def test_fatigue_from_frequency_and_falling_ctr():
    days = [Row(id="f", date_start=f"2026-11-{d:02d}", metrics=Metrics(impressions=1000, clicks=30 - 4 * d))
            for d in range(1, 7)]
    tired = line("f", "50.00", 6000, 60, 2, daily=days)
    tired.metrics.reach = 1000  # frequency 6.0
    text = fatigue([tired], TH)[0][1]
    assert text.startswith("refresh the creative of f: frequency 6.0 above 3.5; CTR down")


def test_async_is_chosen_by_estimated_size():
    small = Query(objects=["1"], date_preset="last_7d")
    big = Query(objects=["1"], date_preset="last_30d", daily=True, breakdowns=["age", "gender"])
    assert small.estimated_rows(3) < ASYNC_ROW_THRESHOLD < big.estimated_rows(12)
    assert big.params()["time_increment"] == 1 and big.params()["breakdowns"] == "age,gender"
    dated = Query(objects=["1"], since="2026-11-01", until="2026-11-15").params()
    assert dated["time_range"] == {"since": "2026-11-01", "until": "2026-11-15"} and "date_preset" not in dated


@pytest.mark.parametrize("args", [("last_week", None, None), (None, "2026-11-10", None),
                                  (None, "2026-11-10", "2026-11-01"), (None, "11/10/2026", "2026-11-12")])
def test_bad_periods_are_usage_errors(args):
    with pytest.raises(UsageError):
        check_period(*args)


def test_unknown_breakdown_is_a_usage_error():
    with pytest.raises(UsageError, match="zodiac"):
        check_breakdowns(["age", "zodiac"])


def test_charts_are_valid_pngs_for_many_ads_and_no_results(tmp_path):
    names = [f"ad-{i}" for i in range(40)]
    bar = bar_chart(tmp_path / "bar.png", "40 ads", names, [Decimal(i) for i in range(40)],
                    [None if i % 3 else Decimal(i) for i in range(40)], Decimal("25"))
    trend = trend_chart(tmp_path / "trend.png", "30 days", [f"2026-11-{d:02d}" for d in range(1, 31)],
                        [Decimal(d) for d in range(30)], [None] * 30)
    for path in (bar, trend):
        with Image.open(path) as img:
            img.verify()
        with Image.open(path) as img:
            assert img.format == "PNG" and img.size == (1000, 520)
