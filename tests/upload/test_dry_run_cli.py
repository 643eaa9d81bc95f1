"""The foundation end to end through the CLI: validate and dry run on a workspace, and every
kind of bad input giving one clear line, exit 1, no traceback and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from factories import CAMPAIGN, ads_dir, edit_json, make_image, write_json
from support import run_cli

LONG_HEADLINE = "Sixty characters of headline is far too long for any phone!!"


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_dry_run_on_the_example_workspace(ws, capsys):
    before = tree(ws)
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    assert code == 0
    assert out.strip().splitlines()[-1] == "[DRY RUN] Complete - 3 ads validated, 0 uploaded"
    assert "[DRY RUN] [1/3] notes-app" in out and "✓ Validation passed" in out
    assert out.count("Would POST to /act_123456789/adimages:") == 3
    assert '"status": "PAUSED"' in out
    assert '"name": "summer-sale-2026 - hero-receipt"' in out
    assert tree(ws) == before, "a dry run writes nothing"


def test_dry_run_json_carries_the_payloads(ws, capsys):
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] and doc["validated"] == 3 and doc["uploaded"] == 0
    creative = doc["ads"][1]["calls"][1]
    assert creative["path"] == "/act_123456789/adcreatives"
    feed = creative["body"]["asset_feed_spec"]
    assert feed["link_urls"] == [{"website_url": "https://yoursite.com/summer-sale", "display_url": "yoursite.com"}]
    assert feed["ad_formats"] == ["SINGLE_IMAGE"] and len(feed["images"][0]["hash"]) == 32
    assert creative["body"]["object_story_spec"] == {"page_id": "123456789"}


def test_a_60_char_headline_fails_the_dry_run_and_is_named(ws, capsys):
    edit_json(ads_dir(ws) / "receipt.json", lambda d: d["titles"].__setitem__(0, {"text": LONG_HEADLINE}))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    assert code == 1
    assert f'Headline "{LONG_HEADLINE}" exceeds 50 chars' in out
    assert "[DRY RUN] Failed - 1 of 3 ads have errors, 0 uploaded" in out
    assert out.count("Would POST to /act_123456789/ads:") == 2, "the invalid ad gets no payload"


def test_validate_command(ws, capsys):
    code, out, _ = run_cli(ws, capsys, "validate", CAMPAIGN)
    assert code == 0 and "Validation passed - 3 ads ready to upload" in out
    assert "Would POST" not in out


def test_multi_image_ad_counts_combinations(ws, capsys):
    imgs = [make_image(ws / "campaigns" / CAMPAIGN / "images" / f"v{i}.jpg") for i in range(3)]
    edit_json(ads_dir(ws) / "batch-upload.json",
              lambda d: d["ads"][1].pop("image_path") and d["ads"][1].update(image_paths=[str(p) for p in imgs]))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ads"][1]["combinations"] == 3 * 3 * 3
    assert len(doc["ads"][1]["calls"]) == 3 + 2


# ---------------------------------------------------------------- bad input


def expect_one_line_error(ws, capsys, *needles: str, args=("upload", CAMPAIGN, "--dry-run")) -> str:
    before = tree(ws)
    code, out, err = run_cli(ws, capsys, *args)
    assert code == 1
    text = out + err
    for needle in needles:
        assert needle in text, f"{needle!r} not in {text!r}"
    assert tree(ws) == before, "bad input writes nothing"
    return text


def test_missing_config(ws, capsys):
    (ads_dir(ws) / "batch-upload.json").unlink()
    err = expect_one_line_error(ws, capsys, "batch-upload.json", "batch config not found")
    assert len([line for line in err.splitlines() if line.startswith("Error")]) == 1


def test_unknown_campaign_lists_the_known_ones(ws, capsys):
    expect_one_line_error(ws, capsys, "summer-sale-2026", args=("validate", "winter-sale"))


def test_invalid_json_gives_line_and_column(ws, capsys):
    (ads_dir(ws) / "batch-upload.json").write_text('{\n  "campaign": "x",\n  "ads": [,]\n}')
    expect_one_line_error(ws, capsys, "batch-upload.json", "invalid JSON at line 3, column")


def test_missing_required_field_names_file_ad_and_field(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d["ads"][1].pop("asset_feed_spec_path"))
    expect_one_line_error(ws, capsys, "batch-upload.json", "ad 'hero-receipt'", "ads[1].asset_feed_spec_path",
                          "Field required")


def test_wrong_type(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d["ads"][0].__setitem__("name", ["not", "a", "string"]))
    expect_one_line_error(ws, capsys, "ads[0].name", "valid string")


def test_spec_path_that_does_not_exist(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json",
              lambda d: d["ads"][2].__setitem__("asset_feed_spec_path", "campaigns/summer-sale-2026/ads/gone.json"))
    expect_one_line_error(ws, capsys, "asset_feed_spec not found", "gone.json", "ads[2].asset_feed_spec_path")


def test_spec_with_invalid_json(ws, capsys):
    (ads_dir(ws) / "split-test.json").write_text('{"bodies": [}')
    expect_one_line_error(ws, capsys, "split-test.json", "invalid JSON at line 1")


def test_gif_renamed_to_jpg(ws, capsys):
    make_image(ws / "campaigns" / CAMPAIGN / "images" / "notes-app.jpg", (1080, 1080), "GIF")
    expect_one_line_error(ws, capsys, "Format not supported: GIF", "notes-app.jpg")


def test_corrupt_image(ws, capsys):
    (ws / "campaigns" / CAMPAIGN / "images" / "receipt.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    expect_one_line_error(ws, capsys, "Format not supported", "receipt.png")


def test_missing_image(ws, capsys):
    (ws / "campaigns" / CAMPAIGN / "images" / "receipt.png").unlink()
    expect_one_line_error(ws, capsys, "Image not found:", "receipt.png")


def test_ad_name_escaping_the_campaign_folder(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d["ads"][0].__setitem__("name", "../x"))
    expect_one_line_error(ws, capsys, "'../x' is not allowed", "ads[0].name")


def test_duplicate_ad_names(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d["ads"][2].__setitem__("name", "hero-receipt"))
    expect_one_line_error(ws, capsys, "Duplicate ad name 'hero-receipt'", "ads[2].name")


def test_unknown_key_is_reported_as_a_warning(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.__setitem__("adset", "123"))
    code, out, _ = run_cli(ws, capsys, "validate", CAMPAIGN)
    assert code == 0 and "Unknown key 'adset' (ignored)" in out


def test_errors_in_json_mode_are_json(ws, capsys):
    (ads_dir(ws) / "batch-upload.json").write_text("{")
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["error"] == "ConfigError"
    assert doc["file"].endswith("batch-upload.json")


def test_usage_errors_exit_2(ws, capsys):
    code, _, err = run_cli(ws, capsys, "upload", CAMPAIGN, "--no-such-flag")
    assert code == 2 and "unrecognized arguments" in err
    code, _, err = run_cli(ws, capsys, "upload", CAMPAIGN, "--parallel", "many")
    assert code == 2 and "parallel" in err


def test_config_flag_points_at_another_file(ws, capsys, tmp_path):
    other = write_json(tmp_path / "other.json", json.loads((ads_dir(ws) / "batch-upload.json").read_text()))
    edit_json(other, lambda d: d.__setitem__("ads", d["ads"][:1]))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--dry-run", "--config", str(other))
    assert code == 0 and "[DRY RUN] Complete - 1 ads validated, 0 uploaded" in out
