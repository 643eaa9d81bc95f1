"""Regular expressions compiled on first use: the router's phrase tables cost nothing to import.

The router holds ~70 patterns and a request uses a third of them (it stops at the first intent that
matches); compiling them all cost ~40 ms of every ``route`` and ``ask``. A ``LazyPattern`` compiles
the first time one of its methods is looked up and from then on hands out the compiled pattern's
own methods, so matching costs what it did.
"""

from __future__ import annotations

import re
from typing import Any

_DELEGATED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
              "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """``re.compile(pattern, flags)``, done when first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only reached before the first compile (or for other names)
        compiled = re.compile(*self._source)
        for attribute in _DELEGATED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern used like ``re.compile``'s (typed as one: it answers the same methods)."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
