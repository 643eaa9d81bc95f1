"""Pause, activate and auth check over real HTTP against the sandbox, and the workspace files they update."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from factories import CAMPAIGN, copy_workspace
from skill.cli import main
from skill.sandbox import Sandbox

TOKEN = "EAAB-test-token-not-real-0001"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch) -> Path:
    for var in ("FACEBOOK_ACCESS_TOKEN", "META_GRAPH_URL", "META_AD_ACCOUNT", "SOCIAL_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    workspace = copy_workspace(tmp_path)
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(workspace)]) == 0
    return workspace


def cli(ws: Path, capsys, *args: str, sandbox: bool = True) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws)] + (["--sandbox"] if sandbox else []))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def sandbox_ads(ws: Path) -> dict[str, str]:
    state = json.loads((ws / ".sandbox" / "state.json").read_text())
    return {ad["name"].split(" - ")[-1]: ad["status"] for ad in state["ads"].values()}


def record_status(ws: Path, stem: str) -> str:
    return json.loads((ws / "campaigns" / CAMPAIGN / "ads" / f"{stem}.upload.json").read_text())["status"]


def asset_row(ws: Path, name: str) -> str:
    return next(line for line in (ws / "brand" / "assets.md").read_text().splitlines() if f" {name} |" in line)


def test_activate_without_yes_changes_nothing_and_shows_budget(ws, capsys):
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt")
    assert code == 0 and "Would activate (nothing was changed)" in out
    assert "budget 50.00/day" in out and "--yes" in out
    assert sandbox_ads(ws)["hero-receipt"] == "PAUSED" and record_status(ws, "receipt") == "PAUSED"
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "--json")
    assert json.loads(out)["changed"] == 0


def test_activate_then_pause_updates_sandbox_and_files(ws, capsys):
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "hero-notes-app", "--yes")
    assert code == 0 and "2 ads activated" in out
    assert sandbox_ads(ws) == {"hero-notes-app": "ACTIVE", "hero-receipt": "ACTIVE", "hero-split-test": "PAUSED"}
    assert record_status(ws, "receipt") == "ACTIVE" and asset_row(ws, "hero-receipt").endswith("| ACTIVE |")
    assert asset_row(ws, "hero-split-test").endswith("| PAUSED |")
    code, out, _ = cli(ws, capsys, "pause", "hero-receipt")
    assert code == 0 and "✓ hero-receipt (" in out and ") PAUSED" in out
    assert sandbox_ads(ws)["hero-receipt"] == "PAUSED" and record_status(ws, "receipt") == "PAUSED"
    assert asset_row(ws, "hero-receipt").endswith("| PAUSED |")


def test_several_ads_go_in_one_batch_call(ws, capsys, monkeypatch):
    ids = [json.loads(p.read_text())["ad_id"] for p in sorted((ws / "campaigns" / CAMPAIGN / "ads").glob("*.upload.json"))]
    with Sandbox(token=TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN)
        code, out, _ = cli(ws, capsys, "pause", *ids, sandbox=False)
        counts = sb.request_counts
        assert {ad["status"] for ad in sb.state_dump()["ads"].values()} == {"PAUSED"}
    assert code == 0 and "3 ads paused" in out
    assert counts["batch"] == 1 and counts["total"] == 1 and counts["batch_ops"] == 3


def test_unknown_ad_name_suggests_close_ones(ws, capsys):
    code, _, err = cli(ws, capsys, "pause", "hero-recipt")
    assert code == 1 and "no ad 'hero-recipt'" in err and "did you mean hero-receipt" in err


def test_activate_needs_ads(ws, capsys):
    code, _, err = cli(ws, capsys, "activate")
    assert code == 2


# ---------------------------------------------------------------- auth check


@pytest.fixture
def live(monkeypatch):
    """A sandbox the CLI reaches as if it were Meta: META_GRAPH_URL and a token in the environment."""
    with Sandbox(token=TOKEN) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("META_AD_ACCOUNT", "act_123456789")
        yield sb


def test_auth_check_valid(ws, capsys, live):
    code, out, err = cli(ws, capsys, "auth", "check", sandbox=False)
    assert code == 0 and "Token: valid (from FACEBOOK_ACCESS_TOKEN)" in out
    assert "act_123456789  ACTIVE" in out and "← configured" in out and "✓ Ready" in out
    assert TOKEN not in out + err


def test_auth_check_json_never_carries_the_token(ws, capsys, live):
    code, out, err = cli(ws, capsys, "auth", "check", "--json", sandbox=False)
    doc = json.loads(out)
    assert code == 0 and doc["valid"] and doc["missing_scopes"] == [] and TOKEN not in out + err


def test_auth_check_expiring_token_and_missing_scopes(ws, capsys, live):
    live.configure(token_expires_at=int(time.time()) + 2 * 86400, scopes=["ads_read", "ads_management"])
    code, out, _ = cli(ws, capsys, "auth", "check", sandbox=False)
    assert code == 0
    assert "expires in 1 day(s)" in out or "expires in 2 day(s)" in out
    assert "missing scopes pages_read_engagement, business_management" in out and "social auth login" in out


def test_auth_check_invalid_token(ws, capsys, live, monkeypatch):
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", "EAAB-wrong-token-9999")
    code, out, err = cli(ws, capsys, "auth", "check", sandbox=False)
    assert code == 1 and "NOT valid" in out and "social auth login" in out
    assert "EAAB-wrong-token-9999" not in out + err


def test_auth_check_disabled_account(ws, capsys, live, monkeypatch):
    monkeypatch.setenv("META_AD_ACCOUNT", "act_987654321")
    code, out, _ = cli(ws, capsys, "auth", "check", sandbox=False)
    assert code == 1 and "act_987654321 is DISABLED" in out


def test_auth_check_without_a_token(ws, capsys, monkeypatch):
    code, _, err = cli(ws, capsys, "auth", "check", sandbox=False)
    assert code == 1 and "no access token found" in err and "FACEBOOK_ACCESS_TOKEN" in err
