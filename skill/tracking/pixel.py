"""Is the pixel counting what the ads optimise for? ``meta-ads pixel check``.

Reads the pixel (``last_fired_time``), its hourly event stats for the last 7 days
(``/{pixel}/stats?aggregation=event``) and the account's ad sets' ``promoted_object``; an
event an ad set optimises for that has not fired in 24 hours is the headline:
"Purchase hasn't fired in 3 days: sales are not being counted".
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from skill.errors import ConfigError

WINDOW_S = 7 * 86400
SILENT_AFTER_S = 86400
# promoted_object.custom_event_type → the pixel's standard event, and what it counts
EVENTS = {
    "PURCHASE": ("Purchase", "sales"), "LEAD": ("Lead", "leads"), "ADD_TO_CART": ("AddToCart", "add-to-carts"),
    "INITIATED_CHECKOUT": ("InitiateCheckout", "checkouts"), "ADD_PAYMENT_INFO": ("AddPaymentInfo", "payment infos"),
    "COMPLETE_REGISTRATION": ("CompleteRegistration", "sign-ups"), "CONTENT_VIEW": ("ViewContent", "product views"),
    "SEARCH": ("Search", "searches"), "ADD_TO_WISHLIST": ("AddToWishlist", "wishlist adds"),
    "CONTACT": ("Contact", "contacts"), "SUBSCRIBE": ("Subscribe", "subscriptions"),
    "START_TRIAL": ("StartTrial", "trials"), "SUBMIT_APPLICATION": ("SubmitApplication", "applications"),
    "SCHEDULE": ("Schedule", "bookings"), "DONATE": ("Donate", "donations"),
}


class EventSeen(BaseModel):
    event: str
    count_7d: int
    last_seen: str | None = None
    silent_for_s: int | None = None  # seconds since last seen; None if firing in the last 24 h

    @property
    def silent(self) -> bool:
        return self.silent_for_s is not None


class PromotedCheck(BaseModel):
    adset_id: str
    adset_name: str
    status: str = ""
    event: str
    count_7d: int
    firing: bool
    verdict: str


class PixelReport(BaseModel):
    pixel_id: str
    pixel_name: str
    last_fired_time: str | None
    events: list[EventSeen]
    adsets: list[PromotedCheck]
    verdict: str
    problems: list[str]

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def render_text(self) -> str:
        lines = [f"Pixel {self.pixel_name} ({self.pixel_id}): last fired {self.last_fired_time or 'never'}",
                 "Events in the last 7 days:"]
        for e in self.events:
            note = f"  (silent for {ago(e.silent_for_s)})" if e.silent_for_s is not None else ""
            lines.append(f"  {e.event:<22} {e.count_7d:>8,}{note}")
        if not self.events:
            lines.append("  none")
        if self.adsets:
            lines.append("Ad sets optimising for pixel events:")
            lines += [f"  {'ok ' if a.firing else 'NO '} {a.adset_name}{f' ({a.status})' if a.status else ''} → "
                      f"{a.event}: {a.verdict}" for a in self.adsets]
        lines.append(self.verdict)
        return "\n".join(lines)


def ago(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    days = seconds // 86400
    if days >= 1:
        return f"{days} day" + ("s" if days != 1 else "")
    hours = max(1, seconds // 3600)
    return f"{hours} hour" + ("s" if hours != 1 else "")


def parse_time(value: Any) -> float | None:
    if not value:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except ValueError:
        return None


def default_pixel(client: Any, account: str) -> dict[str, Any]:
    """The account's only pixel; with none or several, a ConfigError that says what to do."""
    pixels = list(client.paginate(f"{account}/adspixels", {"fields": "id,name,last_fired_time", "limit": 100}))
    if len(pixels) == 1:
        return pixels[0]
    if not pixels:
        raise ConfigError(f"ad account {account} has no pixel", field="pixel",
                          hint="create one in Events Manager, or pass --pixel ID")
    listed = ", ".join(f"{p['id']} ({p.get('name', '')})" for p in pixels)
    raise ConfigError(f"ad account {account} has several pixels: {listed}", field="pixel", hint="pass --pixel ID")


