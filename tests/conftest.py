"""Shared fixtures. ``sandbox``: a started local Graph API; ``graph``: requests against it.

Plain helpers (ids, ``Graph``, image bytes) live in ``support.py`` so any test can import them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
