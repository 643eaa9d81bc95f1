"""A local Graph API (Marketing API subset) on loopback: the kit's sandbox and its test backbone.

Production code never imports this package; only the CLI's ``--sandbox`` flag, the
``meta-ads sandbox`` command and the tests start it. What it covers: ``docs/sandbox.md``.

    from skill.sandbox import Sandbox
    with Sandbox(token="sandbox-token") as sb:
        ...  # point the client at f"{sb.url}/v26.0/..."
"""

from skill.sandbox.app import DEFAULT_TOKEN, Sandbox

__all__ = ["DEFAULT_TOKEN", "Sandbox"]
