"""Campaigns and ad sets in the sandbox over real HTTP: Meta's field checks and error shapes,
``execution_options=["validate_only"]`` (checks run, nothing created), reads, and one ad per
Dynamic Creative ad set."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from support import SANDBOX_ACCOUNT, Graph, creative_params, png_bytes

ACCOUNT = SANDBOX_ACCOUNT


def iso(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S+0000")


def campaign(**over: Any) -> dict[str, Any]:
    body = {"name": "bf", "objective": "OUTCOME_SALES", "special_ad_categories": [], "status": "PAUSED",
            "is_adset_budget_sharing_enabled": "false"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def adset(parent: str, **over: Any) -> dict[str, Any]:
    body = {"name": "bf - broad", "campaign_id": parent, "status": "PAUSED", "daily_budget": "5000",
            "optimization_goal": "OFFSITE_CONVERSIONS", "billing_event": "IMPRESSIONS",
            "promoted_object": {"pixel_id": "1234567890123456", "custom_event_type": "PURCHASE"},
            "targeting": {"geo_locations": {"countries": ["US"]}, "age_min": 25, "age_max": 54}}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def created(graph: Graph, edge: str, body: dict[str, Any]) -> str:
    r = graph.post(f"{ACCOUNT}/{edge}", **body)
    assert r.status_code == 200, r.text
    return r.json()["id"]


def refused(graph: Graph, edge: str, body: dict[str, Any], subcode: int, title: str) -> dict[str, Any]:
    r = graph.post(f"{ACCOUNT}/{edge}", **body)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert (error["code"], error["error_subcode"], error["error_user_title"]) == (100, subcode, title), error
    assert error["message"] and error["error_user_msg"] and error["fbtrace_id"]
    return error


@pytest.fixture
def abo(graph: Graph) -> str:
    """A campaign whose ad sets hold the budgets."""
    return created(graph, "campaigns", campaign())


def test_create_and_read_back_a_campaign_and_its_ad_set(graph: Graph, abo: str):
    adset_id = created(graph, "adsets", adset(abo))
    row = graph.get(abo, fields="name,objective,status,buying_type,special_ad_categories").json()
    assert row == {"id": abo, "name": "bf", "objective": "OUTCOME_SALES", "status": "PAUSED",
                   "buying_type": "AUCTION", "special_ad_categories": []}
    listed = graph.get(f"{abo}/adsets", fields="name,daily_budget,status,targeting").json()["data"]
    assert [(a["id"], a["name"], a["daily_budget"], a["status"]) for a in listed] == [
        (adset_id, "bf - broad", "5000", "PAUSED")]
    assert listed[0]["targeting"]["geo_locations"] == {"countries": ["US"]}
    names = [c["name"] for c in graph.get(f"{ACCOUNT}/campaigns", fields="name").json()["data"]]
    assert "bf" in names and "summer-sale-2026" in names
    assert graph.get(ACCOUNT, fields="currency,min_daily_budget").json()["min_daily_budget"] == 100


def test_validate_only_runs_every_check_and_creates_nothing(graph: Graph, sandbox, abo: str):
    before = sandbox.state_dump()
    for edge, body in (("campaigns", campaign(name="vo")), ("adsets", adset(abo, name="vo"))):
        r = graph.post(f"{ACCOUNT}/{edge}", execution_options=["validate_only"], **body)
        assert (r.status_code, r.json()) == (200, {"success": True})
    r = graph.post(f"{ACCOUNT}/adsets", execution_options=["validate_only"], **adset(abo, daily_budget="50"))
    assert r.status_code == 400 and r.json()["error"]["error_subcode"] == 1885272
    after = sandbox.state_dump()
    for kind in ("campaigns", "adsets", "counters"):
        assert after[kind] == before[kind]
    assert created(graph, "campaigns", campaign(name="next")).endswith("000000002")  # ids did not advance


def test_campaign_rules(graph: Graph):
    refused(graph, "campaigns", campaign(objective="CONVERSIONS"), 1885658, "Objective Not Available")
    refused(graph, "campaigns", campaign(special_ad_categories=["CARS"]), 1885658, "Invalid special_ad_categories")
    refused(graph, "campaigns", campaign(is_adset_budget_sharing_enabled=None), 4834011, "Budget Sharing Not Specified")
    refused(graph, "campaigns", campaign(lifetime_budget="100000"), 1885650, "End Time Required")
    refused(graph, "campaigns", campaign(daily_budget="50"), 1885272, "Budget Is Too Low")
    r = graph.post(f"{ACCOUNT}/campaigns", **campaign(special_ad_categories=None))
    assert r.json()["error"]["message"] == "(#100) The parameter special_ad_categories is required"


@pytest.mark.parametrize(("over", "subcode", "title"), [
    ({"lifetime_budget": "30000", "daily_budget": None}, 1885650, "End Time Required"),
    ({"start_time": iso(3), "end_time": iso(2)}, 1885651, "Incorrect End Date"),
    ({"targeting": {"geo_locations": {"countries": ["US"]}, "age_min": 13}}, 1885652, "Invalid Age Range"),
    ({"targeting": {"geo_locations": {"countries": ["US"]}, "age_min": 30, "age_max": 70}}, 1885652,
     "Invalid Age Range"),
    ({"bid_strategy": "COST_CAP"}, 1815857, "Bid Amount Required"),
    ({"bid_strategy": "LOWEST_COST_WITH_BID_CAP"}, 1815857, "Bid Amount Required"),
    ({"daily_budget": "99"}, 1885272, "Budget Is Too Low"),
    ({"lifetime_budget": "500", "daily_budget": None, "end_time": iso(10)}, 1885272, "Budget Is Too Low"),
    ({"optimization_goal": "LANDING_PAGE_VIEWS"}, 2490408, "Performance Goal Unavailable"),
    ({"targeting": {"geo_locations": {"countries": ["US", "DE"]}}}, 1885654, "Beneficiary and Payer Required"),
    ({"targeting": {"geo_locations": {"cities": [{"key": "1", "country": "FR"}]}}, "dsa_beneficiary": "X"},
     1885654, "Beneficiary and Payer Required"),
    ({"promoted_object": None}, 1885660, "Promoted Object Required"),
    ({"targeting": {"geo_locations": {}}}, 1885659, "Location Required"),
    ({"daily_budget": None}, 1885655, "Budget Required"),
    ({"campaign_id": "999"}, 1885661, "Campaign Does Not Exist"),
    ({"billing_event": "SOMETIMES"}, 1885658, "Invalid billing_event"),
])
def test_adset_rules(graph: Graph, abo: str, over: dict[str, Any], subcode: int, title: str):
    refused(graph, "adsets", adset(abo, **over), subcode, title)


def test_what_meta_accepts_around_the_rules(graph: Graph, abo: str):
    created(graph, "adsets", adset(abo, name="a", bid_strategy="COST_CAP", bid_amount="1200"))
    created(graph, "adsets", adset(abo, name="b", targeting={"geo_locations": {"countries": ["DE"]}},
                                   dsa_beneficiary="Snapbook Inc.", dsa_payor="Snapbook Inc."))
    created(graph, "adsets", adset(abo, name="c", daily_budget=None, lifetime_budget="30000",
                                   start_time=iso(1), end_time=iso(8)))
    assert created(graph, "adsets", adset(abo, name="d", end_time=str(int(time.time()) + 86400 * 3)))


def test_campaign_budget_leaves_ad_sets_without_one(graph: Graph):
    cbo = created(graph, "campaigns", campaign(name="cbo", daily_budget="10000", is_adset_budget_sharing_enabled=None))
    refused(graph, "adsets", adset(cbo), 1885621, "Campaign Budget Already Set")
    assert created(graph, "adsets", adset(cbo, daily_budget=None))


def test_a_dynamic_creative_ad_set_takes_one_ad(graph: Graph, abo: str):
    dco = created(graph, "adsets", adset(abo, name="dco", is_dynamic_creative="true"))
    creative = graph.create_creative(graph.upload_image(png_bytes(seed=3)))
    first = graph.post(f"{ACCOUNT}/ads", name="one", adset_id=dco, creative={"creative_id": creative}, status="PAUSED")
    assert first.status_code == 200, first.text
    second = graph.post(f"{ACCOUNT}/ads", name="two", adset_id=dco, creative={"creative_id": creative}, status="PAUSED")
    assert second.json()["error"]["error_subcode"] == 1885553
    assert "at most one active ad" in second.json()["error"]["error_user_msg"]


def test_creates_inside_a_batch_refer_to_the_campaign(graph: Graph):
    ops = [{"method": "POST", "relative_url": f"{ACCOUNT}/campaigns", "name": "c", "omit_response_on_success": False,
            "body": "name=batched&objective=OUTCOME_TRAFFIC&special_ad_categories=%5B%5D&status=PAUSED"
                    "&is_adset_budget_sharing_enabled=false"},
           {"method": "POST", "relative_url": f"{ACCOUNT}/adsets",
            "body": "name=batched+-+a&campaign_id={result=c:$.id}&status=PAUSED&daily_budget=2000"
                    "&optimization_goal=LINK_CLICKS&billing_event=IMPRESSIONS"
                    "&targeting=%7B%22geo_locations%22%3A%7B%22countries%22%3A%5B%22US%22%5D%7D%7D"}]
    answers = graph.batch(ops).json()
    assert [a["code"] for a in answers] == [200, 200], answers


def test_validate_only_on_creatives_and_ads_creates_nothing(graph: Graph, sandbox):
    image = graph.upload_image(png_bytes(seed=9))
    before = sandbox.state_dump()
    r = graph.post(f"{ACCOUNT}/adcreatives", execution_options=["validate_only"], **creative_params(image))
    assert (r.status_code, r.json()) == (200, {"success": True})
    r = graph.post(f"{ACCOUNT}/adcreatives", execution_options=["validate_only"],
                   **creative_params(image, object_story_spec={"page_id": "999"}))
    assert r.status_code == 400 and r.json()["error"]["code"] == 100
    creative = graph.create_creative(image)
    r = graph.post(f"{ACCOUNT}/ads", execution_options=["validate_only"], name="vo", adset_id="23847000000001",
                   creative={"creative_id": creative}, status="PAUSED")
    assert (r.status_code, r.json()) == (200, {"success": True})
    after = sandbox.state_dump()
    assert after["ads"] == before["ads"] and len(after["creatives"]) == len(before["creatives"]) + 1
    bad = graph.post(f"{ACCOUNT}/ads", execution_options=["validate_everything"], name="x")
    assert bad.status_code == 400 and bad.json()["error"]["error_user_title"] == "Invalid execution_options"
