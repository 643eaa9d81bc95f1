"""Workspace discovery, stack.md in both styles, environment overrides, path resolution."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from factories import EXAMPLE_WORKSPACE
from skill.errors import ConfigError
from skill.settings import load_settings, parse_stack_text


def write_stack(ws: Path, text: str) -> Path:
    (ws / "brand").mkdir(parents=True, exist_ok=True)
    (ws / "brand" / "stack.md").write_text(text)
    return ws


def test_bare_lines_as_in_the_seed():
    values = parse_stack_text("# Stack\n\nad_account: act_123456789\ndefault_adset_id: 23847000000001\n"
                              "target_cpa: 25.00\n- page_id: 42 # the brand page\n")
    assert values == {"ad_account": "act_123456789", "default_adset_id": 23847000000001,
                      "target_cpa": "25.00", "page_id": 42}


def test_fenced_yaml_block_and_other_fences_ignored():
    text = "intro\n```yaml\nad_account: act_1\ntarget_cpa: 30\n```\n```bash\nfoo: bar\n```\n"
    assert parse_stack_text(text) == {"ad_account": "act_1", "target_cpa": 30}


def test_shipped_stack_md():
    s = load_settings(EXAMPLE_WORKSPACE, env={})
    assert s.ad_account == "act_123456789"
    assert s.stack.target_cpa == Decimal("25.00") and s.stack.page_id == "123456789"
    assert s.api_version == "v26.0" and s.stack_warnings == []


def test_environment_overrides_stack(tmp_path):
    ws = write_stack(tmp_path / "ws", "ad_account: act_1\napi_version: v25.0\n")
    env = {"META_AD_ACCOUNT": "999", "META_API_VERSION": "v26.0", "META_GRAPH_URL": "http://127.0.0.1:9/",
           "META_RETRY_BASE_S": "0.01"}
    s = load_settings(ws, env=env)
    assert (s.ad_account, s.api_version, s.graph_url, s.retry_base_s) == ("act_999", "v26.0", "http://127.0.0.1:9", 0.01)


def test_workspace_from_env_and_default(tmp_path, monkeypatch):
    ws = write_stack(tmp_path / "elsewhere", "ad_account: act_5\n")
    assert load_settings(env={"META_WORKSPACE": str(ws)}).ad_account == "act_5"
    monkeypatch.chdir(tmp_path)
    write_stack(tmp_path / "workspace", "ad_account: act_6\n")
    assert load_settings(env={}).ad_account == "act_6"


def test_unknown_setting_is_reported(tmp_path):
    ws = write_stack(tmp_path / "ws", "ad_acount: act_1\n")
    s = load_settings(ws, env={})
    assert s.ad_account is None
    assert s.stack_warnings and "unknown setting 'ad_acount'" in s.stack_warnings[0]


def test_bad_value_names_the_file_and_field(tmp_path):
    ws = write_stack(tmp_path / "ws", "target_cpa: lots\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(ws, env={})
    assert "stack.md" in str(exc.value) and "target_cpa" in str(exc.value)


def test_token_is_secret(tmp_path):
    s = load_settings(tmp_path, env={"FACEBOOK_ACCESS_TOKEN": "EAAB-fake-token"})
    assert "EAAB-fake-token" not in repr(s) and "EAAB-fake-token" not in s.model_dump_json()
    assert s.require_token() == "EAAB-fake-token" and s.token_source == "FACEBOOK_ACCESS_TOKEN"


def test_relative_paths_resolve_against_the_workspace(tmp_path):
    ws = tmp_path / "workspace"
    s = load_settings(ws, env={})
    assert s.resolve("campaigns/c/a.json") == ws / "campaigns/c/a.json"
    assert s.resolve("workspace/campaigns/c/a.json") == ws / "campaigns/c/a.json"
    assert s.resolve("/abs/a.json") == Path("/abs/a.json")
    beside = tmp_path / "cfg"
    beside.mkdir()
    (beside / "a.json").write_text("{}")
    assert s.resolve("a.json", base=beside) == beside / "a.json"


def test_naming_template(tmp_path):
    ws = write_stack(tmp_path / "ws", "ad_name_template: '{name} | {campaign}'\n")
    assert load_settings(ws, env={}).ad_name("summer", "hero") == "hero | summer"


def test_atomic_writes_keep_ordinary_permissions(tmp_path):
    import os
    import stat

    from skill.fileio import write_text_atomic

    fresh = tmp_path / "new.md"
    write_text_atomic(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.md"
    kept.write_text("old")
    kept.chmod(0o640)
    write_text_atomic(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"
