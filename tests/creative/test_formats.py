"""Creative formats end to end: the config says the kind, the dry run shows the exact payload, the
upload creates it on the sandbox. Single image (link_data), placements (asset_customization_rules),
1.91:1 images with crop warnings, every v26 CTA, Advantage+ features, the name template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factories import (
    CAMPAIGN,
    GOOD_SPEC,
    ads_dir,
    copy_workspace,
    edit_json,
    make_image,
    write_json,
)
from skill.cli import main
from skill.creative.cta import META_CTA_TYPES, PRODUCT_CTA_TYPES
from skill.sandbox import Sandbox
from skill.sandbox.endpoints_creatives import CTA_TYPES as SANDBOX_CTA_TYPES

IMAGES = Path("campaigns") / CAMPAIGN / "images"


@pytest.fixture
def ws(ws: Path, live: Sandbox) -> Path:
    make_image(ws / IMAGES / "wide.jpg", (1200, 628))
    make_image(ws / IMAGES / "feed.jpg", (1080, 1350))
    make_image(ws / IMAGES / "story.jpg", (1080, 1920))
    spec = {**GOOD_SPEC, "titles": [{"text": "First Headline"}, {"text": "Second Headline"}],
            "call_to_actions": [{"type": "BOOK_NOW", "value": {"link": "https://yoursite.com/summer-sale"}}]}
    write_json(ads_dir(ws) / "wide.json", spec)
    write_json(ads_dir(ws) / "placed.json", GOOD_SPEC)
    write_json(ads_dir(ws) / "batch-upload.json", {
        "campaign": CAMPAIGN, "adset_id": "23847000000001", "page_id": "123456789",
        "destination_url": "https://yoursite.com/summer-sale",
        "ads": [{"name": "hero-wide", "format": "single_image", "image_path": str(IMAGES / "wide.jpg"),
                 "asset_feed_spec_path": "wide.json"},
                {"name": "hero-placed", "placement_images": {"feed": str(IMAGES / "feed.jpg"),
                                                             "stories": str(IMAGES / "story.jpg")},
                 "asset_feed_spec_path": "placed.json"}]})
    return ws


def run(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def dry_run(ws: Path, capsys) -> dict:
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--dry-run", "--json")
    assert code == 0, out
    return json.loads(out)


def creative_body(plan: dict, index: int) -> dict:
    return next(c["body"] for c in plan["ads"][index]["calls"] if c["path"].endswith("/adcreatives"))


def test_dry_run_shows_link_data_for_a_single_image_ad_and_rules_for_a_placements_ad(ws, capsys):
    plan = dry_run(ws, capsys)
    single = creative_body(plan, 0)
    assert "asset_feed_spec" not in single
    link = single["object_story_spec"]["link_data"]
    assert link["link"] == "https://yoursite.com/summer-sale" and link["name"] == "First Headline"
    assert link["call_to_action"] == {"type": "BOOK_NOW", "value": {"link": "https://yoursite.com/summer-sale"}}
    assert len(link["image_hash"]) == 32 and "degrees_of_freedom_spec" not in single
    placed = creative_body(plan, 1)["asset_feed_spec"]
    assert [i["adlabels"][0]["name"] for i in placed["images"]] == ["feed_image", "stories_image"]
    rules = placed["asset_customization_rules"]
    assert rules[0]["image_label"] == {"name": "stories_image"} and "reels" in rules[0]["customization_spec"][
        "instagram_positions"]
    assert rules[1]["image_label"] == {"name": "feed_image"} and placed["optimization_type"] == "PLACEMENT"
    warnings = [f["message"] for f in plan["ads"][0]["findings"]]
    assert any("wide.jpg (1200x628): 1.91:1 fits Facebook Feed" in w and "Stories and Reels" in w for w in warnings)
    assert any("single_image uses the first headline" in w and "1 headline more" in w for w in warnings)


def test_both_formats_upload_to_the_sandbox_as_shown(ws, sandbox, capsys):
    code, out = run(ws, capsys, "upload", CAMPAIGN)
    assert code == 0, out
    creatives = {c["name"]: c for c in sandbox.state_dump()["creatives"].values()}
    single = creatives[f"{CAMPAIGN} - hero-wide"]
    assert "link_data" in single["object_story_spec"] and "asset_feed_spec" not in single
    assert len(creatives[f"{CAMPAIGN} - hero-placed"]["asset_feed_spec"]["asset_customization_rules"]) == 2
    assert {a["status"] for a in sandbox.state_dump()["ads"].values()} == {"PAUSED"}


def test_a_placement_image_of_the_wrong_shape_is_an_error(ws, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json",
              lambda d: d["ads"][1]["placement_images"].update(stories=str(IMAGES / "feed.jpg")))
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1
    assert "The stories image must be 9:16 for Stories and Reels; this one is 1080x1350 (4:5)" in out
    assert "ads[1].placement_images.stories" in out


def test_a_placements_ad_takes_one_description(ws, capsys):
    write_json(ads_dir(ws) / "placed.json", {**GOOD_SPEC, "descriptions": [{"text": "One."}, {"text": "Two."}]})
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1 and "a placements ad takes one description" in out


def test_advantage_creative_is_off_unless_stack_md_turns_it_on(ws, capsys):
    assert all("degrees_of_freedom_spec" not in creative_body(dry_run(ws, capsys), i) for i in (0, 1))
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text() + "\n```yaml\nadvantage_creative:\n  image_touchups: OPT_IN\n"
                                         "  text_optimizations: OPT_OUT\n```\n")
    dof = creative_body(dry_run(ws, capsys), 1)["degrees_of_freedom_spec"]
    assert dof == {"creative_features_spec": {"image_touchups": {"enroll_status": "OPT_IN"},
                                              "text_optimizations": {"enroll_status": "OPT_OUT"}}}


def test_advantage_creative_on_uploads_and_a_bad_feature_is_named(ws, sandbox, capsys):
    stack = ws / "brand" / "stack.md"
    base = stack.read_text()
    stack.write_text(base + "\nadvantage_creative: on\n")
    assert run(ws, capsys, "upload", CAMPAIGN)[0] == 0
    features = [c["degrees_of_freedom_spec"]["creative_features_spec"] for c in sandbox.state_dump()["creatives"].values()]
    assert features and all(set(f) == {"image_touchups", "text_optimizations", "inline_comment"} for f in features)
    stack.write_text(base + "\n```yaml\nadvantage_creative:\n  sparkle: OPT_IN\n```\n")
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1 and "unknown Advantage+ creative feature 'sparkle'" in out


def test_every_v26_cta_is_accepted_and_copy_keeps_the_products_18():
    from skill.copy.prompt import MODEL_CTA_TYPES
    from skill.models import AssetFeedSpec
    from skill.validate import validate_copy

    assert len(META_CTA_TYPES) == 102 and META_CTA_TYPES == SANDBOX_CTA_TYPES
    for cta in sorted(META_CTA_TYPES):
        spec = AssetFeedSpec.model_validate({**GOOD_SPEC, "call_to_actions": [{"type": cta}]})
        assert not [f for f in validate_copy(spec) if f.severity == "error"], cta
    assert len(PRODUCT_CTA_TYPES) == 18 and set(MODEL_CTA_TYPES) == set(PRODUCT_CTA_TYPES) - {"SEE_MENU", "SEND_MESSAGE"}
    spec = AssetFeedSpec.model_validate({**GOOD_SPEC, "call_to_actions": [{"type": "SEND_MESSAGE"}]})
    [warning] = [f for f in validate_copy(spec) if "SEND_MESSAGE" in f.message]
    assert warning.severity == "warning" and "use MESSAGE_PAGE" in warning.message


@pytest.mark.parametrize("template,expected", [
    ("{campaign} - {name}", "summer-sale-2026 - hero-wide"),
    ("{date} | {campaign} | {format} | {variant} | {audience} | {name}",
     "2026-07-01 | summer-sale-2026 | single_image | B | lookalike | hero-wide"),
])
def test_the_name_template_knows_the_seed_fields(ws, capsys, template, expected):
    (ws / "brand" / "stack.md").write_text(f"ad_name_template: \"{template}\"\n")
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: (d.update(date="2026-07-01", audience="lookalike"),
                                                            d["ads"][0].update(variant="B"),
                                                            d["ads"][1].update(variant="C")))
    assert creative_body(dry_run(ws, capsys), 0)["name"] == expected


def test_an_ad_missing_a_name_field_is_named(ws, capsys):
    (ws / "brand" / "stack.md").write_text('ad_name_template: "{campaign} - {name} - {variant}"\n')
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d["ads"][0].update(variant="B"))
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1 and "ads[1].variant: ad_name_template uses {variant} but this ad has no variant" in out


@pytest.mark.parametrize("template", ["{campaign} {name.__class__}", "{name[0]}", "{adset}", "{name!r}"])
def test_the_name_template_refuses_anything_else(ws, capsys, template):
    (ws / "brand" / "stack.md").write_text(f"ad_name_template: \"{template}\"\n")
    code, out = run(ws, capsys, "validate", CAMPAIGN)
    assert code == 1 and "only {audience}, {campaign}, {date}, {format}, {name}, {variant} are allowed" in out


def test_the_shipped_workspace_shows_each_format_and_readme_command_1_works(tmp_path, monkeypatch, capsys):
    for var in ("FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT", "META_WORKSPACE", "META_GRAPH_URL", "META_ADS_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ws = copy_workspace(tmp_path, all_ads=True)
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--sandbox")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[lines.index("[4/5] summer-single"):lines.index("[4/5] summer-single") + 2] == [
        "[4/5] summer-single", "✓ Validation passed"]
    block = lines[lines.index("[5/5] summer-placements"):]
    assert [line.split(" (")[0] for line in block[:6]] == [
        "[5/5] summer-placements", "✓ Validation passed", "✓ Image uploaded", "✓ Image uploaded",
        "✓ Creative created", "✓ Ad created"]
    assert "Batch complete: 5 ads created, all PAUSED" in lines and "Warning" not in out
    state = json.loads((ws / ".sandbox" / "state.json").read_text())
    creatives = {c["name"]: c for c in state["creatives"].values()}
    assert "link_data" in creatives[f"{CAMPAIGN} - hero-single"]["object_story_spec"]
    assert "asset_customization_rules" in creatives[f"{CAMPAIGN} - hero-placements"]["asset_feed_spec"]
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--sandbox")
    assert code == 0 and out.count("⊙ Skipped (already uploaded)") == 5


def test_the_text_dry_run_prints_the_single_image_payload(ws, capsys):
    code, out = run(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    assert code == 0, out
    block = out.split("[DRY RUN] [1/2] wide", 1)[1].split("[DRY RUN] [2/2] placed", 1)[0]
    assert "Would POST to /act_123456789/adcreatives:" in block and '"link_data": {' in block
    assert "combinations Meta will test" not in block, "a single-image ad mixes nothing"
    assert out.strip().splitlines()[-1] == "[DRY RUN] Complete - 2 ads validated, 0 uploaded"
