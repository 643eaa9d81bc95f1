"""``meta-ads capi send`` and ``send_events``: checked and hashed locally, batches of 1,000,
event_id deduplication, test-event codes, and what Meta accepted."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from recording import Recorder

from skill.graph import GraphClient
from skill.sandbox.pixel_data import PIXEL_ID
from skill.tracking.capi import check_event, send_events
from support import SANDBOX_TOKEN, run_cli

MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79"


@pytest.fixture
def ws(ws: Path, live) -> Path:
    return ws


run = run_cli


def purchase(event_id: str, **over) -> dict:
    event = {"event_name": "Purchase", "event_time": int(time.time()) - 60, "event_id": event_id,
             "action_source": "website", "event_source_url": "https://yoursite.com/thanks",
             "user_data": {"em": "Mary@Example.com", "ph": "+1 555 987 6543", "client_user_agent": "Mozilla/5.0",
                           "fbp": "fb.1.1596403881668.1116446470"},
             "custom_data": {"currency": "USD", "value": 49.0}}
    event.update(over)
    return event


def write_events(ws: Path, events: list[dict], name: str = "events/purchases.jsonl") -> str:
    path = ws / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return name


def purchases_counted(sandbox) -> int:
    pixel = sandbox.state_dump()["pixels"][PIXEL_ID]
    return sum(1 for e in pixel["received"] if e["event_name"] == "Purchase" and not e["test"])


def test_events_are_hashed_and_deduplicated_by_event_id(ws, sandbox, capsys):
    rec = Recorder(sandbox)
    name = write_events(ws, [purchase("order_1"), purchase("order_2"), purchase("order_1")])
    code, out, err = run(ws, capsys, "capi", "send", name)
    assert code == 0, err
    assert "Sent 3 event(s) to pixel 1234567890123456 in 1 batch(es): Meta accepted 3." in out
    sent = json.loads(json.loads(rec.bodies[-1])["data"])
    assert [e["event_id"] for e in sent] == ["order_1", "order_2", "order_1"]
    assert sent[0]["user_data"]["em"] == [MARY] and sent[0]["user_data"]["fbp"].startswith("fb.1.")
    assert purchases_counted(sandbox) == 2
    assert run(ws, capsys, "capi", "send", name)[0] == 0  # sending again is safe
    assert purchases_counted(sandbox) == 2
    assert "mary@example.com" not in "\n".join(rec.bodies).lower() + out.lower()


def test_test_event_code_keeps_trials_out_of_the_counts(ws, sandbox, capsys):
    rec = Recorder(sandbox)
    name = write_events(ws, [purchase("trial_1")])
    code, out, _ = run(ws, capsys, "capi", "send", name, "--test-event-code", "TEST12345")
    assert code == 0 and "as test events (code TEST12345" in out
    assert json.loads(rec.bodies[-1])["test_event_code"] == "TEST12345"
    assert purchases_counted(sandbox) == 0


@pytest.mark.parametrize(("bad", "message"), [
    (purchase("x", event_time=int(time.time()) - 8 * 86400), "line 2: event_time is more than 7 days old"),
    ({k: v for k, v in purchase("x").items() if k != "event_id"}, "line 2: event_id is required"),
    (purchase("x", action_source="web"), "line 2: action_source must be one of"),
    (purchase("x", event_source_url=None), "line 2: event_source_url is required for website events"),
    (purchase("x", user_data={"em": "not-an-email", "client_user_agent": "UA"}), "line 2: user_data.em not an email"),
])
def test_a_bad_line_is_named_and_nothing_is_sent(ws, sandbox, capsys, bad, message):
    name = write_events(ws, [purchase("ok"), bad])
    code, _, err = run(ws, capsys, "capi", "send", name)
    assert code == 1 and message in err and "nothing was sent" in err
    assert "not-an-email" not in err.replace("user_data.em not an email", "")
    assert sandbox.request_count == 0


def test_dry_run_shows_the_hashed_event_and_sends_nothing(ws, sandbox, capsys):
    name = write_events(ws, [purchase("order_1")])
    code, out, _ = run(ws, capsys, "capi", "send", name, "--dry-run")
    assert code == 0 and sandbox.request_count == 0
    assert MARY in out and "mary@example.com" not in out.lower()
    assert "fb.1.1596403881668" not in out and '"fbp": "(sent as it is; not shown)"' in out


def test_send_events_splits_into_batches_of_a_thousand(sandbox):
    rec = Recorder(sandbox)
    now = time.time()
    events = [check_event(purchase(f"order_{i}"), now) for i in range(2500)]
    client = GraphClient(f"{sandbox.url}", SANDBOX_TOKEN, retry_base_s=0.01)
    result = send_events(client, PIXEL_ID, events)
    assert result.batches == 3 and result.events_received == 2500 and len(result.fbtrace_ids) == 3
    assert [len(json.loads(json.loads(b)["data"])) for b in rec.bodies] == [1000, 1000, 500]
    assert purchases_counted(sandbox) == 2500


def test_an_events_file_outside_the_workspace_needs_its_folder_allowed(ws, sandbox, capsys, tmp_path):
    outside = tmp_path / "exports"
    outside.mkdir()
    (outside / "orders.jsonl").write_text(json.dumps(purchase("order_9")) + "\n")
    code, _, err = run(ws, capsys, "capi", "send", str(outside / "orders.jsonl"))
    assert code == 1 and "outside the workspace" in err and sandbox.request_count == 0
    code, out, _ = run(ws, capsys, "capi", "send", str(outside / "orders.jsonl"), "--allow-folder", str(outside))
    assert code == 0 and "Meta accepted 1." in out
