"""bleeders --pause, winners --scale, fatigue --refresh over real HTTP: the preview changes nothing,
--yes does exactly what it listed, and a paused bleeder stops spending in the sandbox's insights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acting import sandbox_state
from factories import CAMPAIGN, GOOD_SPEC, ads_dir, write_json
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, Graph

ADSET = "23847000000001"


@pytest.fixture
def ws(ws: Path) -> Path:
    """The three example ads uploaded and activated: the sandbox's numbers make two of them bleed."""
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    assert main(["activate", "hero-receipt", "hero-notes-app", "hero-split-test", "--yes", "--sandbox",
                 "--workspace", str(ws)]) == 0
    return ws


def cli(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws), "--sandbox"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def statuses(ws: Path) -> dict[str, str]:
    return {ad["name"].split(" - ")[-1]: ad["status"] for ad in sandbox_state(ws)["ads"].values()}


def log(ws: Path) -> list[dict]:
    path = ws / "brand" / "changes.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_bleeders_pause_without_yes_is_a_preview(ws, capsys):
    capsys.readouterr()
    before = statuses(ws)
    code, out, _ = cli(ws, capsys, "bleeders", CAMPAIGN, "--pause")
    assert code == 0 and "Would pause 2 ads (nothing was changed):" in out
    assert "hero-split-test (" in out and "CPA" in out and "hero-notes-app (" in out
    assert f"meta-ads bleeders {CAMPAIGN} --preset last_7d --pause --yes" in out
    assert statuses(ws) == before == {"hero-notes-app": "ACTIVE", "hero-receipt": "ACTIVE",
                                      "hero-split-test": "ACTIVE"}
    assert [e["action"] for e in log(ws)] == ["activate"] * 3  # only the fixture's


def test_bleeders_pause_with_yes_pauses_them_and_they_stop_spending(ws, capsys, monkeypatch):
    state_path = ws / ".sandbox" / "state.json"
    with Sandbox(token=SANDBOX_TOKEN, state_path=state_path) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
        code = main(["bleeders", CAMPAIGN, "--pause", "--yes", "--workspace", str(ws)])
        out = capsys.readouterr().out
        assert code == 0 and out.strip().endswith("2 ads paused")
        ids = {ad["name"].split(" - ")[-1]: ad["id"] for ad in sb.state_dump()["ads"].values()}
        sb.configure(clock_days=3)  # three days later
        graph = Graph(sb)
        spend = {name: graph.get(f"{ad}/insights", date_preset="last_3d", time_increment=1, fields="spend")
                 .json()["data"] for name, ad in ids.items()}
    assert statuses(ws) == {"hero-notes-app": "PAUSED", "hero-receipt": "ACTIVE", "hero-split-test": "PAUSED"}
    assert len(spend["hero-receipt"]) == 3  # the winner keeps spending every day
    for bleeder in ("hero-notes-app", "hero-split-test"):  # at most the day of the pause, then nothing
        assert len(spend[bleeder]) <= 1
    paused = [e for e in log(ws) if e["action"] == "pause"]
    assert {e["name"] for e in paused} == {"hero-notes-app", "hero-split-test"}
    assert all(e["before"] == {"status": "ACTIVE"} for e in paused)


def test_winners_scale_previews_then_raises_the_ad_set_budget(ws, capsys):
    code, out, _ = cli(ws, capsys, "winners", CAMPAIGN, "--scale", "20%")
    assert code == 0 and "Would change (nothing was changed):" in out
    assert f"ad set summer-sale-2026 - broad ({ADSET}):" in out and "daily budget $50.00 → $60.00 (+20%)" in out
    assert "spent by the winner hero-receipt" in out and "+$10.00/day" in out
    assert sandbox_state(ws)["adsets"][ADSET]["daily_budget"] == "5000"
    code, out, _ = cli(ws, capsys, "winners", CAMPAIGN, "--scale", "20%", "--yes")
    assert code == 0 and "Changed" in out and sandbox_state(ws)["adsets"][ADSET]["daily_budget"] == "6000"
    assert log(ws)[-1]["action"] == "budget" and log(ws)[-1]["after"] == {"daily_budget": 60.0} and log(ws)[-1]["currency"] == "USD"


def test_winners_scale_past_the_guardrail_is_refused(ws, capsys):
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text().replace('max_daily_budget: "500.00"', 'max_daily_budget: "55"'))
    code, _, err = cli(ws, capsys, "winners", CAMPAIGN, "--scale", "20%", "--yes")
    assert code == 1 and "max_daily_budget" in err
    assert sandbox_state(ws)["adsets"][ADSET]["daily_budget"] == "5000"


def test_fatigue_refresh_previews_and_then_refreshes(ws, capsys):
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text().replace('max_frequency: "3.5"', 'max_frequency: "1.0"'))  # all are tired
    code, out, _ = cli(ws, capsys, "fatigue", CAMPAIGN, "--refresh")
    assert code == 0 and "No fatigued ad has fresh copy yet" in out and "receipt-fresh.json" in out
    assert f"meta-ads copy workspace/campaigns/{CAMPAIGN}/images/receipt.png --campaign {CAMPAIGN} --fresh-angle" in out
    write_json(ads_dir(ws) / "receipt-fresh.json", GOOD_SPEC)
    before = sandbox_state(ws)
    code, out, _ = cli(ws, capsys, "fatigue", CAMPAIGN, "--refresh")
    assert "Would refresh 1 ad (swap; nothing was changed):" in out and "new creative from receipt-fresh.json" in out
    assert sandbox_state(ws)["creatives"] == before["creatives"]
    code, out, _ = cli(ws, capsys, "fatigue", CAMPAIGN, "--refresh", "--yes")
    assert code == 0, out + _
    assert "hero-receipt now shows creative v2" in out
    assert len(sandbox_state(ws)["creatives"]) == len(before["creatives"]) + 1
