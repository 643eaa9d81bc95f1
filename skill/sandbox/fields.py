"""Field selection (``fields=id,name,creative{id,name}``), filtering, and cursor paging."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from skill.sandbox.errors import ApiError, invalid_param
from skill.sandbox.request import Request, int_param, json_param, str_param

DEFAULT_LIMIT = 25
MAX_LIMIT = 5000
Expander = Callable[[str, dict[str, Any]], dict[str, Any] | None]


def parse_fields(text: str | None) -> list[tuple[str, list | None]]:
    """``"id,creative{id,name}"`` → ``[("id", None), ("creative", [("id", None), ("name", None)])]``."""
    if not text:
        return []
    out: list[tuple[str, list | None]] = []
    depth, start, i = 0, 0, 0
    parts: list[str] = []
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if "{" in part and part.endswith("}"):
            name, _, inner = part.partition("{")
            out.append((name.split(".")[0].strip(), parse_fields(inner[:-1])))
        else:
            out.append((part.split(".")[0], None))
    return out


def select(obj: dict[str, Any], wanted: list[tuple[str, list | None]], node_type: str,
           expand: Expander | None = None) -> dict[str, Any]:
    """The requested fields of ``obj`` (``id`` always); an unknown field is error 100 as Meta sends it."""
    out: dict[str, Any] = {}
    for name, sub in wanted:
        if name not in obj:
            raise ApiError(f"(#100) Tried accessing nonexisting field ({name}) on node type ({node_type})", 100)
        value = obj[name]
        if sub is not None and expand is not None:
            target = expand(name, obj)
            if target is not None:
                value = select(target, sub, name.capitalize(), expand)
        if value is not None:
            out[name] = value
    if "id" in obj:
        out.setdefault("id", obj["id"])
    return _id_first(out)


def _id_first(obj: dict[str, Any]) -> dict[str, Any]:
    if "id" not in obj:
        return obj
    return {"id": obj["id"], **{k: v for k, v in obj.items() if k != "id"}}


# ---------------------------------------------------------------- filtering

OPERATORS = {
    "EQUAL": lambda a, b: _s(a) == _s(b),
    "NOT_EQUAL": lambda a, b: _s(a) != _s(b),
    "CONTAIN": lambda a, b: _s(b).lower() in _s(a).lower(),
    "NOT_CONTAIN": lambda a, b: _s(b).lower() not in _s(a).lower(),
    "IN": lambda a, b: _s(a) in {_s(x) for x in _listify(b)},
    "NOT_IN": lambda a, b: _s(a) not in {_s(x) for x in _listify(b)},
    "STARTS_WITH": lambda a, b: _s(a).lower().startswith(_s(b).lower()),
    "GREATER_THAN": lambda a, b: float(a) > float(b),
    "LESS_THAN": lambda a, b: float(a) < float(b),
}


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def apply_filtering(rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """``filtering=[{"field","operator","value"}]``; fields like ``ad.name`` match ``name``."""
    rules = json_param(params, "filtering", [])
    if not isinstance(rules, list):
        raise invalid_param("Invalid filtering", "filtering must be a JSON array of {field, operator, value}.")
    for rule in rules:
        if not isinstance(rule, dict) or "field" not in rule or "operator" not in rule:
            raise invalid_param("Invalid filtering", "Each filter needs field, operator and value.")
        op = OPERATORS.get(str(rule["operator"]).upper())
        if op is None:
            raise invalid_param("Invalid filtering",
                                f"Operator {rule['operator']!r} is not one of {', '.join(OPERATORS)}.")
        key = _field_key(str(rule["field"]))
        rows = [r for r in rows if op(r.get(key), rule.get("value"))]
    return rows


def _field_key(name: str) -> str:
    """``ad.name`` → ``name``; ``adset.id`` → ``adset_id``; ``campaign.id`` → ``campaign_id``."""
    if "." not in name:
        return name
    obj, _, attr = name.partition(".")
    if obj in ("adset", "campaign", "creative") and attr == "id":
        return f"{obj}_id"
    return attr


# ---------------------------------------------------------------- paging


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"sandbox:{index}".encode()).decode().rstrip("=")


def _uncursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(text.removeprefix("sandbox:"))
    except (ValueError, UnicodeDecodeError):
        raise invalid_param("Invalid Cursor", "The paging cursor is not valid.") from None


def page(req: Request, rows: list[Any]) -> dict[str, Any]:
    """``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"?, "previous"?}}``."""
    limit = max(1, min(MAX_LIMIT, int_param(req.params, "limit", DEFAULT_LIMIT)))
    after, before = str_param(req.params, "after"), str_param(req.params, "before")
    start = _uncursor(after) + 1 if after else 0
    if before:
        end = _uncursor(before)
        start = max(0, end - limit)
    chunk = rows[start:start + limit]
    body: dict[str, Any] = {"data": chunk}
    if not chunk:
        return body
    body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk) - 1)}}
    if start + len(chunk) < len(rows):
        body["paging"]["next"] = page_url(req, after=_cursor(start + len(chunk) - 1))
    if start > 0:
        body["paging"]["previous"] = page_url(req, before=_cursor(start))
    return body


def page_url(req: Request, **cursor: str) -> str:
    """The full URL of another page: the same request, a new cursor, never the token."""
    params = {k: _plain(v) for k, v in req.params.items() if k not in ("after", "before", "access_token")}
    params.update(cursor)
    return f"{req.base_url}/{req.version}/{req.path_str()}?{urlencode(params)}"


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
