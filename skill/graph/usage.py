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

The pacer is a controller that keeps usage under a target (90 %) instead of sleeping after
errors. From the headers it learns how fast the score drains (``acc_id_util_pct`` over
``reset_time_duration``: percent per second) and what a unit of weight costs (a read 1, a
write 3, a batch the sum of its operations: the rises between snapshots, net of draining,
summed over the answers and divided by the weight they answered, so overlapping calls of very
different size are each costed by what they carry); before each call it projects the score to now, adds what calls already in flight
will add, and waits exactly until the next call, at its own weight, fits. Meta's regain estimate
(whole minutes) is an upper bound on that wait, never a sleep of its own. Without a drain rate
(no ``reset_time_duration``) it falls back to a short wait growing quadratically from 75 %.
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
READ_WEIGHT, WRITE_WEIGHT = 1, 3  # what a read and a write add to an ad account's score, relatively
TARGET_PCT = 90.0  # the controller keeps the projected usage, next call included, under this
MIN_RESET_S = 2.0  # a shorter reset_time_duration is too coarse (whole seconds) to learn a drain rate from
FIRST_ANSWER_WAIT_S = 60.0  # parallel callers wait this long at most for the first answer's usage
LEARN_ANSWERS = 5  # at most this many answers go one at a time while a call's cost is learnt
ROUNDING_PCT = 1.0  # some headers report whole percents: a reading may be this much below the score


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

    @property
    def account_pct(self) -> float | None:
        account = self.raw.get("x-ad-account-usage")
        if isinstance(account, Mapping) and "acc_id_util_pct" in account:
            return _number(account.get("acc_id_util_pct"))
        return None

    @property
    def drain_pct_per_s(self) -> float | None:
        """How fast the account's score falls, from one snapshot; None when it can't be told."""
        pct = self.account_pct
        if pct is None or pct <= 0 or self.reset_s < MIN_RESET_S:
            return None
        return pct / self.reset_s


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


def fit_delay(pct: float, drain: float, cost: float, target: float = TARGET_PCT) -> float:
    """Seconds until a call costing ``cost`` percent fits under ``target`` (pure)."""
    over = pct + cost - target
    return max(over / drain, 0.0) if over > 0 else 0.0


