"""Retry policy as constants and pure functions: what to retry, and how long to wait.

Unit-tested without sleeping. The client applies them; nothing here does I/O.

Reads and writes differ. A read can always be asked again. A write is re-sent only when
Meta's answer says it did not happen:

- ``should_retry(error)``: is another attempt worth it at all (the error kind).
- ``write_not_done(error)``: for a plain ``POST``: Meta answered with an error body, so
  the write did not happen and may be re-posted (rate limits, codes 1 / 2, HTTP 5xx with
  an error). No answer (timeout, dropped connection, a 5xx without a body) is ambiguous:
  the client raises ``GraphConnectionError(may_have_succeeded=True)`` instead.
- ``entry_not_done(error)``: for a write inside a batch, stricter: only a rate limit says
  the operation was refused before it ran. Codes 1 / 2 on a batch entry are left to the
  caller, which looks the object up by name before creating it again.
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
    WaitTooLong,
)

DEFAULT_MAX_RETRIES = 3
DEFAULT_BASE_S = 10.0  # 10 s, 20 s, 40 s ...
CAP_FACTOR = 30  # the longest single wait is 30 × the base (300 s by default)
JITTER = 0.2  # ± 20 %
MIN_RATE_WAIT_S = 0.05  # after a rate limit, never re-send at once

# Meta's codes. Rate limits: app, user, page, custom, ad account and business use case.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613}) | frozenset(range(80000, 80015))
TRANSIENT_CODES = frozenset({1, 2})
UNKNOWN_ERROR_SUBCODE = 99  # code 1 / subcode 99: "an unknown error occurred" — not transient
NEVER_RETRY_CODES = frozenset({10, 100, 190, 294, 368, 2635}) | frozenset(range(200, 300))
RATE_LIMIT_294_SUBCODE = 2446079  # 294 with this subcode is the ad-account rate limit
STOP_CODES = frozenset({190, 368})  # the token or the account is unusable: stop everything
TOO_MANY_REQUESTS = 429


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
    status = error.http_status or 0
    return status >= 500 or status == TOO_MANY_REQUESTS


def is_fatal(error: BaseException | None) -> bool:
    """An error after which no further call can succeed (bad token, blocked account)."""
    return isinstance(error, GraphError) and error.code in STOP_CODES


def write_not_done(error: BaseException | None) -> bool:
    """A plain write may be re-posted: Meta answered with an error, so it did not happen."""
    if isinstance(error, GraphConnectionError):
        return not error.may_have_succeeded
    return should_retry(error)


def entry_not_done(error: BaseException | None) -> bool:
    """A write inside a batch may be re-sent: Meta refused it before running it (rate limit)."""
    if isinstance(error, RateLimited):
        return True
    return isinstance(error, GraphError) and is_rate_limit(error.code, error.subcode)


def cap_for(base_s: float) -> float:
    return base_s * CAP_FACTOR


def retry_delay(
    attempt: int,
    error: BaseException | None = None,
    *,
    base_s: float = DEFAULT_BASE_S,
    cap_s: float | None = None,
    rand: Callable[[], float] = random.random,
    fit_s: float | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0).

    After a rate limit, ``fit_s`` (the pacer's time until the next call fits, from the usage
    headers) is the wait when known; otherwise base × 2^attempt, jittered ±20 %. Meta's own
    estimate (``estimated_time_to_regain_access``, whole minutes) is an upper bound on either,
    never a sleep of its own. Never more than ``cap_s`` (default 30 × base).
    """
    cap = cap_for(base_s) if cap_s is None else cap_s
    backoff = base_s * (2**attempt) * (1 - JITTER + 2 * JITTER * rand())
    estimate = getattr(error, "retry_after_s", None)
    if fit_s is not None and is_rate_limit(getattr(error, "code", None), getattr(error, "subcode", None)):
        backoff = max(fit_s, MIN_RATE_WAIT_S)
    if estimate:
        backoff = min(backoff, float(estimate))
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


def format_wait(seconds: float) -> str:
    """``0.25s``, ``10s``, ``45 min``, ``2 h 5 min``: how long, the way people say it."""
    if seconds < 1:
        return f"{seconds:.2f}s"
    if seconds < 120:
        return f"{seconds:.0f}s"
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"


def waiting_line(delay_s: float, attempt: int, max_retries: int, error: BaseException | None = None) -> str:
    """``Waiting 10s before retry (attempt 1/3)...``; Meta's estimate too when it is longer than the wait."""
    estimate = getattr(error, "retry_after_s", None)
    more = f"; Meta estimates {format_wait(estimate)}" if estimate and estimate > delay_s + 0.5 else ""
    return f"Waiting {format_wait(delay_s)} before retry (attempt {attempt + 1}/{max_retries}{more})..."


def retry_message(error: BaseException | None, delay_s: float, attempt: int, max_retries: int) -> str:
    """``Rate limited (error 80004). Waiting 10s before retry (attempt 1/3)...``"""
    return f"{describe(error)}. {waiting_line(delay_s, attempt, max_retries, error)}"


def wait_too_long(error: BaseException | None, max_wait_s: float | None) -> WaitTooLong | None:
    """A stop, when Meta's own estimate is longer than ``max_wait_s`` (None: no limit)."""
    estimate = getattr(error, "retry_after_s", None)
    if max_wait_s is None or not estimate or estimate <= max_wait_s or not isinstance(error, GraphError):
        return None
    what = describe(error)
    return WaitTooLong(
        f"{what}: Meta asks to wait {format_wait(estimate)} before the next call, longer than max_wait "
        f"({format_wait(max_wait_s)})", code=error.code, subcode=error.subcode, fbtrace_id=error.fbtrace_id,
        retry_after_s=estimate,
        hint=f"Stopped instead of waiting. Re-run the same command in {format_wait(estimate)}: everything done is "
             "kept and nothing is created twice (raise retry.max_wait in brand/stack.md to wait instead)")
