"""One line per HTTP request to Meta, for ``--verbose`` and ``META_ADS_DEBUG=http``.

    HTTP POST /v26.0/act_123/adimages → 200 in 41 ms · usage acct 3%, app 2% · fbtrace_id AbC…

Only the method, the path (never the query: nothing secret travels there, and nothing is
printed that could be), the status, the time, the usage headers in short and Meta's trace id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from skill.graph.usage import parse_usage

TRACE_HEADER = "x-fb-trace-id"


def trace_id(headers: Mapping[str, str], payload: Any) -> str | None:
    """Meta's fbtrace_id: the error body's, else the ``x-fb-trace-id`` header."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict) and error.get("fbtrace_id"):
        return str(error["fbtrace_id"])
    lower = {str(k).lower(): v for k, v in headers.items()}
    return lower.get(TRACE_HEADER)


def usage_text(headers: Mapping[str, str]) -> str:
    usage = parse_usage(headers)
    parts = []
    account = usage.raw.get("x-ad-account-usage")
    if isinstance(account, dict) and "acc_id_util_pct" in account:
        parts.append(f"acct {float(account['acc_id_util_pct']):.0f}%")
    buc = usage.raw.get("x-business-use-case-usage")
    if buc:
        parts.append(f"buc {usage.max_pct:.0f}% max")
    app = usage.raw.get("x-app-usage")
    if isinstance(app, dict) and "call_count" in app:
        parts.append(f"app {app['call_count']}%")
    if usage.regain_s:
        parts.append(f"regain in {usage.regain_s / 60:.0f} min")
    return ", ".join(parts) or "none"


def http_line(method: str, url: str, status: int | None, elapsed_s: float, headers: Mapping[str, str] | None = None,
              payload: Any = None, ops: int | None = None) -> str:
    path = urlsplit(url).path or "/"
    what = f"{method} {path}" + (f" (batch of {ops})" if ops else "")
    line = f"HTTP {what} → {status if status is not None else 'no answer'} in {elapsed_s * 1000:.0f} ms"
    if headers is not None:
        line += f" · usage {usage_text(headers)}"
        trace = trace_id(headers, payload)
        if trace:
            line += f" · fbtrace_id {trace}"
    return line


def batch_size(data: Mapping[str, Any] | None, files: Mapping[str, Any] | None = None) -> int | None:
    """Operations in a batch call, whose ``batch`` is a form value or a multipart part ``(None, text)``."""
    part = (files or {}).get("batch")
    raw = part[1] if isinstance(part, tuple) and len(part) > 1 else (data or {}).get("batch")
    try:
        return len(json.loads(raw)) if isinstance(raw, str) else None
    except ValueError:
        return None
