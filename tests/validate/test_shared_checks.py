"""What ads share is checked once per batch, and each ad still gets exactly the findings it would get
alone: its own name, file and field. An ad keeps its copy as text; ``spec`` gives the validated copy."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from factories import CAMPAIGN, GOOD_SPEC, ads_dir, copy_workspace, make_image, write_json
from skill.errors import ConfigError
from skill.models import MAX_FILE_BYTES, AssetFeedSpec, load_model, read_user_text
from skill.settings import load_settings
from skill.validate import specs as spec_store
from skill.validate import validate_batch, validate_copy, validate_image


def batch_of(ws: Path, entries: list[dict]) -> Path:
    return write_json(ads_dir(ws) / "batch-upload.json", {
        "campaign": CAMPAIGN, "adset_id": "23847000000001", "page_id": "123456789",
        "destination_url": "https://yoursite.com/summer-sale", "ads": entries})


def test_shared_images_and_copy_give_each_ad_its_own_findings(tmp_path: Path):
    ws = copy_workspace(tmp_path)
    images = ws / "campaigns" / CAMPAIGN / "images"
    corrupt = images / "corrupt.jpg"
    corrupt.write_bytes(make_image(images / "good.jpg").read_bytes()[:600])
    small = make_image(images / "small.png", (300, 300), "PNG")
    long_title = {**GOOD_SPEC, "titles": [{"text": "A headline that runs well past the fifty characters allowed"}],
                  "extra_key": 1}
    entries = []
    for i in range(6):
        spec = long_title if i % 2 == 0 else {**GOOD_SPEC, "titles": [{"text": f"Headline {i}"}]}
        write_json(ads_dir(ws) / f"ad-{i}.json", spec)
        entry = {"name": f"ad-{i}", "asset_feed_spec_path": f"ad-{i}.json"}
        entry.update({"image_paths": [str(corrupt), str(small)]} if i < 3 else {"image_path": str(small)})
        entries.append(entry)
    batch_of(ws, entries)
    batch = validate_batch(load_settings(workspace=ws), CAMPAIGN)
    for i, ad in enumerate(batch.ads):
        spec_path = ads_dir(ws) / f"ad-{i}.json"
        expected = validate_copy(load_model(AssetFeedSpec, spec_path), ad=ad.name, file=str(spec_path))
        paths = [corrupt, small] if i < 3 else [small]
        for j, path in enumerate(paths):
            fld = f"ads[{i}].image_paths[{j}]" if i < 3 else f"ads[{i}].image_path"
            expected += validate_image(path, ad=ad.name, field=fld)[0]
        config = str(ads_dir(ws) / "batch-upload.json")
        assert [f for f in ad.findings if f.file != config] == expected  # the entry's own are the config's
        assert any("Headline" in f.message for f in ad.findings) == (i % 2 == 0)
        assert any("corrupt" in f.message for f in ad.findings) == (i < 3)
        assert all(f.ad == ad.name for f in ad.findings)


def test_each_ad_keeps_its_validated_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(spec_store, "KEEP_PARSED", 3)  # more distinct copies than are kept parsed
    ws = copy_workspace(tmp_path)
    image = make_image(ws / "campaigns" / CAMPAIGN / "images" / "a.jpg")
    entries = []
    for i in range(8):
        spec = {**GOOD_SPEC, "titles": [{"text": f"Headline number {i % 5}"}]}  # some ads share copy
        write_json(ads_dir(ws) / f"ad-{i}.json", spec)
        entries.append({"name": f"ad-{i}", "asset_feed_spec_path": f"ad-{i}.json", "image_path": str(image)})
    batch_of(ws, entries)
    batch = validate_batch(load_settings(workspace=ws), CAMPAIGN)
    assert batch.ok
    validated = [load_model(AssetFeedSpec, ad.spec_path) for ad in batch.ads]
    for path in ads_dir(ws).glob("ad-*.json"):  # changed after validation: the batch keeps what it checked
        path.write_text(json.dumps({**GOOD_SPEC, "titles": [{"text": "Changed"}]}))
    for _ in range(2):
        assert [ad.spec for ad in batch.ads] == validated
    assert batch.ads[0].spec is batch.ads[5].spec or len(spec_store._PARSED) <= 3  # same copy, one model
    assert all(ad.findings_or_none() is None and ad.findings == [] and ad.combinations == 1 for ad in batch.ads)
    moved = dataclasses.replace(batch.ads[2], index=0)  # a launch renumbers an ad set's ads
    assert moved.spec == validated[2] and moved.index == 0
    batch.ads[1].spec = None
    assert batch.ads[1].spec is None and batch.ads[1].combinations == 0
    batch.ads[1].spec = validated[1]
    assert batch.ads[1].spec is validated[1]


def test_a_spec_that_does_not_load_is_reported_per_ad(tmp_path: Path):
    ws = copy_workspace(tmp_path)
    image = make_image(ws / "campaigns" / CAMPAIGN / "images" / "a.jpg")
    (ads_dir(ws) / "bad-0.json").write_text('{"titles": [')
    (ads_dir(ws) / "bad-1.json").write_text('{"titles": [')
    write_json(ads_dir(ws) / "bad-2.json", {**GOOD_SPEC, "titles": "not a list"})
    batch_of(ws, [{"name": f"bad-{i}", "asset_feed_spec_path": f"bad-{i}.json", "image_path": str(image)}
                  for i in range(3)] + [{"name": "gone", "asset_feed_spec_path": "gone.json", "image_path": str(image)}])
    batch = validate_batch(load_settings(workspace=ws), CAMPAIGN)
    for ad in batch.ads[:2]:
        (first,) = ad.errors
        assert first.message.startswith("invalid JSON at line 1") and first.file == str(ad.spec_path)
        assert ad.spec is None
    assert batch.ads[2].errors[0].field == "titles" and batch.ads[2].spec is None
    assert batch.ads[3].errors[0].message == f"asset_feed_spec not found: {ws / 'gone.json'}"


def test_unreadable_spec_files_are_worded_as_any_user_file(tmp_path: Path):
    ws = copy_workspace(tmp_path)
    image = make_image(ws / "campaigns" / CAMPAIGN / "images" / "a.jpg")
    ads = ads_dir(ws)
    (ads / "folder.json").mkdir()
    (ads / "latin1.json").write_bytes('{"titles": [{"text": "Caf\u00e9"}]}'.encode("latin-1"))
    (ads / "huge.json").write_bytes(b" " * (MAX_FILE_BYTES + 1))
    (ads / "dangling.json").symlink_to(ads / "nowhere.json")
    names = ["folder", "latin1", "huge", "dangling"]
    batch_of(ws, [{"name": n, "asset_feed_spec_path": f"{n}.json", "image_path": str(image)} for n in names])
    batch = validate_batch(load_settings(workspace=ws), CAMPAIGN)
    for name, ad in zip(names, batch.ads, strict=True):
        if name == "dangling":  # a link to nothing is a spec that is not there
            assert ad.errors[0].message == f"asset_feed_spec not found: {ws / 'dangling.json'}"
            continue
        with pytest.raises(ConfigError) as plain:
            read_user_text(ad.spec_path)
        assert (ad.errors[0].message, ad.errors[0].field) == (plain.value.message, plain.value.field)
        assert ad.spec is None


def test_the_upload_s_threads_may_ask_for_kept_copy_at_once(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(spec_store, "KEEP_PARSED", 2)  # every few calls one is let go
    texts = [json.dumps({**GOOD_SPEC, "titles": [{"text": f"Headline {i}"}]}) for i in range(6)]

    def ask(offset: int) -> list[str]:
        return [spec_store.parsed(texts[(offset + k) % 6]).titles[0].text for k in range(300)]

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(ask, range(4)))
    for offset, got in enumerate(answers):
        assert got == [f"Headline {(offset + k) % 6}" for k in range(300)]
