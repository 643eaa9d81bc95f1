"""The router's phrase patterns compile on first use (start-up, issue 18 target 5), and match as compiled ones do."""

from __future__ import annotations

import importlib
import pkgutil
import re

import skill.nl
from skill.nl.lazyre import LazyPattern, lazy


def _patterns(value: object) -> list[object]:
    if isinstance(value, (list, tuple)):
        return [p for item in value for p in _patterns(item)]
    return [value] if isinstance(value, (re.Pattern, LazyPattern)) else []


def test_no_router_module_compiles_a_pattern_at_import():
    compiled, lazy_count = [], 0
    for info in pkgutil.iter_modules(skill.nl.__path__):
        module = importlib.import_module(f"skill.nl.{info.name}")
        for name, value in vars(module).items():
            for pattern in _patterns(value):
                if isinstance(pattern, re.Pattern):
                    compiled.append(f"{info.name}.{name}")
                else:
                    lazy_count += 1
    assert not compiled, f"compile these with skill.nl.lazyre.lazy: {compiled}"
    assert lazy_count > 50  # the check sees the tables


def test_a_lazy_pattern_matches_as_the_compiled_one_does():
    source, text = r"\b(dry)[- ]?(run)\b", "Dry-run the batch, then DRY RUN again"
    pattern, compiled = lazy(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert "_source" in vars(pattern) and "search" not in vars(pattern)  # nothing compiled yet
    assert pattern.search(text).group(0) == compiled.search(text).group(0) == "Dry-run"
    assert "search" in vars(pattern)  # compiled once, its methods kept
    assert pattern.findall(text) == compiled.findall(text) and pattern.sub("x", text) == compiled.sub("x", text)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.pattern == source and pattern.flags == compiled.flags
