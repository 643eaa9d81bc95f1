"""The token and ad account from social-cli's config, when the environment does not set them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factories import CAMPAIGN, copy_workspace
from skill.cli import main
from skill.settings import load_settings

TOKEN_A, TOKEN_B = "EAAB-social-token-aaaaaaaa", "EAAB-social-token-bbbbbbbb"


def write_config(folder: Path, active: str | None = "work", **extra) -> Path:
    config = {
        "profiles": {
            "default": {"tokens": {"facebook": TOKEN_A}, "defaults": {"marketingAdAccountId": "act_111"}},
            "work": {"tokens": {"facebook": TOKEN_B, "instagram": "ig"}, "defaults": {"marketingAdAccountId": "222"}},
        },
        **extra,
    }
    if active:
        config["activeProfile"] = active
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_active_profile_token_and_account(tmp_path, home):
    write_config(home / ".social-cli")
    s = load_settings(tmp_path / "ws", env={"HOME": str(home)})
    assert s.token.get_secret_value() == TOKEN_B and s.token_source == "social-cli config"
    assert s.ad_account == "act_222"


def test_no_active_profile_means_default(tmp_path, home):
    write_config(home / ".social-cli", active=None)
    s = load_settings(tmp_path / "ws", env={"HOME": str(home)})
    assert s.token.get_secret_value() == TOKEN_A and s.ad_account == "act_111"


def test_social_cli_home_wins_then_social_cli_then_social_flow(tmp_path, home):
    write_config(home / ".social-flow", active="default")
    s = load_settings(tmp_path / "ws", env={"HOME": str(home)})
    assert s.token.get_secret_value() == TOKEN_A, "the newer ~/.social-flow is read too"
    write_config(home / ".social-cli", active="work")
    assert load_settings(tmp_path / "ws", env={"HOME": str(home)}).token.get_secret_value() == TOKEN_B
    custom = write_config(tmp_path / "elsewhere", active="default")
    s = load_settings(tmp_path / "ws", env={"HOME": str(home), "SOCIAL_CLI_HOME": str(custom)})
    assert s.token.get_secret_value() == TOKEN_A


def test_environment_and_stack_md_come_first(tmp_path, home):
    write_config(home / ".social-cli")
    ws = copy_workspace(tmp_path)  # its stack.md sets ad_account act_123456789
    s = load_settings(ws, env={"HOME": str(home), "FACEBOOK_ACCESS_TOKEN": "env-token-123"})
    assert s.token.get_secret_value() == "env-token-123" and s.token_source == "FACEBOOK_ACCESS_TOKEN"
    assert s.ad_account == "act_123456789"
    s = load_settings(ws, env={"HOME": str(home), "META_AD_ACCOUNT": "999"})
    assert s.ad_account == "act_999" and s.token.get_secret_value() == TOKEN_B


def test_a_broken_config_is_ignored(tmp_path, home):
    (home / ".social-cli").mkdir(parents=True)
    (home / ".social-cli" / "config.json").write_text("{not json")
    s = load_settings(tmp_path / "ws", env={"HOME": str(home)})
    assert s.token is None and s.ad_account is None


def test_the_social_cli_token_never_reaches_output(tmp_path, home, monkeypatch, capsys):
    write_config(home / ".social-cli")
    for var in ("FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT", "SOCIAL_CLI_HOME", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    ws = copy_workspace(tmp_path)
    for args in (["upload", CAMPAIGN, "--dry-run"], ["upload", CAMPAIGN, "--dry-run", "--json"],
                 ["ask", "dry run the summer sale", "--json"], ["route", "upload it all"]):
        main([*args, "--workspace", str(ws)])
        out, err = capsys.readouterr()
        assert TOKEN_B not in out + err
