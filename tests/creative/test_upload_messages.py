"""The upload's messages under errors, word for word as the product prints them, over the sandbox:
rate limits naming the ad they hold up, resumed ads on one line, long waits stopping cleanly,
expired image hashes uploaded again once, policy rejections, and --verbose request lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factories import CAMPAIGN, ads_dir, edit_json
from skill.cli import main
from skill.images import md5_hex
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, Graph

STEMS = ("notes-app", "receipt", "split-test")


@pytest.fixture
def ws(ws: Path, live: Sandbox) -> Path:
    return ws


def upload(ws: Path, capsys, *args: str) -> tuple[int, list[str], str]:
    """Exit code, the lines printed (without the pacer's "Approaching Meta's rate limit" lines), stderr."""
    code = main(["upload", CAMPAIGN, "--workspace", str(ws), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, [line for line in out.strip().splitlines() if not line.startswith("Approaching")], err


def forget(ws: Path, sandbox: Sandbox, *stems: str) -> None:
    """As if only the other ads had been uploaded: drop these ads' records, ledgers and objects."""
    for stem in stems:
        rec = json.loads((ads_dir(ws) / f"{stem}.upload.json").read_text())
        (ads_dir(ws) / f"{stem}.upload.json").unlink()
        (ads_dir(ws) / ".ledger" / f"{stem}.json").unlink(missing_ok=True)
        sandbox.api.state["ads"].pop(rec["ad_id"])
        sandbox.api.state["creatives"].pop(rec["creative_id"])


def test_a_rate_limit_names_the_ad_it_holds_up_then_the_resumed_ads_print_one_line(ws, sandbox, capsys):
    assert upload(ws, capsys)[0] == 0
    forget(ws, sandbox, "receipt", "split-test")
    sandbox.configure(rate_budget=10, rate_window_s=1)  # the look-up and 3 of the 4 writes fit
    code, lines, _ = upload(ws, capsys)
    assert code == 0, lines
    assert lines[0] == "[1/3] notes-app - ⊙ Skipped (already uploaded)"
    rest = [line for line in lines[lines.index("[2/3] receipt - Rate limited (error 80004)"):]
            if not line.startswith("Ad names (")]  # the names line is checked in tests/upload/test_names_and_skips.py
    attempt = 0
    while rest[2 * attempt].endswith("Rate limited (error 80004)"):  # as many as the small budget takes
        assert rest[2 * attempt] == "[2/3] receipt - Rate limited (error 80004)"
        assert re.fullmatch(rf"Waiting [0-9.]+s before retry \(attempt {attempt + 1}/3(; Meta estimates \d+s)?\)"
                            r"\.\.\.", rest[2 * attempt + 1]), rest[2 * attempt + 1]
        attempt += 1
    assert attempt >= 1 and rest[2 * attempt] == "✓ Retry successful"
    assert rest[2 * attempt + 1:2 * attempt + 4] == ["[2/3] receipt - ✓ Complete", "[3/3] split-test - ✓ Complete",
                                                     "Batch complete: 3 ads total, 2 newly uploaded"]


def test_a_first_run_still_prints_the_full_block(ws, sandbox, capsys):
    code, lines, err = upload(ws, capsys)
    assert code == 0 and "HTTP " not in err, "request lines only with --verbose"
    assert lines[:2] == ["[1/3] notes-app", "✓ Validation passed"]
    assert lines[2].startswith("✓ Image uploaded (hash: ") and lines[4].endswith("- PAUSED")


def set_stack(ws: Path, text: str) -> None:
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text() + "\n```yaml\n" + text + "\n```\n")


def test_error_17_with_a_long_wait_stops_cleanly_and_a_rerun_resumes(ws, sandbox, capsys):
    set_stack(ws, "retry:\n  attempts: 2\n  max_wait: 600")
    sandbox.configure(user_limit_calls=1, user_limit_minutes=45)
    code, lines, _ = upload(ws, capsys)
    assert code == 1
    stop = next(line for line in lines if line.startswith("Batch stopped: "))
    assert "Rate limited (error 17): Meta asks to wait 45 min before the next call, longer than max_wait (10 min)" \
        in stop and "error 17" in stop
    assert "Re-run the same command in 45 min" in lines[-1] and "nothing is created twice" in lines[-1]
    assert sandbox.state_dump()["ads"] == {}
    code, lines, _ = upload(ws, capsys)
    assert code == 0 and lines[-2] == "Batch complete: 3 ads created, all PAUSED"


def test_error_17_within_max_wait_says_how_long_meta_asks_and_retries(ws, sandbox, capsys):
    sandbox.configure(user_limit_calls=1, user_limit_minutes=45)
    code, lines, _ = upload(ws, capsys)
    assert code == 0, lines
    assert any(re.fullmatch(r"Rate limited \(error 17\)\. Waiting [0-9.]+s before retry \(attempt 1/3; "
                            r"Meta estimates 45 min\)\.\.\.", line) for line in lines), lines
    assert "✓ Retry successful" in lines


def test_an_expired_image_hash_is_uploaded_again_and_the_ad_retried_once(ws, sandbox, capsys):
    receipt = ws / "campaigns" / CAMPAIGN / "images" / "receipt.png"
    md5 = md5_hex(receipt)
    Graph(sandbox).upload_image(receipt.read_bytes(), "receipt.png")  # in the account: the look-up finds it
    sandbox.configure(expired_hashes=[md5])
    code, lines, _ = upload(ws, capsys)
    assert code == 0, lines
    block = lines[lines.index("[2/3] receipt"):lines.index("[3/3] split-test")]
    assert block[2].startswith("↻ Meta no longer had the image") and block[3].startswith("✓ Image uploaded")
    assert "already in the ad account" not in block[3]
    assert len(sandbox.state_dump()["ads"]) == 3


def test_an_image_that_stays_missing_fails_the_ad_after_one_retry(ws, sandbox, capsys):
    edit_json(ads_dir(ws) / "batch-upload.json", lambda d: d.update(ads=d["ads"][1:2]))
    sandbox.configure(images_expire=True)  # every upload expires at once
    code, lines, _ = upload(ws, capsys)
    assert code == 1
    assert "[1/1] receipt - ✗ Failed" in lines
    assert any("expired" in line and "error 100/1487212" in line for line in lines)
    assert sandbox.state_dump()["creatives"] == {}


def test_a_policy_rejection_gives_metas_reason_and_where_to_read_the_review(ws, sandbox, capsys):
    sandbox.configure(policy_words=["receipt"])
    code, lines, _ = upload(ws, capsys)
    assert code == 1
    failed = lines.index("[1/3] notes-app - ✗ Failed")
    assert "Ad Creative Rejected: Your ad creative doesn't follow our Advertising Policies" in lines[failed + 1]
    hint = next(line for line in lines if line.startswith("  → "))
    assert "review feedback in Ads Manager (https://www.facebook.com/adsmanager/manage/ads?act=123456789)" in hint
    assert "Account Quality" in hint


def test_verbose_logs_one_line_per_request_without_the_token(ws, sandbox, capsys):
    code, lines, err = upload(ws, capsys, "--verbose")
    assert code == 0
    http = [line for line in err.splitlines() if line.startswith("HTTP ")]
    assert len(http) == sandbox.request_count >= 2, "one line per request"
    assert re.fullmatch(r"HTTP POST /v26\.0/ \(batch of 7\) → 200 in \d+ ms · usage acct \d+%, buc \d+% max, "
                        r"app \d+% · fbtrace_id A\w+", http[0]), "the pre-flight's reads and the image look-up"
    assert "(batch of 3) → 200" in http[1], "the 3 images"
    assert "(batch of 6) → 200" in http[2], "3 creatives, 3 ads"
    assert SANDBOX_TOKEN not in err and not any(line.startswith("HTTP ") for line in lines)


def test_meta_ads_debug_http_logs_too(ws, sandbox, capsys, monkeypatch):
    monkeypatch.setenv("META_ADS_DEBUG", "http")
    code, _, err = upload(ws, capsys, "--dry-run")
    assert code == 0 and "HTTP " not in err, "a dry run calls nothing"
    assert main(["auth", "check", "--workspace", str(ws)]) in (0, 1)
    gets = [line for line in capsys.readouterr().err.splitlines() if line.startswith("HTTP GET ")]
    assert gets and all(re.fullmatch(r"HTTP GET /v26\.0/\S+ → \d{3} in \d+ ms( · .+)?", line) for line in gets), gets


def test_a_rate_limit_met_between_rounds_names_the_ad_too(ws, sandbox, capsys):
    set_stack(ws, "retry:\n  attempts: 0")  # the client does not re-send: the upload's next round does
    sandbox.configure(rate_budget=10, rate_window_s=1)
    code, lines, _ = upload(ws, capsys)
    assert code == 0, lines
    at = next(i for i, line in enumerate(lines) if line.endswith(" - Rate limited (error 80004)"))
    assert re.fullmatch(r"\[[123]/3\] [a-z-]+ - Rate limited \(error 80004\)", lines[at])
    assert lines[at + 1].startswith("Waiting ") and "before retry (attempt 1/" in lines[at + 1]
    assert "✓ Retry successful" in lines[at + 2:]
    assert lines[-2] == "Batch complete: 3 ads created, all PAUSED"


def test_what_counts_as_a_policy_rejection_or_a_lost_image():
    from skill.creative.outcomes import is_image_hash_error, is_policy_rejection
    from skill.errors import GraphError

    assert is_policy_rejection(GraphError("(#2635) refused", code=2635))
    assert is_policy_rejection(GraphError("Invalid parameter", code=100, subcode=1487301,
                                          user_msg="Your ad creative doesn't follow our Advertising Policies"))
    assert not is_policy_rejection(GraphError("Invalid parameter", code=100, subcode=1487195,
                                              user_msg="The call-to-action type 'SEE_MENU' is not valid"))
    missing = GraphError("Invalid parameter", code=100, subcode=1487212, user_msg="Please specify an image")
    assert is_image_hash_error(missing) and not is_policy_rejection(missing)
