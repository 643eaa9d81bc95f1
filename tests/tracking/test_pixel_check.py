"""``meta-ads pixel check`` against the sandbox's pixel, whose Purchase event went silent 3 days ago."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from skill.sandbox.pixel_data import PIXEL_ID
from support import SANDBOX_ADSET, run_cli


@pytest.fixture
def ws(ws: Path, live) -> Path:
    return ws


run = run_cli


def test_pixel_check_flags_the_silent_purchase_event(ws, capsys):
    code, out, _ = run(ws, capsys, "pixel", "check")
    assert code == 1
    assert out.startswith(f"Pixel Snapbook Pixel ({PIXEL_ID}): last fired 20")
    assert "  PageView  " in out and "Purchase" in out and "(silent for 3 days)" in out
    assert "NO  summer-sale-2026 - broad (ACTIVE) → Purchase: Purchase hasn't fired in 3 days: sales are not being " \
        "counted." in out
    assert "ok  evergreen-leads - lookalike (ACTIVE) → Lead: " in out and ", firing" in out
    assert out.rstrip().endswith("Purchase hasn't fired in 3 days: sales are not being counted.")


def test_pixel_check_json_carries_counts_and_the_verdict(ws, capsys):
    code, out, _ = run(ws, capsys, "pixel", "check", "--pixel", PIXEL_ID, "--json")
    data = json.loads(out)
    assert code == 1 and data["pixel_id"] == PIXEL_ID
    events = {e["event"]: e for e in data["events"]}
    assert set(events) == {"PageView", "ViewContent", "AddToCart", "InitiateCheckout", "Lead", "Purchase"}
    assert events["PageView"]["count_7d"] > events["Purchase"]["count_7d"] > 0
    assert events["Purchase"]["silent_for_s"] >= 3 * 86400 and events["PageView"]["silent_for_s"] is None
    assert [a["adset_id"] for a in data["adsets"] if not a["firing"]] == [SANDBOX_ADSET]


def test_a_server_purchase_brings_the_verdict_back_to_ok(ws, capsys):
    event = {"event_name": "Purchase", "event_time": int(time.time()), "event_id": "order_1", "action_source":
             "physical_store", "user_data": {"em": "mary@example.com"}}
    (ws / "events.jsonl").write_text(json.dumps(event) + "\n")
    assert run(ws, capsys, "capi", "send", "events.jsonl")[0] == 0
    code, out, _ = run(ws, capsys, "pixel", "check")
    assert code == 0, out
    assert out.rstrip().endswith("All 2 event(s) the ad sets optimise for fired in the last 24 hours.")


def test_a_pixel_that_does_not_exist_is_a_clean_error(ws, capsys):
    code, _, err = run(ws, capsys, "pixel", "check", "--pixel", "999999999")
    assert code == 1 and err.startswith("Error: Graph error 100/33")
