"""Reports that answer the question asked: filters, levels, live statuses, names, the terminal and files.

Every test uploads the example campaign to the --sandbox state of its own workspace, then runs the
CLI and compares with what the sandbox itself reports.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from factories import CAMPAIGN, copy_workspace
from skill.cli import main
from skill.graph import GraphClient
from skill.insights.fetch import fetch_rows
from skill.insights.metrics import dec
from skill.insights.targets import Target, build_query
from skill.sandbox import Sandbox
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, SANDBOX_TOKEN, Graph, png_bytes

OTHER_ADSET = "23847000000002"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    ws = copy_workspace(tmp_path)
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    return ws


def cli(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws), "--sandbox"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def report(ws: Path, capsys, *args: str) -> dict:
    code, out, err = cli(ws, capsys, "insights", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def records(ws: Path) -> dict[str, str]:
    """Ad name → ad id, from the upload records."""
    folder = ws / "campaigns" / CAMPAIGN / "ads"
    return {d["ad_name"]: d["ad_id"] for d in (json.loads(p.read_text()) for p in folder.glob("*.upload.json"))}


def sandbox(ws: Path) -> Sandbox:
    return Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json")


def rows_of(sb: Sandbox, obj: str, **params: str) -> list[dict]:
    return requests.get(f"{sb.url}/v26.0/{obj}/insights", timeout=10, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
                        params={"limit": 5000, **params}).json()["data"]


def test_an_ad_with_its_campaign_reports_that_ad_only(ws, capsys):
    doc = report(ws, capsys, CAMPAIGN, "--ad", "hero-receipt")
    assert [a["name"] for a in doc["ads"]] == ["hero-receipt"]
    with sandbox(ws) as sb:
        [row] = rows_of(sb, records(ws)["hero-receipt"], fields="spend", date_preset="last_7d")
    assert Decimal(str(doc["totals"]["spend"])) == dec(row["spend"])
    code, _, err = cli(ws, capsys, "insights", CAMPAIGN, "--ad", "bf-countdown")
    assert code == 2 and "'bf-countdown' is not an uploaded ad of campaign summer-sale-2026" in err


def test_ad_set_level_counts_this_campaigns_ads_only_and_says_ad_sets(ws, capsys):
    with sandbox(ws) as sb:
        Graph(sb).make_ad(name="another-campaign - same ad set", seed=77)  # shares the ad set, not ours
        every = rows_of(sb, SANDBOX_ADSET, fields="spend", level="adset", date_preset="last_7d")
    ads = report(ws, capsys, CAMPAIGN)
    doc = report(ws, capsys, CAMPAIGN, "--level", "adset")
    assert doc["level"] == "adset" and len(doc["ads"]) == 1 and doc["ads"][0]["id"] == SANDBOX_ADSET
    assert doc["totals"]["spend"] == ads["totals"]["spend"] != every[0]["spend"]
    _, out, _ = cli(ws, capsys, "insights", CAMPAIGN, "--level", "adset")
    assert "· 1 ad set" in out and "3 ads" not in out
    doc = report(ws, capsys, CAMPAIGN, "--level", "campaign")
    assert doc["level"] == "campaign" and len(doc["ads"]) == 1 and doc["totals"]["spend"] == ads["totals"]["spend"]


def test_every_report_reads_the_live_status(ws, capsys):
    code, out, _ = cli(ws, capsys, "insights", CAMPAIGN)
    assert code == 0 and "[PAUSED]" in out
    assert "→ pause " not in out, "an ad already paused is never recommended for pausing"
    assert "raise its ad set budget" not in out, "a paused winner gets no budget advice"
    assert "→ keep " in out
    ids = records(ws)
    assert cli(ws, capsys, "activate", "hero-split-test", "--yes")[0] == 0
    doc = report(ws, capsys, CAMPAIGN)
    assert doc["statuses"][ids["hero-split-test"]] == "ACTIVE" and doc["statuses"][ids["hero-receipt"]] == "PAUSED"
    assert any(f.startswith("pause hero-split-test") for f in doc["findings"])
    assert not any(f.startswith("pause hero-notes-app") for f in doc["findings"])


def test_the_terminal_shows_breakdowns_days_pace_and_statuses(ws, capsys):
    _, out, _ = cli(ws, capsys, "insights", CAMPAIGN, "--breakdown", "age", "--daily")
    assert "By age:" in out and "  25-34 " in out and "Day by day:" in out and "[PAUSED]" in out
    assert "Funnel: " in out and "landing page views → " in out
    report_md = Path(out.strip().splitlines()[-1].split("Report: ")[1].split(" (chart")[0]).read_text()
    assert "## By age" in report_md and "## Day by day" in report_md
    _, out, _ = cli(ws, capsys, "daily-check", CAMPAIGN)
    assert "Budget pace: " in out and "% of the daily budget" in out


def test_report_files_are_named_by_campaign_period_and_breakdown(ws, capsys):
    paths = {report(ws, capsys, CAMPAIGN, *extra)["report_path"]
             for extra in ([], ["--breakdown", "age"], ["--breakdown", "dma"], ["--preset", "last_30d"],
                           ["--level", "adset"], ["--ad", "hero-receipt"])}
    assert len(paths) == 6, "no run overwrote another"
    names = sorted(Path(p).name for p in paths)
    assert f"insights-{CAMPAIGN}-last_7d-by-age-" in " ".join(names) and all(CAMPAIGN in n for n in names)


def test_funnel_actions_values_and_roas_match_the_sandbox(ws, capsys):
    doc = report(ws, capsys, CAMPAIGN, "--preset", "last_30d")
    with sandbox(ws) as sb:
        rows = [r for ad in records(ws).values()
                for r in rows_of(sb, ad, fields="spend,actions,action_values", date_preset="last_30d")]

    def action(kind: str, key: str = "actions") -> Decimal:
        return sum((dec(a["value"]) for r in rows for a in r.get(key, []) if a["action_type"] == kind), Decimal(0))

    t = doc["totals"]
    for field, kind in (("landing_page_views", "landing_page_view"), ("add_to_carts", "add_to_cart"),
                        ("checkouts", "initiate_checkout"), ("purchases", "purchase"), ("leads", "lead")):
        assert Decimal(str(t[field])) == action(kind) > 0, field
    assert Decimal(str(t["landing_page_views"])) >= Decimal(str(t["add_to_carts"])) >= Decimal(str(t["checkouts"])) \
        >= Decimal(str(t["purchases"]))
    spend = sum(dec(r["spend"]) for r in rows)
    assert Decimal(str(t["purchase_value"])) == action("purchase", "action_values")
    assert Decimal(str(t["roas"])) == (action("purchase", "action_values") / spend).quantize(Decimal("0.0001"))
    carts = report(ws, capsys, CAMPAIGN, "--preset", "last_30d", "--result", "add_to_cart")
    assert carts["result_kind"] == "add_to_cart" and carts["totals"]["results"] == t["add_to_carts"]
    assert Decimal(str(carts["totals"]["cost_per_result"])) == (spend / action("add_to_cart")).quantize(Decimal("0.01"))
    code, _, err = cli(ws, capsys, "insights", CAMPAIGN, "--result", "likes")
    assert code == 2 and "invalid choice: 'likes'" in err and "add_to_cart" in err


def test_result_action_defaults_from_stack_md(ws, capsys):
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text().replace("max_cpc:", "result_action: initiate_checkout\nmax_cpc:"))
    doc = report(ws, capsys, CAMPAIGN)
    assert doc["result_kind"] == "initiate_checkout" and doc["totals"]["results"] == doc["totals"]["checkouts"]


@pytest.mark.parametrize("name,values", [("hourly", 24), ("dma", 6), ("product_id", 3)])
def test_new_breakdowns_add_up_to_the_totals(ws, capsys, name, values):
    doc = report(ws, capsys, CAMPAIGN, "--breakdown", name)
    assert 1 < len(doc["breakdown"]) <= values
    for key in ("spend", "impressions"):
        assert sum(Decimal(str(s[key])) for s in doc["breakdown"]) == Decimal(str(doc["totals"][key]))
    code, _, err = cli(ws, capsys, "insights", CAMPAIGN, "--breakdown", f"{name},age")
    assert code == 2 and "on its own" in err


def test_campaign_and_ad_set_ids_are_targets_too(ws, capsys):
    ours = report(ws, capsys, CAMPAIGN)
    by_campaign = report(ws, capsys, "--campaign-id", "23846000000001", "--level", "campaign")
    assert by_campaign["campaign"] == "campaign-23846000000001" and len(by_campaign["ads"]) == 1
    assert by_campaign["totals"]["spend"] == ours["totals"]["spend"]
    assert report(ws, capsys, "23846000000001", "--level", "campaign")["totals"] == by_campaign["totals"]
    by_adset = report(ws, capsys, "--adset", SANDBOX_ADSET)
    assert {a["id"] for a in by_adset["ads"]} == set(records(ws).values())
    code, _, err = cli(ws, capsys, "insights", "--adset", "broad")
    assert code == 2 and "not a Meta id" in err


def test_compare_previous_gives_every_total_its_change_and_the_trend(ws, capsys):
    doc = report(ws, capsys, CAMPAIGN, "--preset", "last_7d", "--compare", "previous")
    start, end = doc["previous_period"].split(" to ")
    with sandbox(ws) as sb:
        before = [r for ad in records(ws).values() for r in rows_of(
            sb, ad, fields="spend,impressions", time_range=json.dumps({"since": start, "until": end}))]
    spend_before = sum(dec(r["spend"]) for r in before)
    assert Decimal(str(doc["previous"]["spend"])) == spend_before > 0
    expected = ((Decimal(str(doc["totals"]["spend"])) - spend_before) / spend_before * 100).quantize(Decimal("0.1"))
    assert Decimal(doc["changes"]["spend"]) == expected
    assert {"ctr", "cpc", "cpm", "cost_per_result", "roas", "results", "landing_page_views"} <= set(doc["changes"])
    assert any("previous period" in f for f in doc["findings"])
    text = Path(doc["report_path"]).read_text()
    assert "## Against the previous period" in text and "| spend |" in text
    _, out, _ = cli(ws, capsys, "insights", CAMPAIGN, "--compare", "previous")
    assert f"vs {start} to {end}: spend " in out
    code, _, err = cli(ws, capsys, "insights", CAMPAIGN, "--preset", "maximum", "--compare", "previous")
    assert code == 2 and "no period before it" in err


def _ad_in(graph: Graph, adset: str, name: str, seed: int) -> str:
    creative = graph.create_creative(graph.upload_image(png_bytes(seed=seed)))
    r = graph.post(f"{SANDBOX_ACCOUNT}/ads", name=name, adset_id=adset, creative={"creative_id": creative},
                   status="PAUSED")
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_many_ad_sets_in_one_request_or_one_batch_call(sandbox, graph):
    """Workspace ads in two ad sets: their reads in one batch call; two Meta ad set ids: one filtered
    read of the ad account. Either way only the ads or ad sets asked for."""
    ours = [_ad_in(graph, SANDBOX_ADSET, "c - a", 1), _ad_in(graph, OTHER_ADSET, "c - b", 2)]
    _ad_in(graph, SANDBOX_ADSET, "not ours", 3)
    client = GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.01)
    workspace_ads = Target("c", list(ours), [SANDBOX_ADSET, OTHER_ADSET], names={ours[0]: "a", ours[1]: "b"},
                           account=SANDBOX_ACCOUNT)
    by_ids = Target(None, [], [], adset_ids=[SANDBOX_ADSET, OTHER_ADSET], account=SANDBOX_ACCOUNT)
    for target, batches, expected in ((workspace_ads, 1, sorted(ours)), (by_ids, 0, None)):
        before = sandbox.request_counts
        rows, _ = fetch_rows(client, build_query(target, level="ad"), mode="sync")
        after = sandbox.request_counts
        assert after["total"] - before["total"] == 1, "one HTTP request"
        assert after.get("batch", 0) - before.get("batch", 0) == batches
        if expected:
            assert sorted(r.id for r in rows) == expected
        else:
            assert len(rows) == 3, "every ad of the two ad sets asked for"
        adsets, _ = fetch_rows(client, build_query(target, level="adset"), mode="sync")
        assert sorted(r.id for r in adsets) == sorted([SANDBOX_ADSET, OTHER_ADSET])


def test_the_sandbox_filters_like_meta(sandbox, graph):
    ads = [_ad_in(graph, SANDBOX_ADSET, f"f - {i}", 10 + i) for i in range(3)]
    rule = [{"field": "ad.id", "operator": "IN", "value": ads[:2]}]
    rows = graph.get(f"{SANDBOX_ACCOUNT}/insights", level="ad", fields="ad_id", filtering=json.dumps(rule)).json()
    assert sorted(r["ad_id"] for r in rows["data"]) == sorted(ads[:2])
    rule = [{"field": "ad.id", "operator": "NOT_IN", "value": ads[:2]}, {"field": "adset.id", "operator": "EQUAL",
                                                                        "value": SANDBOX_ADSET}]
    rows = graph.get(f"{SANDBOX_ACCOUNT}/insights", level="ad", fields="ad_id", filtering=json.dumps(rule)).json()
    assert [r["ad_id"] for r in rows["data"]] == [ads[2]]
    bad = graph.get(f"{SANDBOX_ACCOUNT}/insights", filtering=json.dumps([{"field": "ad.zodiac", "operator": "IN",
                                                                         "value": ["x"]}]))
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 100 and "ad.zodiac" in bad.json()["error"]["message"]
    combo = graph.get(ads[0] + "/insights", breakdowns="dma,age")
    assert combo.status_code == 400 and "combination" in combo.json()["error"]["message"]
    hourly = graph.get(ads[0] + "/insights", breakdowns="hourly_stats_aggregated_by_advertiser_time_zone",
                       fields="impressions,reach,actions").json()["data"]
    assert len(hourly) == 24 and all("reach" not in r for r in hourly)
