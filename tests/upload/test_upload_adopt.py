"""The ad account is the truth: two checkouts, lost records, stale records, a wrong target; over real HTTP.

Every test points the CLI at one sandbox account the way a user points it at Meta (env vars) and
counts what the account holds by name afterwards.
"""

from __future__ import annotations

import collections
import json
import shutil
import time
from pathlib import Path

import pytest

from factories import CAMPAIGN, ads_dir, copy_workspace, edit_json
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_PAGE, SANDBOX_TOKEN, Graph

STEMS = ("notes-app", "receipt", "split-test")
FOUND = "⊙ Found in the account (created earlier)"


@pytest.fixture
def env(tmp_path: Path, sandbox: Sandbox, monkeypatch) -> Sandbox:
    for var in ("META_AD_ACCOUNT", "META_WORKSPACE", "SOCIAL_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    return sandbox


def checkout(tmp_path: Path, name: str) -> Path:
    """A fresh copy of the shipped workspace, without any local record (a second clone, a git clean)."""
    root = tmp_path / name
    root.mkdir()
    return copy_workspace(root)


def upload(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["upload", CAMPAIGN, "--workspace", str(ws), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def live_names(sandbox: Sandbox, kind: str = "ads") -> collections.Counter:
    return collections.Counter(o["name"] for o in sandbox.state_dump()[kind].values()
                               if o.get("status") not in ("DELETED", "ARCHIVED"))


def once(kind: str = "ads") -> dict[str, int]:
    return {f"{CAMPAIGN} - hero-{s}": 1 for s in STEMS}


def records(ws: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text()) for p in ads_dir(ws).glob("*.upload.json")}


def forget(ws: Path) -> None:
    """What `git clean -fdX` does to a workspace: the git-ignored records and ledger go."""
    for p in ads_dir(ws).glob("*.upload.json"):
        p.unlink()
    shutil.rmtree(ads_dir(ws) / ".ledger", ignore_errors=True)


def test_two_checkouts_of_one_workspace_create_every_ad_once(tmp_path, env, capsys):
    first, second = checkout(tmp_path, "a"), checkout(tmp_path, "b")
    code, out, _ = upload(first, capsys)
    assert code == 0 and out.count("✓ Ad created") == 3
    code, out, _ = upload(second, capsys)
    assert code == 0, out
    assert out.count(FOUND) == 3 and "✓ Ad created" not in out and "✓ Creative created" not in out
    assert "Batch complete: 3 ads total, 0 newly uploaded, 3 found in the account" in out
    assert live_names(env) == once() and live_names(env, "creatives") == once()
    assert {n: r["ad_id"] for n, r in records(second).items()} == {n: r["ad_id"] for n, r in records(first).items()}
    assert len(env.state_dump()["images"]) == 3


def test_deleted_records_are_rebuilt_from_the_account(tmp_path, env, capsys):
    ws = checkout(tmp_path, "a")
    assert upload(ws, capsys)[0] == 0
    before = records(ws)
    forget(ws)
    calls = env.request_counts["total"]
    code, out, _ = upload(ws, capsys)
    assert code == 0 and out.count(FOUND) == 3
    assert records(ws) == {n: {**r, "uploaded_at": records(ws)[n]["uploaded_at"]} for n, r in before.items()}
    assert live_names(env) == once() and live_names(env, "creatives") == once()
    assert env.request_counts["total"] - calls == 1, "one batch call: the pre-flight and the ad set's ads"
    code, out, _ = upload(ws, capsys)  # and the records are a cache again
    assert code == 0 and out.count("⊙ Skipped (already uploaded)") == 3


def test_a_creative_left_without_its_ad_is_reused(tmp_path, env, capsys):
    ws = checkout(tmp_path, "a")
    assert upload(ws, capsys)[0] == 0
    ad_id = records(ws)["receipt.upload.json"]["ad_id"]
    creative_id = records(ws)["receipt.upload.json"]["creative_id"]
    del env.api.state["ads"][ad_id]  # as if the run died after the creative: only the creative exists
    forget(ws)
    code, out, _ = upload(ws, capsys)
    assert code == 0, out
    assert out.count(FOUND) == 2 and out.count("✓ Ad created") == 1
    assert records(ws)["receipt.upload.json"]["creative_id"] == creative_id
    assert live_names(env) == once() and live_names(env, "creatives") == once()


def test_an_ad_deleted_in_ads_manager_is_reported_and_recreated_only_when_asked(tmp_path, env, capsys):
    ws = checkout(tmp_path, "a")
    assert upload(ws, capsys)[0] == 0
    old = records(ws)["receipt.upload.json"]["ad_id"]
    assert Graph(env).delete(old).ok  # deleted by hand in Ads Manager
    code, out, err = upload(ws, capsys)
    assert code == 1
    assert f"[2/3] receipt - ⚠ Deleted in the account (ad ID {old})" in out and "--recreate-deleted" in out
    assert err.count("\n") == 1 and "--recreate-deleted" in err
    assert f"{CAMPAIGN} - hero-receipt" not in live_names(env)
    forget(ws)  # the account still says "deleted" without any local record
    code, out, _ = upload(ws, capsys)
    assert code == 1 and "⚠ Deleted in the account" in out and out.count(FOUND) == 2
    code, out, _ = upload(ws, capsys, "--recreate-deleted")
    assert code == 0, out
    assert "creating it again (--recreate-deleted)" in out
    assert out.count("[2/3] receipt - ✓ Complete") == 1, "a re-run prints one line for an ad it creates"
    assert live_names(env) == once()
    assert records(ws)["receipt.upload.json"]["ad_id"] != old


# ---------------------------------------------------------------- pre-flight


def refused(ws: Path, capsys, sandbox: Sandbox, *expected: str) -> None:
    code, out, err = upload(ws, capsys)
    assert code == 1, out + err
    assert err.count("\n") == 1 and err.startswith("Error: "), err
    for text in expected:
        assert text in err, err
    dump = sandbox.state_dump()
    assert dump["images"] == {} and dump["creatives"] == {} and dump["ads"] == {}, "nothing was written"
    assert not list(ads_dir(ws).glob("*.upload.json"))


def test_preflight_refuses_a_missing_adset_naming_the_field(tmp_path, env, capsys):
    ws = checkout(tmp_path, "a")
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(adset_id="555"))
    refused(ws, capsys, env, "batch-upload.json › adset_id", "'555'", "does not exist")
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(adset_id="23847000000001"))
    code, out, _ = upload(ws, capsys)  # fixed: no second creative, nothing left from the refused run
    assert code == 0 and live_names(env, "creatives") == once()


