"""Insights: sync reports, presets, breakdowns that add up, levels, paging, async report runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from skill.sandbox import Sandbox
from skill.sandbox.insights_data import allocate, day_counts
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, Graph

FIELDS = "ad_id,ad_name,impressions,reach,frequency,clicks,ctr,cpc,cpm,spend,actions,cost_per_action_type,action_values"


def today() -> date:
    return datetime.now(UTC).date()


def test_ad_insights_last_7d_shape(graph: Graph) -> None:
    ad_id = graph.make_ad()
    body = graph.get(f"{ad_id}/insights", fields=FIELDS, date_preset="last_7d").json()
    (row,) = body["data"]
    assert row["date_start"] == (today() - timedelta(days=7)).isoformat()
    assert row["date_stop"] == (today() - timedelta(days=1)).isoformat()
    assert row["ad_id"] == ad_id
    for key in ("impressions", "reach", "clicks", "spend", "ctr", "cpc", "cpm", "frequency"):
        assert isinstance(row[key], str) and float(row[key]) >= 0, key
    assert int(row["impressions"]) > 1000
    assert abs(float(row["ctr"]) - 100 * int(row["clicks"]) / int(row["impressions"])) < 1e-3
    assert abs(float(row["cpc"]) - float(row["spend"]) / int(row["clicks"])) < 1e-3
    types = {a["action_type"] for a in row["actions"]}
    assert "link_click" in types
    for item in row["actions"] + row["cost_per_action_type"]:
        assert set(item) == {"action_type", "value"} and isinstance(item["value"], str)


def test_default_fields_and_deterministic_numbers(sandbox: Sandbox, graph: Graph) -> None:
    ad_id = graph.make_ad()
    first = graph.get(f"{ad_id}/insights").json()["data"]
    assert set(first[0]) == {"impressions", "spend", "date_start", "date_stop"}
    assert graph.get(f"{ad_id}/insights").json()["data"] == first
    day = today() - timedelta(days=3)
    assert day_counts(ad_id, day, 10) == day_counts(ad_id, day, 10)


def test_purchases_and_leads_appear_over_a_month(graph: Graph) -> None:
    ads = [graph.make_ad(name=f"ad {i}", seed=i + 1) for i in range(4)]
    rows = graph.get(f"{SANDBOX_ACCOUNT}/insights", level="ad", date_preset="last_30d",
                     fields="ad_id,actions,cost_per_action_type,action_values,spend").json()["data"]
    assert {r["ad_id"] for r in rows} == set(ads)
    kinds = {a["action_type"] for r in rows for a in r.get("actions", [])}
    assert {"purchase", "lead", "link_click"} <= kinds
    cpas = [float(c["value"]) for r in rows for c in r["cost_per_action_type"] if c["action_type"] == "purchase"]
    assert all(0 < cpa < 500 for cpa in cpas)


def test_time_increment_daily(graph: Graph) -> None:
    ad_id = graph.make_ad()
    total = graph.get(f"{ad_id}/insights", date_preset="last_14d", fields="impressions,spend").json()["data"][0]
    daily = graph.get(f"{ad_id}/insights", date_preset="last_14d", time_increment=1, limit=100,
                      fields="impressions,spend").json()["data"]
    assert len(daily) == 14
    assert all(r["date_start"] == r["date_stop"] for r in daily)
    assert sum(int(r["impressions"]) for r in daily) == int(total["impressions"])
    assert round(sum(float(r["spend"]) for r in daily), 2) == float(total["spend"])


def test_time_range_and_presets(graph: Graph) -> None:
    ad_id = graph.make_ad()
    since, until = today() - timedelta(days=10), today() - timedelta(days=8)
    row = graph.get(f"{ad_id}/insights", time_range={"since": since.isoformat(), "until": until.isoformat()}
                    ).json()["data"][0]
    assert (row["date_start"], row["date_stop"]) == (since.isoformat(), until.isoformat())
    for preset in ("today", "yesterday", "last_3d", "last_14d", "last_28d", "last_30d", "last_90d", "this_month",
                   "last_month", "this_quarter", "maximum", "this_week_mon_today", "last_week_mon_sun"):
        r = graph.get(f"{ad_id}/insights", date_preset=preset)
        assert r.status_code == 200, (preset, r.text)
    assert graph.get(f"{ad_id}/insights", date_preset="last_forever").status_code == 400
    assert graph.get(f"{ad_id}/insights", time_range={"since": "2026-13-01"}).status_code == 400
    old = graph.get(f"{ad_id}/insights", time_range={"since": "2020-01-01", "until": "2020-01-31"}).json()
    assert old["data"] == []  # before the ad delivered


def test_fresh_ad_has_history(graph: Graph) -> None:
    ad_id = graph.make_ad()
    data = graph.get(f"{ad_id}/insights", date_preset="maximum", fields="impressions").json()["data"][0]
    assert data["date_stop"] == today().isoformat()
    assert data["date_start"] <= (today() - timedelta(days=28)).isoformat()


@pytest.mark.parametrize("breakdowns", ["age", "gender", "age,gender", "publisher_platform",
                                        "publisher_platform,platform_position", "device_platform", "country"])
def test_breakdowns_add_up_to_totals(graph: Graph, breakdowns: str) -> None:
    ad_id = graph.make_ad()
    fields = "impressions,reach,clicks,spend,actions"
    total = graph.get(f"{ad_id}/insights", date_preset="last_7d", fields=fields).json()["data"][0]
    rows = graph.get(f"{ad_id}/insights", date_preset="last_7d", fields=fields, breakdowns=breakdowns,
                     limit=500).json()["data"]
    dims = breakdowns.split(",")
    assert all(all(d in r for d in dims) for r in rows)
    assert len({tuple(r[d] for d in dims) for r in rows}) == len(rows)
    for key in ("impressions", "reach", "clicks"):
        assert sum(int(r[key]) for r in rows) == int(total[key]), key
    assert round(sum(float(r["spend"]) for r in rows), 2) == float(total["spend"])

    def actions(row: dict, kind: str) -> int:
        return sum(int(a["value"]) for a in row.get("actions", []) if a["action_type"] == kind)

    assert sum(actions(r, "link_click") for r in rows) == actions(total, "link_click")


def test_breakdowns_as_json_array_and_unknown(graph: Graph) -> None:
    ad_id = graph.make_ad()
    rows = graph.get(f"{ad_id}/insights", breakdowns=["gender"], date_preset="last_7d").json()["data"]
    assert {r["gender"] for r in rows} == {"female", "male", "unknown"}
    assert graph.get(f"{ad_id}/insights", breakdowns="zodiac").status_code == 400


def test_levels_and_rollups(graph: Graph) -> None:
    ads = [graph.make_ad(name=f"ad {i}", seed=i + 1) for i in range(3)]
    params = {"date_preset": "last_7d", "fields": "impressions,spend,adset_id,adset_name,campaign_name"}
    by_ad = graph.get(f"{SANDBOX_ADSET}/insights", level="ad", **params).json()["data"]
    assert len(by_ad) == 3
    by_adset = graph.get(f"{SANDBOX_ADSET}/insights", **params).json()["data"]
    assert len(by_adset) == 1 and by_adset[0]["adset_name"] == "summer-sale-2026 - broad"
    assert int(by_adset[0]["impressions"]) == sum(int(r["impressions"]) for r in by_ad)
    campaign = graph.get("23846000000001/insights", **params).json()["data"][0]
    assert campaign["campaign_name"] == "summer-sale-2026" and campaign["impressions"] == by_adset[0]["impressions"]
    account = graph.get(f"{SANDBOX_ACCOUNT}/insights", fields="account_id,impressions", date_preset="last_7d"
                        ).json()["data"][0]
    assert account["account_id"] == "123456789" and account["impressions"] == campaign["impressions"]
    assert graph.get("23846000000002/insights").json()["data"] == []
    assert len(ads) == 3


def test_insights_paging_and_errors(graph: Graph) -> None:
    ad_id = graph.make_ad()
    first = graph.get(f"{ad_id}/insights", date_preset="last_30d", time_increment=1, limit=10).json()
    assert len(first["data"]) == 10 and "next" in first["paging"]
    rest = graph.session.get(first["paging"]["next"]).json()
    assert rest["data"][0]["date_start"] > first["data"][-1]["date_start"]
    r = graph.get(f"{ad_id}/insights", fields="impressions,happiness")
    assert r.status_code == 400 and "happiness" in r.json()["error"]["message"]
    assert graph.get(f"{ad_id}/insights", level="galaxy").status_code == 400
    assert graph.get(f"{ad_id}/insights", time_increment="weekly").status_code == 400


def test_insights_throttle_header(graph: Graph) -> None:
    ad_id = graph.make_ad()
    r = graph.get(f"{ad_id}/insights")
    assert "x-fb-ads-insights-throttle" in r.headers
    assert "x-fb-ads-insights-throttle" not in graph.get(ad_id).headers


def test_async_report_run_progresses(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(report_polls=4)  # progress by status reads, not by time: no race with a slow machine
    graph.make_ad()
    started = graph.post(f"{SANDBOX_ACCOUNT}/insights", level="ad", date_preset="last_7d", time_increment=1,
                         fields="ad_id,impressions,spend")
    run_id = started.json()["report_run_id"]
    assert set(started.json()) == {"report_run_id"}
    early = graph.get(run_id).json()
    assert early["id"] == run_id and early["async_status"] in ("Job Not Started", "Job Running")
    assert 0 <= early["async_percent_completion"] < 100
    assert graph.get(f"{run_id}/insights").status_code == 400  # not ready yet
    statuses = [early["async_status"]]
    for _ in range(3):
        status = graph.get(run_id, fields="async_status,async_percent_completion").json()
        statuses.append(status["async_status"])
    assert statuses == ["Job Running", "Job Running", "Job Running", "Job Completed"]
    assert status["async_percent_completion"] == 100
    rows = graph.get(f"{run_id}/insights", limit=5).json()
    assert len(rows["data"]) == 5 and "next" in rows["paging"]
    everything = rows["data"] + graph.session.get(rows["paging"]["next"]).json()["data"]
    sync = graph.get(f"{SANDBOX_ACCOUNT}/insights", level="ad", date_preset="last_7d", time_increment=1,
                     fields="ad_id,impressions,spend").json()["data"]
    assert everything == sync


def test_allocate_sums_exactly() -> None:
    assert allocate(10, [0.5, 0.3, 0.2]) == [5, 3, 2]
    assert sum(allocate(7, [1 / 3] * 3)) == 7
    assert allocate(0, [0.2, 0.8]) == [0, 0]
