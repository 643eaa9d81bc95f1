"""Files outside the workspace are read only from a folder the user allowed with --allow-folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from factories import CAMPAIGN, ads_dir, copy_workspace, edit_json
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN


def test_an_outside_image_needs_its_folder_allowed(tmp_path: Path, sandbox: Sandbox, capsys, monkeypatch):
    for var in ("META_AD_ACCOUNT", "META_WORKSPACE", "SOCIAL_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    ws = copy_workspace(tmp_path)
    shots = tmp_path / "shots"
    shots.mkdir()
    image = shots / "hero.jpg"
    shutil.copy(ws / "campaigns" / CAMPAIGN / "images" / "notes-app.jpg", image)
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d["ads"][0].update(image_path=str(image)))

    assert main(["validate", CAMPAIGN, "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "ads[0].image_path" in err and "outside the workspace" in err and "--allow-folder" in err
    assert main(["upload", CAMPAIGN, "--workspace", str(ws)]) == 1
    capsys.readouterr()
    assert sandbox.state_dump()["images"] == {}

    assert main(["validate", CAMPAIGN, "--workspace", str(ws), "--allow-folder", str(shots)]) == 0
    assert main(["upload", CAMPAIGN, "--workspace", str(ws), "--allow-folder", str(shots)]) == 0
    out = capsys.readouterr().out
    assert "Batch complete: 3 ads created, all PAUSED" in out
    assert main(["validate", CAMPAIGN, "--workspace", str(ws), "--allow-folder", str(tmp_path / "nope")]) == 2
    assert "--allow-folder" in capsys.readouterr().err
