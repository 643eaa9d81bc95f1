"""Flat YAML read without PyYAML: ``key: value`` lines of plain words, numbers and quoted strings.

``brand/stack.md``'s settings block is almost always such a list, and importing PyYAML costs about a
third of importing pydantic at every command's start. What is read here is exactly what PyYAML's
safe loader reads (``tests/test_flatyaml.py`` compares the two on generated text); anything else
(nesting, block lists, anchors, escapes, dates, floats, non-ASCII text) gives None, and the caller
parses it with PyYAML, errors and all.
"""

from __future__ import annotations

import re
from typing import Any

_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_PRINTABLE = re.compile(r"[\x20-\x7e\n]*")
# YAML 1.1 words that are not strings (PyYAML's resolver picks them by their first letter)
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL"), None),
}
_RESOLVED_BY_FIRST = "yYnNtTfFoO"  # a plain word starting otherwise is always a string
UNKNOWN = object()  # "not flat: ask PyYAML"


def flat_mapping(text: str) -> dict[str, Any] | None:
    """``key: value`` lines (comments and blank lines allowed) as a dict; None when not that simple."""
    if not _PRINTABLE.fullmatch(text):
        return None
    values: dict[str, Any] = {}
    for line in text.split("\n"):
        stripped = line.rstrip(" ")
        if not stripped or stripped.lstrip(" ").startswith("#"):
            continue
        match = _LINE.fullmatch(stripped)
        if match is None or _resolve_plain(match.group(1)) != match.group(1):
            return None
        value = scalar(match.group(2) or "")
        if value is UNKNOWN:
            return None
        values[match.group(1)] = value
    return values


def scalar(raw: str) -> Any:
    """One value as PyYAML reads it (a comment after it is dropped), or UNKNOWN."""
    raw = raw.strip(" ")
    if not _PRINTABLE.fullmatch(raw):
        return UNKNOWN
    if raw[:1] in ('"', "'"):
        end = raw.find(raw[0], 1)
        body, rest = raw[1:end], raw[end + 1:]
        if end < 0 or "\\" in body or not _is_comment(rest):
            return UNKNOWN
        return body
    if raw[:1] == "[":
        return _flow_list(raw)
    text = raw.split(" #", 1)[0].rstrip(" ")
    if not text or text.startswith("#"):  # nothing before a comment: null
        return None
    if ": " in text or text.endswith(":") or not (text[0].isalnum() or text[0] == "_"):
        return UNKNOWN
    return _resolve_plain(text)


def _is_comment(rest: str) -> bool:
    return not rest.strip(" ") or rest.startswith(" ") and rest.lstrip(" ").startswith("#")


def _resolve_plain(text: str) -> Any:
    if text[0].isdigit():
        return int(text) if _DECIMAL.fullmatch(text) else UNKNOWN
    if text[0] in _RESOLVED_BY_FIRST and text in _WORDS:
        return _WORDS[text]
    return text


def _flow_list(raw: str) -> Any:
    end = raw.find("]")
    if end < 0 or not _is_comment(raw[end + 1:]):
        return UNKNOWN
    inner = raw[1:end].strip(" ")
    if not inner:
        return []
    items = [item.strip(" ") for item in inner.split(",")]
    if not all(_WORD.fullmatch(item) for item in items):
        return UNKNOWN
    values = [_resolve_plain(item) for item in items]
    return UNKNOWN if any(value is UNKNOWN for value in values) else values
