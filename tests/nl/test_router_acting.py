"""The router's acting intents: budgets, pause the bleeders, scale the winners, refresh, history.
Routes never carry a yes, and `ask` runs them as previews."""

from __future__ import annotations

import json
import shutil

import pytest

from factories import CAMPAIGN
from phrasings import load
from skill.cli import main
from skill.nl.router import Route, finish, route

VOCAB, _ = load()


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("pause the bleeders", "bleeders", {"pause": True}),
    ("scale the winners by 20%", "winners", {"scale": "20%"}),
    ("refresh the fatigued ads", "fatigue", {"refresh": True}),
    ("raise the budget of summer-sale-2026 - broad to 60", "budget",
     {"target": "summer-sale-2026 - broad", "daily": "60"}),
    ("lower the budget of 23847000000001 by 30%", "budget", {"target": "23847000000001", "by": "-30%"}),
    ("history of summer-sale-2026", "history", {"campaign": CAMPAIGN}),
])
def test_acting_phrases_route_to_previews(text, tool, args):
    found = route(text, VOCAB, use_model=False, env={})
    assert (found.tool, found.args) == (tool, args)
    assert "yes" not in found.args


def test_questions_stay_advice():
    assert route("which bleeders should I pause?", VOCAB, use_model=False, env={}).args == {}
    assert route("should I refresh the fatigued ads?", VOCAB, use_model=False, env={}).args == {}


def test_a_yes_from_anywhere_is_dropped_with_a_note():
    for tool, args in (("budget", {"target": "x", "daily": "60", "yes": True}),
                       ("bleeders", {"pause": True, "yes": True}), ("winners", {"scale": "20%", "yes": True})):
        done = finish(Route(tool=tool, args=dict(args), source="model"))
        assert "yes" not in done.args and any("--yes" in n and "explicit yes" in n for n in done.notes)


def test_ask_raise_a_budget_is_a_preview_and_a_cut_is_logged_as_ask(ws, capsys):
    code = main(["ask", "raise the budget of summer-sale-2026 - broad to 60", "--sandbox", "--workspace", str(ws)])
    out = capsys.readouterr().out
    assert code == 0 and "Would change (nothing was changed)" in out and "$50.00 → $60.00" in out
    assert not (ws / "brand" / "changes.jsonl").exists()
    code = main(["ask", "cut the budget of summer-sale-2026 - broad by 10%", "--sandbox", "--workspace", str(ws)])
    assert code == 0
    [entry] = [json.loads(line) for line in (ws / "brand" / "changes.jsonl").read_text().splitlines()]
    assert entry["via"] == "ask" and entry["after"] == {"daily_budget": 45.0} and entry["currency"] == "USD"


def test_route_json_for_pause_the_bleeders(ws, capsys):
    code = main(["route", "pause the bleeders in summer-sale-2026", "--json", "--workspace", str(ws)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["tool"] == "bleeders" and doc["args"] == {"campaign": CAMPAIGN, "pause": True}
    assert any("--yes" in n for n in doc["notes"])


def test_ask_pause_the_bleeders_previews_and_changes_nothing(ws, capsys):
    shutil.rmtree(ws / "campaigns" / "black-friday-2026")  # one campaign: "the bleeders" needs no name
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    assert main(["activate", "hero-receipt", "hero-notes-app", "hero-split-test", "--yes", "--sandbox",
                 "--workspace", str(ws)]) == 0
    capsys.readouterr()
    state = (ws / ".sandbox" / "state.json").read_text()
    code = main(["ask", "pause the bleeders in the summer sale", "--sandbox", "--workspace", str(ws)])
    out = capsys.readouterr().out
    assert code == 0 and "Would pause 2 ads (nothing was changed)" in out and "--pause --yes" in out
    assert json.loads((ws / ".sandbox" / "state.json").read_text())["ads"] == json.loads(state)["ads"]
