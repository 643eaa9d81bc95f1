"""The survey's call goes out while the batch is validated (``skill/upload/early.py``): sent once,
under the campaign lock, and an invalid batch still writes nothing and leaves the campaign unlocked."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from factories import CAMPAIGN, ads_dir, copy_workspace, edit_json
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

STEMS = ("notes-app", "receipt", "split-test")


@pytest.fixture
def ws(tmp_path: Path, sandbox: Sandbox, monkeypatch) -> Path:
    for var in ("META_AD_ACCOUNT", "META_WORKSPACE", "SOCIAL_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    return copy_workspace(tmp_path)


def upload(ws: Path, capsys) -> tuple[int, str, str]:
    code = main(["upload", CAMPAIGN, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def counts(sandbox: Sandbox) -> dict[str, int]:
    dump = sandbox.state_dump()
    return {kind: len(dump[kind]) for kind in ("images", "creatives", "ads")}


def test_the_survey_answered_during_validation_is_used_not_sent_again(ws, sandbox, capsys):
    code, out, _ = upload(ws, capsys)
    assert code == 0 and out.count("✓ Ad created") == 3, out
    assert sandbox.request_counts["POST"] == 3, "the survey, the images, the ads: one call each"
    names = collections.Counter(a["name"] for a in sandbox.state_dump()["ads"].values())
    assert names == {f"{CAMPAIGN} - hero-{s}": 1 for s in STEMS}


def test_an_invalid_batch_writes_nothing_and_leaves_the_campaign_unlocked(ws, sandbox, capsys):
    config = ads_dir(ws) / "batch-upload.json"
    good = config.read_text()
    edit_json(config, lambda d: d["ads"][1].update(name=d["ads"][0]["name"]))
    code, out, err = upload(ws, capsys)
    assert code != 0 and "Duplicate ad name" in out + err
    assert counts(sandbox) == {"images": 0, "creatives": 0, "ads": 0}, "a read at most: nothing written"
    assert not (ads_dir(ws) / ".upload.lock").exists()
    config.write_text(good)
    code, out, _ = upload(ws, capsys)  # the same process: the early lock was released
    assert code == 0 and out.count("✓ Ad created") == 3, out
    assert json.loads((ads_dir(ws) / "receipt.upload.json").read_text())["status"] == "PAUSED"
