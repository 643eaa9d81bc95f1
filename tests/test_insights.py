"""Insights end to end: upload to the sandbox, then report, and compare with the sandbox's own numbers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from PIL import Image

from conftest import SANDBOX_ADSET, SANDBOX_TOKEN
from factories import CAMPAIGN, copy_workspace
from skill.cli import main
from skill.graph import GraphClient
from skill.insights import Query, fetch_rows
from skill.metrics import dec, total
from skill.sandbox import Sandbox


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory) -> Path:
    """A workspace whose three example ads were uploaded to its --sandbox state."""
    ws = copy_workspace(tmp_path_factory.mktemp("insights"))
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    return ws


def cli(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws), "--sandbox"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def sandbox_totals(ws: Path, ad_ids: list[str], preset: str = "last_7d") -> dict[str, Decimal]:
    """The same numbers read straight from the sandbox (same state file), summed independently."""
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        rows = requests.get(f"{sb.url}/v26.0/{SANDBOX_ADSET}/insights", timeout=10, params={
            "level": "ad", "date_preset": preset, "fields": "ad_id,spend,impressions,clicks,actions", "limit": 500,
        }, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}).json()["data"]
    rows = [r for r in rows if r["ad_id"] in ad_ids]
    purchases = sum(dec(a["value"]) for r in rows for a in r.get("actions", []) if a["action_type"] == "purchase")
    return {"spend": sum(dec(r["spend"]) for r in rows), "impressions": sum(int(r["impressions"]) for r in rows),
            "clicks": sum(int(r["clicks"]) for r in rows), "purchases": purchases}


def ad_ids(ws: Path) -> list[str]:
    return [json.loads(p.read_text())["ad_id"] for p in (ws / "campaigns" / CAMPAIGN / "ads").glob("*.upload.json")]


def test_report_totals_match_the_sandbox(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--preset", "last_7d", "--json")
    doc = json.loads(out)
    expected = sandbox_totals(uploaded, ad_ids(uploaded))
    assert code == 0 and not doc["empty"] and len(doc["ads"]) == 3
    assert Decimal(doc["totals"]["spend"].replace(",", "")) == expected["spend"].quantize(Decimal("0.01"))
    assert doc["totals"]["impressions"] == f"{expected['impressions']:,}"
    assert doc["totals"]["clicks"] == f"{expected['clicks']:,}"
    assert doc["result_kind"] == "purchase" and doc["totals"]["results"] == f"{expected['purchases']:,.0f}"
    report = Path(doc["report_path"])
    assert report.name.startswith("insights-last_7d-") and report.parent.name == "reports"
    text = report.read_text()
    assert f"| {doc['totals']['spend']} | {doc['totals']['impressions']} |" in text
    assert "## Recommendations" in text and "vs target" in text
    chart = Path(doc["chart_path"])
    assert f"]({chart.name})" in text
    with Image.open(chart) as img:
        assert img.format == "PNG" and img.size == (1000, 520)


def test_text_output_ranks_ads_and_recommends_without_acting(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN)
    assert code == 0 and "Insights · summer-sale-2026 · last_7d" in out and "Report: " in out
    assert "→ " in out
    with Sandbox(token=SANDBOX_TOKEN, state_path=uploaded / ".sandbox" / "state.json") as sb:
        assert {ad["status"] for ad in sb.state_dump()["ads"].values()} == {"PAUSED"}


def test_breakdown_report_adds_up(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--breakdown", "age,gender", "--json")
    doc = json.loads(out)
    text = Path(doc["report_path"]).read_text()
    assert code == 0 and "## By age and gender" in text
    table = text.split("## By age and gender")[1].split("##")[0]
    spends = [Decimal(line.split("|")[2].strip().replace(",", "")) for line in table.splitlines()
              if line.startswith("| ") and "," in line.split("|")[1] and not line.startswith("| age")]
    assert len(spends) >= 14  # 7 ages × 2-3 genders
    assert abs(sum(spends) - Decimal(doc["totals"]["spend"].replace(",", ""))) <= Decimal("0.01") * len(spends)


@pytest.mark.parametrize("command,heading", [
    ("daily-check", "# Daily check"), ("bleeders", "# Bleeders"), ("winners", "# Winners"),
    ("fatigue", "# Creative fatigue"),
])
def test_daily_questions_write_their_reports(uploaded, capsys, command, heading):
    code, out = cli(uploaded, capsys, command, CAMPAIGN, "--json")
    doc = json.loads(out)
    text = Path(doc["report_path"]).read_text()
    assert code == 0 and text.startswith(heading) and "## Thresholds used" in text
    assert "| target_cpa | 25.00 | stack.md |" in text


def test_bleeders_name_the_ad_cpa_and_target(uploaded, capsys):
    _, out = cli(uploaded, capsys, "bleeders", CAMPAIGN, "--json")
    findings = json.loads(out)["findings"]
    assert findings and all(f.startswith(("pause ", "review ")) for f in findings)
    assert any("target CPA 25.00" in f or "vs target 25.00" in f for f in findings)


def test_campaign_without_uploads_says_so(tmp_path, capsys):
    ws = copy_workspace(tmp_path)
    code, out = cli(ws, capsys, "insights", CAMPAIGN, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["empty"] and "No delivery yet" in Path(doc["report_path"]).read_text()


def test_bad_period_and_breakdown_are_usage_errors(uploaded, capsys):
    assert cli(uploaded, capsys, "insights", CAMPAIGN, "--preset", "last_week")[0] == 2
    assert cli(uploaded, capsys, "insights", CAMPAIGN, "--breakdown", "zodiac")[0] == 2
    assert cli(uploaded, capsys, "insights", CAMPAIGN, "--since", "2026-11-10")[0] == 2


def test_async_report_with_thousands_of_rows_matches_sync(sandbox, graph):
    ads = [graph.make_ad(name=f"summer-sale-2026 - a{i}", seed=i + 1) for i in range(10)]
    client = GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.01)
    events = []
    query = Query(objects=[SANDBOX_ADSET], only_ads=set(ads), date_preset="last_30d", daily=True,
                  breakdowns=["age", "gender"])
    rows, mode = fetch_rows(client, query, report=events.append)
    assert mode == "async" and len(rows) >= 5000
    assert any(e.kind == "async_progress" and "100%" in e.message for e in events)
    plain, plain_mode = fetch_rows(client, Query(objects=[SANDBOX_ADSET], only_ads=set(ads), date_preset="last_30d"),
                                   mode="sync")
    assert plain_mode == "sync" and total(rows).spend == total(plain).spend
    assert total(rows).impressions == total(plain).impressions
