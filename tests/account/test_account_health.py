"""``meta-ads auth check`` over real HTTP against the sandbox: validity, expiry, scopes, accounts,
advice for each problem, and never the token."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skill.account.health import AuthReport, _expiry
from skill.cli import main
from skill.sandbox import Sandbox

TOKEN = "EAAB-test-token-not-real-0001"
LOGIN = 'social auth login --scopes "ads_read,ads_management,pages_read_engagement,business_management"'


@pytest.fixture
def live(monkeypatch):
    """A sandbox the CLI reaches as if it were Meta: META_GRAPH_URL and a token in the environment."""
    with Sandbox(token=TOKEN) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("META_AD_ACCOUNT", "act_123456789")
        yield sb


def check(ws: Path, capsys, *extra: str, secret: str = TOKEN) -> tuple[int, str, str]:
    code = main(["auth", "check", *extra, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert secret not in out + err, "the token reached the output"
    return code, out, err


def test_valid_token_lists_the_accounts(ws, capsys, live):
    code, out, _ = check(ws, capsys)
    assert code == 0 and "Token: valid (from FACEBOOK_ACCESS_TOKEN)" in out
    assert "User: Sandbox User (10000000000001)" in out and "Missing scopes: none" in out
    assert "act_123456789  ACTIVE" in out and "Sandbox Ad Account ← configured" in out
    assert "act_987654321  DISABLED" in out and "✓ Ready" in out and "⚠" not in out


def test_json_report_never_carries_the_token(ws, capsys, live):
    code, out, _ = check(ws, capsys, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["valid"] and doc["missing_scopes"] == [] and doc["token_source"] == "FACEBOOK_ACCESS_TOKEN"
    assert {a["id"]: a["status"] for a in doc["ad_accounts"]} == {"act_123456789": "ACTIVE",
                                                                 "act_987654321": "DISABLED"}
    assert doc["days_left"] > 7 and doc["problems"] == [] and doc["warnings"] == []


def test_expiring_token_is_a_warning(ws, capsys, live):
    live.configure(token_expires_at=int(time.time()) + 2 * 86400)
    code, out, _ = check(ws, capsys)
    assert code == 0 and "⚠ the token expires in 2 day(s)" in out and LOGIN in out
    assert "✓ Usable, but see the warnings above." in out


def test_missing_scopes_are_listed_with_the_login_command(ws, capsys, live):
    live.configure(scopes=["ads_read", "ads_management"])
    code, out, _ = check(ws, capsys)
    assert code == 0 and "Missing scopes: pages_read_engagement, business_management" in out
    assert "⚠ missing scopes pages_read_engagement, business_management" in out and LOGIN in out
    code, out, _ = check(ws, capsys, "--json")
    assert json.loads(out)["scopes"] == ["ads_management", "ads_read"]


def test_invalid_token_fails_with_advice(ws, capsys, live, monkeypatch):
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", "EAAB-wrong-token-9999")
    code, out, _ = check(ws, capsys, secret="EAAB-wrong-token-9999")
    assert code == 1 and "NOT valid" in out and "Invalid OAuth access token" in out and LOGIN in out
    code, out, _ = check(ws, capsys, "--json", secret="EAAB-wrong-token-9999")
    assert code == 1 and json.loads(out)["valid"] is False


def test_expired_token_says_when(ws, capsys, live):
    live.configure(token_expires_at=int(time.time()) - 3600)
    code, out, _ = check(ws, capsys)
    assert code == 1 and "✗ the token expired on" in out and LOGIN in out


def test_disabled_account_fails(ws, capsys, live, monkeypatch):
    monkeypatch.setenv("META_AD_ACCOUNT", "act_987654321")
    code, out, _ = check(ws, capsys)
    assert code == 1 and "✗ act_987654321 is DISABLED" in out and "Ads Manager" in out


def test_account_the_token_cannot_reach_fails(ws, capsys, live, monkeypatch):
    monkeypatch.setenv("META_AD_ACCOUNT", "act_555")
    code, out, _ = check(ws, capsys)
    assert code == 1 and "✗ act_555 is not among this token's ad accounts" in out


def test_sandbox_flag_checks_the_sandbox_token(ws, capsys):
    code, out, _ = check(ws, capsys, "--sandbox", secret="sandbox-token")
    assert code == 0 and "(from sandbox)" in out and "act_123456789  ACTIVE" in out


def test_without_a_token_says_how_to_get_one(ws, capsys):
    code, _, err = check(ws, capsys)
    assert code == 1 and "no access token found" in err and "FACEBOOK_ACCESS_TOKEN" in err


def test_zero_expiry_is_never():
    report = AuthReport(token_source="env", valid=True)
    _expiry(report, 0, datetime.now(UTC))
    assert report.never_expires and report.expires_at is None and report.days_left is None and report.warnings == []
    _expiry(report, int(time.time()) + 30 * 86400, datetime.now(UTC))
    assert report.days_left == 30 and report.warnings == []
