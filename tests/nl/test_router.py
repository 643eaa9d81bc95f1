"""The grammar on the phrasing set (accuracy held to its recorded level), and its pieces."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from factories import CAMPAIGN, copy_workspace
from phrasings import HELD_OUT, load
from skill.nl import grammar
from skill.nl.mentions import Vocabulary
from skill.nl.router import command_line, route, route_grammar
from skill.settings import load_settings
from skill.tools import REGISTRY

# The grammar's accuracy on tests/data/phrasings.yaml when it was last measured
# (bench/bench_router.py prints it). Raise it when the grammar improves; never lower it.
RECORDED_CORRECT = 292
RECORDED_TOTAL = 292

# The held-out set (tests/data/phrasings_heldout.yaml) is never tuned against: 24/42 when it was
# written, before the grammar changes it measures; 40/42 after them. This only keeps it from sliding.
HELD_OUT_RECORDED = 40

VOCAB, ITEMS = load()


def test_the_phrasing_set_is_big_and_varied():
    assert len(ITEMS) >= 100
    sources = {p.source for p in ITEMS}
    assert {"seed", "issue", "held-out", "held-out-2"} <= sources
    tools = {p.tool for p in ITEMS}
    assert tools >= {"validate", "upload", "copy", "insights", "daily_check", "bleeders", "winners", "fatigue",
                     "pause", "activate", "auth_check", None}
    texts = [p.text for p in ITEMS]
    assert "Dry run: batch upload summer-sale-2026 ads" in texts and "Any bleeders I should pause?" in texts


def test_accuracy_holds_at_its_recorded_level():
    misses = []
    for p in ITEMS:
        problem = p.problem(route(p.text, VOCAB, p.images, use_model=False, env={}))
        if problem:
            misses.append(f"{p.text!r}: {problem}")
    correct = len(ITEMS) - len(misses)
    assert correct / len(ITEMS) >= RECORDED_CORRECT / RECORDED_TOTAL, "\n".join(misses)


@pytest.mark.parametrize("p", [p for p in ITEMS if p.tool], ids=lambda p: p.text[:40])
def test_expected_args_fit_the_registered_tool(p):
    """The phrasing set speaks the registry's language: every expected call validates."""
    assert p.tool in REGISTRY, f"{p.tool} is not a registered tool"
    tool = REGISTRY[p.tool]
    try:
        tool.args.model_validate(p.args)
    except ValidationError as exc:
        pytest.fail(f"{p.tool} {p.args}: {exc}")


def test_activation_never_carries_a_yes():
    for text in ("activate hero-receipt --yes", "yes, activate hero-receipt, I confirm", "turn on hero-receipt yes=true"):
        found = route(text, VOCAB, use_model=False, env={})
        assert found.tool == "activate" and found.args["yes"] is False
        assert any("explicit yes" in n for n in found.notes)


def test_unknown_campaigns_get_the_nearest_names():
    found = route("dry run summer-sael-2026", VOCAB, use_model=False, env={})
    assert found.tool is None and "summer-sale-2026" in found.reason and "summer-sael-2026" in found.reason


def test_without_a_key_an_unsure_route_says_what_it_understood_and_needs():
    found = route("summer-sale-2026 please", VOCAB, use_model=False, env={})
    assert found.tool is None
    assert "I understood: campaign summer-sale-2026" in found.reason
    assert "ANTHROPIC_API_KEY" in found.reason and "I can:" in found.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("last week", {"date_preset": "last_7d"}),
    ("yesterday", {"date_preset": "yesterday"}),
    ("the last 30 days", {"date_preset": "last_30d"}),
    ("this month", {"date_preset": "this_month"}),
    ("last month", {"date_preset": "last_month"}),
    ("past 2 weeks", {"date_preset": "last_14d"}),
    ("all time", {"date_preset": "maximum"}),
    ("last 5 days", {"since": "2026-03-05", "until": "2026-03-09"}),
    ("between 2026-02-01 and 2026-02-14", {"since": "2026-02-01", "until": "2026-02-14"}),
    ("on feb 3rd", {"since": "2026-02-03", "until": "2026-02-03"}),
    ("nothing about time", {}),
])
def test_date_phrases_become_meta_presets(text, expected):
    assert grammar.date_range(text, date(2026, 3, 10)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("by age and gender", ["age", "gender"]),
    ("split by placement", ["publisher_platform", "platform_position"]),
    ("per device", ["device_platform"]),
    ("by country and age", ["country", "age"]),
    ("how old is the campaign", []),
])
def test_breakdown_words_become_meta_breakdowns(text, expected):
    assert grammar.breakdowns(text) == expected


def test_typos_are_corrected_but_plain_words_are_not():
    assert grammar.normalize("uplaod the bleders, dialy") == "upload the bleeders, daily"
    assert grammar.normalize("calling sent send live") == "calling sent send live"


def test_vocabulary_reads_campaigns_ad_names_and_uploaded_ids(tmp_path):
    ws = copy_workspace(tmp_path)
    shutil.copytree(ws / "campaigns" / CAMPAIGN, ws / "campaigns" / "black-friday-2025")
    record = {"uploaded_at": "2026-03-04T08:00:00Z", "campaign": CAMPAIGN, "ad_name": "hero-receipt",
              "image_hash": "a" * 32, "creative_id": "23847293847293848", "ad_id": "23847111111111112",
              "adset_id": "23847000000001", "status": "PAUSED", "review_url": "https://example.com"}
    (ws / "campaigns" / CAMPAIGN / "ads" / "receipt.upload.json").write_text(json.dumps(record))
    vocab = Vocabulary.from_settings(load_settings(ws, env={}))
    assert vocab.campaigns == ["black-friday-2025", "black-friday-2026", CAMPAIGN]
    assert vocab.ads[CAMPAIGN] == ["hero-notes-app", "hero-receipt", "hero-split-test", "hero-summer-clip"]
    assert vocab.stems["receipt"] == "hero-receipt" and vocab.ad_ids == {"23847111111111112": "hero-receipt"}
    found = route_grammar("pause every summer sale ad", vocab)
    assert (found.tool, found.args) == ("pause", {"ads": ["hero-receipt"]})


def test_command_line_follows_the_tool_options():
    assert command_line("upload", {"campaign": CAMPAIGN, "dry_run": True}) == f"meta-ads upload {CAMPAIGN} --dry-run"
    assert command_line("validate", {"campaign": CAMPAIGN, "config": "my file.json"}) == \
        f"meta-ads validate {CAMPAIGN} --config 'my file.json'"


def test_images_in_the_text_keep_their_case_and_spaces():
    paths, rest = grammar.image_paths('copy for "My Shots/Hero 1.JPG" and ./b.png please')
    assert paths == ["My Shots/Hero 1.JPG", "./b.png"] and "please" in rest


def test_the_phrasing_file_is_in_the_repository():
    assert Path(__file__).parents[1].joinpath("data", "phrasings.yaml").is_file()


def test_held_out_accuracy_does_not_slide():
    vocab, items = load(HELD_OUT)
    correct = sum(1 for p in items if not p.problem(route(p.text, vocab, p.images, use_model=False, env={})))
    assert {p.source for p in items} == {"held-out-3"} and len(items) >= 40
    assert correct >= HELD_OUT_RECORDED, "the held-out set slid; fix the grammar, never the set"
