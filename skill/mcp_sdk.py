"""The parts of the official ``mcp`` SDK the server uses, and nothing else.

``import mcp`` (the package's ``__init__``) loads the client side too (httpx, the OAuth client,
cryptography) and ``mcp.server``'s ``__init__`` the high-level ``MCPServer`` framework: about a
third of the SDK's import time, none of it used by a low-level stdio server. When the SDK is not
loaded yet, the two packages are entered as bare packages (found by the import system, their
``__init__`` not run), so only ``mcp.types``, ``mcp.server.lowlevel``, ``mcp.server.context``
and ``mcp.server.stdio`` load, with what they import themselves. Should that ever fail (a
later SDK that needs its ``__init__``), the SDK is imported the ordinary way instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

BARE = ("mcp", "mcp.server")  # packages whose __init__ is skipped
NEEDED = ("mcp.types", "mcp.server.lowlevel.server", "mcp.server.context", "mcp.server.stdio")


def _bare(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not a package")
    sys.modules[name] = importlib.util.module_from_spec(spec)  # not executed: its __init__ never runs


def _forget_mcp() -> None:
    for name in [n for n in sys.modules if n == "mcp" or n.startswith("mcp.")]:
        del sys.modules[name]


def load() -> dict[str, ModuleType]:
    """The SDK modules the server needs, imported as lean as the installed SDK allows."""
    if "mcp" not in sys.modules:
        try:
            for name in BARE:
                _bare(name)
            return {name: importlib.import_module(name) for name in NEEDED}
        except Exception:  # noqa: BLE001 (any failure: fall back to the ordinary import)
            _forget_mcp()
    return {name: importlib.import_module(name) for name in NEEDED}


def is_lean() -> bool:
    """Whether the SDK's package ``__init__`` was skipped (the high-level server is not loaded)."""
    return "mcp.server.mcpserver" not in sys.modules and "mcp.client" not in sys.modules


_modules = load()
types: Any = _modules["mcp.types"]
Server: Any = _modules["mcp.server.lowlevel.server"].Server
ServerRequestContext: Any = _modules["mcp.server.context"].ServerRequestContext
stdio_server: Any = _modules["mcp.server.stdio"].stdio_server
