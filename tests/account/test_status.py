"""Pause and activate over real HTTP against the sandbox, and the workspace files they update."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from factories import CAMPAIGN, ads_dir, copy_workspace
from skill.account.status import show_money
from skill.cli import main
from skill.sandbox import Sandbox

TOKEN = "EAAB-test-token-not-real-0001"
UNKNOWN_ID = "99999999999999999"


@pytest.fixture
def ws(ws: Path) -> Path:
    """A workspace copy whose three ads were uploaded (PAUSED) to its --sandbox state."""
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    return ws


@pytest.fixture
def live(ws: Path, monkeypatch):
    """The same sandbox state served by a Sandbox of our own, so its request counters can be read."""
    with Sandbox(token=TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN)
        yield sb


def cli(ws: Path, capsys, *args: str, sandbox: bool = True) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws)] + (["--sandbox"] if sandbox else []))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def sandbox_ads(ws: Path) -> dict[str, str]:
    state = json.loads((ws / ".sandbox" / "state.json").read_text())
    return {ad["name"].split(" - ")[-1]: ad["status"] for ad in state["ads"].values()}


def record(ws: Path, stem: str) -> dict:
    return json.loads((ads_dir(ws) / f"{stem}.upload.json").read_text())


def asset_row(ws: Path, name: str) -> str:
    return next(line for line in (ws / "brand" / "assets.md").read_text().splitlines() if f" {name} |" in line)


# ---------------------------------------------------------------- activate without --yes


def test_activate_without_yes_changes_nothing_and_shows_budget(ws, capsys):
    before = (ws / ".sandbox" / "state.json").read_text(), (ws / "brand" / "assets.md").read_text()
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "hero-notes-app")
    assert code == 0 and "Would activate (nothing was changed)" in out
    receipt_id = record(ws, "receipt")["ad_id"]
    assert f"hero-receipt ({receipt_id}): now PAUSED, ad set 23847000000001 budget $50.00/day" in out
    assert "Their ad set holds $50.00/day" in out
    assert "meta-ads activate hero-receipt hero-notes-app --yes" in out
    assert set(sandbox_ads(ws).values()) == {"PAUSED"} and record(ws, "receipt")["status"] == "PAUSED"
    assert ((ws / ".sandbox" / "state.json").read_text(), (ws / "brand" / "assets.md").read_text()) == before


def test_activate_preview_json_says_nothing_was_activated(ws, capsys):
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["activated"] == 0 and doc["changed"] == 0 and doc["action"] == "activate-preview"
    assert doc["daily_budget"] == 50.0 and doc["currency"] == "USD" and doc["ads"][0]["status"] == "PAUSED"
    assert doc["ads"][0]["budget"] == {"amount": 50.0, "currency": "USD", "period": "daily"}
    assert sandbox_ads(ws)["hero-receipt"] == "PAUSED"


def test_activate_preview_reads_the_status_from_the_api(ws, capsys):
    assert cli(ws, capsys, "activate", "hero-split-test", "--yes")[0] == 0
    code, out, _ = cli(ws, capsys, "activate", "hero-split-test", "--json")
    assert code == 0 and json.loads(out)["ads"][0]["status"] == "ACTIVE"


# ---------------------------------------------------------------- changing status


def test_activate_then_pause_updates_sandbox_and_files(ws, capsys):
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "hero-notes-app", "--yes")
    assert code == 0 and "2 ads activated" in out
    assert sandbox_ads(ws) == {"hero-notes-app": "ACTIVE", "hero-receipt": "ACTIVE", "hero-split-test": "PAUSED"}
    assert record(ws, "receipt")["status"] == "ACTIVE" and record(ws, "notes-app")["status"] == "ACTIVE"
    assert asset_row(ws, "hero-receipt").endswith("| ACTIVE |")
    assert asset_row(ws, "hero-split-test").endswith("| PAUSED |") and record(ws, "split-test")["status"] == "PAUSED"
    receipt_id = record(ws, "receipt")["ad_id"]
    code, out, _ = cli(ws, capsys, "pause", "hero-receipt")
    assert code == 0 and f"✓ hero-receipt ({receipt_id}) PAUSED" in out and "1 ad paused" in out
    assert sandbox_ads(ws)["hero-receipt"] == "PAUSED" and record(ws, "receipt")["status"] == "PAUSED"
    assert asset_row(ws, "hero-receipt").endswith("| PAUSED |")
    assert sandbox_ads(ws)["hero-notes-app"] == "ACTIVE"


def test_activate_json_counts_the_activated(ws, capsys):
    code, out, _ = cli(ws, capsys, "activate", "hero-receipt", "--yes", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["activated"] == 1 and doc["ads"][0]["status"] == "ACTIVE"


def test_several_ads_go_in_one_batch_call(ws, capsys, live):
    ids = [record(ws, stem)["ad_id"] for stem in ("notes-app", "receipt", "split-test")]
    code, out, _ = cli(ws, capsys, "activate", *ids, "--yes", sandbox=False)
    counts = live.request_counts
    assert code == 0 and "3 ads activated" in out
    # one batch reads what is already active, one batch activates the rest
    assert counts["batch"] == 2 and counts["total"] == 2 and counts["batch_ops"] == 6
    assert {ad["status"] for ad in live.state_dump()["ads"].values()} == {"ACTIVE"}
    assert all(record(ws, stem)["status"] == "ACTIVE" for stem in ("notes-app", "receipt", "split-test"))


def test_one_ad_is_one_post(ws, capsys, live):
    code, _, _ = cli(ws, capsys, "pause", f"{CAMPAIGN} - hero-receipt", sandbox=False)
    assert code == 0 and live.request_counts.get("batch", 0) == 0 and live.request_counts["POST"] == 1


def test_a_failing_ad_does_not_stop_the_others(ws, capsys):
    assert cli(ws, capsys, "activate", "hero-receipt", "hero-notes-app", "--yes")[0] == 0
    code, out, _ = cli(ws, capsys, "pause", "hero-receipt", UNKNOWN_ID, "hero-notes-app")
    assert code == 1 and "2 ads paused, 1 failed" in out
    failure = next(line for line in out.splitlines() if line.startswith(f"✗ {UNKNOWN_ID}"))
    assert "does not exist" in failure and "fbtrace_id" in failure
    assert sandbox_ads(ws)["hero-receipt"] == "PAUSED" and sandbox_ads(ws)["hero-notes-app"] == "PAUSED"
    assert record(ws, "notes-app")["status"] == "PAUSED"


def test_an_id_outside_the_workspace_is_taken_as_a_meta_ad_id(ws, capsys):
    receipt = ads_dir(ws) / "receipt.upload.json"
    ad_id = record(ws, "receipt")["ad_id"]
    receipt.unlink()
    code, out, _ = cli(ws, capsys, "activate", ad_id, "--yes")
    assert code == 0 and f"✓ {CAMPAIGN} - hero-receipt ({ad_id}) ACTIVE" in out  # its name, read from Meta
    assert sandbox_ads(ws)["hero-receipt"] == "ACTIVE"


# ---------------------------------------------------------------- naming ads


def test_unknown_ad_name_suggests_close_ones(ws, capsys):
    code, out, err = cli(ws, capsys, "pause", "hero-recipt")
    assert code == 1 and "no ad 'hero-recipt'" in err and "did you mean hero-receipt" in err
    assert "Error:" in err.splitlines()[0] and "hero-receipt" in err.splitlines()[0]


def test_unknown_name_changes_nothing_even_beside_known_ones(ws, capsys):
    code, _, _ = cli(ws, capsys, "activate", "hero-receipt", "nope", "--yes")
    assert code == 1 and set(sandbox_ads(ws).values()) == {"PAUSED"}


def test_a_name_in_two_campaigns_must_say_which(ws, capsys):
    other = ws / "campaigns" / "winter-sale" / "ads"
    other.mkdir(parents=True)
    copy = record(ws, "receipt") | {"campaign": "winter-sale", "ad_id": "23847111000000099"}
    (other / "receipt.upload.json").write_text(json.dumps(copy))
    code, _, err = cli(ws, capsys, "pause", "hero-receipt")
    assert code == 1 and "several campaigns" in err and "'winter-sale - hero-receipt'" in err
    code, out, _ = cli(ws, capsys, "pause", f"{CAMPAIGN} - hero-receipt")
    assert code == 0 and "1 ad paused" in out


def test_activate_needs_ads(ws, capsys):
    code, _, _ = cli(ws, capsys, "activate")
    assert code == 2


def test_no_uploads_yet_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    workspace = copy_workspace(tmp_path)
    shutil.rmtree(workspace / ".sandbox", ignore_errors=True)
    code, _, err = cli(workspace, capsys, "pause", "hero-receipt")
    assert code == 1 and "no uploaded ads yet" in err


# ---------------------------------------------------------------- money


def test_budgets_are_minor_units_shown_as_money():
    assert show_money("5000", "USD") == "$50.00"
    assert show_money("123456", "EUR") == "€1,234.56"
    assert show_money("5000", "JPY") == "¥5,000"
    assert show_money("999", "SEK") == "9.99 SEK"
