"""Reading files people write: UTF-8, size-bounded, JSON with line and column on errors, and
pydantic validation whose first problem becomes one ConfigError line naming file and field.

``UserFile`` is the base of every model of such a file: unknown keys are kept (``extra="allow"``)
so ``unknown_keys`` can report them as warnings instead of dropping or rejecting them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from skill.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
MAX_FILE_BYTES = 5 * 1024 * 1024  # a batch config or spec is a few KB; anything huge is a mistake


def checked(problem: str | None, value: Any) -> Any:
    if problem:
        raise ValueError(problem)
    return value


class UserFile(BaseModel):
    """Base for models of files people write: unknown keys are kept so they can be reported."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)  # built on first use


def unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    """Dotted paths of keys the model did not expect, at any depth."""
    found = [f"{prefix}{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                index = f"[{i}]" if isinstance(value, list) else ""
                found += unknown_keys(item, f"{prefix}{name}{index}.")
    return found


def format_loc(loc: tuple[Any, ...]) -> str:
    """``("ads", 1, "name")`` → ``ads[1].name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_json_file(path: Path) -> Any:
    """Read a JSON file; a missing file or bad JSON is a ConfigError naming line and column."""
    text = read_user_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=str(path)
        ) from None
    except RecursionError:
        raise ConfigError("nested too deeply to be a batch config or spec", file=str(path),
                          field="(top level)") from None


def read_user_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """A text file someone wrote: UTF-8, not huge; anything else is a ConfigError naming where."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise ConfigError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a file", file=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read file ({exc.strerror or exc.__class__.__name__})", file=str(path)) from None
    if len(raw) > limit:
        raise ConfigError(f"file is over {limit // (1024 * 1024)} MB; is it the right file?", file=str(path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                          file=str(path), field=f"line {line}") from None


def parse_model(model: type[M], data: Any, *, file: str, ad_for: Any = None) -> M:
    """Validate ``data`` against ``model``; the first problem becomes a one-line ConfigError."""
    try:
        return model.model_validate(data)
    except RecursionError:
        raise ConfigError("nested too deeply", file=file, field="(top level)") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        ad = ad_for(loc) if ad_for else None
        msg = err.get("msg", "invalid").removeprefix("Value error, ")
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise ConfigError(msg, file=file, field=format_loc(loc) or None, ad=ad) from None


def load_model(model: type[M], path: Path) -> M:
    return parse_model(model, read_json_file(path), file=str(path))
