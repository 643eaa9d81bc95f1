"""``meta-ads preview AD`` over the sandbox: one HTML file per main placement and an index page, for
ads named from the workspace or by id; a bad placement is reported, not fatal."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from factories import CAMPAIGN, ads_dir
from skill.cli import main
from skill.creative.preview import MAIN_FORMATS
from skill.sandbox import Sandbox


@pytest.fixture
def ws(ws: Path, live: Sandbox, capsys) -> Path:
    assert main(["upload", CAMPAIGN, "--workspace", str(ws)]) == 0
    capsys.readouterr()
    return ws


def test_preview_writes_each_main_placement_and_an_index(ws, sandbox, capsys):
    before = sandbox.request_count
    assert main(["preview", "hero-receipt", "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    folder = ws / "campaigns" / CAMPAIGN / "previews" / "receipt"
    for fmt in MAIN_FORMATS:
        assert f"✓ {fmt} → {folder / (fmt + '.html')}" in out
    assert sandbox.request_count - before == len(MAIN_FORMATS), "the record names the creative: no look-up"
    story = (folder / "INSTAGRAM_STORY.html").read_text()
    inner = html.unescape(story.split('srcdoc="', 1)[1].split('"', 1)[0])
    spec = json.loads((ads_dir(ws) / "receipt.json").read_text())
    assert spec["titles"][0]["text"] in inner and "Sandbox preview · INSTAGRAM_STORY" in inner
    index = (folder / "index.html").read_text()
    assert all(f"src='{fmt}.html'" in index for fmt in MAIN_FORMATS)
    assert f"Open {(folder / 'index.html').as_uri()}" in out


def test_preview_by_ad_id_looks_the_creative_up(ws, sandbox, capsys):
    rec = json.loads((ads_dir(ws) / "notes-app.upload.json").read_text())
    (ads_dir(ws) / "notes-app.upload.json").unlink()
    assert main(["preview", rec["ad_id"], "--formats", "MOBILE_FEED_STANDARD", "--json", "--workspace", str(ws)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["creative_id"] == rec["creative_id"]
    assert Path(result["files"][0]["path"]) == ws / "previews" / rec["ad_id"] / "MOBILE_FEED_STANDARD.html"


def test_a_placement_meta_refuses_is_reported_and_the_rest_written(ws, capsys):
    code = main(["preview", "hero-receipt", "--formats", "BILLBOARD,INSTAGRAM_STANDARD", "--workspace", str(ws)])
    out = capsys.readouterr().out
    assert code == 0
    assert "✗ BILLBOARD: ad_format 'BILLBOARD' is not a preview format" in out
    assert "✓ INSTAGRAM_STANDARD" in out


def test_an_unknown_ad_is_one_clean_line(ws, capsys):
    assert main(["preview", "hero-nothing", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "no ad 'hero-nothing' in the workspace" in err and "Traceback" not in err


@pytest.mark.parametrize("text,formats", [
    ("preview hero-receipt in stories", ["INSTAGRAM_STORY", "FACEBOOK_STORY_MOBILE"]),
    ("what does hero-receipt look like in reels?", ["INSTAGRAM_REELS"]),
    ("preview hero-receipt", None),
])
def test_the_router_sends_preview_requests_to_preview(ws, capsys, text, formats):
    assert main(["route", text, "--json", "--no-model", "--workspace", str(ws)]) == 0
    route = json.loads(capsys.readouterr().out)
    assert route["tool"] == "preview" and route["args"]["ad"] == "hero-receipt"
    assert route["args"].get("formats") == formats
