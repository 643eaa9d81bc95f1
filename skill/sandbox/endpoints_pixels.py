"""Pixels: ``GET act_{id}/adspixels``, ``GET /{pixel}``, ``/{pixel}/stats`` and the Conversions API.

``POST /{pixel}/events`` checks what Meta documents for server events: ``data`` is a list of
1 to 1,000 events; each has ``event_name``, ``event_time`` (Unix seconds, at most 7 days old),
``action_source`` (Meta's list) and ``user_data``; a ``website`` event also needs
``event_source_url`` and ``client_user_agent``. One bad event rejects the whole request and
nothing is processed, as Meta says. Hashed ``user_data`` keys must hold SHA-256 hex: raw
values are refused (a sandbox choice; see ``docs/sandbox.md``). Events with the same
``event_name`` + ``event_id`` within 48 hours count once; events sent with
``test_event_code`` appear in the test tool only, never in stats.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from skill.sandbox import objects
from skill.sandbox.errors import fbtrace_id, invalid_param, missing_param
from skill.sandbox.fields import page
from skill.sandbox.pixel_data import iso, last_fired, stats
from skill.sandbox.request import Request, int_param, json_param, str_param

if TYPE_CHECKING:
    from skill.sandbox.api import Api

MAX_EVENTS = 1000
MAX_AGE_S = 7 * 86400
FUTURE_SLACK_S = 60
DEDUP_WINDOW_S = 48 * 3600
ACTION_SOURCES = frozenset({"email", "website", "app", "phone_call", "chat", "physical_store", "system_generated",
                            "business_messaging", "other"})
HASHED_USER_KEYS = ("em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Sandbox subcodes (Meta's own for these checks are not documented where we could read them).
SUB_EVENT_TIME = 2804003
SUB_EVENT_FIELD = 2804004
SUB_NOT_HASHED = 2804005
SUB_TOO_MANY = 2804006
INTERNAL = ("profile", "received")


def pixel_view(api: Api, obj: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in INTERNAL}
    fired = last_fired(obj, time.time())
    out["last_fired_time"] = iso(fired) if fired is not None else None
    out["owner_ad_account"] = {"id": f"act_{obj['account_id']}", "account_id": obj["account_id"]}
    return out


objects.VIEWS["pixels"] = pixel_view


def account_pixels(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    rows = [p for p in api.state["pixels"].values() if p["account_id"] == account["account_id"]]
    return objects.listing(api, req, "pixels", rows)


def pixel_stats(api: Api, req: Request, collection: str, pixel: dict[str, Any]) -> dict[str, Any]:
    aggregation = str_param(req.params, "aggregation") or "event"
    if aggregation != "event":
        raise invalid_param("Unsupported Aggregation", f"The sandbox reports aggregation=event only, not "
                            f"{aggregation!r}.")
    now = time.time()
    end = int_param(req.params, "end_time", int(now))
    start = int_param(req.params, "start_time", end - 86400)
    if start >= end:
        raise invalid_param("Invalid Time Range", "start_time must be before end_time.")
    return page(req, stats(pixel, start, end, now))


def send_events(api: Api, req: Request, collection: str, pixel: dict[str, Any]) -> dict[str, Any]:
    data = json_param(req.params, "data")
    if data is None:
        raise missing_param("data")
    if not isinstance(data, list) or not data:
        raise invalid_param("Invalid Data", "data must be a non-empty list of server events.", SUB_EVENT_FIELD)
    if len(data) > MAX_EVENTS:
        raise invalid_param("Too Many Events", f"data has {len(data)} events; at most {MAX_EVENTS} are accepted "
                            "in one request.", SUB_TOO_MANY)
    now = time.time()
    for i, event in enumerate(data):
        check_event(event, i, now)
    test_code = str_param(req.params, "test_event_code")
    seen = {(e["event_name"], e.get("event_id")) for e in pixel["received"]
            if e.get("event_id") and now - float(e["received_at"]) < DEDUP_WINDOW_S and not e.get("test")}
    messages: list[str] = []
    for event in data:
        key = (event["event_name"], event.get("event_id"))
        if not test_code and event.get("event_id") and key in seen:
            continue  # received, and deduplicated against the one already counted
        seen.add(key)
        pixel["received"].append({"event_name": event["event_name"], "event_time": int(event["event_time"]),
                                  "event_id": event.get("event_id"), "test": bool(test_code), "received_at": now})
    api.state.dirty = True
    return {"events_received": len(data), "messages": messages, "fbtrace_id": fbtrace_id()}


def check_event(event: Any, i: int, now: float) -> None:
    where = f"data[{i}]"
    if not isinstance(event, dict):
        raise invalid_param("Invalid Event", f"{where} must be an object.", SUB_EVENT_FIELD)
    for name in ("event_name", "event_time", "action_source", "user_data"):
        if event.get(name) in (None, "", {}):
            raise invalid_param("Missing Event Field", f"{where}.{name} is required.", SUB_EVENT_FIELD)
    try:
        event_time = int(event["event_time"])
    except (TypeError, ValueError):
        raise invalid_param("Invalid Event Time", f"{where}.event_time must be Unix seconds.", SUB_EVENT_TIME) \
            from None
    if event_time < now - MAX_AGE_S:
        raise invalid_param("Event Time Too Old", f"{where}.event_time is more than 7 days in the past; the "
                            "request was rejected and no events were processed.", SUB_EVENT_TIME)
    if event_time > now + FUTURE_SLACK_S:
        raise invalid_param("Event Time In Future", f"{where}.event_time is in the future.", SUB_EVENT_TIME)
    source = event["action_source"]
    if source not in ACTION_SOURCES:
        raise invalid_param("Invalid Action Source", f"{where}.action_source {source!r} is not one of "
                            f"{', '.join(sorted(ACTION_SOURCES))}.", SUB_EVENT_FIELD)
    if source == "website":
        for name in ("event_source_url", "client_user_agent"):
            value = event.get(name) if name == "event_source_url" else (event.get("user_data") or {}).get(name)
            if not value:
                field = name if name == "event_source_url" else f"user_data.{name}"
                raise invalid_param("Missing Event Field", f"{where}.{field} is required for website events.",
                                    SUB_EVENT_FIELD)
    check_user_data(event["user_data"], where)


def check_user_data(user: Any, where: str) -> None:
    if not isinstance(user, dict):
        raise invalid_param("Invalid User Data", f"{where}.user_data must be an object.", SUB_EVENT_FIELD)
    for key in HASHED_USER_KEYS:
        values = user.get(key)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str) or not SHA256.match(value):
                raise invalid_param("User Data Not Hashed", f"{where}.user_data.{key} must be SHA-256 hashed "
                                    "(64 lowercase hex characters) after normalising.", SUB_NOT_HASHED)
