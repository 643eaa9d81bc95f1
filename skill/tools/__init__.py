"""Every job the kit does, as one typed function each, one module a job.

Tool names are the command names (``auth check`` → ``auth_check``); argument names are the long
options (``dry_run``). The CLI, ``meta-ads tools``, the router and agents all derive from the
input models here (see ``registry.py``). A new job adds a module and its name to the import below.
"""

from __future__ import annotations

from skill.registry import REGISTRY, Tool

# Registration order is the order agents and --help list the tools in.
# isort: off
from skill.tools import upload  # noqa: F401
from skill.tools import copy  # noqa: F401
from skill.tools import insights  # noqa: F401
from skill.tools import account  # noqa: F401
from skill.tools import preview  # noqa: F401
from skill.tools import launch  # noqa: F401
from skill.tools import audiences  # noqa: F401
from skill.tools import tracking  # noqa: F401
from skill.tools import act  # noqa: F401
# isort: on

__all__ = ["REGISTRY", "all_tools", "get_tool"]


def all_tools() -> list[Tool]:
    return list(REGISTRY.values())


def get_tool(name: str) -> Tool | None:
    return REGISTRY.get(name)
