"""Names the workspace has or hasn't, and the intents trials missed: through ``route`` and ``ask``.

The workspace here has one campaign (summer-sale-2026, the example's others removed): defaulting to it is only for sentences
that name no campaign; a sentence naming another one gets "no campaign called ..." and nothing runs.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from factories import CAMPAIGN
from fake_anthropic import FakeAnthropic, tool_use_message
from phrasings import load
from skill.nl.router import route
from support import run_cli

VOCAB, _ = load()


@pytest.fixture
def ws(ws: Path) -> Path:
    for folder in (ws / "campaigns").iterdir():  # one campaign: where defaulting to it could mislead
        if folder.name != CAMPAIGN:
            shutil.rmtree(folder)
    return ws


def routed(ws: Path, capsys, text: str) -> tuple[int, dict]:
    code, out, _ = run_cli(ws, capsys, "route", text, "--json", "--no-model")
    doc = json.loads(out)
    assert doc.pop("ok") is (code == 0), "ok says whether the call can run"
    return code, doc


@pytest.mark.parametrize("text", ["how did the winter sale do last week?", "upload black friday",
                                  "how is the easter promo campaign doing", "results for campaign xmas"])
def test_a_campaign_the_workspace_lacks_is_named_back_and_nothing_runs(ws, capsys, text):
    code, doc = routed(ws, capsys, text)
    assert code == 1 and doc["tool"] is None
    assert "No campaign called" in doc["reason"] and f"campaigns: {CAMPAIGN}" in doc["reason"]
    code, out, err = run_cli(ws, capsys, "ask", text, "--sandbox", "--no-model")
    assert code == 2 and out == "" and "No campaign called" in err
    assert not (ws / "campaigns" / CAMPAIGN / "reports").exists() and not (ws / ".sandbox").exists()


@pytest.mark.parametrize(("text", "wrote"), [("dry run the sumer sale", "sumer sale"),
                                             ("validate summer-sael-2026", "summer-sael-2026"),
                                             ("how did summer sale 2025 do", "summer sale 2025")])
def test_a_misspelt_campaign_gets_did_you_mean_and_nothing_runs(ws, capsys, text, wrote):
    code, doc = routed(ws, capsys, text)
    assert code == 1 and doc["tool"] is None
    assert f"No campaign called {wrote!r}" in doc["reason"] and f"Did you mean {CAMPAIGN}?" in doc["reason"]


@pytest.mark.parametrize("text", ["validate summersale2026", "validate Summer_Sale_2026", "validate SUMMER SALE 2026",
                                  "validate the summer sale"])
def test_case_hyphens_spaces_and_underscores_alike_find_the_campaign(ws, capsys, text):
    assert routed(ws, capsys, text) == (0, {"tool": "validate", "args": {"campaign": CAMPAIGN}, "source": "grammar"})


def test_the_only_campaign_is_used_only_when_none_is_named(ws, capsys):
    code, doc = routed(ws, capsys, "validate")
    assert code == 0 and doc["args"] == {"campaign": CAMPAIGN} and "only one" in doc["notes"][0]
    code, doc = routed(ws, capsys, "validate the spring launch")
    assert code == 1 and doc["tool"] is None and "spring launch" in doc["reason"]


def test_ad_names_in_plain_words_and_route_fails_while_they_are_not_uploaded(ws, capsys):
    code, doc = routed(ws, capsys, "how did the split test ad do")
    assert code == 1 and doc["args"] == {"ads": ["hero-split-test"]} and doc["runnable"] is False
    assert "hero-split-test is not uploaded yet" in doc["reason"] and f"meta-ads upload {CAMPAIGN}" in doc["reason"]
    assert run_cli(ws, capsys, "upload", CAMPAIGN, "--sandbox")[0] == 0
    assert routed(ws, capsys, "is the receipt creative fatigued?") == (0, {
        "tool": "fatigue", "args": {"ads": ["hero-receipt"]}, "source": "grammar"})
    code, doc = routed(ws, capsys, "pause hero-reciept")
    assert code == 1 and "No ad called 'hero-reciept'" in doc["reason"] and "Did you mean hero-receipt?" in doc["reason"]


def test_an_ad_the_workspace_lacks_is_named_back_and_nothing_runs(ws, capsys):
    code, out, err = run_cli(ws, capsys, "ask", "how did the pink banner ad do last week?", "--sandbox", "--no-model")
    assert code == 2 and out == "" and "No ad called 'pink banner'" in err and "hero-receipt" in err
    assert not (ws / ".sandbox").exists()


def test_a_campaign_and_an_ad_in_one_sentence_mean_that_ad(ws, capsys):
    _, doc = routed(ws, capsys, "how did hero-receipt in summer-sale-2026 do yesterday")
    assert doc["args"] == {"campaign": CAMPAIGN, "ads": ["hero-receipt"], "date_preset": "yesterday"}


@pytest.mark.parametrize(("text", "args"), [
    ("spend trend for the summer sale", {"campaign": CAMPAIGN, "daily": True}),
    ("is CPA trending up?", {"daily": True}),
    ("summer sale day by day", {"campaign": CAMPAIGN, "daily": True}),
    ("how are we doing since monday", {"since": "2026-03-09", "until": "2026-03-10"}),
    ("numbers this week", {"date_preset": "this_week_mon_today"}),
    ("results for the last 14 days", {"date_preset": "last_14d"}),
    ("results last wek", {"date_preset": "last_7d"}),
    ("how did we do on friday", {"since": "2026-03-06", "until": "2026-03-06"}),
])
def test_trends_and_relative_dates(text, args):
    found = route(text, VOCAB, use_model=False, env={})
    assert (found.tool, found.args) == ("insights", args)


def test_everything_off_pauses_every_uploaded_ad_of_the_campaign_or_asks_which():
    found = route("turn everything off in black friday", VOCAB, use_model=False, env={})
    assert (found.tool, found.args) == ("pause", {"ads": ["bf-countdown", "bf-bundle"]})
    for text in ("turn everything off", "stop all ads"):
        found = route(text, VOCAB, use_model=False, env={})
        assert found.tool is None and "which campaign?" in found.reason and "black-friday-2025" in found.reason


def test_several_requests_in_one_are_asked_one_at_a_time():
    found = route("pause hero-receipt and then show me the winners", VOCAB, use_model=False, env={})
    assert found.tool is None and "One at a time" in found.reason and "pause and winners" in found.reason
    found = route("upload spring-launch and keep going if one fails", VOCAB, use_model=False, env={})
    assert found.tool == "upload" and found.args["keep_going"] is True


def test_the_models_invented_ad_is_never_a_runnable_call():
    with FakeAnthropic(api_key="k") as fake:
        fake.enqueue(tool_use_message("pause", {"ads": ["hero-reciept-v2"]}))
        found = route("sort out the receipt thing, you know", VOCAB, env={"ANTHROPIC_API_KEY": "k",
                                                                         "ANTHROPIC_BASE_URL": fake.url})
    assert found.tool is None and "hero-reciept-v2" in found.reason and "hero-receipt" in found.reason


def test_the_activate_hint_of_ask_can_be_pasted_as_it_is(ws, capsys):
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--sandbox")
    assert code == 0
    code, _, err = run_cli(ws, capsys, "ask", "activate hero-receipt and hero-notes-app", "--sandbox")
    hint = next(line for line in err.splitlines() if "To activate:" in line).split("To activate: ", 1)[1]
    words = shlex.split(hint)
    assert words[:2] == ["meta-ads", "activate"] and "," not in hint
    code, out, _ = run_cli(ws, capsys, *words[1:], "--sandbox")
    assert code == 0 and "2 ads activated" in out


def test_every_ad_of_a_campaign_is_said_with_its_campaign_when_another_shares_the_names(ws, capsys):
    assert run_cli(ws, capsys, "upload", CAMPAIGN, "--sandbox")[0] == 0
    other = ws / "campaigns" / "black-friday-2025"
    shutil.copytree(ws / "campaigns" / CAMPAIGN, other)
    for record in (other / "ads").glob("*.upload.json"):
        record.write_text(record.read_text().replace(f'"campaign": "{CAMPAIGN}"', '"campaign": "black-friday-2025"'))
    code, doc = routed(ws, capsys, "turn everything off in black friday")
    assert code == 0 and doc["args"]["ads"] == [f"black-friday-2025 - hero-{s}" for s in ("notes-app", "receipt",
                                                                                           "split-test")]
    code, out, _ = run_cli(ws, capsys, "ask", "turn everything off in black friday", "--sandbox")
    assert code == 0 and "3 ads paused" in out
    code, doc = routed(ws, capsys, "stop all ads")
    assert code == 1 and "which campaign?" in doc["reason"]
