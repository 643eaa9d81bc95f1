"""The model fallback, through the real anthropic SDK against a fake Messages API on loopback."""

from __future__ import annotations

import pytest

from factories import CAMPAIGN, copy_workspace
from fake_anthropic import FakeAnthropic, error_reply, text_message, tool_use_message
from phrasings import load
from skill.cli import main
from skill.nl.router import route
from skill.tools import all_tools

KEY = "test-router-key"
UNPLACEABLE = "sort out summer-sale-2026 for me, you know what I mean"
VOCAB, _ = load()


@pytest.fixture
def fake():
    with FakeAnthropic(api_key=KEY) as server:
        yield server


def env_for(fake: FakeAnthropic) -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.url}


def test_grammar_cannot_place_it_without_the_model():
    found = route(UNPLACEABLE, VOCAB, env={})
    assert found.tool is None and found.sure is False


def test_an_unplaceable_phrasing_is_routed_by_the_model_over_the_registry_schemas(fake):
    fake.enqueue(tool_use_message("validate", {"campaign": CAMPAIGN}))
    found = route(UNPLACEABLE, VOCAB, env=env_for(fake))
    assert (found.tool, found.args, found.source) == ("validate", {"campaign": CAMPAIGN}, "model")
    assert len(fake.message_requests) == 1
    body = fake.message_requests[0].body
    expected = [t.anthropic_schema() for t in sorted(all_tools(), key=lambda t: t.name)]
    sent = [{k: v for k, v in t.items() if k != "cache_control"} for t in body["tools"]]
    assert sent == expected, "the tools sent are exactly the registry's schemas"
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"} and "Meta Ads Kit" in body["system"][0]["text"]
    assert body["model"] == "claude-haiku-5-5"
    assert body["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    user = fake.message_requests[0].user_text
    assert UNPLACEABLE in user and "summer-sale-2026" in user and "hero-receipt" in user


def test_a_sure_grammar_route_never_calls_the_model(fake):
    found = route("dry run summer-sale-2026", VOCAB, env=env_for(fake))
    assert found.source == "grammar" and found.args == {"campaign": CAMPAIGN, "dry_run": True}
    assert fake.requests == []


def test_the_model_cannot_activate_with_a_yes(fake):
    fake.enqueue(tool_use_message("activate", {"ads": ["hero-receipt"], "yes": True}))
    found = route("the receipt one, let it rip", VOCAB, env=env_for(fake))
    assert (found.tool, found.args, found.source) == ("activate", {"ads": ["hero-receipt"], "yes": False}, "model")
    assert any("explicit yes" in n for n in found.notes)


def test_a_tool_the_kit_does_not_have_is_refused(fake):
    fake.enqueue(tool_use_message("delete_campaign", {"campaign": CAMPAIGN}))
    found = route(UNPLACEABLE, VOCAB, env=env_for(fake))
    assert found.tool is None and "not a tool of this kit" in found.reason


def test_the_model_naming_an_unknown_campaign_is_refused_with_suggestions(fake):
    fake.enqueue(tool_use_message("validate", {"campaign": "summer-sale-2027"}))
    found = route(UNPLACEABLE, VOCAB, env=env_for(fake))
    assert found.tool is None and "summer-sale-2027" in found.reason and "summer-sale-2026" in found.reason


def test_a_model_that_declines_gives_its_reason_and_the_capabilities(fake):
    fake.enqueue(text_message("I can't book flights."))
    found = route("book me a flight to lisbon", VOCAB, env=env_for(fake))
    assert found.tool is None and "I can't book flights." in found.reason and "I can:" in found.reason


def test_a_model_error_falls_back_to_what_the_grammar_understood(fake):
    fake.enqueue(error_reply(500, retry_after_ms=None, headers={"x-should-retry": "false"}))
    found = route(UNPLACEABLE, VOCAB, env=env_for(fake))
    assert found.tool is None
    assert "could not be asked" in found.reason and "campaign summer-sale-2026" in found.reason


def test_ask_runs_what_the_model_chose_exactly_like_the_command(fake, tmp_path, monkeypatch, capsys):
    ws = copy_workspace(tmp_path)
    for var in ("FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT", "META_WORKSPACE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    fake.enqueue(tool_use_message("validate", {"campaign": CAMPAIGN}))
    code = main(["ask", UNPLACEABLE, "--workspace", str(ws)])
    asked = capsys.readouterr()
    code_direct = main(["validate", CAMPAIGN, "--workspace", str(ws)])
    direct = capsys.readouterr()
    assert (code, asked.out) == (code_direct, direct.out)
    assert "→ meta-ads validate summer-sale-2026  (chosen by the model)" in asked.err