def event_counts(client: Any, pixel_id: str, now: float) -> dict[str, tuple[int, float]]:
    """event → (count over the window, start of the last hour it fired in)."""
    out: dict[str, tuple[int, float]] = {}
    params = {"aggregation": "event", "start_time": int(now - WINDOW_S), "end_time": int(now) + 60, "limit": 500}
    for hour in client.paginate(f"{pixel_id}/stats", params):
        start = parse_time(hour.get("start_time")) or 0.0
        for item in hour.get("data") or []:
            name, count = str(item.get("value")), int(item.get("count") or 0)
            if count <= 0:
                continue
            total, last = out.get(name, (0, 0.0))
            out[name] = (total + count, max(last, start))
    return out


def check_pixel(client: Any, account: str, pixel: str | None = None, now: float | None = None) -> PixelReport:
    now = time.time() if now is None else now
    info = client.get(pixel, {"fields": "id,name,last_fired_time"}) if pixel else default_pixel(client, account)
    pixel_id = str(info["id"])
    counts = event_counts(client, pixel_id, now)
    events = [EventSeen(event=name, count_7d=total, last_seen=_iso(last) or None,
                        silent_for_s=int(now - last) if now - last > SILENT_AFTER_S else None)
              for name, (total, last) in sorted(counts.items(), key=lambda kv: -kv[1][0])]
    adsets = _promoted(client, account, pixel_id, counts, now)
    last_fired = parse_time(info.get("last_fired_time"))
    problems = [a.verdict for a in adsets if not a.firing]
    if last_fired is None or now - last_fired > SILENT_AFTER_S:
        problems.insert(0, "The pixel hasn't fired " + (f"in {ago(int(now - last_fired))}" if last_fired
                                                        else "at all") + ": nothing is being counted.")
    verdict = " ".join(dict.fromkeys(problems)) if problems else _all_good(adsets, events)
    return PixelReport(pixel_id=pixel_id, pixel_name=str(info.get("name", "")),
                       last_fired_time=_iso(last_fired) if last_fired else None, events=events, adsets=adsets,
                       verdict=verdict, problems=list(dict.fromkeys(problems)))


def _all_good(adsets: list[PromotedCheck], events: list[EventSeen]) -> str:
    quiet = [e.event for e in events if e.silent]
    text = (f"All {len({a.event for a in adsets})} event(s) the ad sets optimise for fired in the last 24 hours."
            if adsets else "The pixel is firing; no ad set optimises for one of its events.")
    return text + (f" Quiet for over a day (no ad set depends on them): {', '.join(quiet)}." if quiet else "")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts else ""  # ISO 8601: ...+00:00


def _promoted(client: Any, account: str, pixel_id: str, counts: dict[str, tuple[int, float]],
              now: float) -> list[PromotedCheck]:
    checks = []
    rows = client.paginate(f"{account}/adsets", {"fields": "id,name,effective_status,promoted_object", "limit": 500})
    for row in rows:
        promoted = row.get("promoted_object") or {}
        if str(promoted.get("pixel_id", "")) != pixel_id or row.get("effective_status") in ("DELETED", "ARCHIVED"):
            continue
        raw = str(promoted.get("custom_event_type", ""))
        event, what = EVENTS.get(raw, (raw.title().replace("_", ""), f"{raw.lower()} events"))
        total, last = counts.get(event, (0, 0.0))
        if total and now - last <= SILENT_AFTER_S:
            verdict, firing = f"{total:,} in the last 7 days, firing", True
        elif total:
            verdict, firing = f"{event} hasn't fired in {ago(int(now - last))}: {what} are not being counted.", False
        else:
            verdict, firing = f"{event} hasn't fired in the last 7 days: {what} are not being counted.", False
        checks.append(PromotedCheck(adset_id=str(row["id"]), adset_name=str(row.get("name", "")),
                                    status=str(row.get("effective_status") or ""), event=event,
                                    count_7d=total, firing=firing, verdict=verdict))
    return checks
