"""reference/json.md against real output: every command's `--json` document has the documented
keys and types, `ok` included, on success and on failure (run against the sandbox)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from factories import CAMPAIGN, ads_dir, edit_json, make_image
from fake_anthropic import FakeAnthropic, json_message
from skill.cli import EXTRA_COMMANDS, main
from skill.tools import all_tools

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "reference" / "json.md").read_text(encoding="utf-8")
TYPES = {"boolean": (bool,), "integer": (int,), "number": (int, float), "string": (str,), "null": (type(None),),
         "array": (list,), "object": (dict,)}
KEY = "test-key-123456"
COPY = {"image_summary": "An orange square.", "titles": ["Never Lose a Receipt Again"],
        "bodies": ["Track expenses in seconds. Snap a photo and Snapbook files it for you, every time."],
        "descriptions": ["Snap. Logged. Done."], "call_to_action": "LEARN_MORE"}


def sections() -> dict[str, dict[str, tuple[str, str]]]:
    """Command → {key: (type, meaning)} from the tables under each `## `command`` heading."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for block in re.split(r"^## ", DOC, flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        rows = {m[0]: (m[1].replace("\\|", "|"), m[2]) for m in
                re.findall(r"^\| `([^`]+)` \| ([a-z\\|]+) \| (.*) \|$", body, re.MULTILINE)}
        for command in re.findall(r"`([^`]+)`", heading):
            out[command] = rows
    return out


SECTIONS = sections()


def check(doc: dict[str, Any], command: str) -> None:
    rows = SECTIONS[command]
    assert isinstance(doc.get("ok"), bool), f"{command}: no ok"
    keep_the_rules(doc, command)
    top = {k for k in rows if "." not in k}
    if command != "error":  # errors may add where they happened (file, field, code, ...)
        assert set(doc) <= top, f"{command}: undocumented keys {sorted(set(doc) - top)}"
    for key, (kind, meaning) in rows.items():
        optional = "(when" in meaning or "(present when" in meaning
        for value in values_at(doc, key):
            if value is _MISSING:
                assert optional, f"{command}: {key} is documented but missing"
                continue
            allowed = tuple(t for name in kind.split("|") for t in TYPES[name])
            assert isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed), \
                f"{command}: {key} is {value!r}, documented as {kind}"


_MISSING = object()

# The rules every document keeps (reference/json.md): numbers as numbers (money too), timestamps
# ISO 8601, counts as integers. Meta's own payloads (what is or would be sent) are left as Meta has them.
MONEY_OR_NUMBER_TEXT = re.compile(r"[+±-]?\s?(?:[$€£¥₹]|CA\$|A\$|R\$)\s?[\d,]+(?:\.\d+)?(?:/day| lifetime)?"
                                  r"|[+-]?\d+(?:\.\d+)?%|[\d,]+\.\d+(?: [A-Z]{3})?")
ISO_8601 = re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))?")
TIME_KEY = re.compile(r"(?:^at|_at|_time|_seen|^day)$")
COUNT_KEY = re.compile(r"^(?:count\w*|\w*_count|created|failed|skipped|adopted|stale|not_run|total|rows|\w*rows_\w+|"
                       r"rows_\w+|events|events_received|batches|sent_batches|changed|activated|validated|uploaded|"
                       r"attempts|requests|\w*_tokens|impressions|reach|clicks|combinations|index|version|ads_\w+|"
                       r"num_\w+|days_left|size_low|size_high)$")
META_PAYLOADS = {"body", "payload", "sample", "calls", "key", "statuses", "args"}


def keep_the_rules(node: Any, where: str, key: str = "") -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in META_PAYLOADS:
                keep_the_rules(v, f"{where}.{k}", k)
    elif isinstance(node, list):
        for v in node:
            keep_the_rules(v, f"{where}[]", key)
    elif isinstance(node, str):
        assert not MONEY_OR_NUMBER_TEXT.fullmatch(node.strip()), f"{where}: {node!r} is a number written as text"
        if TIME_KEY.search(key):
            assert ISO_8601.fullmatch(node), f"{where}: {node!r} is not ISO 8601"
    elif isinstance(node, float) and COUNT_KEY.match(key):
        raise AssertionError(f"{where}: the count {node!r} is not an integer")


def values_at(doc: Any, key: str) -> list[Any]:
    """`ads[].name` → the name of every ad (none when the array is empty)."""
    values = [doc]
    for part in key.split("."):
        many = part.endswith("[]")
        name = part.removesuffix("[]")
        step = []
        for v in values:
            if v is _MISSING or v is None:
                continue
            got = v.get(name, _MISSING) if isinstance(v, dict) else _MISSING
            step.extend(got if many and isinstance(got, list) else [got] if not many else [])
        values = step
    return values


