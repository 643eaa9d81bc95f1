"""Insights end to end: upload to the sandbox, then report, and compare with the sandbox's own numbers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from PIL import Image

from factories import CAMPAIGN, ads_dir, copy_workspace
from skill.cli import main
from skill.graph import GraphClient
from skill.insights.fetch import Query, fetch_rows
from skill.insights.metrics import dec, total
from skill.models import UploadRecord
from skill.records import write_record
from skill.sandbox import Sandbox
from support import SANDBOX_ADSET, SANDBOX_TOKEN, Graph

EXTRA_ADS = 9  # beside the example's 3: 12 ads × 30 days × 18 age/gender cells ≈ 6,000 rows


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory) -> Path:
    """A workspace whose three example ads were uploaded to its --sandbox state."""
    ws = copy_workspace(tmp_path_factory.mktemp("insights"))
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    return ws


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """An uploaded workspace with nine more ads created straight in its sandbox, with their records."""
    ws = copy_workspace(tmp_path_factory.mktemp("big"))
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        graph = Graph(sb)
        for i in range(EXTRA_ADS):
            ad_id = graph.make_ad(name=f"{CAMPAIGN} - extra-{i}", seed=100 + i)
            write_record(ads_dir(ws) / f"extra-{i}.upload.json", UploadRecord(
                uploaded_at="2026-11-22T08:00:00Z", campaign=CAMPAIGN, ad_name=f"extra-{i}", creative_id="0",
                ad_id=ad_id, adset_id=SANDBOX_ADSET, review_url="https://example.com/review"))
    return ws


def cli(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws), "--sandbox"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def sandbox_rows(ws: Path, **params: str) -> list[dict]:
    """Rows read straight from the sandbox (same state file), for the ads in the workspace."""
    wanted = set(ad_ids(ws))
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        rows = requests.get(f"{sb.url}/v26.0/{SANDBOX_ADSET}/insights", timeout=10, params={
            "level": "ad", "fields": "ad_id,spend,impressions,clicks,actions,action_values", "limit": 5000, **params,
        }, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}).json()["data"]
    return [r for r in rows if r["ad_id"] in wanted]


def action_sum(rows: list[dict], key: str) -> Decimal:
    return sum((dec(a["value"]) for r in rows for a in r.get(key, []) if a["action_type"] == "purchase"), Decimal(0))


def ad_ids(ws: Path) -> list[str]:
    return [json.loads(p.read_text())["ad_id"] for p in ads_dir(ws).glob("*.upload.json")]


def test_report_totals_match_the_sandbox(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--preset", "last_7d", "--json")
    doc = json.loads(out)
    rows = sandbox_rows(uploaded, date_preset="last_7d")
    assert code == 0 and not doc["empty"] and len(doc["ads"]) == 3 == len(rows)
    t = doc["totals"]
    assert Decimal(t["spend"]) == sum(dec(r["spend"]) for r in rows) > 0  # exact: a decimal string, not a float
    assert t["impressions"] == sum(int(r["impressions"]) for r in rows)
    assert t["clicks"] == sum(int(r["clicks"]) for r in rows)
    assert doc["result_kind"] == "purchase" and Decimal(t["results"]) == action_sum(rows, "actions")
    assert Decimal(t["purchase_value"]) == action_sum(rows, "action_values")
    assert Decimal(t["cost_per_result"]) == (Decimal(t["spend"]) / Decimal(t["results"])).quantize(Decimal("0.01"))
    assert sum(Decimal(a["spend"]) for a in doc["ads"]) == Decimal(t["spend"])
    report = Path(doc["report_path"])
    assert report.name.startswith(f"insights-{CAMPAIGN}-last_7d-") and report.parent.name == "reports"
    text = report.read_text()
    assert f"| {Decimal(t['spend']):,.2f} | {t['impressions']:,} |" in text
    assert "## Recommendations" in text and "vs target" in text
    chart = Path(doc["chart_path"])
    assert f"]({chart.name})" in text and chart.parent == report.parent
    with Image.open(chart) as img:
        img.verify()
    with Image.open(chart) as img:
        assert img.format == "PNG" and img.size == (1000, 520) and len(img.getcolors(1 << 16) or []) > 3


def test_best_and_worst_show_headline_and_image(uploaded, capsys):
    _, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--json")
    report = Path(json.loads(out)["report_path"])
    section = report.read_text().split("## Best and worst")[1].split("\n## ")[0]
    links = [line.split("](")[1].rstrip(")") for line in section.splitlines() if line.strip().startswith("![")]
    assert "**Best: " in section and "headline \"" in section and links
    assert all((report.parent / link).is_file() for link in links)


def test_text_output_ranks_ads_and_recommends_without_acting(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN)
    assert code == 0 and "Insights · summer-sale-2026 · last_7d" in out and "Report: " in out
    # the ads are PAUSED (uploads always are): the live status is read, so no "pause" for them
    assert "→ keep " in out and "→ pause " not in out and "[PAUSED]" in out
    assert "vs target 25.00" in out or "(target CPA 25.00)" in out
    with Sandbox(token=SANDBOX_TOKEN, state_path=uploaded / ".sandbox" / "state.json") as sb:
        assert {ad["status"] for ad in sb.state_dump()["ads"].values()} == {"PAUSED"}


def test_breakdown_report_adds_up(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--breakdown", "age,gender", "--json")
    doc = json.loads(out)
    text = Path(doc["report_path"]).read_text()
    assert code == 0 and "## By age and gender" in text and "| 25-34, female |" in text
    assert len(doc["breakdown"]) >= 14 and set(doc["breakdown"][0]["key"]) == {"age", "gender"}
    assert sum(Decimal(b["spend"]) for b in doc["breakdown"]) == Decimal(doc["totals"]["spend"])
    assert sum(b["impressions"] for b in doc["breakdown"]) == doc["totals"]["impressions"]


def test_placement_breakdown_and_levels(uploaded, capsys):
    _, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--breakdown", "publisher_platform,platform_position",
                 "--json")
    doc = json.loads(out)
    assert {tuple(b["key"]) for b in doc["breakdown"]} == {("publisher_platform", "platform_position")}
    _, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--level", "adset", "--json")
    adset = json.loads(out)
    assert [a["id"] for a in adset["ads"]] == [SANDBOX_ADSET] and adset["totals"]["spend"] == doc["totals"]["spend"]


def test_ads_by_id_and_name(uploaded, capsys):
    first = json.loads((ads_dir(uploaded) / "receipt.upload.json").read_text())
    _, out = cli(uploaded, capsys, "insights", "--ad", first["ad_id"], "--ad", "hero-notes-app", "--json")
    doc = json.loads(out)
    assert sorted(a["name"] for a in doc["ads"]) == ["hero-notes-app", "hero-receipt"]


def test_daily_rows_add_up_to_the_period(uploaded, capsys):
    _, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--since", "2026-11-01", "--until", "2026-11-21",
                 "--daily", "--json")
    doc = json.loads(out)
    assert doc["period"] == "2026-11-01_2026-11-21" and len(doc["daily"]) >= 2
    assert sum(Decimal(d["spend"]) for d in doc["daily"]) == Decimal(doc["totals"]["spend"])
    assert "## Day by day" in Path(doc["report_path"]).read_text()


def test_async_job_with_thousands_of_rows_through_the_cli(big, capsys):
    code, out = cli(big, capsys, "insights", CAMPAIGN, "--preset", "last_30d", "--daily",
                    "--breakdown", "age,gender", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["mode"] == "async" and doc["rows"] >= 5000 and len(doc["ads"]) == 12
    rows = sandbox_rows(big, date_preset="last_30d")
    assert Decimal(doc["totals"]["spend"]) == sum(dec(r["spend"]) for r in rows)
    assert sum(Decimal(b["spend"]) for b in doc["breakdown"]) == Decimal(doc["totals"]["spend"])
    assert sum(Decimal(d["spend"]) for d in doc["daily"]) == Decimal(doc["totals"]["spend"])


def test_async_progress_is_shown(big, capsys):
    code, out = cli(big, capsys, "insights", CAMPAIGN, "--mode", "async")
    assert code == 0 and "Report job " in out and "Job Completed, 100%" in out


def test_async_and_sync_agree(sandbox, graph):
    ads = [graph.make_ad(name=f"summer-sale-2026 - a{i}", seed=i + 1) for i in range(10)]
    client = GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.01)
    events = []
    query = Query(objects=[SANDBOX_ADSET], only_ads=set(ads), date_preset="last_30d", daily=True,
                  breakdowns=["age", "gender"])
    rows, mode = fetch_rows(client, query, report=events.append)
    assert mode == "async" and len(rows) >= 5000
    assert any(e.kind == "async_progress" and e.data["percent"] == 100 for e in events)
    plain, plain_mode = fetch_rows(client, Query(objects=[SANDBOX_ADSET], only_ads=set(ads), date_preset="last_30d"),
                                   mode="sync")
    assert plain_mode == "sync" and total(rows).spend == total(plain).spend
    assert total(rows).impressions == total(plain).impressions


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
    assert Path(doc["chart_path"]).is_file() and f"]({Path(doc['chart_path']).name})" in text


def test_daily_check_reads_status_and_budget(uploaded, capsys):
    _, out = cli(uploaded, capsys, "daily-check", CAMPAIGN, "--json")
    doc = json.loads(out)
    text = Path(doc["report_path"]).read_text()
    assert set(doc["statuses"].values()) == {"PAUSED"} and "## Delivery status" in text
    assert "daily budget 50.00" in text and "%** of the ad sets' combined daily budget" in text


def test_bleeders_name_the_ad_cpa_and_target(uploaded, capsys):
    _, out = cli(uploaded, capsys, "bleeders", CAMPAIGN, "--json")
    findings = json.loads(out)["findings"]
    # the uploaded ads are still PAUSED, so the advice is to keep them so
    assert findings and all(f.startswith(("keep ", "review ", "refresh ")) for f in findings)
    assert any("target CPA 25.00" in f or "vs target 25.00" in f for f in findings)


def test_period_without_delivery_says_so(uploaded, capsys):
    code, out = cli(uploaded, capsys, "insights", CAMPAIGN, "--since", "2020-01-01", "--until", "2020-01-31",
                    "--json")
    doc = json.loads(out)
    text = Path(doc["report_path"]).read_text()
    assert code == 0 and doc["empty"] and doc["chart_path"] is None and "No delivery yet" in text


def test_campaign_without_uploads_says_so(tmp_path, capsys):
    ws = copy_workspace(tmp_path)
    code, out = cli(ws, capsys, "insights", CAMPAIGN, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["empty"] and "No delivery yet" in Path(doc["report_path"]).read_text()


def test_bad_input_is_a_one_line_error(uploaded, capsys):
    assert cli(uploaded, capsys, "insights", CAMPAIGN, "--preset", "last_week")[0] == 2
    assert cli(uploaded, capsys, "insights", CAMPAIGN, "--breakdown", "zodiac")[0] == 2
    assert cli(uploaded, capsys, "insights", CAMPAIGN, "--since", "2026-11-10")[0] == 2
    assert cli(uploaded, capsys, "insights", "--ad", "no-such-ad")[0] == 1
    code = main(["insights", "no-such-campaign", "--workspace", str(uploaded), "--sandbox"])
    err = capsys.readouterr().err
    assert code == 1 and "no-such-campaign" in err and "Traceback" not in err


def test_insights_reads_wait_out_the_rate_limit(sandbox, graph):
    ads = [graph.make_ad(name=f"summer-sale-2026 - r{i}", seed=i + 1) for i in range(8)]
    sandbox.configure(rate_budget=4, rate_window_s=0.4)  # 4 reads, then refused until it drains
    events = []
    client = GraphClient(sandbox.url, SANDBOX_TOKEN, retry_base_s=0.02, max_retries=6, report=events.append)
    rows = [r for ad in ads for r in fetch_rows(client, Query(objects=[ad], date_preset="last_7d"), mode="sync")[0]]
    kinds = {e.kind for e in events}
    assert sorted(r.id for r in rows) == sorted(ads)
    assert "insights" in " ".join(client.usage.raw) and kinds & {"retry", "pace"}
