"""Graph batch requests: up to 50 operations in one HTTP call, with named results that later
operations reference (``{result=NAME:$.id}``), so image → creative → ad travel together.

Answers: one entry per operation, ``{code, headers, body}`` with ``body`` a JSON string,
or ``null`` when Meta did not run the operation (retry it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from skill.errors import GraphError

MAX_OPS_PER_CALL = 50
REFERENCE_MARK = "{result="
_REFERENCE = re.compile(r"(\{result=[^}]+\})")


def ref(name: str, path: str = "$.id") -> str:
    """A reference to an earlier operation's result: ``{result=img0:$.images.*.hash}``."""
    return f"{{result={name}:{path}}}"


def encode_value(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _quote_keeping_refs(text: str) -> str:
    parts = _REFERENCE.split(text)
    return "".join(p if _REFERENCE.fullmatch(p) else quote_plus(p) for p in parts)


def encode_body(body: dict[str, Any]) -> str:
    """A form-encoded body; dicts and lists become JSON strings as Meta expects.

    ``{result=…}`` references are left unescaped so Meta can substitute them.
    """
    return "&".join(
        f"{quote_plus(k)}={_quote_keeping_refs(encode_value(v))}" for k, v in body.items() if v is not None
    )


@dataclass
class BatchOp:
    method: str
    relative_url: str
    body: dict[str, Any] | None = None
    name: str | None = None
    depends_on: str | None = None
    omit_response_on_success: bool | None = None
    attached_files: str | None = None

    def to_wire(self) -> dict[str, Any]:
        op: dict[str, Any] = {"method": self.method.upper(), "relative_url": self.relative_url.lstrip("/")}
        if self.body:
            op["body"] = encode_body(self.body)
        for key in ("name", "depends_on", "attached_files"):
            if getattr(self, key):
                op[key] = getattr(self, key)
        if self.omit_response_on_success is not None:
            op["omit_response_on_success"] = self.omit_response_on_success
        return op

    @property
    def needs_other_results(self) -> bool:
        """Whether it references another operation (then it cannot be re-sent alone)."""
        text = self.relative_url + json.dumps(self.body or {})
        return REFERENCE_MARK in text or bool(self.depends_on)

    @property
    def is_read(self) -> bool:
        return self.method.upper() == "GET"


@dataclass
class BatchResult:
    """One operation's answer. ``data`` is the parsed body; ``error`` a typed GraphError."""

    ok: bool
    status: int | None
    data: Any = None
    error: GraphError | None = None
    headers: dict[str, str] = field(default_factory=dict)


def entry_headers(entry: dict[str, Any]) -> dict[str, str]:
    headers = entry.get("headers") or []
    if isinstance(headers, dict):
        return {str(k).lower(): str(v) for k, v in headers.items()}
    return {str(h.get("name", "")).lower(): str(h.get("value", "")) for h in headers if isinstance(h, dict)}


def parse_body(raw: Any) -> Any:
    """A JSON string (a batch entry's body, an error's error_data) parsed; anything else as it is."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def chunks(ops: list[BatchOp], size: int = MAX_OPS_PER_CALL) -> list[list[int]]:
    """Indexes of ``ops`` in calls of at most ``size`` (references must stay within one call)."""
    return [list(range(i, min(i + size, len(ops)))) for i in range(0, len(ops), size)]
