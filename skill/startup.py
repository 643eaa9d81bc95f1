"""Process start-up of the ``meta-ads`` command: pydantic's plugin scan is skipped.

The kit uses no pydantic plugin. Unless told otherwise, pydantic looks for plugins the first time
it builds a model: it imports ``importlib.metadata`` (and through it ``email``, ``zipfile``, ``csv``)
and reads the entry points of every installed distribution, which costs about as much as
importing pydantic itself. The command therefore sets ``PYDANTIC_DISABLE_PLUGINS=__all__``
(pydantic's own switch) when the environment does not set it; a user's own setting wins.

With every plugin disabled, pydantic's loader returns no plugins before it looks at anything, so
the command puts a loader in its place that does just that, without the import (a name it does not
have, asked by a newer pydantic, loads the real loader). When the user enables plugins (any other
value), pydantic's own loader runs untouched.
Only the command's entry point calls this; importing ``skill`` as a library changes nothing.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from typing import Any

PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
ALL_DISABLED = ("__all__", "1", "true")  # the values pydantic's loader reads as "no plugins at all"
LOADER = "pydantic.plugin._loader"


def _no_plugins(*_args: Any, **_kwargs: Any) -> Iterable[Any]:
    """What pydantic's ``get_plugins`` returns when every plugin is disabled."""
    return ()


def _real_loader(name: str) -> Any:
    """Anything else pydantic asks of its loader (a newer pydantic): the real module answers."""
    if name.startswith("__"):  # the import system's questions (``__path__`` …): a plain module's answer
        raise AttributeError(name)
    if getattr(sys.modules.get(LOADER), "__spec__", None) is None:  # still the stand-in
        sys.modules.pop(LOADER, None)
    return getattr(importlib.import_module(LOADER), name)


def skip_pydantic_plugins() -> None:
    """Disable pydantic's plugin look-up for this process, unless the environment says otherwise."""
    os.environ.setdefault(PLUGINS_ENV, "__all__")
    if os.environ[PLUGINS_ENV] not in ALL_DISABLED or LOADER in sys.modules:
        return
    loader = types.ModuleType(LOADER, "pydantic's plugin loader with every plugin disabled (skill/startup.py)")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = _real_loader  # type: ignore[attr-defined]
    sys.modules[LOADER] = loader