@pytest.fixture
def ws(ws: Path, monkeypatch) -> Path:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    return ws


def run(ws: Path, capsys, *args: str, expect: int = 0) -> dict[str, Any]:
    code = main([*args, "--workspace", str(ws), "--sandbox", "--json"])
    out = capsys.readouterr().out
    assert code == expect, out
    return json.loads(out)


def test_every_command_has_a_documented_shape():
    documented = {c.split(" --")[0] for c in SECTIONS}
    commands = {" ".join(t.command) for t in all_tools()} | {"route"}
    assert commands <= documented, f"reference/json.md has no section for {sorted(commands - documented)}"
    assert "tools" in EXTRA_COMMANDS and "`tools` prints" in DOC


def test_batch_commands_match_the_documented_shapes(ws, capsys):
    check(run(ws, capsys, "validate", CAMPAIGN), "validate")
    check(run(ws, capsys, "upload", CAMPAIGN, "--dry-run"), "upload --dry-run")
    upload = run(ws, capsys, "upload", CAMPAIGN)
    check(upload, "upload")
    assert upload["ok"] is True and upload["created"] == 3
    edit_json(ads_dir(ws) / "notes-app.json", lambda spec: spec["titles"].append({"text": "x" * 60}))
    invalid = run(ws, capsys, "validate", CAMPAIGN, expect=1)
    check(invalid, "validate")
    assert invalid["ok"] is False and invalid["ads"][0]["findings"][0]["severity"] == "error"
    failed = run(ws, capsys, "validate", "no-such-campaign", expect=1)
    check(failed, "error")
    assert failed["ok"] is False and failed["hint"]


