"""A local Graph API (Marketing API subset) on loopback: the kit's sandbox and its test backbone.

Production code never imports this package; only the CLI's ``--sandbox`` flag, the
``meta-ads sandbox`` command and the tests start it. What it covers: ``docs/sandbox.md``.

    from skill.sandbox import Sandbox
    with Sandbox(token="sandbox-token") as sb:
        ...  # point the client at f"{sb.url}/v26.0/..."
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

DEFAULT_TOKEN = "sandbox-token"

if TYPE_CHECKING:
    from skill.sandbox.app import Sandbox

__all__ = ["DEFAULT_TOKEN", "Sandbox"]


def __getattr__(name: str) -> Any:
    """``Sandbox`` is imported on first use, so ``meta-ads --help`` doesn't load the server."""
    if name == "Sandbox":
        from skill.sandbox.app import Sandbox

        return Sandbox
    raise AttributeError(name)
