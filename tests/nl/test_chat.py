"""``meta-ads route`` and ``meta-ads ask`` through the CLI: same output as the command they stand for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from factories import CAMPAIGN
from support import run_cli


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_ask_dry_run_behaves_exactly_like_upload_dry_run(ws, capsys, json_flag):
    before = tree(ws)
    asked = run_cli(ws, capsys, "ask", "Dry run: batch upload summer-sale-2026 ads", *json_flag)
    direct = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run", *json_flag)
    assert asked == direct
    assert asked[0] == 0
    if json_flag:
        doc = json.loads(asked[1])
        assert (doc["validated"], doc["uploaded"]) == (3, 0)
    else:
        assert asked[1].strip().splitlines()[-1] == "[DRY RUN] Complete - 3 ads validated, 0 uploaded"
    assert tree(ws) == before


def test_ask_validate_failure_keeps_the_tools_exit_code(ws, capsys):
    spec = ws / "campaigns" / CAMPAIGN / "ads" / "receipt.json"
    doc = json.loads(spec.read_text())
    doc["titles"][0]["text"] = "x" * 60
    spec.write_text(json.dumps(doc))
    asked = run_cli(ws, capsys, "ask", "validate the summer sale")
    direct = run_cli(ws, capsys, "validate", CAMPAIGN)
    assert asked == direct and asked[0] == 1


def test_route_prints_the_call_and_runs_nothing(ws, capsys):
    before = tree(ws)
    code, out, _ = run_cli(ws, capsys, "route", "Dry run: batch upload summer-sale-2026 ads", "--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "tool": "upload", "args": {"campaign": CAMPAIGN, "dry_run": True}, "source": "grammar"}
    code, out, _ = run_cli(ws, capsys, "route", "upload summer-sale-2026")
    assert code == 0 and "meta-ads upload summer-sale-2026" in out
    assert tree(ws) == before


def test_route_with_attached_images_and_the_only_campaign(ws, capsys):
    shutil.rmtree(ws / "campaigns" / "black-friday-2026")  # the example's second campaign: leave one
    code, out, _ = run_cli(ws, capsys, "route", "Generate copy for these 2 images", "a.jpg", "shots/B.PNG", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["tool"] == "copy"
    assert doc["args"] == {"images": ["a.jpg", "shots/B.PNG"], "campaign": CAMPAIGN}
    assert "only one in the workspace" in doc["notes"][0]


def test_route_that_cannot_map_prints_null_and_a_reason(ws, capsys):
    code, out, _ = run_cli(ws, capsys, "route", "upload winter-sale-2026", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["tool"] is None and "Did you mean summer-sale-2026?" in doc["reason"]


def test_ask_refuses_what_it_cannot_do_with_one_line_and_the_list(ws, capsys):
    code, out, err = run_cli(ws, capsys, "ask", "delete the summer sale campaign")
    assert code == 2 and out == ""
    assert err.startswith("Usage error: I never delete") and "I can: " in err and "upload, validate" in err


def test_ask_without_a_key_says_what_it_understood_and_needs(ws, capsys):
    code, _, err = run_cli(ws, capsys, "ask", "summer-sale-2026, you know")
    assert code == 2
    assert "I understood: campaign summer-sale-2026" in err and "ANTHROPIC_API_KEY" in err


def test_a_real_upload_from_ask_needs_a_yes_when_not_at_a_terminal(ws, capsys):
    before = tree(ws)
    code, out, err = run_cli(ws, capsys, "ask", "Upload all ads in summer-sale-2026 campaign")
    assert code == 2 and out == ""
    assert "needs a yes" in err and "--yes" in err and "--dry-run" in err
    code, out, _ = run_cli(ws, capsys, "ask", "Upload all ads in summer-sale-2026 campaign", "--json")
    assert code == 2 and json.loads(out)["ok"] is False
    assert tree(ws) == before


def test_unquoted_words_after_the_text_join_it(ws, capsys):
    code, out, _ = run_cli(ws, capsys, "route", "dry", "run", "summer-sale-2026", "--json")
    assert code == 0 and json.loads(out)["args"] == {"campaign": CAMPAIGN, "dry_run": True}


def test_empty_text_is_a_usage_error(ws, capsys):
    code, _, err = run_cli(ws, capsys, "ask", "  ")
    assert code == 2 and "say what to do" in err


class Terminal:
    """stdin as a terminal that answers ``reply`` (the confirmation prompts read it)."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.reply + "\n"


