"""validate, dry run and upload name each ad as pause, activate and insights take it; a dry run after
an upload says which ads would be skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factories import CAMPAIGN, copy_workspace
from skill.cli import main


@pytest.fixture
def ws(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    return copy_workspace(tmp_path)


def run(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def test_validate_and_upload_print_the_names_pause_takes(ws, capsys):
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 0 and "[1/3] notes-app\n  Ad name: hero-notes-app\n" in out
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--sandbox")
    assert code == 0 and "Ad names (for pause, activate, insights): hero-notes-app, hero-receipt, hero-split-test" in out
    code, out = run(ws, capsys, "pause", "hero-notes-app", "--sandbox")
    assert code == 0 and "1 ad paused" in out


def test_a_dry_run_after_an_upload_says_which_ads_would_be_skipped(ws, capsys):
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    assert code == 0 and "Would be skipped" not in out and out.strip().endswith("3 ads validated, 0 uploaded")
    assert run(ws, capsys, "upload", CAMPAIGN, "--sandbox")[0] == 0
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    ids = sorted(json.loads(p.read_text())["ad_id"] for p in (ws / "campaigns" / CAMPAIGN / "ads").glob("*.upload.json"))
    assert code == 0 and out.count("⊙ Would be skipped: already uploaded (ad ") == 3
    assert all(i in out for i in ids) and "Would POST" not in out
    assert out.strip().splitlines()[-1] == "[DRY RUN] Complete - 3 ads validated, 0 uploaded, 3 would be skipped (already uploaded)"
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--dry-run", "--json")
    assert json.loads(out)["skipped"] == ["hero-notes-app", "hero-receipt", "hero-split-test"]
