"""Fixtures of the video tests: ``clips`` (tiny generated videos, once per session)."""

from __future__ import annotations

import pytest
from video_clips import Clips


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> Clips:
    return Clips(tmp_path_factory.mktemp("clips"))
