"""Small builders for test inputs: images of a given size and format, workspaces, specs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_WORKSPACE = REPO / "workspace"
CAMPAIGN = "summer-sale-2026"
ASSETS_HEADER_ONLY = (
    "# Assets\n\nEvery ad Meta Ads Kit creates gets a row here.\n\n"
    "| name | type | date | ids | status |\n| --- | --- | --- | --- | --- |\n"
)

GOOD_BODY = "Track expenses in seconds. Snap a photo and the app files it for you, every time."
GOOD_SPEC: dict[str, Any] = {
    "bodies": [{"text": GOOD_BODY}],
    "titles": [{"text": "Never Lose a Receipt Again"}],
    "descriptions": [{"text": "Snap. Logged. Done."}],
    "call_to_actions": [{"type": "LEARN_MORE", "value": {"link": "https://example.com/lp"}}],
}


def make_image(path: Path, size: tuple[int, int] = (1080, 1080), fmt: str = "JPEG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 120, 40)).save(path, format=fmt)
    return path


# The shipped campaign also shows the other creative formats (a single-image ad, a per-placement ad);
# most tests work on the seed's three ads, so copies leave these out unless asked.
FORMAT_SHOWCASE = {"hero-single": ("summer-single", ["summer-single.jpg"]),
                   "hero-placements": ("summer-placements", ["placements-feed.jpg", "placements-story.jpg"])}


def copy_workspace(tmp_path: Path, *, all_ads: bool = False) -> Path:
    """A private copy of the shipped example workspace (tests never touch the original): the seed's
    three ads, or with ``all_ads`` every ad it ships (the format showcase too)."""
    dest = tmp_path / "workspace"
    shutil.copytree(EXAMPLE_WORKSPACE, dest, ignore=shutil.ignore_patterns(
        ".sandbox", "*.upload.json", ".ledger", "reports", "previews", "*.lock"))
    # The shipped workspace may hold rows from a run of the README's first command: start clean.
    (dest / "brand" / "assets.md").write_text(ASSETS_HEADER_ONLY)
    if not all_ads:
        campaign = dest / "campaigns" / CAMPAIGN
        edit_json(campaign / "ads" / "batch-upload.json",
                  lambda d: d.update(ads=[a for a in d["ads"] if a["name"] not in FORMAT_SHOWCASE]))
        for stem, images in FORMAT_SHOWCASE.values():
            for path in [campaign / "ads" / f"{stem}.json", campaign / "ads" / f"{stem}.md",
                         *(campaign / "images" / name for name in images)]:
                path.unlink(missing_ok=True)
    return dest


def ads_dir(workspace: Path, campaign: str = CAMPAIGN) -> Path:
    return workspace / "campaigns" / campaign / "ads"


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    return path


def edit_json(path: Path, edit) -> None:
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data, indent=2))


# ---------------------------------------------------------------- upload batches


def make_batch(workspace: Path, n_ads: int, n_images: int, *, per_ad: int = 1, campaign: str = CAMPAIGN,
               parallel: bool = False, max_concurrent: int = 3) -> Path:
    """Replace the campaign's batch with ``n_ads`` valid ads over ``n_images`` distinct images
    (ad i uses image i % n_images; ``per_ad`` > 1 gives multi-image ads). Returns the config path."""
    ads = ads_dir(workspace, campaign)
    images = []
    for k in range(n_images):
        path = workspace / "campaigns" / campaign / "images" / f"gen-{k}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (600, 600), (k % 256, (k // 256) % 256, 77)).save(path, format="PNG")
        images.append(path)
    entries = []
    for i in range(n_ads):
        stem = f"ad-{i:03d}"
        write_json(ads / f"{stem}.json", GOOD_SPEC)
        entry: dict[str, Any] = {"name": f"hero-{stem}", "asset_feed_spec_path": f"{stem}.json"}
        if per_ad > 1:
            entry["image_paths"] = [str(images[(i + j) % n_images]) for j in range(per_ad)]
        else:
            entry["image_path"] = str(images[i % n_images])
        entries.append(entry)
    config = {"campaign": campaign, "adset_id": "23847000000001", "page_id": "123456789",
              "destination_url": "https://yoursite.com/summer-sale", "ads": entries,
              "parallel": parallel, "max_concurrent": max_concurrent}
    return write_json(ads / "batch-upload.json", config)