class Pacer:
    """Thread-safe controller over the latest usage; parallel uploads share one through the client.

    ``delay()`` before each call says how long to wait; ``admit()`` after waiting reserves the
    call's cost until its answer is observed, so calls in flight at once don't all spend the
    same headroom. Time gone since the snapshot counts towards the wait (by ``clock``, or by
    what the caller reported waiting with ``waited``), so one snapshot is never paid for twice.
    """

    def __init__(self, base_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_s = base_s
        self.clock = clock
        self._lock = threading.RLock()
        self._answered = threading.Condition(self._lock)  # notified whenever a call ends
        self._usage = Usage()
        self._seen_at = clock()
        self._waited = 0.0
        self._drain: float | None = None  # percent per second, learnt
        self._unit = 0.0  # percent one unit of weight adds, learnt
        self._rise_sum = self._weight_sum = 0.0  # usage risen and weight answered since the first answer
        self._in_flight = 0.0  # weight of the calls admitted and not yet answered
        self._answers = 0  # answers with usage seen
        self._answered_weight = 0.0  # weight of every answer with usage, the first included
        self._first_at: float | None = None  # when the first call was admitted
        self._generation = 0  # bumped with every new snapshot: tells a wait begun before it
        self.paced_s = 0.0  # total time spent pacing, for benchmarks

    @property
    def usage(self) -> Usage:
        with self._lock:
            return self._usage

    def observe(self, headers: Mapping[str, str], *, answer: bool = True, weight: float = READ_WEIGHT) -> Usage:
        """Take an HTTP answer's headers (``answer``) or a batch entry's; no usage changes nothing.

        A batch entry's headers replace the snapshot only when they report more usage than it
        (the answer's own headers are the usual source); they teach nothing about per-call cost.
        """
        usage = parse_usage(headers)
        if usage.raw and not answer:
            with self._lock:
                if usage.max_pct > self._projected():
                    if usage.drain_pct_per_s:
                        self._drain = usage.drain_pct_per_s
                    self._snapshot(usage)
            return usage
        if usage.raw:
            with self._lock:
                self._learn(usage, weight)
                self._snapshot(usage)
                self._answers += 1
                self._answered_weight += max(weight, 1)
                self._in_flight = max(self._in_flight - weight, 0.0)
                self._answered.notify_all()
        return usage

    def _snapshot(self, usage: Usage) -> None:
        self._usage, self._seen_at, self._waited = usage, self.clock(), 0.0
        self._generation += 1

    def _learn(self, usage: Usage, weight: float) -> None:
        drain = usage.drain_pct_per_s
        if drain:
            self._drain = drain if self._drain is None else 0.5 * self._drain + 0.5 * drain
        if not self._usage.raw or usage.blocked:  # the first answer's score holds earlier calls too;  # refused operations cost nothing: this rise says little about a weight's cost
            return  # refused operations cost nothing: a blocked answer's rise says little about a weight's cost
        # Costed by weight, summed over answers (not averaged per call): when calls overlap, one answer's
        # rise holds what other calls in flight already spent and the next answers rise by less.
        self._rise_sum += usage.max_pct - self._projected()
        self._weight_sum += max(weight, 1)
        if self._rise_sum > 0:
            self._unit = self._rise_sum / self._weight_sum

    def _projected(self) -> float:
        """The last snapshot's usage, drained to now (lock held)."""
        gone = max(self.clock() - self._seen_at, self._waited)
        return max(self._usage.max_pct - (self._drain or 0.0) * gone, 0.0)

    def fit_s(self, weight: float = READ_WEIGHT) -> float | None:
        """Seconds until a call of ``weight`` fits under the target, or None without a drain rate."""
        with self._lock:
            if not self._drain:
                return None
            pending = self._unit * self._in_flight
            return fit_delay(self._projected() + pending, self._drain, self._unit * weight)

    def delay(self, weight: float = READ_WEIGHT) -> float:
        fit = self.fit_s(weight)
        with self._lock:
            if fit is not None:
                # The cap guards against a wrong estimate of the snapshot, not the queue: calls reserved
                # ahead of this one (in flight or waiting their turn) add their own drain time to it.
                queue = self._unit * self._in_flight / self._drain if self._drain else 0.0
                cap = REGAIN_CAP_FACTOR * self.base_s + queue  # Meta's regain estimate bounds it too
                return min(fit, cap, self._usage.regain_s) if self._usage.blocked else min(fit, cap)
            owed = pace_delay(self._usage, self.base_s)
            gone = max(self.clock() - self._seen_at, self._waited)
        return max(owed - gone, 0.0)

    def reserve(self, weight: float = READ_WEIGHT) -> tuple[float, int]:
        """:meth:`acquire`, and the snapshot the wait was computed on (to pass to :meth:`waited`)."""
        with self._lock:
            return self.acquire(weight), self._generation

    def acquire(self, weight: float = READ_WEIGHT) -> float:
        """Reserve room for a call of ``weight`` and say how long to wait before sending it.

        The reservation counts at once, so a parallel caller asking a moment later sees it and
        waits for its own turn instead of spending the same headroom. Until the answers have said
        how fast usage drains and what a call adds to it (at most LEARN_ANSWERS answers), only one
        call is out at a time (parallel callers would otherwise all spend headroom costed at 0),
        unless the headroom is plain (:meth:`_plain`).
        """
        with self._lock:
            while not self._may_overlap(weight):
                if not self._answered.wait(timeout=FIRST_ANSWER_WAIT_S):
                    break
            wait = self.delay(weight)
            self._in_flight += weight
            if self._first_at is None:
                self._first_at = self.clock()
        return wait

    def ready(self, weight: float = READ_WEIGHT) -> bool:
        """Would :meth:`acquire` of a call of ``weight`` go now, rather than wait for an answer first?"""
        with self._lock:
            return self._may_overlap(weight)

    def _may_overlap(self, weight: float) -> bool:
        return self._in_flight <= 0 or self._known() or self._plain(weight)

    def _plain(self, weight: float) -> bool:
        """The headroom is plain: even if every bit of usage the answers reported were ours (plus the
        rounding of whole-percent headers, plus what has drained since our first call), the calls in
        flight and this one would stay under the target. Lets parallel calls overlap from the first
        answer when usage is low, before the drain rate and a call's cost are learnt."""
        if not self._usage.raw or self._usage.blocked or self._answered_weight <= 0:
            return False
        drained = (self._drain or 0.0) * (self.clock() - self._first_at if self._first_at is not None else 0.0)
        most = (self._usage.max_pct + ROUNDING_PCT + drained) / self._answered_weight  # percent per unit, at most
        return self._projected() + most * (self._in_flight + weight) <= TARGET_PCT

    def _known(self) -> bool:
        """The drain rate and what a call costs are learnt (or enough answers taught nothing): parallel calls may go.

        Without both, the wait falls back to the rough quadratic one, which lets every batch out
        at once below 75 %: three parallel batches of 60 % each would all be sent.
        """
        learnt = self._drain is not None and self._unit > 0
        return bool(self._usage.raw) and (learnt or self._answers >= LEARN_ANSWERS)

    def admit(self, weight: float = READ_WEIGHT) -> None:
        """A call is about to be sent: hold its cost until its answer is observed."""
        with self._lock:
            self._in_flight += weight

    def release(self, weight: float = READ_WEIGHT) -> None:
        """A call ended without usage headers (no answer): stop holding its cost."""
        with self._lock:
            self._in_flight = max(self._in_flight - weight, 0.0)
            self._answered.notify_all()

    def waited(self, seconds: float, since: int | None = None) -> None:
        """The caller slept ``seconds`` because of :meth:`delay` (parallel sleeps overlap: the longest counts).

        ``since``: the snapshot the wait was computed on (from :meth:`reserve`). A newer snapshot
        arrived during the wait is younger than the wait, so the wait does not age it.
        """
        with self._lock:
            self.paced_s += seconds
            if since is None or since == self._generation:
                self._waited = max(self._waited, seconds)
