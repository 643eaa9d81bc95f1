"""The sandbox's ad accounts: every object as plain JSON, ids from counters, saved atomically.

One :class:`State` holds everything a client can see. Objects live in named collections
(``ads``, ``adsets`` …) keyed by id; each carries ``account_id`` (digits, as Meta spells it).
New ids are numeric strings shaped like Meta's, derived from per-kind counters, so a fresh
sandbox always hands out the same ids in the same order.
"""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skill.fileio import clean_stale_temps, write_text_atomic

SCHEMA = 1
COLLECTIONS = ("accounts", "pages", "campaigns", "adsets", "ads", "creatives", "images",
               "report_runs", "async_sets", "async_requests")
COLLECTIONS += ("audiences", "pixels")  # custom audiences and pixels (endpoints_audiences / _pixels)
COLLECTIONS += ("videos", "video_sessions")  # resumable video uploads (endpoints_videos)

# Prefixes of new ids: numeric strings of Meta's length (17 digits).
ID_PREFIX = {
    "creative": "23847293", "ad": "23847111", "campaign": "23846100", "adset": "23847100",
    "report_run": "60000000", "async_set": "60123840", "async_request": "60123850",
    "video": "12000000", "video_session": "15000000",
}
ID_PREFIX["audience"] = "23850000"

USER_ID = "10000000000001"
APP_ID = "1000000000001"
DEFAULT_ACCOUNT = "act_123456789"
SEED_DAYS_AGO = 45  # seeded objects were "created" this long before the state


def now_iso(ts: float | None = None) -> str:
    """Meta's timestamp format: ``2026-06-24T10:00:00+0000``."""
    return datetime.fromtimestamp(ts if ts is not None else time.time(), UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def act(account_id: str) -> str:
    return account_id if account_id.startswith("act_") else f"act_{account_id}"


def digits(account: str) -> str:
    return account.removeprefix("act_")


class State:
    """All objects of the sandbox. Not thread-safe by itself: the server holds its lock."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data = data if data is not None else seed_data()
        if "pixels" not in self.data:  # a state saved before the sandbox had pixels gets the seeded one
            _with_tracking(self.data, None)
        for name in COLLECTIONS:
            self.data.setdefault(name, {})
        self.data.setdefault("counters", {})
        self.dirty = False

    # ------------------------------------------------------------ collections

    def __getitem__(self, collection: str) -> dict[str, dict[str, Any]]:
        return self.data[collection]

    def new_id(self, kind: str) -> str:
        counters = self.data["counters"]
        counters[kind] = counters.get(kind, 0) + 1
        return f"{ID_PREFIX[kind]}{counters[kind]:09d}"

    def add(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.data[collection][obj["id"]] = obj
        self.dirty = True
        return obj

    def find(self, object_id: str) -> tuple[str, dict[str, Any]] | None:
        """Which collection holds ``object_id`` (any node a client may address by id)."""
        for name in COLLECTIONS:
            obj = self.data[name].get(object_id)
            if obj is not None:
                return name, obj
        return None

    def account(self, account: str) -> dict[str, Any] | None:
        return self.data["accounts"].get(act(account))

    # ------------------------------------------------------------ persistence

    def dump(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)

    def save(self, path: Path) -> None:
        """Write atomically: a temp file beside the target, then ``os.replace``."""
        write_text_atomic(path, json.dumps(self.data, indent=1, sort_keys=True))  # a kill leaves no half file
        self.dirty = False

    @classmethod
    def load(cls, path: Path | None) -> State:
        """The saved state at ``path`` if there is one (and it is ours), else a fresh seeded one."""
        if path is not None:
            clean_stale_temps(path.parent)  # left by a run killed mid-save
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and data.get("schema") == SCHEMA:
                return cls(data)
        return cls()


# ---------------------------------------------------------------- the seeded account


def seed_data(now: float | None = None) -> dict[str, Any]:
    """The account the example workspace points at: ids are fixed, times relative to now."""
    created = now_iso((now if now is not None else time.time()) - SEED_DAYS_AGO * 86400)
    accounts = {
        "act_123456789": _account("123456789", "Sandbox Ad Account", 1, created),
        "act_987654321": _account("987654321", "Sandbox Disabled Account", 2, created),
    }
    pages = {"123456789": {"id": "123456789", "name": "Snapbook", "category": "App page"}}
    campaigns = {
        "23846000000001": _campaign("23846000000001", "summer-sale-2026", "OUTCOME_SALES", created),
        "23846000000002": _campaign("23846000000002", "evergreen-leads", "OUTCOME_LEADS", created),
    }
    adsets = {
        "23847000000001": _adset("23847000000001", "summer-sale-2026 - broad", "23846000000001", "5000", created),
        "23847000000002": _adset("23847000000002", "evergreen-leads - lookalike", "23846000000002", "3000",
                                 created),
    }
    data = {"schema": SCHEMA, "created_time": created, "counters": {}, "accounts": accounts,
            "pages": pages, "campaigns": campaigns, "adsets": adsets}
    return _with_tracking(data, now)


def _with_tracking(data: dict[str, Any], now: float | None) -> dict[str, Any]:
    """The seeded pixel (its Purchase event gone silent) and the ad set that optimises for it."""
    from skill.sandbox.pixel_data import seed_pixels

    return seed_pixels(data, now if now is not None else time.time())


def _account(account_id: str, name: str, status: int, created: str) -> dict[str, Any]:
    return {"id": f"act_{account_id}", "account_id": account_id, "name": name, "currency": "USD",
            "account_status": status, "timezone_name": "Etc/UTC", "timezone_offset_hours_utc": 0,
            "amount_spent": "0", "created_time": created, "business_name": "Snapbook Inc.",
            "min_daily_budget": 100}


def _campaign(cid: str, name: str, objective: str, created: str) -> dict[str, Any]:
    return {"id": cid, "name": name, "objective": objective, "status": "ACTIVE", "account_id": "123456789",
            "buying_type": "AUCTION", "special_ad_categories": [], "created_time": created,
            "updated_time": created, "start_time": created}


def _adset(aid: str, name: str, campaign_id: str, budget: str, created: str) -> dict[str, Any]:
    return {"id": aid, "name": name, "campaign_id": campaign_id, "account_id": "123456789", "status": "ACTIVE",
            "daily_budget": budget, "lifetime_budget": "0",
            "billing_event": "IMPRESSIONS", "optimization_goal": "OFFSITE_CONVERSIONS",
            "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
            "targeting": {"geo_locations": {"countries": ["US"]}, "age_min": 18, "age_max": 65},
            "created_time": created, "updated_time": created, "start_time": created}
