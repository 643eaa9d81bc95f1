"""Is a batch config a launch (it creates its campaign and ad sets)? Light: no launch models or rules.

``validate`` and ``upload`` ask this first; only a launch config then loads the launch package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from skill.errors import ConfigError
from skill.models import read_json_file
from skill.validate import resolve_config_path

if TYPE_CHECKING:
    from skill.settings import Settings


def is_launch_config(settings: Settings, campaign: str | None, config: str | Path | None = None) -> bool:
    """Does this campaign's batch config create its campaign and ad sets? (False when unreadable.)"""
    try:  # the kit's own reader: size, encoding and nesting limits; anything wrong is reported by the real load
        data = read_json_file(resolve_config_path(settings, campaign or "", config))
    except ConfigError:
        return False
    return isinstance(data, dict) and (isinstance(data.get("campaign"), dict) or "adsets" in data)
