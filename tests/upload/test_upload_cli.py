"""``meta-ads upload`` end to end over real HTTP: the product's output, files, resume and errors."""

from __future__ import annotations

import collections
import json
import os
import socket

from factories import CAMPAIGN, ads_dir, edit_json, make_batch
from skill.sandbox import Sandbox
from skill.upload.ledger import CampaignLock
from support import run_cli

STEMS = ("notes-app", "receipt", "split-test")
LONG_HEADLINE = "This headline is way too long for mobile and will be truncated"


def names(dump: dict, kind: str) -> collections.Counter:
    return collections.Counter(o["name"] for o in dump[kind].values())


def test_sandbox_flag_uploads_the_example_batch_like_the_seed(ws, capsys):
    (ads_dir(ws) / "receipt.md").unlink()
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--sandbox")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[:5] == [lines[0], "✓ Validation passed", lines[2], lines[3], lines[4]]
    assert lines[0] == "[1/3] notes-app" and "[2/3] receipt" in lines and "[3/3] split-test" in lines
    assert out.count("✓ Validation passed") == 3
    assert out.count("✓ Image uploaded (hash: ") == 3 and out.count("...)") >= 3
    assert out.count("✓ Creative created (ID: ") == 3 and out.count(") - PAUSED") == 3
    assert lines[-2:] == ["Batch complete: 3 ads created, all PAUSED",
                          "Review at: https://www.facebook.com/adsmanager/manage/ads?act=123456789"]
    for stem in STEMS:
        rec = json.loads((ads_dir(ws) / f"{stem}.upload.json").read_text())
        assert rec["campaign"] == CAMPAIGN and rec["ad_name"] == f"hero-{stem}" and rec["status"] == "PAUSED"
        assert rec["adset_id"] == "23847000000001" and len(rec["image_hash"]) == 32
        assert rec["review_url"].endswith("act=123456789") and rec["creative_id"] and rec["ad_id"]
        assert f"✓ Image uploaded (hash: {rec['image_hash'][:8]}...)" in out
        assert f"✓ Ad created (ID: {rec['ad_id']}) - PAUSED" in out
        assert (ads_dir(ws) / f"{stem}.md").exists()
    assert "# receipt" in (ads_dir(ws) / "receipt.md").read_text(), "a missing copy document is written"
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if r.startswith(f"| {CAMPAIGN} hero-")]
    assert len(rows) == 3 and all(r.endswith("| PAUSED |") for r in rows)
    state = json.loads((ws / ".sandbox" / "state.json").read_text())
    ads = [a for a in state["ads"].values() if a["name"].startswith(CAMPAIGN)]
    assert len(ads) == 3 and {a["status"] for a in ads} == {"PAUSED"}

    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--sandbox")
    assert code == 0
    assert out.strip().splitlines() == [
        "[1/3] notes-app - ⊙ Skipped (already uploaded)",
        "[2/3] receipt - ⊙ Skipped (already uploaded)",
        "[3/3] split-test - ⊙ Skipped (already uploaded)",
        "Ad names (for pause, activate, insights): hero-notes-app, hero-receipt, hero-split-test",
        "Batch complete: 3 ads total, 0 newly uploaded",
        "Review at: https://www.facebook.com/adsmanager/manage/ads?act=123456789",
    ]
    assert len((ws / "brand" / "assets.md").read_text().splitlines()) == 6 + 3, "no row added twice"


def test_a_spec_meta_rejects_pauses_the_batch_then_a_fixed_rerun_finishes(ws, live, capsys):
    edit_json(ads_dir(ws) / "receipt.json", lambda d: d["call_to_actions"][0].update(type="SEE_MENU"))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 1
    lines = out.strip().splitlines()
    assert "[2/3] receipt - ✗ Failed" in lines
    error = next(line for line in lines if line.startswith("Error: "))
    assert "error 100" in error and "fbtrace_id: " in error and "SEE_MENU" in error
    assert lines[-1] == "Batch paused. Fix the error and retry."
    assert "[3/3] split-test" not in out, "nothing after the failed ad is sent"
    assert not (ads_dir(ws) / "receipt.upload.json").exists()
    assert names(live.state_dump(), "ads") == {f"{CAMPAIGN} - hero-notes-app": 1}

    edit_json(ads_dir(ws) / "receipt.json", lambda d: d["call_to_actions"][0].update(type="LEARN_MORE"))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 0, out
    lines = [line for line in out.strip().splitlines() if not line.startswith("Ad names (")]
    assert lines[:4] == ["[1/3] notes-app - ⊙ Skipped (already uploaded)", "[2/3] receipt - ✓ Complete",
                         "[3/3] split-test - ✓ Complete", "Batch complete: 3 ads total, 2 newly uploaded"]
    assert names(live.state_dump(), "ads") == {f"{CAMPAIGN} - hero-{s}": 1 for s in STEMS}
    # the receipt creative was refused, so exactly one creative per ad exists
    assert names(live.state_dump(), "creatives") == {f"{CAMPAIGN} - hero-{s}": 1 for s in STEMS}


