"""Score-based rate limiting per ad account, and the usage headers Meta sends.

Each call adds to its ad account's score (a read 1, a write 3; a batch the sum of its
operations). The score drains linearly: a full budget drains in ``window_s`` seconds.
A call that would push the score over the budget is refused with error 80004
(subcode 2446079) and costs nothing.

Headers, with Meta's names and units (percentages; ``estimated_time_to_regain_access``
in minutes; ``reset_time_duration`` in seconds):

- ``x-business-use-case-usage``: ``{"<account digits>": [{"type": "ads_management",
  "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access",
  "ads_api_access_tier"}]}``
- ``x-ad-account-usage``: ``{"acc_id_util_pct", "reset_time_duration", "ads_api_access_tier"}``
- ``x-app-usage``: ``{"call_count", "total_cputime", "total_time"}``
- ``x-fb-ads-insights-throttle`` (insights calls): ``{"app_id_util_pct", "acc_id_util_pct",
  "ads_api_access_tier"}``
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

READ_COST = 1
WRITE_COST = 3
DEFAULT_BUDGET = {"development_access": 300.0, "standard_access": 3000.0}
DEFAULT_WINDOW_S = 300.0


def cost(method: str) -> int:
    return READ_COST if method.upper() == "GET" else WRITE_COST


class RateLimiter:
    """Scores per ad account (digits), draining over time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.scores: dict[str, tuple[float, float]] = {}  # account -> (score, at)
        self.budget_override: float | None = None
        self.window_override: float | None = None
        self.tier = "standard_access"
        self.charged = 0.0  # every point accepted since start, for benchmarks

    @property
    def budget(self) -> float:
        return self.budget_override or DEFAULT_BUDGET[self.tier]

    @property
    def window_s(self) -> float:
        return self.window_override or DEFAULT_WINDOW_S

    def _drain_per_s(self) -> float:
        return self.budget / self.window_s

    def score(self, account: str) -> float:
        score, at = self.scores.get(account, (0.0, self.clock()))
        now = self.clock()
        return max(0.0, score - (now - at) * self._drain_per_s())

    def charge(self, account: str | None, points: int) -> int | None:
        """Add ``points`` to the account; None if allowed, else minutes until it would be."""
        if account is None:
            return None
        score = self.score(account)
        if score + points > self.budget:
            wait_s = (score + points - self.budget) / self._drain_per_s()
            return max(1, math.ceil(wait_s / 60))
        self.scores[account] = (score + points, self.clock())
        self.charged += points
        return None

    def reset(self) -> None:
        self.scores.clear()

    # ------------------------------------------------------------ headers

    def pct(self, account: str) -> int:
        return min(100, int(round(100 * self.score(account) / self.budget)))

    def regain_minutes(self, account: str) -> int:
        over = self.score(account) + WRITE_COST - self.budget
        return max(1, math.ceil(over / self._drain_per_s() / 60)) if over > 0 else 0

    def headers(self, accounts: list[str], insights: bool = False) -> dict[str, str]:
        """The usage headers for a response about ``accounts`` (digits; first one leads)."""
        lead = accounts[0]
        buc = {a: [self._buc_entry(a)] for a in accounts}
        pct = self.pct(lead)
        headers = {
            "x-business-use-case-usage": json.dumps(buc, separators=(",", ":")),
            "x-ad-account-usage": json.dumps({
                "acc_id_util_pct": round(100 * self.score(lead) / self.budget, 2),
                "reset_time_duration": math.ceil(self.score(lead) / self._drain_per_s()),
                "ads_api_access_tier": self.tier,
            }, separators=(",", ":")),
            "x-app-usage": json.dumps({"call_count": pct, "total_cputime": pct * 3 // 5,
                                       "total_time": pct * 4 // 5}, separators=(",", ":")),
        }
        if insights:
            headers["x-fb-ads-insights-throttle"] = json.dumps(
                {"app_id_util_pct": float(pct), "acc_id_util_pct": float(pct), "ads_api_access_tier": self.tier},
                separators=(",", ":"))
        return headers

    def _buc_entry(self, account: str) -> dict[str, Any]:
        pct = self.pct(account)
        return {"type": "ads_management", "call_count": pct, "total_cputime": pct * 3 // 5,
                "total_time": pct * 4 // 5, "estimated_time_to_regain_access": self.regain_minutes(account),
                "ads_api_access_tier": self.tier}
