"""A launch config whose ad set includes and excludes audiences by name: the remote dry run shows
the ids they resolve to, the launch sends them, and the sandbox refuses ids the account lacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audience_helpers import write_customers

from factories import edit_json
from skill.sandbox.pixel_data import PIXEL_ID
from support import SANDBOX_ACCOUNT, run_cli

BF = "black-friday-2026"


@pytest.fixture
def ws(ws: Path, live) -> Path:
    return ws


run = run_cli


def test_a_launch_config_uses_audiences_by_name(ws, sandbox, capsys):
    assert run(ws, capsys, "audience", "create", "Past buyers", "--customers", write_customers(ws, 300))[0] == 0
    assert run(ws, capsys, "audience", "website", "Cart visitors 14d", "--url-contains", "/cart", "--days", "14")[0] == 0
    ids = {a["name"]: a["id"] for a in json.loads(run(ws, capsys, "audiences", "--json")[1])["audiences"]}
    edit_json(ws / "campaigns" / BF / "ads" / "batch-upload.json", lambda d: d["adsets"][0]["targeting"].update(
        custom_audiences=["Past buyers"], excluded_custom_audiences=["Cart visitors 14d"]))

    code, out, err = run(ws, capsys, "launch", BF, "--dry-run", "--remote")
    assert code == 0, out + err
    assert f'"id": "{ids["Past buyers"]}"' in out and f'"id": "{ids["Cart visitors 14d"]}"' in out

    code, out, err = run(ws, capsys, "launch", BF)
    assert code == 0, out + err
    [adset] = [a for a in sandbox.state_dump()["adsets"].values() if a["name"] == f"{BF} - broad-us-ca"]
    assert adset["targeting"]["custom_audiences"] == [{"id": ids["Past buyers"]}]
    assert adset["targeting"]["excluded_custom_audiences"] == [{"id": ids["Cart visitors 14d"]}]
    assert adset["promoted_object"] == {"pixel_id": PIXEL_ID, "custom_event_type": "PURCHASE"}

    code, out, _ = run(ws, capsys, "pixel", "check")  # the launched ad sets optimise for the silent Purchase
    assert code == 1 and f"NO  {BF} - broad-us-ca (PAUSED) → Purchase: Purchase hasn't fired in 3 days" in out


def test_a_misspelt_audience_stops_the_launch_before_anything_is_created(ws, sandbox, capsys):
    assert run(ws, capsys, "audience", "create", "Past buyers", "--customers", write_customers(ws, 50))[0] == 0
    edit_json(ws / "campaigns" / BF / "ads" / "batch-upload.json",
              lambda d: d["adsets"][0]["targeting"].update(custom_audiences=["Past buyer"]))
    code, out, err = run(ws, capsys, "launch", BF)
    assert code == 1
    assert "no audience named 'Past buyer' (did you mean 'Past buyers'?)" in err
    assert "targeting.custom_audiences" in err
    assert BF not in {c["name"] for c in sandbox.state_dump()["campaigns"].values()}  # not even the campaign


def test_the_sandbox_refuses_audiences_and_pixels_of_no_one(graph):
    campaign = graph.post(f"{SANDBOX_ACCOUNT}/campaigns", name="c", objective="OUTCOME_SALES", status="PAUSED",
                          special_ad_categories=[], is_adset_budget_sharing_enabled=False).json()["id"]
    body = {"name": "a", "campaign_id": campaign, "status": "PAUSED", "daily_budget": 5000,
            "billing_event": "IMPRESSIONS", "optimization_goal": "OFFSITE_CONVERSIONS",
            "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
            "promoted_object": {"pixel_id": PIXEL_ID, "custom_event_type": "PURCHASE"},
            "targeting": {"geo_locations": {"countries": ["US"]}, "custom_audiences": [{"id": "23850000000000099"}]}}
    r = graph.post(f"{SANDBOX_ACCOUNT}/adsets", **body)
    assert r.status_code == 400 and r.json()["error"]["error_user_title"] == "Invalid Custom Audience"
    body["targeting"].pop("custom_audiences")
    body["promoted_object"] = {"pixel_id": "1234567890", "custom_event_type": "PURCHASE"}
    r = graph.post(f"{SANDBOX_ACCOUNT}/adsets", **body)
    assert r.status_code == 400 and r.json()["error"]["error_user_title"] == "Invalid Pixel"
    body["promoted_object"] = {"pixel_id": PIXEL_ID, "custom_event_type": "PURCHASE"}
    assert graph.post(f"{SANDBOX_ACCOUNT}/adsets", **body).status_code == 200
