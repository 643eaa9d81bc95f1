"""Copy tests' shared set-up: a workspace whose environment knows only the fake Messages API's
key (``ws``), and the fake API itself (``fake``), which the copy commands reach through
``ANTHROPIC_BASE_URL``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factories import copy_workspace
from fake_anthropic import FakeAnthropic
from support import COPY_KEY

CLEARED = ("ANTHROPIC_AUTH_TOKEN", "META_WORKSPACE", "FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT",
           "META_COPY_TIMEOUT_S", "ANTHROPIC_PROFILE", "SOCIAL_CLI_HOME")


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in CLEARED:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(tmp_path / "anthropic-config"))
    monkeypatch.setenv("ANTHROPIC_API_KEY", COPY_KEY)
    monkeypatch.setenv("META_COPY_MAX_RETRIES", "1")
    return copy_workspace(tmp_path)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic(api_key=COPY_KEY) as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server
