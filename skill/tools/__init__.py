"""Every job the kit does, as one typed function each, one module a job.

Tool names are the command names (``auth check`` → ``auth_check``); argument names are the long
options (``dry_run``). The CLI, ``meta-ads tools``, the router and agents all derive from the
input models here (see ``registry.py``). A new job adds a module to ``MODULES`` below and its
commands to ``skill/command_index.py`` (the CLI lists commands from that index without importing
every tool; ``tests/test_command_index.py`` checks the two agree).

Importing this package loads no tool; ``all_tools()``, ``get_tool()`` and ``REGISTRY`` load them all.
"""

from __future__ import annotations

import importlib
from typing import Any

from skill import registry
from skill.registry import Tool

# Registration order is the order agents and --help list the tools in.
MODULES: tuple[str, ...] = ("upload", "copy", "insights", "account", "preview", "launch", "audiences", "tracking", "act")

__all__ = ["MODULES", "REGISTRY", "all_tools", "get_tool", "load_module"]


def load_module(name: str) -> None:
    """Import one tool module (registering its tools)."""
    importlib.import_module(f"skill.tools.{name}")


def _load_all() -> dict[str, Tool]:
    for name in MODULES:
        load_module(name)
    return registry.REGISTRY


def _rank(tool: Tool) -> int:
    module = tool.func.__module__.rpartition(".")[2]
    return MODULES.index(module) if module in MODULES else len(MODULES)


def all_tools() -> list[Tool]:
    """Every tool in ``MODULES`` order (whichever module a command happened to load first)."""
    return sorted(_load_all().values(), key=_rank)


def get_tool(name: str) -> Tool | None:
    """One tool by name, loading only its module when the command index knows it."""
    if name not in registry.REGISTRY:
        from skill.command_index import INDEX

        module = next((row[1] for row in INDEX if row[2] == name), None)
        if module is not None:
            load_module(module)
    return registry.REGISTRY.get(name) or _load_all().get(name)


def __getattr__(name: str) -> Any:
    if name == "REGISTRY":  # every tool, registered on first use
        return _load_all()
    raise AttributeError(f"module 'skill.tools' has no attribute {name!r}")
