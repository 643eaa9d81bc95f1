"""The survey's call is prepared while the batch is validated (``skill/upload/early.py``): sent once,
under the campaign lock, and an invalid batch makes no call and leaves the campaign unlocked."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from factories import CAMPAIGN, ads_dir, edit_json
from skill.sandbox import Sandbox
from support import run_cli

STEMS = ("notes-app", "receipt", "split-test")


def upload(ws: Path, capsys) -> tuple[int, str, str]:
    return run_cli(ws, capsys, "upload", CAMPAIGN)


def counts(sandbox: Sandbox) -> dict[str, int]:
    dump = sandbox.state_dump()
    return {kind: len(dump[kind]) for kind in ("images", "creatives", "ads")}


def test_the_survey_answered_during_validation_is_used_not_sent_again(ws, live, capsys):
    code, out, _ = upload(ws, capsys)
    assert code == 0 and out.count("✓ Ad created") == 3, out
    assert live.request_counts["POST"] == 3, "the survey, the images, the ads: one call each"
    names = collections.Counter(a["name"] for a in live.state_dump()["ads"].values())
    assert names == {f"{CAMPAIGN} - hero-{s}": 1 for s in STEMS}


def test_an_invalid_batch_makes_no_call_and_leaves_the_campaign_unlocked(ws, live, capsys):
    config = ads_dir(ws) / "batch-upload.json"
    good = config.read_text()
    edit_json(config, lambda d: d["ads"][1].update(name=d["ads"][0]["name"]))
    code, out, err = upload(ws, capsys)
    assert code != 0 and "Duplicate ad name" in out + err
    assert live.request_count == 0, "no call at all: the prepared survey waits for a valid batch"
    assert counts(live) == {"images": 0, "creatives": 0, "ads": 0}
    assert not (ads_dir(ws) / ".upload.lock").exists()
    config.write_text(good)
    code, out, _ = upload(ws, capsys)  # the same process: the early lock was released
    assert code == 0 and out.count("✓ Ad created") == 3, out
    assert json.loads((ads_dir(ws) / "receipt.upload.json").read_text())["status"] == "PAUSED"
