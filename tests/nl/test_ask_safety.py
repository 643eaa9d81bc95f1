"""`meta-ads ask` decides by the registry's safety levels: `read` runs, `write` needs a yes (the
terminal's or --yes), `spend` only ever a yes typed at the terminal. Against the sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from acting import sandbox_state
from factories import CAMPAIGN
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

ADSET = "23847000000001"


class Terminal:
    """stdin as a terminal that answers ``reply``."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.reply + "\n"


@pytest.fixture
def ws(ws: Path, monkeypatch) -> Path:
    """The three example ads uploaded to the in-process sandbox and activated (two of them bleed)."""
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 (not a terminal)
    shutil.rmtree(ws / "campaigns" / "black-friday-2026")  # one campaign: phrases need no name
    assert main(["upload", CAMPAIGN, "--sandbox", "--workspace", str(ws)]) == 0
    assert main(["activate", "hero-receipt", "hero-notes-app", "hero-split-test", "--yes", "--sandbox",
                 "--workspace", str(ws)]) == 0
    return ws


def ask(ws: Path, capsys, text: str, *flags: str) -> tuple[int, str, str]:
    code = main(["ask", text, "--workspace", str(ws), "--no-model", *flags])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def statuses(ws: Path) -> dict[str, str]:
    return {ad["name"].split(" - ")[-1]: ad["status"] for ad in sandbox_state(ws)["ads"].values()}


def budget(ws: Path) -> str:
    return sandbox_state(ws)["adsets"][ADSET]["daily_budget"]


def test_a_read_tool_runs_without_a_yes(ws, capsys):
    code, out, _ = ask(ws, capsys, "which ads should I scale?", "--sandbox", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True and doc["kind"] == "winners" and doc["flagged"]


def test_write_pausing_the_bleeders_takes_ask_yes(ws, capsys):
    code, out, _ = ask(ws, capsys, "pause the bleeders", "--sandbox")
    assert code == 0 and "Would pause 2 ads (nothing was changed)" in out
    assert set(statuses(ws).values()) == {"ACTIVE"}
    code, out, _ = ask(ws, capsys, "pause the bleeders", "--sandbox", "--yes")
    assert code == 0 and out.strip().endswith("2 ads paused")
    assert statuses(ws) == {"hero-notes-app": "PAUSED", "hero-receipt": "ACTIVE", "hero-split-test": "PAUSED"}


def test_spend_scaling_the_winners_ignores_ask_yes_and_needs_the_terminal(ws, capsys, monkeypatch):
    code, out, _ = ask(ws, capsys, "scale the winners by 20%", "--sandbox", "--yes")
    assert code == 0 and "Would change (nothing was changed)" in out and budget(ws) == "5000"
    monkeypatch.setattr("sys.stdin", Terminal("no"))
    code, _, err = ask(ws, capsys, "scale the winners by 20%", "--sandbox")
    assert code == 1 and "can start or raise spend. [y/N]" in err and "Nothing was done." in err
    assert budget(ws) == "5000"
    monkeypatch.setattr("sys.stdin", Terminal("y"))
    code, out, _ = ask(ws, capsys, "scale the winners by 20%", "--sandbox")
    assert code == 0 and "Changed" in out and budget(ws) == "6000"


def test_write_outside_the_sandbox_needs_a_yes(ws, capsys, monkeypatch):
    """A real account (a sandbox on loopback, not --sandbox): pausing from ask asks first."""
    with Sandbox(token=SANDBOX_TOKEN, state_path=ws / ".sandbox" / "state.json") as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
        seen = sb.request_count
        code, _, err = ask(ws, capsys, "pause the notes-app ad")
        assert code == 2 and "needs a yes" in err and "--yes" in err
        assert sb.request_count == seen
        code, _, _ = ask(ws, capsys, "pause the notes-app ad", "--yes")
        assert code == 0 and statuses(ws)["hero-notes-app"] == "PAUSED"
    log = [json.loads(line) for line in (ws / "brand" / "changes.jsonl").read_text().splitlines()]
    assert log[-1]["action"] == "pause" and log[-1]["via"] == "ask"