def test_an_invalid_ad_sends_nothing_and_pauses_like_the_seed(ws, live, capsys):
    edit_json(ads_dir(ws) / "receipt.json", lambda d: d["titles"][0].update(text=LONG_HEADLINE))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 1
    assert f'Error: Headline "{LONG_HEADLINE}" exceeds 50 chars' in out
    assert "receipt.json › titles[0].text" in out
    assert out.strip().splitlines()[-1] == "Batch paused. Fix the error and retry."
    assert names(live.state_dump(), "ads") == {f"{CAMPAIGN} - hero-notes-app": 1}


def test_keep_going_uploads_the_rest_and_still_fails(ws, live, capsys):
    edit_json(ads_dir(ws) / "receipt.json", lambda d: d["titles"][0].update(text=LONG_HEADLINE))
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--keep-going")
    assert code == 1
    assert "[2/3] receipt - ✗ Failed" in out and "[3/3] split-test" in out
    assert "Batch finished with errors: 3 ads total, 2 newly uploaded, 1 failed" in out
    assert set(names(live.state_dump(), "ads")) == {f"{CAMPAIGN} - hero-notes-app", f"{CAMPAIGN} - hero-split-test"}


def test_json_output_for_agents(ws, live, capsys):
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] and doc["created"] == 3 and doc["skipped"] == 0
    assert [a["status"] for a in doc["ads"]] == ["created"] * 3
    assert all(a["ad_id"] and a["creative_id"] and len(a["image_hashes"]) == 1 for a in doc["ads"])


def test_a_bad_token_stops_with_reauth_advice_and_never_shows_the_token(ws, live, capsys, monkeypatch):
    secret = "EAAB-not-the-right-token-1234567890"
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", secret)
    code, out, err = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 1
    assert "190" in out + err and "auth check" in out + err
    assert secret not in out + err
    assert not any(secret in p.read_text(errors="ignore") for p in ws.rglob("*") if p.is_file())
    assert live.state_dump()["ads"] == {} or not names(live.state_dump(), "ads")


def test_a_blocked_account_stops_the_whole_batch(ws, live, capsys):
    live.configure(block_account=True)
    code, out, err = run_cli(ws, capsys, "upload", CAMPAIGN, "--keep-going")
    assert code == 1
    assert "368" in out + err and "review" in (out + err).lower()
    assert "[2/3]" not in out


def test_the_token_never_reaches_output_or_files(ws, sandbox, capsys, monkeypatch):
    secret = "EAAB-sandbox-secret-token-0987654321"
    with Sandbox(token=secret) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", secret)
        code, out, err = run_cli(ws, capsys, "upload", CAMPAIGN)
        code2, out2, err2 = run_cli(ws, capsys, "upload", CAMPAIGN, "--json")
    assert code == 0 and code2 == 0
    assert secret not in out + err + out2 + err2
    files = [p for p in ws.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".upload.json") for p in files) and any(p.name == "assets.md" for p in files)
    assert not any(p.name.startswith("inflight-") for p in files), "a finished call's in-flight file is removed"
    assert not any(secret in p.read_text(errors="ignore") for p in files)


def test_a_second_run_while_one_holds_the_lock_is_refused(ws, live, capsys):
    lock = ads_dir(ws) / ".upload.lock"
    with CampaignLock(ads_dir(ws), CAMPAIGN):  # another run holds it
        code, _, err = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 1
    assert "already being uploaded" in err and ".upload.lock" in err and str(os.getpid()) in err
    assert not names(live.state_dump(), "ads")
    lock.write_text(json.dumps({"pid": 999_999_999, "host": socket.gethostname()}))  # a dead process's words
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 0 and not lock.exists()


def test_multi_image_ads_put_every_hash_in_one_creative(ws, live, capsys):
    make_batch(ws, 2, 3, per_ad=3)
    code, out, _ = run_cli(ws, capsys, "upload", CAMPAIGN)
    assert code == 0, out
    assert out.count("✓ Image uploaded (hash: ") == 6
    assert out.count("- already in the ad account") == 0, "each image of the first upload is new"
    dump = live.state_dump()
    assert len(dump["images"]) == 3 and len(dump["creatives"]) == 2
    rec = json.loads((ads_dir(ws) / "ad-001.upload.json").read_text())
    assert len(rec["image_hashes"]) == 3 and "image_hash" not in rec
    creative = dump["creatives"][rec["creative_id"]]
    assert sorted(i["hash"] for i in creative["asset_feed_spec"]["images"]) == sorted(rec["image_hashes"])
