"""Meta's error JSON → the kit's typed errors (``skill.errors``), each with a hint."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from skill.errors import (
    AccountBlocked,
    GraphError,
    InvalidParameter,
    PermissionDenied,
    RateLimited,
    TokenInvalid,
    TransientError,
    redact,
)
from skill.graph.batch import parse_body
from skill.graph.retry import (
    TOO_MANY_REQUESTS,
    TRANSIENT_CODES,
    UNKNOWN_ERROR_SUBCODE,
    is_rate_limit,
)
from skill.graph.usage import parse_usage

HINTS = {
    TokenInvalid: "the token is expired or invalid: log in again (`social auth login`) or export a fresh "
    "FACEBOOK_ACCESS_TOKEN, then re-run; nothing done is lost",
    PermissionDenied: "the token lacks a permission or the object is not yours: "
    'social auth login --scopes "ads_read,ads_management,pages_read_engagement"',
    AccountBlocked: "the ad account is restricted: stop, and review it at "
    "https://www.facebook.com/adsmanager/account_quality before trying again",
    RateLimited: "Meta's rate limit: wait a few minutes and re-run; nothing done is lost",
    InvalidParameter: "Meta refused a field: fix what the message names (for ads, `meta-ads validate CAMPAIGN` "
    "checks the copy first), then re-run",
    TransientError: "Meta had a temporary problem: re-run the same command in a few minutes; nothing done is lost",
}


def classify(code: int | None, subcode: int | None, is_transient: bool, http_status: int | None) -> type[GraphError]:
    """The kit's error class for Meta's code, subcode, ``is_transient`` and the HTTP status."""
    if code == 368:
        return AccountBlocked
    if code == 190:
        return TokenInvalid
    if code == 100:
        return InvalidParameter
    if is_rate_limit(code, subcode):
        return RateLimited
    if code == 10 or (code is not None and 200 <= code < 300):
        return PermissionDenied
    if code == 1 and subcode == UNKNOWN_ERROR_SUBCODE and not is_transient:
        return GraphError
    if code in TRANSIENT_CODES or is_transient or (http_status or 0) >= 500:
        return TransientError
    if code is None and http_status == TOO_MANY_REQUESTS:
        return RateLimited
    return GraphError


def _retry_after(error: Mapping[str, Any], data: Any, headers: Mapping[str, str] | None) -> float | None:
    for source in (error, data if isinstance(data, Mapping) else {}):
        minutes = source.get("estimated_time_to_regain_access")
        if isinstance(minutes, int | float) and minutes > 0:
            return float(minutes) * 60
    usage = parse_usage(headers or {})
    return usage.regain_s or None


def parse_error(
    http_status: int | None,
    payload: Any,
    headers: Mapping[str, str] | None = None,
    secrets: tuple[str, ...] = (),
) -> GraphError:
    """Build the typed error for a failed answer (a body without ``error`` still gives one)."""
    error = payload.get("error") if isinstance(payload, Mapping) else None
    if not isinstance(error, Mapping):
        text = json.dumps(payload)[:200] if payload is not None else "no body"
        cls = classify(None, None, False, http_status)
        extra = {"retry_after_s": _retry_after({}, None, headers)} if cls is RateLimited else {}
        return cls(redact(f"HTTP {http_status}: {text}", secrets), http_status=http_status, hint=HINTS.get(cls),
                   **extra)
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    transient = bool(error.get("is_transient"))
    cls = classify(code, subcode, transient, http_status)
    data = parse_body(error.get("error_data"))  # error_data may be a JSON string
    kwargs: dict[str, Any] = {
        "code": code,
        "subcode": subcode,
        "error_type": error.get("type"),
        "user_title": _clean(error.get("error_user_title"), secrets),
        "user_msg": _clean(error.get("error_user_msg"), secrets),
        "fbtrace_id": error.get("fbtrace_id"),
        "is_transient": transient,
        "http_status": http_status,
        "error_data": data,
        "hint": HINTS.get(cls),
    }
    if cls is RateLimited:
        kwargs["retry_after_s"] = _retry_after(error, data, headers)
    return cls(redact(str(error.get("message") or "unknown error"), secrets), **kwargs)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _clean(value: Any, secrets: tuple[str, ...]) -> str | None:
    return redact(str(value), secrets) if value else None