def test_preflight_refuses_a_deleted_adset_or_one_of_another_account(tmp_path, env, capsys):
    ws = checkout(tmp_path, "a")
    assert Graph(env).delete("23847000000001").ok
    refused(ws, capsys, env, "adset_id", "DELETED")
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(adset_id="23847000000002"))
    env.api.state["adsets"]["23847000000002"]["account_id"] = "987654321"
    refused(ws, capsys, env, "adset_id", "belongs to ad account act_987654321, not act_123456789")


def test_preflight_refuses_a_wrong_page_an_inactive_account_and_a_dying_token(tmp_path, env, capsys, monkeypatch):
    ws = checkout(tmp_path, "a")
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(page_id="42"))
    refused(ws, capsys, env, "page_id", "'42'")
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(page_id=SANDBOX_PAGE))
    monkeypatch.setenv("META_AD_ACCOUNT", "act_987654321")
    refused(ws, capsys, env, "META_AD_ACCOUNT", "DISABLED")
    monkeypatch.delenv("META_AD_ACCOUNT")
    env.configure(token_expires_at=int(time.time()) + 600)
    refused(ws, capsys, env, "expires in", "auth check")
    env.configure(token_expires_at=int(time.time()) - 60)
    refused(ws, capsys, env, "not valid")


@pytest.mark.parametrize("damage", ["", '{"uploaded_at": "2026-', "\x00" * 64])
def test_an_empty_or_torn_record_counts_as_absent_and_the_account_settles_the_ad(tmp_path, env, capsys, damage):
    """After a power loss a record renamed into place without fsync may be empty or cut short: the next
    run treats it as absent, finds the ad by name in the account and writes the record again."""
    ws = checkout(tmp_path, "a")
    code, out, _ = upload(ws, capsys)
    assert code == 0 and out.count("✓ Ad created") == 3
    before = records(ws)
    torn = ads_dir(ws) / "receipt.upload.json"
    torn.write_text(damage)
    code, out, _ = upload(ws, capsys, "--dry-run")  # offline: the readable records still count
    assert code == 0 and out.count("Would be skipped") == 2, out
    code, out, _ = upload(ws, capsys)
    assert code == 0, out
    assert out.count(FOUND) == 1 and "✓ Ad created" not in out, out
    assert live_names(env) == once() and live_names(env, "creatives") == once()
    assert records(ws) == {n: {**r, "uploaded_at": records(ws)[n]["uploaded_at"]} for n, r in before.items()}
