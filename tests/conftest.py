"""Shared fixtures. ``sandbox``: a started local Graph API; ``graph``: requests against it.

Plain helpers (ids, ``Graph``, image bytes) live in ``support.py`` so any test can import them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factories import copy_workspace
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, Graph


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh sandbox on a free port (report runs complete after 0.2 s)."""
    with Sandbox(token=SANDBOX_TOKEN, report_delay_s=0.2) as sb:
        yield sb


@pytest.fixture
def graph(sandbox: Sandbox) -> Graph:
    return Graph(sandbox)


CLEARED_ENV = ("FACEBOOK_ACCESS_TOKEN", "META_AD_ACCOUNT", "META_WORKSPACE", "META_GRAPH_URL", "SOCIAL_CLI_HOME",
               "META_ADS_DEBUG", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL")


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example workspace, with nothing of the developer's environment: no token, no
    account, no Graph URL, no model key, an empty home; retries after 10 ms."""
    for var in CLEARED_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    return copy_workspace(tmp_path)


@pytest.fixture
def live(ws: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The CLI pointed at the test's sandbox the way a user points it at Meta: env vars."""
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    return sandbox


@pytest.fixture
def sandbox_ws(ws: Path, live: Sandbox) -> Path:
    """A copy of the example workspace, with the environment pointing the CLI at ``sandbox``."""
    return ws
