"""``python -m skill``: the same as the ``meta-ads`` command (``mcp`` starts lean, see ``mcp_boot``)."""

from skill.mcp_boot import entry

raise SystemExit(entry())
