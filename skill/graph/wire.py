"""Small pure helpers of the Graph client: form encoding, token stripping, what a failure means."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from urllib3.exceptions import NewConnectionError

from skill.errors import GraphError, RateLimited
from skill.graph.batch import BatchOp, BatchResult

LOOK_UP_HINT = ("the request reached Meta but the answer was lost: the object may exist; re-run the same "
                 "command, it looks objects up by name before creating them again")


def strip_token(url: str) -> str:
    parts = urlsplit(url)
    if "access_token" not in parts.query:
        return url
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def reached_server(exc: requests.RequestException) -> bool:
    """Whether the request may have reached Meta (False only when no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", exc.args[0])
        return not isinstance(reason, NewConnectionError)
    return True


def rewind(files: dict[str, Any] | None) -> None:
    """File objects are read by each attempt: start each attempt from their beginning."""
    for value in (files or {}).values():
        handle = value[1] if isinstance(value, tuple) and len(value) > 1 else value
        if hasattr(handle, "seek"):
            handle.seek(0)


def resend_cause(again: list[tuple[int, BatchOp]], results: list[BatchResult]) -> GraphError | None:
    """Why operations are sent again (their own errors, not those of dependents that were not
    run): the rate limit with the longest estimate, else any error, else None (null entries)."""
    names = {op.name for _, op in again if op.name}
    errors = [results[i].error for i, op in again if not op.dependencies & names]
    limited = [e for e in errors if isinstance(e, RateLimited)]
    if limited:
        return max(limited, key=lambda e: e.retry_after_s or 0)
    return next((e for e in errors if e is not None), None)


def form(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Form and query values: dicts and lists as JSON strings, as the Graph API expects."""
    if data is None:
        return None
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict | list):
            out[key] = json.dumps(value, separators=(",", ":"))
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = value
    return out
