"""Budget, bid, status and creative updates on the sandbox over HTTP, and insights that follow them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from acting import CBO_ADSET, CBO_CAMPAIGN, add_cbo
from support import SANDBOX_ADSET, Graph, png_bytes

CAMPAIGN = "23846000000001"


def error(r) -> dict:
    assert r.status_code == 400, r.text
    return r.json()["error"]


def test_daily_budget_update_is_stored_in_minor_units(graph: Graph):
    assert graph.post(SANDBOX_ADSET, daily_budget="6000").json() == {"success": True}
    assert graph.get(SANDBOX_ADSET, fields="daily_budget,lifetime_budget").json()["daily_budget"] == "6000"


def test_budget_below_the_account_minimum_is_refused(graph: Graph):
    assert graph.get("act_123456789", fields="min_daily_budget").json()["min_daily_budget"] == 100
    err = error(graph.post(SANDBOX_ADSET, daily_budget="99"))
    assert (err["code"], err["error_subcode"], err["error_user_title"]) == (100, 1885272, "Budget Is Too Low")
    assert graph.get(SANDBOX_ADSET, fields="daily_budget").json()["daily_budget"] == "5000"


@pytest.mark.parametrize("value", ["12.50", "-5", "lots"])
def test_budget_must_be_whole_minor_units(graph: Graph, value):
    assert error(graph.post(SANDBOX_ADSET, daily_budget=value))["code"] == 100


def test_lifetime_budget_needs_an_end_time(graph: Graph):
    err = error(graph.post(SANDBOX_ADSET, lifetime_budget="90000"))
    assert err["error_user_title"] == "End Time Required"
    past = error(graph.post(SANDBOX_ADSET, lifetime_budget="90000", end_time="2020-01-01T00:00:00+0000"))
    assert past["error_user_title"] == "Incorrect End Date"
    end = (date.today() + timedelta(days=30)).isoformat() + "T23:59:59+0000"
    ok = graph.post(SANDBOX_ADSET, lifetime_budget="900000", end_time=end)
    assert ok.status_code == 200, ok.text
    got = graph.get(SANDBOX_ADSET, fields="daily_budget,lifetime_budget,end_time").json()
    assert (got["daily_budget"], got["lifetime_budget"], got["end_time"]) == ("0", "900000", end)


def test_lifetime_budget_must_cover_the_minimum_per_day(graph: Graph):
    err = error(graph.post(SANDBOX_ADSET, lifetime_budget="500", end_time="2099-12-31T23:59:59+0000"))
    assert err["error_subcode"] == 1885272 and "days" in err["error_user_msg"]


def test_cbo_campaign_holds_the_budget_not_its_ad_sets(sandbox, graph: Graph):
    add_cbo(sandbox.api.state.data)
    err = error(graph.post(CBO_ADSET, daily_budget="3000"))
    assert (err["error_subcode"], err["error_user_title"]) == (1885621, "Campaign Budget In Use")
    assert graph.post(CBO_CAMPAIGN, daily_budget="12000").status_code == 200
    assert graph.get(CBO_CAMPAIGN, fields="daily_budget").json()["daily_budget"] == "12000"
    abo = error(graph.post(CAMPAIGN, daily_budget="12000"))
    assert abo["error_subcode"] == 1885621 and SANDBOX_ADSET in abo["error_user_msg"]


def test_bid_strategy_and_bid_amount_combinations(graph: Graph):
    assert error(graph.post(SANDBOX_ADSET, bid_strategy="COST_CAP"))["error_subcode"] == 1815857
    assert error(graph.post(SANDBOX_ADSET, bid_amount="250"))["error_subcode"] == 2446149
    assert error(graph.post(SANDBOX_ADSET, bid_strategy="CHEAPEST"))["error_user_title"] == "Invalid Bid Strategy"
    assert graph.post(SANDBOX_ADSET, bid_strategy="LOWEST_COST_WITH_BID_CAP", bid_amount="250").status_code == 200
    assert graph.post(SANDBOX_ADSET, bid_amount="300").status_code == 200  # the strategy already has a cap
    got = graph.get(SANDBOX_ADSET, fields="bid_strategy,bid_amount").json()
    assert (got["bid_strategy"], got["bid_amount"]) == ("LOWEST_COST_WITH_BID_CAP", "300")


def test_status_cascades_to_children(graph: Graph):
    ad = graph.make_ad()
    graph.post(ad, status="ACTIVE")
    assert graph.post(CAMPAIGN, status="PAUSED").json() == {"success": True}
    assert graph.get(ad, fields="effective_status").json()["effective_status"] == "CAMPAIGN_PAUSED"
    assert graph.get(SANDBOX_ADSET, fields="effective_status").json()["effective_status"] == "CAMPAIGN_PAUSED"
    graph.post(CAMPAIGN, status="ACTIVE")
    graph.post(SANDBOX_ADSET, status="PAUSED")
    assert graph.get(ad, fields="effective_status").json()["effective_status"] == "ADSET_PAUSED"


def test_creative_swap_points_the_ad_at_the_new_creative(graph: Graph):
    ad = graph.make_ad()
    other = graph.create_creative(graph.upload_image(png_bytes(seed=9), "v2.png"), name="summer-sale-2026 - hero v2")
    assert graph.post(ad, creative={"creative_id": other}).json() == {"success": True}
    assert graph.get(ad, fields="creative").json()["creative"]["id"] == other
    assert error(graph.post(ad, creative={"creative_id": "99999999999"}))["error_subcode"] == 1487473


def spend_by_day(graph: Graph, ad: str, preset: str) -> dict[str, float]:
    rows = graph.get(f"{ad}/insights", date_preset=preset, time_increment=1, fields="spend").json()["data"]
    return {r["date_start"]: float(r["spend"]) for r in rows}


def test_a_paused_ad_stops_spending_from_the_pause(sandbox, graph: Graph):
    bleeder, keeper = graph.make_ad("a - bleeder", seed=1), graph.make_ad("a - keeper", seed=2)
    sandbox.configure(clock_days=3)
    planned = spend_by_day(graph, bleeder, "last_3d")  # the next days, before anything changed
    assert len(planned) == 3 and all(v > 0 for v in planned.values())
    sandbox.configure(clock_days=0)
    past = spend_by_day(graph, bleeder, "last_7d")
    assert graph.post(bleeder, status="PAUSED").status_code == 200
    assert spend_by_day(graph, bleeder, "last_7d") == past  # the past is not rewritten
    sandbox.configure(clock_days=3)
    after = spend_by_day(graph, bleeder, "last_3d")
    first = min(planned)
    assert set(after) <= {first} and after.get(first, 0) < planned[first]  # part of the pause day, then nothing
    assert len(spend_by_day(graph, keeper, "last_3d")) == 3  # an ad never changed keeps delivering


def test_a_budget_change_scales_future_daily_spend(sandbox, graph: Graph):
    ad = graph.make_ad()
    sandbox.configure(clock_days=4)
    planned = spend_by_day(graph, ad, "last_3d")
    sandbox.configure(clock_days=0)
    assert graph.post(SANDBOX_ADSET, daily_budget="10000").status_code == 200  # $50 → $100 a day
    sandbox.configure(clock_days=4)
    later = spend_by_day(graph, ad, "last_3d")
    assert later.keys() == planned.keys()
    for day, spend in planned.items():  # whole days after the change: twice the spend
        assert later[day] == pytest.approx(2 * spend, rel=0.02)


def test_a_paused_campaign_stops_all_its_ads_and_a_reactivation_resumes_them(sandbox, graph: Graph):
    ads = [graph.make_ad("c - one", seed=3), graph.make_ad("c - two", seed=4)]
    assert graph.post(CAMPAIGN, status="PAUSED").status_code == 200
    sandbox.configure(clock_days=2)
    assert all(len(spend_by_day(graph, ad, "yesterday")) == 0 for ad in ads)  # nothing on the day after
    assert graph.post(CAMPAIGN, status="ACTIVE").status_code == 200  # back on, two days later
    sandbox.configure(clock_days=4)
    assert all(len(spend_by_day(graph, ad, "yesterday")) == 1 for ad in ads)


def test_daily_and_lifetime_together_are_refused(graph: Graph):
    err = error(graph.post(SANDBOX_ADSET, daily_budget="6000", lifetime_budget="90000",
                           end_time="2099-01-01T00:00:00+0000"))
    assert (err["error_subcode"], err["error_user_title"]) == (1885656, "Choose One Budget")


def test_a_lifetime_budget_scales_spend_by_its_share_per_day(sandbox, graph: Graph):
    ad = graph.make_ad()
    sandbox.configure(clock_days=3)
    planned = spend_by_day(graph, ad, "last_2d")
    sandbox.configure(clock_days=0)
    end = (date.today() + timedelta(days=10)).isoformat() + "T00:00:00+0000"
    assert graph.post(SANDBOX_ADSET, lifetime_budget="50000", end_time=end).status_code == 200  # ~$50 a day
    sandbox.configure(clock_days=3)
    later = spend_by_day(graph, ad, "last_2d")
    for day, spend in planned.items():  # about the same as the $50.00 daily budget it replaced
        assert later[day] == pytest.approx(spend, rel=0.15)
