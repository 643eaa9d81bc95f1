"""Where `--sandbox` keeps its account: in the workspace when there is one, else under the user's
cache, so running it in a folder without a workspace writes nothing there."""

from __future__ import annotations

import json
from pathlib import Path

from factories import copy_workspace
from skill.cli import main
from skill.runner import sandbox_state_path


def test_without_a_workspace_the_folder_stays_empty_and_the_account_persists(tmp_path: Path, monkeypatch, capsys):
    folder, cache = tmp_path / "somewhere", tmp_path / "cache"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    for var in ("META_WORKSPACE", "FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT", "META_GRAPH_URL"):
        monkeypatch.delenv(var, raising=False)
    for _ in range(2):
        assert main(["auth", "check", "--sandbox", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["token_source"] == "sandbox"
    assert list(folder.iterdir()) == []
    state = sandbox_state_path(folder / "workspace")
    assert state.is_file() and state.is_relative_to(cache / "meta-ads" / "sandbox")
    assert sandbox_state_path(tmp_path / "elsewhere" / "workspace").parent != state.parent


def test_with_a_workspace_the_state_stays_in_it(tmp_path: Path, monkeypatch, capsys):
    ws = copy_workspace(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["validate", "summer-sale-2026", "--workspace", str(ws), "--sandbox", "--json"]) == 0
    capsys.readouterr()
    assert sandbox_state_path(ws) == ws / ".sandbox" / "state.json" and (ws / ".sandbox").is_dir()
    assert not (tmp_path / "cache").exists()
