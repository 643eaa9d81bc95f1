"""The kit's launch rules and the sandbox's agree: every body the kit refuses, the sandbox (Meta's
checks over real HTTP, ``validate_only``) refuses too, and the bodies the kit accepts, it accepts.
Plus what the bodies carry: minor units per currency, defaults from stack.md, targeting shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from factories import copy_workspace, edit_json
from skill.launch.check import check_launch
from skill.settings import load_settings
from support import SANDBOX_ACCOUNT, Graph

BF = "black-friday-2026"


def iso(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S+0000")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return copy_workspace(tmp_path)


def checked(ws: Path, edit=None, **kw: Any):
    path = ws / "campaigns" / BF / "ads" / "batch-upload.json"
    if edit:
        edit_json(path, edit)
    return check_launch(load_settings(ws, env={}), BF, **kw)


def sandbox_verdict(graph: Graph, check) -> list[str]:
    """Send the kit's bodies to the sandbox: the campaign for real (ad sets need it), then every ad set
    with validate_only. The titles of what it refused."""
    r = graph.post(f"{SANDBOX_ACCOUNT}/campaigns", **check.campaign_body)
    if r.status_code != 200:
        return [r.json()["error"]["error_user_title"]]
    campaign_id = r.json()["id"]
    refused = []
    for body in check.adset_bodies.values():
        r = graph.post(f"{SANDBOX_ACCOUNT}/adsets", **{**body, "campaign_id": campaign_id},
                       execution_options=["validate_only"])
        if r.status_code != 200:
            refused.append(r.json()["error"]["error_user_title"])
        else:
            assert r.json() == {"success": True}
    return refused


AGREE: list[tuple[str, Any]] = [
    ("as shipped", None),
    ("lifetime without end", lambda d: d["adsets"][0].update(daily_budget=None, lifetime_budget="300.00")),
    ("lifetime with end", lambda d: d["adsets"][0].update(daily_budget=None, lifetime_budget="300.00",
                                                          end_time=iso(7))),
    ("end before start", lambda d: d["adsets"][0].update(start_time=iso(5), end_time=iso(4))),
    ("age 16", lambda d: d["adsets"][0]["targeting"].update(age_min=16)),
    ("age 70", lambda d: d["adsets"][0]["targeting"].update(age_max=70)),
    ("cost cap without a bid", lambda d: d["adsets"][1].pop("cost_cap")),
    ("bid cap without a bid", lambda d: d["adsets"][0].update(bid_strategy="LOWEST_COST_WITH_BID_CAP")),
    ("bid cap with a bid", lambda d: d["adsets"][0].update(bid_strategy="LOWEST_COST_WITH_BID_CAP",
                                                          bid_amount="3.00")),
    ("min roas without a floor", lambda d: d["adsets"][0].update(bid_strategy="LOWEST_COST_WITH_MIN_ROAS")),
    ("min roas with a floor", lambda d: d["adsets"][0].update(bid_strategy="LOWEST_COST_WITH_MIN_ROAS",
                                                             roas_floor="2.5")),
    ("CBO and ad set budgets", lambda d: d["campaign"].update(daily_budget="100.00")),
    ("CBO alone", lambda d: (d["campaign"].update(daily_budget="100.00"),
                             [a.pop("daily_budget") for a in d["adsets"]])),
    ("goal the objective refuses", lambda d: d["adsets"][0].update(optimization_goal="LANDING_PAGE_VIEWS")),
    ("traffic goal for traffic", lambda d: (d["campaign"].update(objective="OUTCOME_TRAFFIC"),
                                           [a.update(optimization_goal="LANDING_PAGE_VIEWS") for a in d["adsets"]])),
    ("EU without payer", lambda d: d["adsets"][1].pop("dsa_payor")),
    ("EU by a region's country", lambda d: d["adsets"][0]["targeting"].update(
        regions=[{"key": "3847", "country": "IT"}])),
    ("legacy objective", lambda d: d["campaign"].update(objective="LINK_CLICKS")),
    ("no budget anywhere", lambda d: d["adsets"][0].pop("daily_budget")),
    ("an event Meta does not have", lambda d: d["adsets"][0].update(conversion_event="BUY_NOW")),
    ("no location", lambda d: d["adsets"][0]["targeting"].update(countries=[])),
    ("daily and lifetime", lambda d: d["adsets"][0].update(lifetime_budget="300.00", end_time=iso(7))),
    ("the campaign's bid cap, no bid", lambda d: d["campaign"].update(bid_strategy="LOWEST_COST_WITH_BID_CAP")),
]


@pytest.mark.parametrize(("label", "edit"), AGREE, ids=[a[0] for a in AGREE])
def test_the_kit_refuses_exactly_what_the_sandbox_refuses(ws, graph, label, edit):
    check = checked(ws, edit, min_daily=100)
    kit_errors = [f for f in check.findings if f.severity == "error"]
    refused = sandbox_verdict(graph, check)
    assert bool(kit_errors) == bool(refused), f"kit: {[str(f) for f in kit_errors]}; sandbox: {refused}"


def test_the_account_minimum_agrees_too(ws, graph, sandbox):
    sandbox.api.state["accounts"]["act_123456789"]["min_daily_budget"] = 3500
    check = checked(ws, min_daily=3500)
    assert [f.field for f in check.findings if f.severity == "error"] == ["adsets[1].daily_budget"]
    assert sandbox_verdict(graph, check) == ["Budget Is Too Low"]


def test_money_goes_in_minor_units_of_the_account_currency(ws):
    usd = checked(ws)
    assert usd.adset_bodies["broad-us-ca"]["daily_budget"] == 5000
    assert usd.adset_bodies["eu-organisers"]["bid_amount"] == 1200
    jpy = checked(ws, lambda d: d["adsets"][0].update(daily_budget="5000"), currency="JPY")
    assert jpy.adset_bodies["broad-us-ca"]["daily_budget"] == 5000 and jpy.ctx.currency == "JPY"
    cents = checked(ws, lambda d: d["adsets"][0].update(daily_budget="50.5"), currency="JPY")
    assert any("more decimals than JPY allows" in f.message for f in cents.findings)


def test_defaults_come_from_stack_md_and_targeting_takes_meta_shapes(ws):
    def edit(d: dict) -> None:
        d["adsets"][0]["targeting"] = {
            "cities": [{"key": "777934", "radius": 10, "distance_unit": "mile"}], "genders": ["male", "female"],
            "interests": ["6003107902433"], "custom_audiences": ["Past buyers"], "excluded_countries": ["ca"],
            "placements": {"publisher_platforms": ["facebook"], "facebook_positions": ["feed", "story"]}}

    check = checked(ws, edit)
    body = check.adset_bodies["broad-us-ca"]
    assert body["targeting"] == {
        "geo_locations": {"countries": ["US"], "cities": [{"key": "777934", "radius": 10, "distance_unit": "mile"}]},
        "excluded_geo_locations": {"countries": ["CA"]}, "genders": [1, 2], "publisher_platforms": ["facebook"],
        "facebook_positions": ["feed", "story"], "flexible_spec": [{"interests": [{"id": "6003107902433"}]}],
        "custom_audiences": [{"id": "<id of custom audience 'Past buyers'>"}]}
    assert body["promoted_object"] == {"pixel_id": "1234567890123456", "custom_event_type": "PURCHASE"}
    assert (body["optimization_goal"], body["billing_event"], body["status"]) == (
        "OFFSITE_CONVERSIONS", "IMPRESSIONS", "PAUSED")
    resolved = check_launch(load_settings(ws, env={}), BF, audiences={"Past buyers": "23850000000001"})
    assert resolved.adset_bodies["broad-us-ca"]["targeting"]["custom_audiences"] == [{"id": "23850000000001"}]
    assert check.campaign_body["is_adset_budget_sharing_enabled"] is False
    assert json.dumps(check.campaign_body)  # every body is plain JSON


def test_custom_audiences_are_resolved_before_anything_is_created(ws, sandbox, monkeypatch, capsys):
    from skill.cli import main
    from support import SANDBOX_TOKEN

    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    monkeypatch.setenv("HOME", str(ws.parent / "home"))
    monkeypatch.delenv("META_AD_ACCOUNT", raising=False)
    edit_json(ws / "campaigns" / BF / "ads" / "batch-upload.json",
              lambda d: d["adsets"][0]["targeting"].update(custom_audiences=["Past buyers"]))
    code = main(["launch", BF, "--workspace", str(ws)])
    _, err = capsys.readouterr()
    assert code == 1 and ("Past buyers" in err or "customaudiences" in err), err
    assert sandbox.request_counts.get("POST", 0) == 0
