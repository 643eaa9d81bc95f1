"""Rate-limit usage headers, parsed, and a pacer that slows down before the limit is hit.

Meta reports usage on every answer (and on every batch entry), as JSON in these headers
(names and units from Meta's rate-limiting docs):

- ``x-business-use-case-usage``: ``{"<business or account id>": [{"type", "call_count",
  "total_cputime", "total_time" (percent), "estimated_time_to_regain_access" (minutes;
  above 0 means calls are being refused now), "ads_api_access_tier"}]}``
- ``x-ad-account-usage``: ``{"acc_id_util_pct" (percent), "reset_time_duration" (seconds
  until the score is back to zero), "ads_api_access_tier"}``
- ``x-app-usage``: ``{"call_count", "total_cputime", "total_time"}`` (percent)
- ``x-fb-ads-insights-throttle``: ``{"app_id_util_pct", "acc_id_util_pct"}`` (percent)

The pacer keeps the latest snapshot and answers "how long before the next call": nothing
below 75 %, a short wait growing quadratically to 3 × the retry base at 100 %, and Meta's
own estimate (capped) once it says calls are refused or the account is at 95 % or more.
Time that has passed since the snapshot counts towards the wait.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

USAGE_HEADERS = (
    "x-business-use-case-usage",
    "x-ad-account-usage",
    "x-app-usage",
    "x-fb-ads-insights-throttle",
)
PERCENT_FIELDS = {
    "x-app-usage": ("call_count", "total_cputime", "total_time"),
    "x-fb-ads-insights-throttle": ("app_id_util_pct", "acc_id_util_pct"),
    "x-ad-account-usage": ("acc_id_util_pct",),
}
BUC_PERCENT_FIELDS = ("call_count", "total_cputime", "total_time")
PACE_FROM_PCT = 75.0  # below this, no waiting at all
REGAIN_FROM_PCT = 95.0  # from here on, wait for Meta's reset estimate when it gives one
PACE_MAX_FACTOR = 3.0  # the pacing wait at 100 %, in retry bases
REGAIN_CAP_FACTOR = 30.0  # never wait longer than this many retry bases before one call


@dataclass(frozen=True)
class Usage:
    """The highest utilisation any header reported (percent), and how long Meta says to wait.

    ``regain_s``: seconds until access returns (``estimated_time_to_regain_access`` × 60),
    0 when Meta is not refusing calls. ``reset_s``: seconds until the ad account's score is
    back to zero (``reset_time_duration``).
    """

    max_pct: float = 0.0
    regain_s: float = 0.0
    reset_s: float = 0.0
    tier: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return self.regain_s > 0


def _json(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    return 0.0


def _pcts(entry: Any, keys: tuple[str, ...]) -> list[float]:
    if not isinstance(entry, Mapping):
        return []
    return [_number(entry.get(k)) for k in keys if k in entry]


def _buc_entries(data: Any) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping):
        return []
    rows = [row for entries in data.values() for row in (entries if isinstance(entries, list) else [entries])]
    return [row for row in rows if isinstance(row, Mapping)]


def parse_usage(headers: Mapping[str, str]) -> Usage:
    """Usage from response headers (names case-insensitive); absent or garbled headers count as 0 %."""
    lower = {str(k).lower(): v for k, v in headers.items()}
    raw = {name: data for name in USAGE_HEADERS if (data := _json(lower.get(name))) is not None}
    pcts: list[float] = []
    regain = reset = 0.0
    tier = None
    for entry in _buc_entries(raw.get("x-business-use-case-usage")):
        pcts += _pcts(entry, BUC_PERCENT_FIELDS)
        regain = max(regain, _number(entry.get("estimated_time_to_regain_access")) * 60)
        tier = entry.get("ads_api_access_tier") or tier
    for name, keys in PERCENT_FIELDS.items():
        pcts += _pcts(raw.get(name), keys)
    account = raw.get("x-ad-account-usage")
    if isinstance(account, Mapping):
        reset = _number(account.get("reset_time_duration"))
        tier = account.get("ads_api_access_tier") or tier
    return Usage(max(pcts, default=0.0), regain, reset, tier, raw)


def pace_delay(usage: Usage, base_s: float) -> float:
    """Seconds to wait before the next call, from one usage snapshot (pure)."""
    cap = REGAIN_CAP_FACTOR * base_s
    if usage.blocked:
        return min(usage.regain_s, cap)
    if usage.max_pct < PACE_FROM_PCT:
        return 0.0
    fraction = min((usage.max_pct - PACE_FROM_PCT) / (100.0 - PACE_FROM_PCT), 1.0)
    delay = fraction * fraction * PACE_MAX_FACTOR * base_s
    if usage.max_pct >= REGAIN_FROM_PCT and usage.reset_s:
        delay = max(delay, min(usage.reset_s, cap))
    return delay


class Pacer:
    """Thread-safe holder of the latest usage; parallel uploads share one through the client.

    ``delay()`` is :func:`pace_delay` minus the time already gone since the snapshot (by
    ``clock``, or by what the caller reported waiting with ``waited``), so one snapshot is
    never paid for twice.
    """

    def __init__(self, base_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_s = base_s
        self.clock = clock
        self._lock = threading.Lock()
        self._usage = Usage()
        self._seen_at = clock()
        self._waited = 0.0
        self.paced_s = 0.0  # total time spent pacing, for benchmarks

    @property
    def usage(self) -> Usage:
        with self._lock:
            return self._usage

    def observe(self, headers: Mapping[str, str]) -> Usage:
        """Take a response's (or batch entry's) headers; headers without usage change nothing."""
        usage = parse_usage(headers)
        if usage.raw:
            with self._lock:
                self._usage, self._seen_at, self._waited = usage, self.clock(), 0.0
        return usage

    def delay(self) -> float:
        with self._lock:
            owed = pace_delay(self._usage, self.base_s)
            gone = max(self.clock() - self._seen_at, self._waited)
        return max(owed - gone, 0.0)

    def waited(self, seconds: float) -> None:
        """The caller slept ``seconds`` because of :meth:`delay`."""
        with self._lock:
            self.paced_s += seconds
            self._waited += seconds
