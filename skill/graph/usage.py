"""Rate-limit usage headers, parsed, and a pacer that slows down before the limit is hit.

Meta reports usage on every answer (and every batch entry):

- ``x-business-use-case-usage``: ``{"<account>": [{"type", "call_count", "total_cputime",
  "total_time", "estimated_time_to_regain_access" (minutes), "ads_api_access_tier"}]}``
- ``x-ad-account-usage``: ``{"acc_id_util_pct", "reset_time_duration" (seconds), "ads_api_access_tier"}``
- ``x-app-usage``: ``{"call_count", "total_cputime", "total_time"}`` (percentages)
- ``x-fb-ads-insights-throttle``: ``{"app_id_util_pct", "acc_id_util_pct", "ads_api_access_tier"}``
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

USAGE_HEADERS = (
    "x-business-use-case-usage",
    "x-ad-account-usage",
    "x-app-usage",
    "x-fb-ads-insights-throttle",
)
PACE_FROM_PCT = 75.0  # below this, no waiting at all
REGAIN_FROM_PCT = 95.0  # from here on, wait for Meta's regain estimate when it gives one


@dataclass(frozen=True)
class Usage:
    """The highest utilisation any header reported (percent), and Meta's wait estimate."""

    max_pct: float = 0.0
    regain_s: float = 0.0
    tier: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _json(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _pcts(entry: Mapping[str, Any], keys: tuple[str, ...]) -> list[float]:
    return [float(entry[k]) for k in keys if isinstance(entry.get(k), int | float)]


def parse_usage(headers: Mapping[str, str]) -> Usage:
    """Usage from response headers (case-insensitive names); absent headers count as 0 %."""
    lower = {k.lower(): v for k, v in headers.items()}
    raw = {name: data for name in USAGE_HEADERS if (data := _json(lower.get(name))) is not None}
    pcts: list[float] = []
    regain = 0.0
    tier = None
    for entries in (raw.get("x-business-use-case-usage") or {}).values():
        for entry in entries if isinstance(entries, list) else []:
            pcts += _pcts(entry, ("call_count", "total_cputime", "total_time"))
            regain = max(regain, float(entry.get("estimated_time_to_regain_access") or 0) * 60)
            tier = entry.get("ads_api_access_tier") or tier
    account = raw.get("x-ad-account-usage") or {}
    if isinstance(account, Mapping):
        pcts += _pcts(account, ("acc_id_util_pct",))
        tier = account.get("ads_api_access_tier") or tier
        if pcts and max(pcts) >= REGAIN_FROM_PCT:
            regain = max(regain, float(account.get("reset_time_duration") or 0))
    for name, keys in (("x-app-usage", ("call_count", "total_cputime", "total_time")),
                       ("x-fb-ads-insights-throttle", ("app_id_util_pct", "acc_id_util_pct"))):
        data = raw.get(name)
        if isinstance(data, Mapping):
            pcts += _pcts(data, keys)
    return Usage(max(pcts, default=0.0), regain, tier, raw)


def pace_delay(usage: Usage, base_s: float) -> float:
    """Seconds to wait before the next call: 0 below 75 %, growing to 3 × base at 100 %,
    and Meta's regain estimate (capped at 30 × base) once at 95 % or more."""
    if usage.max_pct < PACE_FROM_PCT:
        return 0.0
    fraction = min((usage.max_pct - PACE_FROM_PCT) / (100.0 - PACE_FROM_PCT), 1.0)
    delay = fraction * fraction * 3 * base_s
    if usage.max_pct >= REGAIN_FROM_PCT and usage.regain_s:
        delay = max(delay, min(usage.regain_s, 30 * base_s))
    return delay


class Pacer:
    """Thread-safe holder of the latest usage; parallel uploads share one."""

    def __init__(self, base_s: float) -> None:
        self.base_s = base_s
        self._lock = threading.Lock()
        self._usage = Usage()
        self.paced_s = 0.0  # total time spent pacing, for benchmarks

    @property
    def usage(self) -> Usage:
        with self._lock:
            return self._usage

    def observe(self, headers: Mapping[str, str]) -> Usage:
        usage = parse_usage(headers)
        if usage.raw:
            with self._lock:
                self._usage = usage
        return usage

    def delay(self) -> float:
        return pace_delay(self.usage, self.base_s)

    def spent(self, seconds: float) -> None:
        with self._lock:
            self.paced_s += seconds
            # having waited, assume the window drained by about what we waited for
            if seconds and self._usage.max_pct:
                self._usage = Usage(max(self._usage.max_pct - 25.0, 0.0), 0.0, self._usage.tier, self._usage.raw)
