"""Retry policy as constants and pure functions: what to retry, and how long to wait.

Unit-tested without sleeping. The client applies them; nothing here does I/O.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from skill.errors import (
    AccountBlocked,
    GraphConnectionError,
    GraphError,
    RateLimited,
    TransientError,
)

DEFAULT_MAX_RETRIES = 3
DEFAULT_BASE_S = 10.0  # 10 s, 20 s, 40 s ...
CAP_FACTOR = 30  # the longest single wait is 30 × the base (300 s by default)
JITTER = 0.2  # ± 20 %

# Meta's codes. Rate limits: app, user, page, custom, ad account and business use case.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613}) | frozenset(range(80000, 80015))
TRANSIENT_CODES = frozenset({1, 2})
UNKNOWN_ERROR_SUBCODE = 99  # code 1 / subcode 99: "an unknown error occurred" — not transient
NEVER_RETRY_CODES = frozenset({10, 100, 190, 294, 368, 2635}) | frozenset(range(200, 300))
RATE_LIMIT_294_SUBCODE = 2446079  # 294 with this subcode is the ad-account rate limit


def is_rate_limit(code: int | None, subcode: int | None) -> bool:
    if code is None:
        return False
    return code in RATE_LIMIT_CODES or (code == 294 and subcode == RATE_LIMIT_294_SUBCODE)


def should_retry(error: BaseException | None) -> bool:
    """Whether an error is worth another attempt. ``None`` stands for a null batch entry."""
    if error is None:
        return True
    if isinstance(error, AccountBlocked):
        return False
    if isinstance(error, RateLimited | TransientError | GraphConnectionError):
        return True
    if not isinstance(error, GraphError):
        return False
    code, subcode = error.code, error.subcode
    if is_rate_limit(code, subcode):
        return True
    if code in NEVER_RETRY_CODES:
        return False
    if error.is_transient:
        return True
    if code == 1 and subcode == UNKNOWN_ERROR_SUBCODE:
        return False
    if code in TRANSIENT_CODES:
        return True
    return error.http_status is not None and error.http_status >= 500


def cap_for(base_s: float) -> float:
    return base_s * CAP_FACTOR


def retry_delay(
    attempt: int,
    error: BaseException | None = None,
    *,
    base_s: float = DEFAULT_BASE_S,
    cap_s: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0).

    Meta's own estimate wins when it gave one; otherwise base × 2^attempt, jittered ±20 %.
    Never more than ``cap_s`` (default 30 × base).
    """
    cap = cap_for(base_s) if cap_s is None else cap_s
    backoff = base_s * (2**attempt) * (1 - JITTER + 2 * JITTER * rand())
    estimate = getattr(error, "retry_after_s", None)
    if estimate:
        return min(max(float(estimate), backoff), cap)
    return min(backoff, cap)


def describe(error: BaseException | None) -> str:
    """The head of a retry line: ``Rate limited (error 80004)``."""
    if error is None:
        return "Not run by Meta (null batch entry)"
    if isinstance(error, RateLimited) or (isinstance(error, GraphError) and is_rate_limit(error.code, error.subcode)):
        return f"Rate limited (error {error.code})"
    if isinstance(error, GraphConnectionError):
        return "No answer from Meta"
    if isinstance(error, GraphError) and error.code is not None:
        return f"Transient error (code {error.code})"
    return "Transient error"


def retry_message(error: BaseException | None, delay_s: float, attempt: int, max_retries: int) -> str:
    """``Rate limited (error 80004). Waiting 10s before retry (attempt 1/3)...``"""
    wait = f"{delay_s:.0f}s" if delay_s >= 1 else f"{delay_s:.2f}s"
    return f"{describe(error)}. Waiting {wait} before retry (attempt {attempt + 1}/{max_retries})..."
