"""Where the token comes from: FACEBOOK_ACCESS_TOKEN, else social-cli's config in every place
social-cli itself keeps it (SOCIAL_FLOW_HOME; SOCIAL_CLI_HOME / META_CLI_HOME as home folders;
~/.social-cli, ~/.social-flow), and a pasted token's stray whitespace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factories import copy_workspace
from skill.cli import main
from skill.errors import ConfigError
from skill.sandbox import Sandbox
from skill.settings import load_settings

TOKEN = "EAAB-settings-token-not-real-0042"


def write_config(path: Path, config: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))


def profile_config(token: str = TOKEN, account: str | int = "act_31337", active: str = "ads") -> dict:
    return {"activeProfile": active,
            "profiles": {"default": {"tokens": {"facebook": "EAAB-default-profile"}},
                         "ads": {"tokens": {"facebook": token}, "defaults": {"marketingAdAccountId": account}}}}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def settings(tmp_path: Path, home: Path, **env: str):
    return load_settings(tmp_path / "ws", env={"HOME": str(home), **env})


# ---------------------------------------------------------------- where social-cli keeps its config


def test_social_cli_home_is_a_home_folder_holding_dot_social_cli(tmp_path, home):
    root = tmp_path / "portable"
    write_config(root / ".social-cli" / "config.json", profile_config())
    s = settings(tmp_path, home, SOCIAL_CLI_HOME=str(root))
    assert s.token.get_secret_value() == TOKEN and s.token_source == "social-cli config"
    assert s.ad_account == "act_31337"


def test_social_cli_home_also_holds_the_newer_dot_social_flow(tmp_path, home):
    root = tmp_path / "portable"
    write_config(root / ".social-flow" / "config.json", profile_config())
    assert settings(tmp_path, home, SOCIAL_CLI_HOME=str(root)).token.get_secret_value() == TOKEN


def test_social_flow_home_is_the_app_folder_itself(tmp_path, home):
    write_config(home / ".social-cli" / "config.json", profile_config(token="EAAB-older-login"))
    write_config(tmp_path / "flow" / "config.json", profile_config())
    s = settings(tmp_path, home, SOCIAL_FLOW_HOME=str(tmp_path / "flow"))
    assert s.token.get_secret_value() == TOKEN, "SOCIAL_FLOW_HOME names the config folder and comes first"


def test_meta_cli_home_is_read_too(tmp_path, home):
    write_config(tmp_path / "old" / ".social-cli" / "config.json", profile_config())
    assert settings(tmp_path, home, META_CLI_HOME=str(tmp_path / "old")).token.get_secret_value() == TOKEN


def test_the_older_one_profile_layout(tmp_path, home):
    write_config(home / ".social-cli" / "config.json",
                 {"tokens": {"facebook": TOKEN}, "defaults": {"marketingAdAccountId": "act_777"}})
    s = settings(tmp_path, home)
    assert s.token.get_secret_value() == TOKEN and s.ad_account == "act_777"


def test_a_numeric_account_id_and_an_at_sign_profile_name(tmp_path, home):
    write_config(home / ".social-flow" / "config.json", profile_config(account=31337, active="@ads"))
    s = settings(tmp_path, home)
    assert s.token.get_secret_value() == TOKEN and s.ad_account == "act_31337"


@pytest.mark.parametrize("config", [
    {"activeProfile": "ads", "profiles": ["not", "a", "mapping"]},
    {"activeProfile": "ads", "profiles": {"ads": {"tokens": "EAAB-as-a-string"}}},
    {"activeProfile": "ads", "profiles": {"ads": {"tokens": {"facebook": ""}, "defaults": {"marketingAdAccountId": True}}}},
])
def test_odd_configs_give_no_token_rather_than_a_crash(tmp_path, home, config):
    write_config(home / ".social-cli" / "config.json", config)
    s = settings(tmp_path, home)
    assert s.token is None and s.ad_account is None and s.token_source is None


def test_the_environment_wins_over_every_config(tmp_path, home):
    write_config(tmp_path / "flow" / "config.json", profile_config(token="EAAB-config-token"))
    s = settings(tmp_path, home, SOCIAL_FLOW_HOME=str(tmp_path / "flow"), FACEBOOK_ACCESS_TOKEN=TOKEN)
    assert s.token.get_secret_value() == TOKEN and s.token_source == "FACEBOOK_ACCESS_TOKEN"


# ---------------------------------------------------------------- whitespace around and inside a token


@pytest.mark.parametrize("raw", [f"{TOKEN}\n", f"{TOKEN}\r", f"  {TOKEN}  ", f"\t{TOKEN}\r\n"])
def test_stray_whitespace_around_the_token_is_dropped(tmp_path, home, raw):
    s = settings(tmp_path, home, FACEBOOK_ACCESS_TOKEN=raw)
    assert s.require_token() == TOKEN
    write_config(home / ".social-cli" / "config.json", profile_config(token=raw))
    assert settings(tmp_path, home).require_token() == TOKEN


def test_a_blank_environment_token_falls_back_to_social_cli(tmp_path, home):
    write_config(home / ".social-cli" / "config.json", profile_config())
    s = settings(tmp_path, home, FACEBOOK_ACCESS_TOKEN="  \n")
    assert s.token.get_secret_value() == TOKEN and s.token_source == "social-cli config"


def test_a_token_broken_across_lines_is_a_clear_error_without_the_token(tmp_path, home):
    s = settings(tmp_path, home, FACEBOOK_ACCESS_TOKEN="EAAB-first-half\nsecond-half")
    with pytest.raises(ConfigError) as caught:
        s.require_token()
    text = str(caught.value) + str(caught.value.hint)
    assert "FACEBOOK_ACCESS_TOKEN" in text and "line breaks" in text
    assert "first-half" not in text and "second-half" not in text


# ---------------------------------------------------------------- end to end, over loopback


@pytest.fixture
def cli_env(tmp_path: Path, home: Path, monkeypatch) -> Path:
    for var in ("FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT", "SOCIAL_CLI_HOME", "SOCIAL_FLOW_HOME",
                "META_CLI_HOME", "META_GRAPH_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    return copy_workspace(tmp_path)


def test_auth_check_with_the_token_from_social_cli_home(cli_env, tmp_path, monkeypatch, capsys):
    """A portable social-cli home: auth check finds the token there, Meta (the sandbox) accepts it."""
    root = tmp_path / "portable"
    write_config(root / ".social-cli" / "config.json", profile_config(account="act_123456789"))
    with Sandbox(token=TOKEN) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("SOCIAL_CLI_HOME", str(root))
        code = main(["auth", "check", "--workspace", str(cli_env), "--json"])
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    doc = json.loads(out)
    assert code == 0 and doc["valid"] and doc["token_source"] == "social-cli config"


def test_a_pasted_token_with_a_carriage_return_works_at_once(cli_env, monkeypatch, capsys):
    """Sent as it was, '\\r' in the Authorization header is refused locally and retried as a network fault."""
    with Sandbox(token=TOKEN) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", TOKEN + "\r")
        code = main(["auth", "check", "--workspace", str(cli_env)])
        calls = sb.request_counts["total"]
    out, err = capsys.readouterr()
    assert code == 0 and "Token: valid (from FACEBOOK_ACCESS_TOKEN)" in out
    assert "retry" not in (out + err).lower() and calls >= 1 and TOKEN not in out + err


def test_a_broken_token_fails_before_any_call(cli_env, monkeypatch, capsys):
    with Sandbox(token=TOKEN) as sb:
        monkeypatch.setenv("META_GRAPH_URL", sb.url)
        monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", "EAAB-first-half\nsecond-half")
        code = main(["auth", "check", "--workspace", str(cli_env)])
        calls = sb.request_counts.get("total", 0)
    out, err = capsys.readouterr()
    assert code == 1 and calls == 0 and "line breaks" in err and "Traceback" not in err
    assert "first-half" not in out + err
