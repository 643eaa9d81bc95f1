"""The CLI's command index (``skill/command_index.py``) names every tool, its module and summary.

``meta-ads --help`` lists commands from the index without importing the tools, so a tool missing
from it would have no command; a stale summary would show old help.
"""

from __future__ import annotations

from skill.command_index import INDEX
from skill.tools import all_tools


def expected_rows() -> list[tuple[tuple[str, ...], str, str, str]]:
    return [(t.command, t.func.__module__.rpartition(".")[2], t.name, t.summary) for t in all_tools()]


def test_the_index_lists_every_tool_in_registry_order_with_its_summary():
    expected = expected_rows()
    missing = [row for row in expected if row not in INDEX]
    assert not missing, "add to skill/command_index.py INDEX:\n" + "\n".join(f"    {row!r}," for row in missing)
    assert list(INDEX) == expected, "skill/command_index.py INDEX is out of order or has a row no tool has"
