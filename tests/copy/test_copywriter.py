"""Copy generation end to end: the CLI and the real anthropic SDK against the loopback fake API.

Each test asserts on what was written (or that nothing was), on the exit code and message, and on
the requests the fake received (image block, brand context, caching, repairs, retries).
"""

from __future__ import annotations

import base64
import io
import json
import socket
from pathlib import Path

import pytest
from PIL import Image

from factories import CAMPAIGN, ads_dir, edit_json, make_image
from fake_anthropic import (
    RecordedRequest,
    Reply,
    error_reply,
    json_message,
    message,
    usage,
)
from skill.cli import main
from skill.copy.prompt import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE
from skill.models import AssetFeedSpec, load_batch_config, load_model
from skill.validate import validate_copy
from support import COPY_KEY

KEY = COPY_KEY

GOOD = {
    "image_summary": "An orange square standing in for a receipt photo.",
    "titles": ["Never Lose a Receipt Again", "Receipts, Sorted For You", "Expenses Filed While You Nap"],
    "bodies": [
        "Track expenses in seconds. Snap a photo and Snapbook files it for you, every time.",
        "Your accountant will ask. You will have the answer in a second, because Snapbook kept it.",
        "Every receipt from the trip, filed before you are home. Snapbook reads them so you don't have to.",
    ],
    "descriptions": ["Snap. Logged. Done.", "Receipts, handled.", "Filed in a second."],
    "call_to_action": "LEARN_MORE",
}
HEADLINE_54 = "Your Receipts, Finally Organised With Zero Effort Now!"
BODY_40 = "Snap a receipt. Snapbook files the rest."
DESC_31 = "Expense tracking, done for you."
BROKEN = {**GOOD, "titles": [HEADLINE_54, *GOOD["titles"][1:]], "bodies": [BODY_40, *GOOD["bodies"][1:]],
          "descriptions": [DESC_31, *GOOD["descriptions"][1:]]}
assert (len(HEADLINE_54), len(BODY_40), len(DESC_31)) == (54, 40, 31)



@pytest.fixture
def images(tmp_path: Path) -> list[Path]:
    return [make_image(tmp_path / "in" / "img1.jpg", (2400, 2400)),
            make_image(tmp_path / "in" / "img2.png", (1080, 1350), "PNG")]


def run(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert KEY not in out + err
    return code, out, err


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def decoded_image(request: RecordedRequest) -> Image.Image:
    (block,) = request.blocks("image")
    assert block["source"]["type"] == "base64" and block["source"]["media_type"] == "image/jpeg"
    img = Image.open(io.BytesIO(base64.b64decode(block["source"]["data"])))
    img.load()
    return img


def image_name(request: RecordedRequest) -> str:
    return "img1" if "img1" in request.user_text else "img2"


# ---------------------------------------------------------------- done when


def test_copy_two_images_write_batch_then_dry_run_accepts_it(ws, fake, images, capsys):
    fake.default = json_message(GOOD, usage_=usage(1800, 420, cache_read=1200, cache_creation=300))
    code, out, _ = run(ws, capsys, "copy", *map(str, images), "--campaign", "c", "--write-batch")
    assert code == 0, out
    ads = ads_dir(ws, "c")
    assert sorted(p.name for p in ads.iterdir()) == ["batch-upload.json", "img1.json", "img1.md", "img2.json", "img2.md"]
    for stem in ("img1", "img2"):
        spec = load_model(AssetFeedSpec, ads / f"{stem}.json")
        assert not [f for f in validate_copy(spec) if f.severity == "error"]
        assert [t.text for t in spec.titles] == GOOD["titles"]
        cta = spec.call_to_actions[0]
        assert (cta.type, cta.value.link, cta.value.link_caption) == (
            "LEARN_MORE", "https://yoursite.com/summer-sale", "yoursite.com")
        doc = (ads / f"{stem}.md").read_text()
        assert doc.startswith(f"# {stem}\n") and "Never Lose a Receipt Again _(26 chars)_" in doc
        assert GOOD["image_summary"] in doc
    batch = load_batch_config(ads / "batch-upload.json")
    # a new campaign starts a launch config: its own ad set, not default_adset_id borrowed silently
    assert (batch.campaign, batch.adset_id, batch.page_id, batch.is_launch) == ("c", None, "123456789", True)
    assert [(a.name, a.asset_feed_spec_path, a.adset) for a in batch.ads] == [
        ("img1", "campaigns/c/ads/img1.json", "main"), ("img2", "campaigns/c/ads/img2.json", "main")]
    # the images came from outside the workspace: the batch names copies inside it (upload reads nothing else)
    assert [a.image_path for a in batch.ads] == ["campaigns/c/images/img1.jpg", "campaigns/c/images/img2.png"]
    assert (ws / "campaigns/c/images/img1.jpg").read_bytes() == images[0].read_bytes()
    assert "Usage: 2 requests, 3,600 input tokens (2,400 read from cache, 600 written to cache), 840 output tokens" in out
    assert "The new ads go to the new ad set 'main'" in out and "set adsets[0].daily_budget" in out
    assert "Next: meta-ads upload c --dry-run" in out

    code, out, _ = run(ws, capsys, "upload", "c", "--dry-run")
    assert code == 1 and "adsets[0].daily_budget: needs daily_budget" in out  # no budget is ever invented
    edit_json(ads / "batch-upload.json", lambda d: d["adsets"][0].update(daily_budget="20.00"))
    code, out, _ = run(ws, capsys, "upload", "c", "--dry-run")
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "[DRY RUN] Complete - would create 1 campaign, 1 ad set(s), 2 ad(s), " \
        "all PAUSED; nothing sent"


def test_write_batch_says_which_ad_set_the_new_ads_go_to(ws, fake, images, capsys):
    fake.default = json_message(GOOD)
    code, out, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "black-friday-2026", "--write-batch")
    assert code == 0, out
    assert "The new ads go to the new ad set 'broad-us-ca' of the campaign this config launches" in out
    batch = load_batch_config(ads_dir(ws, "black-friday-2026") / "batch-upload.json")
    assert [(a.name, a.adset) for a in batch.ads][-1] == ("img1", "broad-us-ca")
    code, out, _ = run(ws, capsys, "copy", str(images[1]), "--campaign", CAMPAIGN, "--write-batch")
    assert code == 0 and "The new ads go to ad set 23847000000001" in out


