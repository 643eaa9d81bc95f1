"""``retry:`` in brand/stack.md reaches the Graph client: attempts, base (the environment wins), max_wait."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factories import copy_workspace
from skill.errors import ConfigError, RateLimited, WaitTooLong
from skill.events import Collector
from skill.graph import GraphClient
from skill.graph.retry import format_wait, wait_too_long
from skill.settings import load_settings
from support import SANDBOX_TOKEN


def settings_with(tmp_path: Path, block: str, **env: str):
    ws = copy_workspace(tmp_path)
    stack = ws / "brand" / "stack.md"
    stack.write_text(stack.read_text() + f"\n```yaml\n{block}\n```\n")
    return load_settings(ws, env={"FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN, **env})


def test_retry_settings_reach_the_client(tmp_path):
    settings = settings_with(tmp_path, "retry:\n  attempts: 1\n  base: 2.5\n  max_wait: 120")
    assert settings.retry_base_s == 2.5
    client = GraphClient.from_settings(settings)
    assert (client.max_retries, client.retry_base_s, client.max_wait_s, client.retry_cap_s) == (1, 2.5, 120.0, 120.0)
    assert load_settings(settings.workspace, env={"META_RETRY_BASE_S": "0.5"}).retry_base_s == 0.5


def test_top_level_max_wait_is_accepted_and_a_bad_value_is_named(tmp_path):
    assert GraphClient.from_settings(settings_with(tmp_path, "max_wait: 60")).max_wait_s == 60.0
    with pytest.raises(ConfigError, match="retry.attempts"):
        settings_with(tmp_path / "b", "retry:\n  attempts: 99")


def test_a_client_retry_runs_against_the_sandbox_with_the_configured_attempts(tmp_path, sandbox):
    settings = settings_with(tmp_path, "retry:\n  attempts: 1", META_GRAPH_URL=sandbox.url)
    settings = settings.model_copy(update={"graph_url": sandbox.url, "ad_account": "act_123456789",
                                           "retry_base_s": 0.01})
    sandbox.configure(user_limit_calls=2, user_limit_minutes=1)
    events = Collector()
    client = GraphClient.from_settings(settings, report=events, retry_base_s=0.01)
    with pytest.raises(RateLimited):
        client.get("act_123456789/ads")
    [line] = [line for line in events.lines if line.startswith("Rate limited")]
    assert re.fullmatch(r"Rate limited \(error 17\)\. Waiting [0-9.]+s before retry \(attempt 1/1; "
                        r"Meta estimates 60s\)\.\.\.", line), line


def test_wait_too_long_is_pure():
    limited = RateLimited("slow down", code=17, retry_after_s=2700)
    stop = wait_too_long(limited, 600)
    assert isinstance(stop, WaitTooLong) and "45 min" in stop.message and "10 min" in stop.message
    assert wait_too_long(limited, None) is None and wait_too_long(limited, 3600) is None
    assert [format_wait(s) for s in (0.25, 10, 119, 2700, 7500)] == ["0.25s", "10s", "119s", "45 min", "2 h 5 min"]
