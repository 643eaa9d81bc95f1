"""Copy generation keeps the workspace self-contained and writes as many variants as asked:
outside images are copied into the campaign's images/ (never recorded by absolute path), the counts
follow --variants or copy_variants in stack.md, and the copy document names its image."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factories import ads_dir, make_image
from fake_anthropic import json_message
from skill.cli import main
from support import COPY_KEY

KEY = COPY_KEY
TITLES = ["Never Lose a Receipt Again", "Receipts, Sorted For You", "Expenses Filed While You Nap",
          "Tax Time, Already Done", "Your Receipts, Handled"]
BODIES = [f"Snapbook files receipt number {i} for you, every time, so tax season takes a minute." for i in range(5)]
DESCS = ["Snap. Logged. Done.", "Receipts, handled.", "Filed in a second.", "Tax time, sorted.", "No more shoeboxes."]


def draft(n: int) -> dict:
    return {"image_summary": "An orange square.", "titles": TITLES[:n], "bodies": BODIES[:n],
            "descriptions": DESCS[:n], "call_to_action": "LEARN_MORE"}



def run(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_outside_images_are_copied_into_the_campaign_and_named_by_relative_path(ws, fake, tmp_path, capsys):
    outside = make_image(tmp_path / "downloads" / "beach.jpg", (1080, 1080))
    fake.default = json_message(draft(3))
    code, out = run(ws, capsys, "copy", str(outside), "--campaign", "c", "--write-batch")
    assert code == 0, out
    kept = ws / "campaigns" / "c" / "images" / "beach.jpg"
    assert kept.read_bytes() == outside.read_bytes()
    batch = json.loads((ads_dir(ws, "c") / "batch-upload.json").read_text())
    assert batch["ads"][0]["image_path"] == "campaigns/c/images/beach.jpg"
    assert str(tmp_path / "downloads") not in json.dumps(batch)
    assert "Image: `images/beach.jpg`" in (ads_dir(ws, "c") / "beach.md").read_text()


def test_an_outside_image_named_like_another_one_is_kept_beside_it(ws, fake, tmp_path, capsys):
    kept = make_image(ws / "campaigns" / "c" / "images" / "beach.jpg", (1080, 1080))
    before = kept.read_bytes()
    outside = make_image(tmp_path / "downloads" / "beach.jpg", (1200, 1200))
    fake.default = json_message(draft(3))
    code, out = run(ws, capsys, "copy", str(outside), "--campaign", "c", "--write-batch")
    assert code == 0, out
    assert kept.read_bytes() == before
    assert (ws / "campaigns" / "c" / "images" / "beach-2.jpg").read_bytes() == outside.read_bytes()
    assert "Image: `images/beach-2.jpg`" in (ads_dir(ws, "c") / "beach.md").read_text()
    assert "copied into it: campaigns/c/images/beach-2.jpg" in out


@pytest.mark.parametrize("variants", [1, 4])
def test_variants_sets_headlines_bodies_and_descriptions(ws, fake, tmp_path, capsys, variants):
    image = make_image(tmp_path / "in" / "a.jpg")
    fake.default = json_message(draft(5))  # more than asked: the extras are dropped
    code, out = run(ws, capsys, "copy", str(image), "--campaign", "c", "--variants", str(variants))
    assert code == 0, out
    assert f"Give {variants} headline" in fake.message_requests[0].user_text
    assert f"and {variants} description" in fake.message_requests[0].user_text
    spec = json.loads((ads_dir(ws, "c") / "a.json").read_text())
    assert [len(spec[k]) for k in ("titles", "bodies", "descriptions")] == [variants] * 3


def test_copy_variants_in_stack_md_is_the_default_and_a_shortfall_is_sent_back(ws, fake, tmp_path, capsys):
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text() + "\ncopy_variants: 4\n")
    image = make_image(tmp_path / "in" / "a.jpg")
    fake.enqueue(json_message(draft(2)), json_message(draft(4)))
    code, out = run(ws, capsys, "copy", str(image), "--campaign", "c")
    assert code == 0, out
    first, second = fake.message_requests
    assert "Give 4 headlines, 4 primary texts and 4 descriptions" in first.user_text
    assert "Give exactly 4 headlines (you gave 2)" in second.messages[2]["content"]
    spec = json.loads((ads_dir(ws, "c") / "a.json").read_text())
    assert len(spec["titles"]) == 4 and len(spec["descriptions"]) == 4
