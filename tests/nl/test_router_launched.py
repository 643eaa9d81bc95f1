"""Pause and activate a launched campaign by its name: the router names the campaign itself.

A campaign folder whose config launches a campaign (``campaign`` + ``adsets``) is paused or
activated whole once it is launched; before, the router says to launch it first, not to upload.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.sandbox import Sandbox
from support import Graph, run_cli


def _route(ws: Path, capsys: pytest.CaptureFixture[str], phrase: str) -> dict:
    code, out, _ = run_cli(ws, capsys, "route", phrase, "--json")
    doc = json.loads(out)
    assert doc["ok"] is (code == 0)
    return doc


def test_before_launch_says_launch_first(sandbox_ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _route(sandbox_ws, capsys, "activate black-friday-2026")
    assert doc["ok"] is False
    assert "meta-ads launch black-friday-2026" in doc["reason"]
    assert "upload" not in doc["reason"].lower().replace("uploaded", "")


def test_upload_campaign_still_says_upload_first(sandbox_ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _route(sandbox_ws, capsys, "turn on summer-sale-2026")
    assert doc["ok"] is False
    assert "meta-ads upload summer-sale-2026" in doc["reason"]


@pytest.mark.parametrize("phrase, tool", [("activate black-friday-2026", "activate"),
                                          ("pause black-friday-2026", "pause")])
def test_launched_campaign_is_the_target(sandbox_ws: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                         phrase: str, tool: str) -> None:
    code, _, err = run_cli(sandbox_ws, capsys, "launch", "black-friday-2026")
    assert code == 0, err
    doc = _route(sandbox_ws, capsys, phrase)
    assert doc["ok"] is True
    assert doc["tool"] == tool
    assert doc["args"]["ads"] == ["black-friday-2026"]
    assert doc["args"].get("yes", False) is False


def test_routed_activation_previews_the_whole_campaign(sandbox_ws: Path, graph: Graph,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(sandbox_ws, capsys, "launch", "black-friday-2026")[0] == 0
    record = json.loads(next((sandbox_ws / "campaigns/black-friday-2026/ads").glob("*.launch.json")).read_text())
    args = _route(sandbox_ws, capsys, "activate black-friday-2026")["args"]
    code, out, err = run_cli(sandbox_ws, capsys, "activate", *args["ads"])
    assert code == 0, err
    for adset in record["adsets"]:
        assert adset["meta_name"] in out  # every ad set that would start is listed
    # a preview: the campaign stays PAUSED until the user's yes
    assert graph.get(record["campaign_id"], fields="status").json()["status"] == "PAUSED"
    code, _, err = run_cli(sandbox_ws, capsys, "pause", *args["ads"])
    assert code == 0, err


def test_everything_off_asks_which_campaign_then_pauses_it(sandbox_ws: Path, sandbox: Sandbox,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    doc = _route(sandbox_ws, capsys, "everything off")
    assert doc["ok"] is False and "which campaign?" in doc["reason"]
    assert run_cli(sandbox_ws, capsys, "launch", "black-friday-2026")[0] == 0
    doc = _route(sandbox_ws, capsys, "everything off for black-friday-2026")
    assert (doc["tool"], doc["args"]["ads"]) == ("pause", ["black-friday-2026"])