def test_reports_and_status_match_the_documented_shapes(ws, capsys):
    run(ws, capsys, "upload", CAMPAIGN)
    report = run(ws, capsys, "insights", CAMPAIGN, "--breakdown", "age", "--daily")
    check(report, "insights")
    assert report["breakdown"] and report["daily"] and isinstance(report["thresholds"]["target_cpa"]["value"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", report["daily"][0]["day"])
    for command in ("daily-check", "bleeders", "winners", "fatigue"):
        check(run(ws, capsys, command, CAMPAIGN), command)
    preview = run(ws, capsys, "activate", "hero-receipt")
    check(preview, "activate")
    assert preview["ok"] is True and preview["activated"] == 0
    check(run(ws, capsys, "activate", "hero-receipt", "--yes"), "activate")
    check(run(ws, capsys, "pause", "hero-receipt"), "pause")


def test_auth_and_route_match_the_documented_shapes(ws, capsys):
    auth = run(ws, capsys, "auth", "check")
    check(auth, "auth check")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", auth["expires_at"])
    check(run(ws, capsys, "route", "dry run the summer sale"), "route")
    code = main(["route", "make me a sandwich", "--no-model", "--workspace", str(ws), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["ok"] is False
    check(doc, "route")


def test_copy_matches_the_documented_shape(ws, capsys, monkeypatch, tmp_path):
    image = make_image(tmp_path / "in" / "hero.jpg", (1080, 1080))
    with FakeAnthropic(api_key=KEY) as fake:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        fake.default = json_message(COPY)
        doc = run(ws, capsys, "copy", str(image), "--campaign", "c", "--write-batch", "--variants", "1")
    check(doc, "copy")
    assert doc["ok"] is True and doc["usage"]["requests"] >= 1


BUDGET_50 = {"amount": 50.0, "currency": "USD", "period": "daily"}


def inner(doc: dict[str, Any]) -> dict[str, Any]:
    """A document inside another (its ``ok`` is the outer one's), checked as that command's shape."""
    assert "ok" not in doc
    return {"ok": True, **doc}


def test_acting_commands_match_the_documented_shapes_with_budgets_as_amounts(ws, capsys):
    run(ws, capsys, "upload", CAMPAIGN)
    check(run(ws, capsys, "activate", "hero-receipt", "hero-notes-app", "hero-split-test", "--yes"), "activate")
    adset = run(ws, capsys, "activate", "summer-sale-2026 - broad")
    check(adset, "activate")
    assert adset["daily_budget"] == 50.0 and adset["currency"] == "USD" and adset["ads"][0]["budget"] == BUDGET_50
    check(run(ws, capsys, "pause", "summer-sale-2026 - broad"), "pause")
    raised = run(ws, capsys, "budget", "summer-sale-2026 - broad", "--daily", "60")
    check(raised, "budget")
    assert raised["daily_change"] == 10.0 and raised["changes"][0]["budget_before"] == BUDGET_50
    bid = run(ws, capsys, "budget", "summer-sale-2026 - broad", "--bid-cap", "2.50", "--yes")
    check(bid, "budget")
    assert bid["applied"] is True and bid["changes"][0]["bid_amount_after"] == 2.5
    check(run(ws, capsys, "budget", "summer-sale-2026 - broad", "--by", "-10%"), "budget")
    run(ws, capsys, "activate", "summer-sale-2026 - broad", "--yes")
    scale = run(ws, capsys, "winners", CAMPAIGN, "--scale", "20%")
    check(scale, "winners --scale")
    check(inner(scale["report"]), "winners")
    check(inner(scale["budgets"]), "budget")
    assert scale["budgets"]["changes"][0]["budget_after"] == {**BUDGET_50, "amount": 54.0}
    check(run(ws, capsys, "fatigue", CAMPAIGN, "--refresh"), "fatigue --refresh")
    paused = run(ws, capsys, "bleeders", CAMPAIGN, "--pause", "--yes")
    check(paused, "bleeders --pause")
    check(inner(paused["status"]), "pause")
    history = run(ws, capsys, "history", CAMPAIGN)
    check(history, "history")
    cut = [c for c in history["changes"] if c["action"] == "budget"][-1]
    assert cut["after"] == {"daily_budget": 45.0} and cut["currency"] == "USD"


def test_launch_preview_and_refresh_match_the_documented_shapes(ws, capsys):
    check(run(ws, capsys, "launch", "black-friday-2026", "--dry-run"), "launch --dry-run")
    launched = run(ws, capsys, "launch", "black-friday-2026")
    check(launched, "launch")
    assert launched["adsets"][0]["budget"] == BUDGET_50
    spend = run(ws, capsys, "activate", "black-friday-2026")
    check(spend, "activate CAMPAIGN")
    assert spend["daily_budget"] == 80.0 and spend["currency"] == "USD" and spend["activated"] == 0
    assert [o["budget"] for o in spend["objects"] if o["kind"] == "adset"][0] == BUDGET_50
    pixel = run(ws, capsys, "pixel", "check", expect=1)  # the sandbox's Purchase has been quiet for days
    check(pixel, "pixel check")
    assert pixel["ok"] is False and pixel["problems"] and pixel["events"][0]["last_seen"].endswith("+00:00")
    run(ws, capsys, "upload", CAMPAIGN)
    check(run(ws, capsys, "preview", "hero-receipt", "--formats", "MOBILE_FEED_STANDARD"), "preview")
    (ads_dir(ws) / "receipt-fresh.json").write_text((ads_dir(ws) / "receipt.json").read_text())
    refreshed = run(ws, capsys, "refresh", "hero-receipt", "--spec", "receipt-fresh.json")
    check(refreshed, "refresh")
    assert refreshed["version"] == 2


def test_audiences_and_events_match_the_documented_shapes(ws, capsys):
    from audiences.audience_helpers import write_customers

    customers = write_customers(ws, 200)
    check(run(ws, capsys, "audience", "create", "VIP buyers", "--customers", customers, "--dry-run"), "audience create")
    created = run(ws, capsys, "audience", "create", "VIP buyers", "--customers", customers)
    check(created, "audience create")
    assert created["upload"]["num_received"] == 200
    check(run(ws, capsys, "audience", "website", "Cart 14d", "--url-contains", "/cart", "--days", "14"),
          "audience website")
    check(run(ws, capsys, "audience", "lookalike", "VIP buyers", "--country", "US", "--percent", "2"),
          "audience lookalike")
    listed = run(ws, capsys, "audiences")
    check(listed, "audiences")
    assert len(listed["audiences"]) == 3
    event = {"event_name": "Purchase", "event_time": 1796000000, "event_id": "o1", "action_source": "website",
             "event_source_url": "https://yoursite.com/thanks", "custom_data": {"currency": "USD", "value": 49.0},
             "user_data": {"em": "Mary@Example.com", "client_user_agent": "Mozilla/5.0"}}
    (ws / "events").mkdir()
    (ws / "events" / "p.jsonl").write_text(json.dumps(event) + "\n")
    check(run(ws, capsys, "capi", "send", "events/p.jsonl", "--dry-run"), "capi send")
    sent = run(ws, capsys, "capi", "send", "events/p.jsonl", "--test-event-code", "TEST1")
    check(sent, "capi send")
    assert sent["events_received"] == 1


def test_the_rules_check_catches_what_it_is_for():
    for bad in ({"ok": True, "daily_budget": "$50.00/day"}, {"ok": True, "spend": "12.50"},
                {"ok": True, "at": "2026-12-01T03:02:12+0000"}, {"ok": True, "ads": [{"created": 3.0}]}):
        with pytest.raises(AssertionError):
            keep_the_rules(bad, "doc")
    keep_the_rules({"ok": True, "id": "23847111000000001", "at": "2026-12-01T03:02:07Z", "created": 3}, "doc")