def test_a_real_upload_at_a_terminal_is_asked_and_no_means_nothing(ws, capsys, monkeypatch):
    before = tree(ws)
    monkeypatch.setattr("sys.stdin", Terminal("n"))
    code, out, err = run_cli(ws, capsys, "ask", "upload summer-sale-2026")
    assert code == 1 and out == ""
    assert "Upload the ads of summer-sale-2026 to act_123456789? They are created PAUSED. [y/N]" in err
    assert "Nothing uploaded." in err
    assert tree(ws) == before


def test_a_real_upload_at_a_terminal_with_yes_runs_the_upload(ws, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("y"))
    asked = run_cli(ws, capsys, "ask", "upload summer-sale-2026")
    direct = run_cli(ws, capsys, "upload", CAMPAIGN)
    prompt = "Upload the ads of summer-sale-2026 to act_123456789? They are created PAUSED. [y/N] "
    assert asked[2].startswith(prompt), "it asked first"
    assert (asked[0], asked[1], asked[2][len(prompt):]) == direct, "then it ran the upload itself"


def test_ask_yes_confirms_an_upload_without_a_terminal(ws, capsys):
    asked = run_cli(ws, capsys, "ask", "upload summer-sale-2026", "--yes")
    direct = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert asked == direct


# ---------------------------------------------------------------- against the sandbox


@pytest.fixture
def uploaded(ws, capsys, monkeypatch) -> Path:
    """The example campaign uploaded to the in-process sandbox (through ask: no yes needed there)."""
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    code, out, _ = run_cli(ws, capsys, "ask", "upload summer-sale-2026", "--sandbox")
    assert code == 0 and "Batch complete: 3 ads created, all PAUSED" in out
    return ws


def status_of(ws: Path, stem: str) -> str:
    return json.loads((ws / "campaigns" / CAMPAIGN / "ads" / f"{stem}.upload.json").read_text())["status"]


def test_ask_activate_without_a_terminal_only_previews(uploaded, capsys):
    asked = run_cli(uploaded, capsys, "ask", "activate hero-receipt", "--sandbox")
    direct = run_cli(uploaded, capsys, "activate", "hero-receipt", "--sandbox")
    assert asked[:2] == direct[:2]
    assert "nothing will be activated" in asked[2] and "meta-ads activate hero-receipt --yes" in asked[2]
    assert status_of(uploaded, "receipt") == "PAUSED"


def test_ask_yes_never_activates(uploaded, capsys):
    run_cli(uploaded, capsys, "ask", "activate hero-receipt", "--sandbox", "--yes")
    assert status_of(uploaded, "receipt") == "PAUSED"


def test_ask_activate_at_a_terminal_asks_and_only_yes_activates(uploaded, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("no"))
    code, _, err = run_cli(uploaded, capsys, "ask", "turn hero-receipt on", "--sandbox")
    assert code == 1 and "Activate hero-receipt? They start delivering and spending. [y/N]" in err
    assert "Nothing activated." in err and status_of(uploaded, "receipt") == "PAUSED"
    monkeypatch.setattr("sys.stdin", Terminal("yes"))
    code, _, _ = run_cli(uploaded, capsys, "ask", "turn hero-receipt on", "--sandbox")
    assert code == 0 and status_of(uploaded, "receipt") == "ACTIVE"
    assert status_of(uploaded, "notes-app") == "PAUSED"


def test_ask_pause_by_name_runs_like_pause(uploaded, capsys):
    code, _, _ = run_cli(uploaded, capsys, "ask", "pause the notes-app ad", "--sandbox")
    assert code == 0 and status_of(uploaded, "notes-app") == "PAUSED"
    code, out, _ = run_cli(uploaded, capsys, "route", "pause every summer sale ad", "--json")
    assert json.loads(out)["args"] == {"ads": ["hero-notes-app", "hero-receipt", "hero-split-test"]}


def test_ask_launches_only_with_a_yes_and_dry_runs_freely(ws, capsys, monkeypatch):
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", "not-used")  # nothing may reach any Graph API here
    before = tree(ws)
    code, _, err = run_cli(ws, capsys, "ask", "create a campaign for black-friday-2026")
    assert code == 2 and "needs a yes" in err
    asked = run_cli(ws, capsys, "ask", "what would launching black-friday-2026 create?")
    direct = run_cli(ws, capsys, "launch", "black-friday-2026", "--dry-run")
    assert asked == direct and asked[0] == 0 and "would create 1 campaign, 2 ad set(s), 3 ad(s)" in asked[1]
    assert tree(ws) == before
