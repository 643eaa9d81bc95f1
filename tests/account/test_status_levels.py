"""pause / activate on ad sets and campaigns over real HTTP: the kind is named, children cascade,
an activation preview lists what would start, and "already active" is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acting import sandbox_state, write_state_with_cbo
from factories import CAMPAIGN
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, Graph

ADSET, ADSET_NAME, CAMPAIGN_ID = "23847000000001", "summer-sale-2026 - broad", "23846000000001"


@pytest.fixture
def ws(ws: Path, monkeypatch) -> Path:
    monkeypatch.setenv("USER", "marketer")
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    return ws


def cli(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws), "--sandbox"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def log(ws: Path) -> list[dict]:
    return [json.loads(line) for line in (ws / "brand" / "changes.jsonl").read_text().splitlines()]


def test_pausing_an_ad_set_by_name_says_ad_set_and_cascades(ws, capsys):
    code, out, _ = cli(ws, capsys, "pause", ADSET_NAME)
    assert code == 0 and out.strip().endswith("1 ad set paused")
    state = sandbox_state(ws)
    assert state["adsets"][ADSET]["status"] == "PAUSED"
    assert {ad["status"] for ad in state["ads"].values()} == {"PAUSED"}  # the ads themselves untouched
    doc = json.loads(cli(ws, capsys, "pause", ADSET, "--json")[1])
    assert doc["ads"][0]["kind"] == "adset" and doc["message"] == "1 ad set paused"
    entry = log(ws)[0]
    assert (entry["action"], entry["kind"], entry["id"], entry["after"]) == ("pause", "adset", ADSET,
                                                                             {"status": "PAUSED"})
    row = next(r for r in (ws / "brand" / "assets.md").read_text().splitlines() if f"adset: {ADSET}" in r)
    assert row.startswith(f"| {ADSET_NAME} | ad set |") and row.endswith("| PAUSED |")


def test_pausing_a_campaign_makes_its_ads_campaign_paused(ws, capsys):
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "--yes")
    assert code == 0
    code, out, _ = cli(ws, capsys, "pause", CAMPAIGN_ID, "hero-notes-app")
    assert code == 0 and "1 ad, 1 campaign paused" in out
    state = sandbox_state(ws)
    assert state["campaigns"][CAMPAIGN_ID]["status"] == "PAUSED"
    receipt = next(a for a in state["ads"].values() if a["name"].endswith("hero-receipt"))
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:  # the same account
        status = Graph(sb).get(receipt["id"], fields="status,effective_status").json()
    assert status == {"id": receipt["id"], "status": "ACTIVE", "effective_status": "CAMPAIGN_PAUSED"}


def test_activating_a_campaign_without_yes_lists_what_would_start(ws, capsys):
    cli(ws, capsys, "pause", CAMPAIGN)
    cli(ws, capsys, "activate", "hero-receipt", "--yes")
    before = (ws / ".sandbox" / "state.json").read_text()
    code, out, _ = cli(ws, capsys, "activate", CAMPAIGN)
    assert code == 0 and "Would activate (nothing was changed)" in out
    assert f"campaign {CAMPAIGN} ({CAMPAIGN_ID}): now PAUSED; would start:" in out
    assert f"ad set {ADSET_NAME} ({ADSET}): $50.00/day" in out
    assert "hero-receipt" in out and ": starts" in out and "PAUSED, stays off" in out
    assert "Total daily budget that would start spending: $50.00/day." in out
    assert f"meta-ads activate {CAMPAIGN} --yes" in out
    assert (ws / ".sandbox" / "state.json").read_text() == before


def test_activate_with_yes_and_already_active(ws, capsys):
    cli(ws, capsys, "pause", ADSET_NAME)
    code, out, _ = cli(ws, capsys, "activate", ADSET_NAME, "--yes")
    assert code == 0 and "1 ad set activated" in out
    code, out, _ = cli(ws, capsys, "activate", ADSET_NAME, CAMPAIGN, "--yes")
    assert code == 0 and "0 ads activated" in out
    assert f"ad set {ADSET_NAME} was already active" in out and f"campaign {CAMPAIGN} was already active" in out
    assert [e["action"] for e in log(ws)] == ["pause", "activate"]  # nothing sent, nothing logged for those


def test_ad_already_active_is_said_too(ws, capsys):
    cli(ws, capsys, "activate", "hero-receipt", "--yes")
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "--yes")
    assert code == 0 and "ad hero-receipt was already active" in out
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt")
    assert "now ACTIVE (already active)" in out


def test_unknown_name_is_one_clean_error(ws, capsys):
    code, _, err = cli(ws, capsys, "pause", "no such thing")
    assert code == 1 and "nor an ad, ad set or campaign of that name" in err


def test_activating_a_cbo_campaign_counts_the_campaign_budget(ws, capsys):
    write_state_with_cbo(ws)
    cli(ws, capsys, "pause", "spring-cbo")
    code, out, _ = cli(ws, capsys, "activate", "spring-cbo")
    assert code == 0 and "campaign budget $80.00/day" in out
    assert "ad set spring-cbo - all (23847000000009): the campaign budget" in out
    assert "Total daily budget that would start spending: $80.00/day." in out
    doc = json.loads(cli(ws, capsys, "activate", "spring-cbo", "--json")[1])
    assert doc["daily_budget"] == 80.0 and doc["currency"] == "USD" and doc["ads"][0]["kind"] == "campaign"
    assert doc["ads"][0]["budget"] == {"amount": 80.0, "currency": "USD", "period": "daily"}


def test_a_name_shared_by_a_campaign_and_an_ad_set_asks_for_the_id(ws, capsys):
    path = write_state_with_cbo(ws)
    state = json.loads(path.read_text())
    state["adsets"]["23847000000009"]["name"] = "spring-cbo"
    path.write_text(json.dumps(state))
    code, _, err = cli(ws, capsys, "pause", "spring-cbo")
    assert code == 1 and "names several objects" in err and "23846000000009" in err and "23847000000009" in err
    assert sandbox_state(ws)["campaigns"]["23846000000009"]["status"] == "ACTIVE"
