"""The JSON documents agents read: one per command, the same over ``--json`` and MCP.

Every document carries ``ok`` (success or failure), numbers as JSON numbers (Decimals too, never
strings), timestamps and dates as ISO 8601 text. It is done here, once, for every result model,
so a new command's result follows the rules without doing anything. ``reference/json.md``
documents each command's shape.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, SecretStr

from skill.errors import KitError


def plain(value: Any) -> Any:
    """A Python value as JSON-ready data: Decimal → number, datetime → ISO 8601, Path → text."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, SecretStr):
        return "***"
    return str(value)


def _number(value: Decimal) -> int | float | None:
    if not value.is_finite():
        return None
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:  # type: ignore[operator]
        return int(value)
    return float(value)


def result_ok(result: BaseModel) -> bool:
    """Success: the model's own ``ok`` when it has one, and an exit code of 0."""
    own = getattr(result, "ok", True)
    return bool(own if isinstance(own, bool) else True) and int(getattr(result, "exit_code", 0)) == 0


def result_document(result: BaseModel) -> dict[str, Any]:
    """What ``--json`` prints and MCP returns for a result: ``ok`` first, then the model's fields."""
    data = plain(result)
    return {"ok": result_ok(result), **{k: v for k, v in data.items() if k != "ok"}}


def error_document(exc: KitError) -> dict[str, Any]:
    """What ``--json`` prints and MCP returns for an error: ``ok: false``, ``error``, ``message``, ``hint``."""
    return {"ok": False, **plain(exc.to_dict())}
