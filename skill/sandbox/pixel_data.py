"""The sandbox's pixel traffic: a seeded pixel whose browser events fire hourly, one gone silent.

A pixel stores a ``profile`` (per event: a base count an hour, and the window it fires in)
and the server events received through the Conversions API. Counts per hour are derived
from the event name and the hour (no randomness), so the same state always reports the same
stats. The seed: ``Snapbook Pixel`` on the default account; ``Purchase`` stopped firing three
days before the state was made, every other event still fires; the seeded ad sets optimise
for ``PURCHASE`` and ``LEAD`` on it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

PIXEL_ID = "1234567890123456"
HOUR = 3600
SILENT_DAYS = 3
# event → base count an hour (every hour fires at least once while the event is live)
PROFILE = {"PageView": 40, "ViewContent": 12, "AddToCart": 3, "InitiateCheckout": 2, "Lead": 1, "Purchase": 1}
PROMOTED = {"23847000000001": "PURCHASE", "23847000000002": "LEAD"}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def seed_pixels(data: dict[str, Any], now: float) -> dict[str, Any]:
    since = now - 90 * 86400
    profile = {name: {"per_hour": base, "since": since, "until": None} for name, base in PROFILE.items()}
    profile["Purchase"]["until"] = now - SILENT_DAYS * 86400
    data.setdefault("pixels", {})[PIXEL_ID] = {
        "id": PIXEL_ID, "name": "Snapbook Pixel", "account_id": "123456789", "creation_time": iso(since),
        "is_unavailable": False, "profile": profile, "received": [],
    }
    for adset_id, event in PROMOTED.items():
        if adset_id in data.get("adsets", {}):
            data["adsets"][adset_id]["promoted_object"] = {"pixel_id": PIXEL_ID, "custom_event_type": event}
    return data


def hourly_count(event: str, hour_start: int, base: int) -> int:
    """A stable count for one event in one hour: ``base`` to ``2*base``."""
    digest = hashlib.sha256(f"{event}:{hour_start}".encode()).digest()
    return base + digest[0] % (base + 1)


def profile_counts(pixel: dict[str, Any], start: int, end: int, now: float) -> dict[int, dict[str, int]]:
    """Browser events per hour start in ``[start, end)``, up to ``now``."""
    out: dict[int, dict[str, int]] = {}
    first = start - start % HOUR
    for event, spec in pixel.get("profile", {}).items():
        stop = min(end, now, spec["until"] if spec.get("until") is not None else now)
        for hour in range(first, int(stop), HOUR):
            if hour < spec["since"] - HOUR or hour < first:
                continue
            out.setdefault(hour, {})[event] = hourly_count(event, hour, int(spec["per_hour"]))
    return out


def received_counts(pixel: dict[str, Any], start: int, end: int) -> dict[int, dict[str, int]]:
    """Server events (not test events, each event_id once) per hour start."""
    out: dict[int, dict[str, int]] = {}
    for ev in pixel.get("received", []):
        ts = int(ev["event_time"])
        if ev.get("test") or not start <= ts < end:
            continue
        hour = ts - ts % HOUR
        bucket = out.setdefault(hour, {})
        bucket[ev["event_name"]] = bucket.get(ev["event_name"], 0) + 1
    return out


def stats(pixel: dict[str, Any], start: int, end: int, now: float) -> list[dict[str, Any]]:
    """``/{pixel}/stats?aggregation=event``: one entry an hour with the counts per event."""
    merged = profile_counts(pixel, start, end, now)
    for hour, counts in received_counts(pixel, start, end).items():
        bucket = merged.setdefault(hour, {})
        for event, n in counts.items():
            bucket[event] = bucket.get(event, 0) + n
    return [{"start_time": iso(hour), "aggregation": "event",
             "data": [{"value": e, "count": n} for e, n in sorted(counts.items())]}
            for hour, counts in sorted(merged.items())]


def last_fired(pixel: dict[str, Any], now: float) -> float | None:
    times = [min(now, spec["until"] if spec.get("until") is not None else now)
             for spec in pixel.get("profile", {}).values()]
    times += [float(ev["event_time"]) for ev in pixel.get("received", []) if not ev.get("test")]
    return max(times) if times else None
