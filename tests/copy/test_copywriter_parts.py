"""The pieces of copy generation on their own: the fake API with the real SDK (including tool_use
replies for routing), image encoding, prompt rendering and brand notes, the library entry point."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import anthropic
import pytest
import requests
from PIL import Image

from factories import copy_workspace, make_image
from fake_anthropic import FakeAnthropic, json_message, tool_use_message, usage
from skill.cli import main
from skill.copy.prompt import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    MAX_NOTES_CHARS,
    brand_notes,
    encode_image,
    render_prompt,
)
from skill.copy.writer import generate_copy
from skill.errors import CopyError
from skill.events import Collector
from skill.settings import load_settings

KEY = "parts-key"
GOOD = {
    "image_summary": "A plain test image.",
    "titles": ["Never Lose a Receipt Again"],
    "bodies": ["Track expenses in seconds. Snap a photo and Snapbook files it for you, every time."],
    "descriptions": ["Snap. Logged. Done."],
    "call_to_action": "LEARN_MORE",
}


@pytest.fixture
def fake():
    with FakeAnthropic(api_key=KEY) as server:
        yield server


def sdk(fake: FakeAnthropic) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=KEY, base_url=fake.url, max_retries=0)


# ---------------------------------------------------------------- the fake


def test_fake_serves_tool_use_replies_to_the_sdk_and_records_the_request(fake):
    fake.enqueue(tool_use_message("upload", {"campaign": "summer-sale-2026", "dry_run": True}, text="Routing."))
    tools = [{"name": "upload", "description": "Upload a batch",
              "input_schema": {"type": "object", "properties": {"campaign": {"type": "string"}}}}]
    reply = sdk(fake).messages.create(
        model="claude-haiku-5-5", max_tokens=200, tools=tools, tool_choice={"type": "any"},
        messages=[{"role": "user", "content": "Dry run: batch upload summer-sale-2026 ads"}],
    )
    assert reply.stop_reason == "tool_use"
    (call,) = [b for b in reply.content if b.type == "tool_use"]
    assert (call.name, call.input) == ("upload", {"campaign": "summer-sale-2026", "dry_run": True})
    (req,) = fake.requests
    assert req.body["tools"][0]["name"] == "upload" and req.body["tool_choice"] == {"type": "any"}
    assert req.user_text == "Dry run: batch upload summer-sale-2026 ads"


def test_fake_checks_auth_like_the_real_api(fake):
    fake.default = json_message({"ok": True})
    url = f"{fake.url}/v1/messages"
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    version = {"anthropic-version": "2023-06-01"}
    assert requests.post(url, json=body, headers={"x-api-key": KEY, **version}, timeout=5).status_code == 200
    assert requests.post(url, json=body, headers={"authorization": f"Bearer {KEY}", **version}, timeout=5).ok
    refused = requests.post(url, json=body, headers={"x-api-key": "nope", **version}, timeout=5)
    assert refused.status_code == 401 and refused.json()["error"]["type"] == "authentication_error"
    assert requests.post(url, json=body, headers={"x-api-key": KEY}, timeout=5).status_code == 400
    assert len(fake.requests) == 4


def test_fake_without_a_canned_reply_fails_loudly(fake):
    with pytest.raises(anthropic.InternalServerError, match="no canned reply"):
        sdk(fake).messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "hi"}])


# ---------------------------------------------------------------- images


def decode(data: str) -> Image.Image:
    img = Image.open(io.BytesIO(base64.b64decode(data)))
    img.load()
    return img


def test_a_large_transparent_png_becomes_a_small_flat_jpeg(tmp_path):
    path = tmp_path / "story.png"
    Image.new("RGBA", (2160, 3840), (0, 0, 0, 0)).save(path)  # 9:16, fully transparent
    media_type, data = encode_image(path)
    img = decode(data)
    assert media_type == "image/jpeg" and img.format == "JPEG"
    assert max(img.size) <= MAX_IMAGE_SIDE and img.width * img.height <= MAX_IMAGE_PIXELS
    assert img.width / img.height == pytest.approx(9 / 16, abs=0.01)
    assert img.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)  # transparency → white


def test_a_small_image_keeps_its_size_and_exif_rotation_is_applied(tmp_path):
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    Image.new("RGB", (1200, 800), (10, 200, 30)).save(path, exif=exif)
    img = decode(encode_image(path)[1])
    assert img.size == (800, 1200)


# ---------------------------------------------------------------- prompts and brand notes


def test_prompts_load_from_the_package_with_the_validation_numbers():
    text = render_prompt("copywriter_system.j2", brand_name="Acme", destination_url="https://acme.test",
                         notes=[])
    assert "40 characters or fewer" in text and "between 50 and 500 characters" in text
    assert "30 characters or fewer" in text and "Brand: Acme" in text and "No brand notes found" in text
    assert "SEE_MENU" not in text and "SHOP_NOW" in text  # only CTAs Meta's current API lists


def test_brand_notes_skip_settings_and_the_asset_log_and_are_capped(tmp_path):
    ws = copy_workspace(tmp_path)
    (ws / "brand" / "voice.md").write_text("Never say 'cheap'.")
    (ws / "brand" / "zz-huge.md").write_text("x" * (MAX_NOTES_CHARS + 500))
    notes, warnings = brand_notes(load_settings(ws, env={}))
    assert [n.name for n in notes] == ["brand.md", "voice.md", "zz-huge.md"]
    assert sum(len(n.text) for n in notes) == MAX_NOTES_CHARS
    assert len(warnings) == 1 and "zz-huge.md" in warnings[0]


# ---------------------------------------------------------------- the library entry point


def test_generate_copy_as_a_library_call_sums_usage_and_reports_progress(tmp_path, fake):
    ws = copy_workspace(tmp_path)
    images = [str(make_image(tmp_path / f"p{i}.jpg")) for i in range(3)]
    fake.default = json_message(GOOD, usage_=usage(1000, 100, cache_read=900, cache_creation=50))
    events = Collector()
    result = generate_copy(load_settings(ws, env={}), images, "lib", report=events, client=sdk(fake),
                           variants=1)
    assert [Path(a.image).name for a in result.ads] == ["p0.jpg", "p1.jpg", "p2.jpg"]
    assert result.usage.model_dump() == {"requests": 3, "input_tokens": 3000, "output_tokens": 300,
                                         "cache_read_input_tokens": 2700, "cache_creation_input_tokens": 150}
    kinds = [e.kind for e in events.events]
    assert kinds[0] == "copy_start" and kinds.count("copy_written") == 3 and kinds[-1] == "copy_usage"
    assert result.exit_code == 0 and result.batch_config is None


def test_a_refusal_is_not_retried_or_repaired(tmp_path, fake):
    ws = copy_workspace(tmp_path)
    image = str(make_image(tmp_path / "x.jpg"))
    fake.default = json_message(GOOD, stop_reason="refusal")
    with pytest.raises(CopyError, match="x.jpg: the model declined"):
        generate_copy(load_settings(ws, env={}), [image], "lib", client=sdk(fake))
    assert len(fake.requests) == 1
    assert not (ws / "campaigns" / "lib").exists()


# ---------------------------------------------------------------- docs/copy-example.md

DOCS_EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "copy-example.md"
EXAMPLE_IMAGE = "campaigns/summer-sale-2026/images/beach-receipts.jpg"  # relative to the workspace
EXAMPLE_PRODUCT = "Summer sale: Snapbook Pro at half price until August 31"
EXAMPLE_COMMAND = f'meta-ads copy {EXAMPLE_IMAGE} --campaign summer-sale-2026 --product "{EXAMPLE_PRODUCT}"'
EXAMPLE_DRAFT = {
    "image_summary": "A hand holds a crumpled beach-bar receipt above a phone that already shows it logged; "
                     "the copy plays on the summer pile of holiday receipts.",
    "titles": ["Holiday Receipts, Already Filed", "Snap It Before the Tide Does", "Your Expense Report Wrote Itself"],
    "bodies": [
        "That beach-bar receipt will be gone by Friday. Snap it now and Snapbook files it, tags it and keeps it "
        "until your accountant asks.",
        "Freelancing from a sun lounger still counts as work. Snapbook turns every receipt photo into a tidy "
        "expense log, so August costs you nothing at tax time.",
        "No spreadsheets, no shoebox of paper. Point your phone at a receipt and Snapbook logs the date, the "
        "amount and the category in a second. Half price until August 31.",
    ],
    "descriptions": ["Snap. Logged. Done.", "Half price until August 31", "Receipts filed from the beach"],
    "call_to_action": "GET_OFFER",
}


def example_doc(spec_json: str, copy_md: str) -> str:
    return (
        "# Example: what `meta-ads copy` writes\n\n"
        "For every image, copy generation writes two files into `workspace/campaigns/CAMPAIGN/ads/`:\n"
        "`{stem}.json`, the asset_feed_spec the upload sends, and `{stem}.md`, the same copy for people to\n"
        "review. This is the pair written for one image by\n\n"
        f"```sh\n{EXAMPLE_COMMAND}\n```\n\n"
        "The copy is an illustration (the tests render it through the real pipeline from a canned reply, so\n"
        "the layout is exactly what the command writes); your copy comes from Claude, your image and the\n"
        "brand notes in `workspace/brand/`. Every headline, primary text and description has already passed\n"
        "the copy rules (`meta-ads validate`) before the files are written.\n\n"
        "## `ads/beach-receipts.md`\n\n"
        f"````markdown\n{copy_md.rstrip()}\n````\n\n"
        "## `ads/beach-receipts.json`\n\n"
        f"```json\n{spec_json.rstrip()}\n```\n"
    )


def test_docs_copy_example_is_what_the_command_writes(tmp_path, fake, monkeypatch, capsys):
    ws = copy_workspace(tmp_path)
    make_image(ws / "campaigns" / "summer-sale-2026" / "images" / "beach-receipts.jpg", (1080, 1350))
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    fake.default = json_message(EXAMPLE_DRAFT)
    argv = ["copy", EXAMPLE_IMAGE, "--campaign", "summer-sale-2026", "--product", EXAMPLE_PRODUCT]
    assert main([*argv, "--workspace", str(ws)]) == 0, capsys.readouterr()
    ads = ws / "campaigns" / "summer-sale-2026" / "ads"
    expected = example_doc((ads / "beach-receipts.json").read_text(), (ads / "beach-receipts.md").read_text())
    if os.environ.get("META_WRITE_DOCS"):
        DOCS_EXAMPLE.write_text(expected)
    assert DOCS_EXAMPLE.read_text() == expected, "docs/copy-example.md is stale: re-run with META_WRITE_DOCS=1"