def test_requests_carry_the_downscaled_image_brand_context_and_cache_control(ws, fake, images, capsys):
    fake.default = json_message(GOOD)
    code, _, _ = run(ws, capsys, "copy", *map(str, images), "--campaign", "c",
                     "--product", "Half price until August 31", "--cta", "SHOP_NOW", "--variants", "2")
    assert code == 0
    requests = sorted(fake.message_requests, key=image_name)
    assert len(requests) == 2
    sizes = {}
    for req in requests:
        assert req.headers["authorization"] == f"Bearer {KEY}" and req.headers["anthropic-version"]
        body = req.body
        assert body["model"] == "claude-haiku-5-5"  # stack.md copy_model
        assert body["output_config"]["format"]["type"] == "json_schema"
        assert set(body["output_config"]["format"]["schema"]["required"]) >= {"titles", "bodies", "call_to_action"}
        (system,) = body["system"]
        assert system["cache_control"] == {"type": "ephemeral"}
        assert "Brand: Snapbook" in system["text"] and "https://yoursite.com/summer-sale" in system["text"]
        assert '"revolutionary", "game-changer"' in system["text"]  # brand.md's words to avoid
        assert "ad_account" not in system["text"]  # stack.md itself is settings, not brand notes
        content = req.messages[0]["content"]
        assert [b["type"] for b in content] == ["image", "text"]  # image first, then the ask
        assert "Half price until August 31" in req.user_text and "The call to action is SHOP_NOW" in req.user_text
        assert "Give 2 headlines, 2 primary texts" in req.user_text
        img = decoded_image(req)
        assert max(img.size) <= MAX_IMAGE_SIDE and img.width * img.height <= MAX_IMAGE_PIXELS
        assert img.getpixel((img.width // 2, img.height // 2)) == pytest.approx((200, 120, 40), abs=4)
        sizes[image_name(req)] = img.size
    assert sizes["img1"] == (1072, 1072)  # 2400x2400 cut to <= 1.15 MP, square kept
    assert sizes["img2"][0] / sizes["img2"][1] == pytest.approx(0.8, abs=0.01)
    spec = load_model(AssetFeedSpec, ads_dir(ws, "c") / "img1.json")
    assert spec.cta_types() == ["SHOP_NOW"]  # --cta wins over the model's pick


# ---------------------------------------------------------------- self-check and repair


def test_broken_copy_is_sent_back_and_the_repair_is_written(ws, fake, images, capsys):
    fake.enqueue(json_message(BROKEN), json_message(GOOD))
    code, out, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 0, out
    first, second = fake.message_requests
    assert len(first.messages) == 1
    assert [m["role"] for m in second.messages] == ["user", "assistant", "user"]
    assert json.loads(second.messages[1]["content"]) == BROKEN  # the broken copy, as the model wrote it
    repair = second.messages[2]["content"]
    assert f'Headline "{HEADLINE_54}" exceeds 50 chars (54)' in repair
    assert "Body 1 is 40 chars; minimum is 50" in repair
    assert f'Description "{DESC_31}" exceeds 30 chars (31)' in repair
    assert second.blocks("image") == first.blocks("image")
    assert "asking for a fix (1/2)" in out and "2 requests" in out
    spec = load_model(AssetFeedSpec, ads_dir(ws, "c") / "img1.json")
    assert [b.text for b in spec.bodies] == GOOD["bodies"]


def test_copy_that_never_becomes_valid_fails_and_writes_nothing(ws, fake, images, capsys):
    fake.default = json_message(BROKEN)
    before = tree(ws)
    code, out, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c", "--write-batch")
    assert code == 1
    assert len(fake.message_requests) == 3  # the first try and two fixes
    assert err.startswith("Error: img1.jpg: copy still breaks 3 rules after 2 fixes: Headline")
    assert len(err.splitlines()[0]) < 400 and "nothing was written" in err
    assert tree(ws) == before


def test_a_reply_that_is_not_the_schema_is_repaired_too(ws, fake, images, capsys):
    fake.enqueue(message([{"type": "text", "text": "Sure! Here is some copy: Buy now."}]), json_message(GOOD))
    code, _, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 0
    assert "not a JSON object matching the schema" in fake.message_requests[1].messages[2]["content"]


def test_text_is_taken_from_text_blocks_not_the_first_block(ws, fake, images, capsys):
    thinking = {"type": "thinking", "thinking": "Counting characters…", "signature": "sig"}
    fake.enqueue(message([thinking, {"type": "text", "text": json.dumps(GOOD)}]))
    code, _, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 0
    assert (ads_dir(ws, "c") / "img1.json").exists()


def test_one_image_failing_still_writes_the_other(ws, fake, images, capsys):
    fake.responder = lambda req: json_message(BROKEN if image_name(req) == "img2" else GOOD)
    code, out, _ = run(ws, capsys, "copy", *map(str, images), "--campaign", "c", "--write-batch")
    assert code == 1
    assert sorted(p.name for p in ads_dir(ws, "c").iterdir()) == ["batch-upload.json", "img1.json", "img1.md"]
    assert "Copy written for 1 of 2 images." in out and "✗ img2.png: copy still breaks" in out
    assert [a.name for a in load_batch_config(ads_dir(ws, "c") / "batch-upload.json").ads] == ["img1"]


# ---------------------------------------------------------------- API errors and the key


@pytest.mark.parametrize(("status", "expected", "requests"), [
    (401, "Anthropic API error 401 (authentication_error)", 1),
    (429, "Anthropic API error 429 (rate_limit_error)", 2),  # the SDK retried once (max_retries=1)
    (529, "Anthropic API error 529 (overloaded_error)", 2),
])
def test_api_errors_are_one_line_and_write_nothing(ws, fake, images, capsys, status, expected, requests):
    fake.default = error_reply(status)
    before = tree(ws)
    code, _, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 1
    assert err.splitlines()[0].startswith(f"Error: img1.jpg: {expected}")
    assert len(err.splitlines()) == 1 and " → " in err  # what to do, on the same line
    assert len(fake.message_requests) == requests
    assert tree(ws) == before


def test_a_wrong_key_is_refused_by_the_fake_like_the_real_api(ws, fake, images, capsys, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "wrong-key-999")
    fake.default = json_message(GOOD)
    code, out, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 1 and "401" in err and "check ANTHROPIC_API_KEY" in err
    assert "wrong-key-999" not in out + err


def test_a_timeout_and_a_refused_connection_are_one_line(ws, fake, images, capsys, monkeypatch):
    monkeypatch.setenv("META_COPY_MAX_RETRIES", "0")
    monkeypatch.setenv("META_COPY_TIMEOUT_S", "0.3")
    fake.default = Reply(body=json_message(GOOD).body, delay_s=1.5)
    code, _, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 1 and err.startswith("Error: img1.jpg: the Anthropic API timed out")

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
    code, _, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 1 and err.startswith("Error: img1.jpg: cannot reach the Anthropic API")
    assert not ads_dir(ws, "c").exists()


def test_no_api_key_says_how_to_set_it_and_writes_nothing(ws, fake, images, capsys, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    before = tree(ws)
    code, _, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c", "--write-batch")
    assert code == 1
    assert err.startswith("Error: ANTHROPIC_API_KEY is not set")
    assert "export ANTHROPIC_API_KEY=" in err
    assert fake.requests == [] and tree(ws) == before


def test_auth_token_works_instead_of_a_key(ws, fake, images, capsys, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", KEY)
    fake.default = json_message(GOOD)
    code, _, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 0 and fake.message_requests[0].headers["authorization"] == f"Bearer {KEY}"


# ---------------------------------------------------------------- inputs and existing files


def test_existing_copy_needs_force(ws, fake, images, capsys):
    fake.default = json_message(GOOD)
    assert run(ws, capsys, "copy", str(images[0]), "--campaign", "c")[0] == 0
    spec_path = ads_dir(ws, "c") / "img1.json"
    spec_path.write_text('{"edited": "by hand"}')
    code, _, err = run(ws, capsys, "copy", str(images[0]), "--campaign", "c")
    assert code == 1 and "img1.json: already exists" in err and "--force" in err
    assert len(fake.message_requests) == 1 and spec_path.read_text() == '{"edited": "by hand"}'
    code, _, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "c", "--force")
    assert code == 0 and json.loads(spec_path.read_text())["titles"][0]["text"] == GOOD["titles"][0]


def test_bad_images_stop_the_run_before_any_request(ws, fake, tmp_path, capsys):
    gif = tmp_path / "in" / "anim.gif"
    make_image(gif, (1080, 1080), "GIF")
    code, _, err = run(ws, capsys, "copy", str(gif), "--campaign", "c")
    assert code == 1 and "Format not supported: GIF (use JPG or PNG)" in err
    code, _, err = run(ws, capsys, "copy", str(tmp_path / "nope.jpg"), "--campaign", "c")
    assert code == 1 and "Image not found" in err and "nope.jpg" in err
    twins = [make_image(tmp_path / "a" / "hero.jpg"), make_image(tmp_path / "b" / "hero.png", fmt="PNG")]
    code, _, err = run(ws, capsys, "copy", *map(str, twins), "--campaign", "c")
    assert code == 1 and "would both write hero.json" in err
    assert fake.requests == [] and not ads_dir(ws, "c").exists()


@pytest.mark.parametrize("args", [["--cta", "BUY_IT"], ["--variants", "9"], ["--campaign", "../x"]])
def test_bad_options_are_usage_errors(ws, fake, images, capsys, args):
    argv = ["copy", str(images[0])] + (args if "--campaign" in args else ["--campaign", "c", *args])
    code, _, err = run(ws, capsys, *argv)
    assert code in (1, 2) and err.startswith(("Usage error", "Error")) and fake.requests == []
    assert code == (1 if "../x" in args else 2)


def test_write_batch_extends_the_campaign_once_in_its_own_path_style(ws, fake, tmp_path, capsys):
    fake.default = json_message(GOOD)
    image = make_image(ws / "campaigns" / CAMPAIGN / "images" / "beach.jpg", (1080, 1350))
    for extra in ([], ["--force"]):
        code, out, _ = run(ws, capsys, "copy", str(image), "--campaign", CAMPAIGN, "--write-batch", *extra)
        assert code == 0, out
    raw = json.loads((ads_dir(ws) / "batch-upload.json").read_text())
    assert [a["name"] for a in raw["ads"]] == ["hero-notes-app", "hero-receipt", "hero-split-test", "beach"]
    assert raw["ads"][-1] == {"name": "beach",
                              "image_path": f"{ws.name}/campaigns/{CAMPAIGN}/images/beach.jpg",
                              "asset_feed_spec_path": f"{ws.name}/campaigns/{CAMPAIGN}/ads/beach.json"}
    assert "already there" in out
    doc = (ads_dir(ws) / "beach.md").read_text()
    assert "Image: `images/beach.jpg`" in doc
    code, out, _ = run(ws, capsys, "upload", CAMPAIGN, "--dry-run")
    assert code == 0 and "4 ads validated" in out


def test_json_output_reports_files_and_usage(ws, fake, images, capsys):
    fake.default = json_message(GOOD, usage_=usage(1000, 200, cache_read=700))
    code, out, _ = run(ws, capsys, "copy", str(images[0]), "--campaign", "c", "--json", "--model", "claude-sonnet-5-5")
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "claude-sonnet-5-5" and fake.message_requests[0].body["model"] == "claude-sonnet-5-5"
    assert data["usage"] == {"requests": 1, "input_tokens": 1000, "output_tokens": 200,
                             "cache_read_input_tokens": 700, "cache_creation_input_tokens": 0}
    assert data["ads"][0]["spec_path"].endswith("campaigns/c/ads/img1.json") and data["failed"] == []


def test_copy_is_a_tool_with_a_schema(capsys):
    assert main(["tools"]) == 0
    tools = {t["name"]: t for t in json.loads(capsys.readouterr().out)}
    schema = tools["copy"]["input_schema"]
    assert schema["required"] == ["images", "campaign"]
    assert set(schema["properties"]) == {"images", "campaign", "product", "variants", "cta", "model", "force",
                                         "write_batch", "fresh_angle"}
    assert tools["copy"]["safety"] == "create_paused" and "--" not in json.dumps(tools["copy"])  # CLI examples: --help
