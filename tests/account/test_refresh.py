"""``meta-ads refresh`` and ``copy --fresh-angle`` over real HTTP: a new creative swapped in or a v2
ad (PAUSED), exactly once, with the history in upload.json and the change log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acting import sandbox_state
from factories import CAMPAIGN, GOOD_SPEC, ads_dir, make_image, write_json
from fake_anthropic import FakeAnthropic, json_message
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, Graph, creative_params

FRESH = {**GOOD_SPEC, "titles": [{"text": "Tax Time, Already Done"}]}


@pytest.fixture
def ws(ws: Path) -> Path:
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    write_json(ads_dir(ws) / "receipt-fresh.json", FRESH)
    return ws


def cli(ws: Path, capsys, *args: str, sandbox: bool = True) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws)] + (["--sandbox"] if sandbox else []))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def record(ws: Path, stem: str = "receipt") -> dict:
    return json.loads((ads_dir(ws) / f"{stem}.upload.json").read_text())


def log(ws: Path) -> list[dict]:
    return [json.loads(line) for line in (ws / "brand" / "changes.jsonl").read_text().splitlines()]


def test_swap_points_the_ad_at_a_new_creative_once(ws, capsys):
    old = record(ws)
    code, out, _ = cli(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json")
    assert code == 0 and "hero-receipt now shows creative v2" in out
    state = sandbox_state(ws)
    new = record(ws)["creative_id"]
    assert new != old["creative_id"] and state["ads"][old["ad_id"]]["creative"] == {"id": new}
    creative = state["creatives"][new]
    assert creative["name"] == f"{CAMPAIGN} - hero-receipt v2"
    assert creative["asset_feed_spec"]["titles"] == [{"text": "Tax Time, Already Done"}]
    assert creative["asset_feed_spec"]["images"] == [{"hash": old["image_hash"]}]  # the ad's image, reused
    [entry] = record(ws)["refreshes"]
    assert (entry["version"], entry["mode"], entry["previous_creative_id"]) == (2, "swap", old["creative_id"])
    assert log(ws)[-1]["action"] == "refresh" and log(ws)[-1]["after"] == {"creative_id": new}
    n = len(state["creatives"])
    code, out, _ = cli(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json")
    assert code == 0 and "already refreshed with this spec (v2)" in out
    assert len(sandbox_state(ws)["creatives"]) == n and len(record(ws)["refreshes"]) == 1


def test_new_ad_mode_creates_a_paused_v2_and_pauses_the_old(ws, capsys):
    cli(ws, capsys, "activate", "hero-receipt", "--yes")
    image = make_image(ws / "campaigns" / CAMPAIGN / "images" / "receipt-2.png", fmt="PNG")
    code, out, _ = cli(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json", "--mode", "new-ad",
                       "--image", str(image))
    assert code == 0 and "hero-receipt v2 created PAUSED" in out
    v2 = record(ws, "receipt-v2")
    state = sandbox_state(ws)
    new_ad = state["ads"][v2["ad_id"]]
    assert new_ad["name"] == f"{CAMPAIGN} - hero-receipt v2" and new_ad["status"] == "PAUSED"
    assert new_ad["adset_id"] == record(ws)["adset_id"]
    assert state["ads"][record(ws)["ad_id"]]["status"] == "PAUSED" and record(ws)["status"] == "PAUSED"
    assert v2["image_hash"] != record(ws)["image_hash"] and v2["refreshed_from"] == record(ws)["ad_id"]
    assets = (ws / "brand" / "assets.md").read_text()
    assert f"ad: {v2['ad_id']} | PAUSED |" in assets


def test_stack_md_sets_the_default_mode(ws, capsys):
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text().replace("refresh_mode: swap", "refresh_mode: new-ad"))
    code, out, _ = cli(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json")
    assert code == 0 and "v2 created PAUSED" in out and record(ws)["refreshes"][0]["mode"] == "new-ad"


def test_a_creative_left_by_a_failed_run_is_adopted(ws, capsys, monkeypatch):
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
        graph = Graph(sb)
        made = graph.create_creative(record(ws)["image_hash"], **{k: v for k, v in creative_params(
            record(ws)["image_hash"]).items() if k != "name"}, name=f"{CAMPAIGN} - hero-receipt v2")
        before = sb.request_counts.get("POST", 0)
        code, out, _ = cli(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json", sandbox=False)
        posts = sb.request_counts.get("POST", 0) - before
    assert code == 0 and "Creative adopted" in out and record(ws)["creative_id"] == made
    assert posts == 1  # only the swap: no second creative


def test_files_outside_the_workspace_and_unknown_ads_are_refused(ws, capsys, tmp_path):
    outside = write_json(tmp_path / "elsewhere.json", FRESH)
    code, _, err = cli(ws, capsys, "refresh", "hero-receipt", "--spec", str(outside))
    assert code == 1 and "inside the workspace" in err
    code, _, err = cli(ws, capsys, "refresh", "hero-nope", "--spec", "receipt-fresh.json")
    assert code == 1 and "no uploaded ad 'hero-nope'" in err
    bad = write_json(ads_dir(ws) / "bad.json", {**FRESH, "titles": []})
    code, _, err = cli(ws, capsys, "refresh", "hero-receipt", "--spec", str(bad))
    assert code == 1 and "titles" in err and "refreshes" not in record(ws)


def test_copy_fresh_angle_writes_a_fresh_spec_unlike_the_old(ws, capsys, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-123456")
    reply = {"image_summary": "A receipt.", "titles": ["Tax Time, Already Done"],
             "bodies": ["Every receipt you snapped is already filed, so tax time takes minutes, not weekends."],
             "descriptions": ["Filed as you go."], "call_to_action": "LEARN_MORE"}
    old_title = json.loads((ads_dir(ws) / "receipt.json").read_text())["titles"][0]["text"]
    (ads_dir(ws) / "receipt-fresh.json").unlink()
    with FakeAnthropic(api_key="test-key-123456") as fake:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        fake.enqueue(json_message(reply))
        code, out, _ = cli(ws, capsys, "copy", f"campaigns/{CAMPAIGN}/images/receipt.png", "--campaign", CAMPAIGN,
                           "--fresh-angle", "lead with tax time", "--variants", "1", sandbox=False)
        requests = fake.message_requests
    assert code == 0, out + _
    [request] = requests
    assert "Fresh angle" in request.user_text and "lead with tax time" in request.user_text
    assert old_title in request.user_text  # the lines not to reuse
    fresh = json.loads((ads_dir(ws) / "receipt-fresh.json").read_text())
    assert fresh["titles"] == [{"text": "Tax Time, Already Done"}]
    assert json.loads((ads_dir(ws) / "receipt.json").read_text())["titles"][0]["text"] == old_title  # untouched


def test_a_v2_ad_left_by_a_failed_run_is_adopted_not_duplicated(ws, capsys, monkeypatch):
    rec = record(ws)
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
        graph = Graph(sb)  # a run that created both, then died before writing anything
        creative = graph.create_creative(rec["image_hash"], name=f"{CAMPAIGN} - hero-receipt v2")
        ad = graph.create_ad(creative, name=f"{CAMPAIGN} - hero-receipt v2")
        code, out, _ = cli(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json", "--mode", "new-ad",
                           "--json", sandbox=False)
        names = [a["name"] for a in sb.state_dump()["ads"].values()]
    doc = json.loads(out)
    assert code == 0 and doc["new_ad_id"] == ad and doc["creative_id"] == creative
    assert doc["adopted"] == [f"creative {creative}", f"ad {ad}"]
    assert names.count(f"{CAMPAIGN} - hero-receipt v2") == 1 and record(ws, "receipt-v2")["ad_id"] == ad


def test_bleeders_pause_json_has_the_report_and_the_preview(ws, capsys):
    cli(ws, capsys, "activate", "hero-receipt", "hero-notes-app", "hero-split-test", "--yes")
    code, out, _ = cli(ws, capsys, "bleeders", CAMPAIGN, "--pause", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["kind"] == "pause" and doc["applied"] is False
    assert doc["report"]["flagged"] and doc["lines"][0].startswith("Would pause")
