"""How status and budget changes shape the sandbox's insights: a paused ad stops spending from
the moment it was paused, a budget change scales spend from the moment it was made.

Each ad, ad set and campaign that was ever changed gets a timeline in the state
(``timeline[id] = [{"t", "on", "budget"}, ...]``, ``t`` in epoch seconds). The first entry is
the baseline before any change: delivering, at the budget it had (objects never changed deliver
as the insights' delivery rule says). An ad delivers at a moment when it, its ad set and its
campaign are all on; its counts are scaled by its ad set's and campaign's budget over their
baseline budgets. A day's counts are weighted by the part of the day spent in each state.

The sandbox clock can be moved forward with the ``clock_days`` setting, so a test can pause
an ad "today" and read tomorrow's insights.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skill.sandbox.api import Api

TIMELINE = "timeline"
TRACKED = ("ads", "adsets", "campaigns")
DAY_S = 86400


def now(api: Api | None) -> float:
    """The sandbox's clock: wall time moved forward by ``clock_days``."""
    days = float(getattr(api.config, "clock_days", 0) or 0) if api is not None else 0.0
    return time.time() + days * DAY_S


def today(api: Api | None) -> date:
    return datetime.fromtimestamp(now(api), UTC).date()


def _budget(obj: dict[str, Any], at: float | None = None) -> int:
    """The daily budget, or a lifetime budget spread over the days left to its end (per day)."""
    daily = int(str(obj.get("daily_budget") or 0) or 0)
    if daily:
        return daily
    lifetime = int(str(obj.get("lifetime_budget") or 0) or 0)
    end = obj.get("end_time") or obj.get("stop_time")
    if not lifetime or not end or str(end) == "0":
        return lifetime
    try:
        stop = datetime.fromisoformat(str(end).replace("+0000", "+00:00")).timestamp()
    except ValueError:
        return lifetime
    days = max(1, -(-int(stop - (at if at is not None else time.time())) // DAY_S))
    return lifetime // days


def record(api: Api, collection: str, obj: dict[str, Any], before: dict[str, Any]) -> None:
    """After ``obj`` changed from ``before``: note a status or budget change on its timeline."""
    if collection not in TRACKED:
        return
    timelines = api.state.data.get(TIMELINE) or {}
    t = now(api)
    last = timelines[obj["id"]][-1] if obj["id"] in timelines else {"on": True, "budget": _budget(before, t)}
    is_on = obj.get("status", "ACTIVE") == "ACTIVE"  # never changed: delivering, whatever the status says
    if last["on"] == is_on and last["budget"] == _budget(obj, t):
        return
    timelines = api.state.data.setdefault(TIMELINE, {})
    line = timelines.setdefault(obj["id"], [{"t": 0, "on": True, "budget": _budget(before, t)}])
    line.append({"t": t, "on": is_on, "budget": _budget(obj, t)})
    api.state.dirty = True


def _at(line: list[dict[str, Any]], t: float) -> dict[str, Any]:
    current = line[0]
    for entry in line:
        if entry["t"] <= t:
            current = entry
    return current


def _weight(lines: list[tuple[str, list[dict[str, Any]]]], t: float) -> float:
    weight = 1.0
    for kind, line in lines:
        entry = _at(line, t)
        if not entry["on"]:
            return 0.0
        base = line[0]["budget"]
        if kind != "ads" and base and entry["budget"]:
            weight *= entry["budget"] / base
    return weight


def factor(api: Api, ad: dict[str, Any], day: date, as_of: float | None = None) -> float:
    """The share of a normal day's delivery ``ad`` had on ``day`` (1.0 when nothing changed);
    ``as_of``: as the timelines stood at that moment (changes after it ignored)."""
    timelines = api.state.data.get(TIMELINE) or {}
    lines = [(kind, timelines[oid]) for kind, oid in (("ads", ad["id"]), ("adsets", ad.get("adset_id")),
                                                      ("campaigns", ad.get("campaign_id"))) if oid in timelines]
    if as_of is not None:
        lines = [(kind, [e for e in line if e["t"] <= as_of]) for kind, line in lines]
    if not lines:
        return 1.0
    start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    end = start + DAY_S
    cuts = sorted({start, end} | {e["t"] for _, line in lines for e in line if start < e["t"] < end})
    return sum(_weight(lines, a) * (b - a) for a, b in zip(cuts, cuts[1:], strict=False)) / DAY_S


def scale(counts: dict[str, int], share: float) -> dict[str, int]:
    """A day's integer counts scaled by ``share`` (rounded; reach at least 1 when there are impressions)."""
    if share == 1.0:
        return counts
    out = {k: int(round(v * share)) for k, v in counts.items()}
    if out.get("impressions") and not out.get("reach"):
        out["reach"] = 1
    return out

